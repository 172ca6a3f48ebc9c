"""Render a template into a new project directory with cookiecutter.

Everything that can be checked is checked before cookiecutter writes a file: the template name,
the variables and their choices, the package name, and whether the target directory is free.

Example:
    >>> import tempfile
    >>> out = create_project("ml-project", tempfile.mkdtemp(), no_input=True,
    ...                      context={"project_name": "Churn model"})  # doctest: +SKIP
    >>> out.name  # doctest: +SKIP
    'churn-model'
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError, UsageError
from toolkit.scaffold.interpreter import python_problem
from toolkit.scaffold.names import (
    derive_names,
    package_name_problem,
    project_slug_problem,
    suggest_package_name,
    validate_project_name,
)
from toolkit.scaffold.source import is_builtin_name
from toolkit.scaffold.templates import DEFAULT_TEMPLATE, TemplateInfo, find_template


def template_variables(template: TemplateInfo) -> dict[str, Any]:
    """The template's ``cookiecutter.json`` (variables, their defaults or choice lists)."""
    loaded: dict[str, Any] = json.loads(
        (template.path / "cookiecutter.json").read_text(encoding="utf-8")
    )
    return loaded


def check_context(template: TemplateInfo, context: dict[str, str]) -> None:
    """Refuse unknown variables and values outside a choice list, naming the allowed ones."""
    variables = template_variables(template)
    public = [key for key in variables if not key.startswith("_")]
    for key, value in context.items():
        if key not in variables:
            raise UsageError(f"unknown template variable {key!r}; known: {', '.join(public)}")
        choices = variables[key]
        if isinstance(choices, list) and value not in choices:
            allowed = ", ".join(repr(choice) for choice in choices)
            raise UsageError(f"{key}={value!r} is not one of the choices: {allowed}")


def resolve_names(template: TemplateInfo, context: dict[str, str]) -> dict[str, str]:
    """Fill in slug and package from the project name (unless given) and validate them."""
    variables = template_variables(template)
    if not {"project_name", "project_slug", "package_name"} <= set(variables):
        return dict(context)
    project_name = context.get("project_name", str(variables["project_name"]))
    slug, package = validate_project_name(
        project_name, context.get("package_name"), slug=context.get("project_slug")
    )
    resolved = {"project_name": project_name, "project_slug": slug, "package_name": package}
    resolved.update(context)
    return resolved


# How the project installs compound-toolkit: filled in by `toolkit new` (see requirement.py), not
# asked; a public answer, so the receipt keeps it and `toolkit update` renders it unchanged.
REQUIREMENT_KEY = "toolkit_requirement"


def answer_problem(key: str, value: str, answers: dict[str, Any]) -> str | None:
    """Why the answer to one prompt cannot be used (checked right at that prompt), or ``None``."""
    if key == "project_name":
        slug = derive_names(value)[0]
        return None if slug else f"project_name={value!r}: {project_slug_problem(slug)}"
    if key == "project_slug":
        problem = project_slug_problem(value)
        return None if problem is None else f"project_slug={value!r} is not usable: {problem}"
    if key == "package_name":
        problem = package_name_problem(value)
        if problem is None:
            return None
        suggestion = suggest_package_name(value)
        return f"package_name={value!r} is not usable: {problem}; try {suggestion}"
    if key == "python_version":
        return python_problem(value)
    return None


def prompt_for_context(template: TemplateInfo, context: dict[str, str]) -> dict[str, str]:
    """Ask cookiecutter's prompts (``context`` values become the defaults); return the answers.

    Each name is checked at its own prompt and asked again until it is usable, so a bad name
    is never carried through the remaining prompts.
    """
    from cookiecutter.environment import StrictEnvironment
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import (
        prompt_choice_for_config,
        read_user_dict,
        read_user_variable,
        read_user_yes_no,
        render_variable,
    )

    from toolkit.scaffold.snapshot import template_import_path

    full = generate_context(str(template.path / "cookiecutter.json"), extra_context=context or None)
    variables = full["cookiecutter"]
    prompts = variables.pop("__prompts__", {})
    with template_import_path(template.path):  # the template's local_extensions
        env = StrictEnvironment(context=full)
    visible = [key for key in variables if not key.startswith("_") and key != REQUIREMENT_KEY]
    answers: dict[str, Any] = {}
    for key, raw in variables.items():
        if key.startswith("_"):
            answers[key] = render_variable(env, raw, answers) if key.startswith("__") else raw
            continue
        if key == REQUIREMENT_KEY and key in context:
            answers[key] = context[key]
            continue
        prefix = f"  [dim][{visible.index(key) + 1}/{len(visible)}][/] "
        while True:
            try:
                if isinstance(raw, list):
                    value = prompt_choice_for_config(answers, env, key, raw, False, prompts, prefix)
                elif isinstance(raw, bool):
                    value = read_user_yes_no(key, raw, prompts, prefix)
                elif isinstance(raw, dict):
                    value = read_user_dict(key, render_variable(env, raw, answers), prompts, prefix)
                else:
                    default = render_variable(env, raw, answers)
                    value = read_user_variable(key, default, prompts, prefix)
            except EOFError:
                raise UsageError(f"no answer for {key!r}: the input ended") from None
            problem = answer_problem(key, str(value), answers)
            if problem is None:
                break
            print(f"  {problem}", file=sys.stderr, flush=True)
        answers[key] = value
    return {key: str(value) for key, value in answers.items() if not key.startswith("_")}


def _is_nonempty_dir(path: Path) -> bool:
    return path.is_dir() and any(path.iterdir())


def _check_target(target: Path, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory without ``force``."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a directory; choose another project name")
    if _is_nonempty_dir(target) and not force:
        raise UsageError(f"{target} exists and is not empty; use --force to write into it")


def create_project(
    template: str = DEFAULT_TEMPLATE,
    output_dir: str | Path = ".",
    *,
    no_input: bool = False,
    context: dict[str, str] | None = None,
    force: bool = False,
    git: bool = False,
    check_python: bool = True,
) -> Path:
    """Render ``template`` under ``output_dir`` and return the new project's directory.

    ``context`` overrides template variables (``{"ml_framework": "PyTorch"}``). An existing
    non-empty project directory is refused unless ``force`` (files the template does not make
    are kept); ``git`` makes a first commit. The project records a receipt under ``.toolkit/``
    (template version, answers, the rendered files) for ``toolkit update``. The project depends
    on compound-toolkit the way it is installed here (see ``requirement.py``); ``check_python``
    refuses a ``python_version`` that this machine has no interpreter for.
    """
    import cookiecutter  # noqa: F401  first: without the [new] extra, the CLI names it

    from toolkit.scaffold.receipt import Receipt
    from toolkit.scaffold.requirement import installed_requirement
    from toolkit.scaffold.snapshot import public_answers, render_snapshot, template_context
    from toolkit.scaffold.source import resolve_source

    info = find_template(template)
    source = resolve_source(template if not is_builtin_name(template) else info.name)
    context = dict(context or {})
    check_context(info, context)
    variables = template_variables(info)
    output = Path(output_dir).expanduser()
    installed = installed_requirement()
    if REQUIREMENT_KEY in variables:
        context.setdefault(REQUIREMENT_KEY, installed.requirement)
    if not no_input:
        # Ask first (each name checked at its own prompt): a bad answer is refused before
        # anything is written.
        private = {key: value for key, value in context.items() if key.startswith("_")}
        context = {**prompt_for_context(info, context), **private}
    context = resolve_names(info, context)
    if check_python and "python_version" in variables:
        version = context.get("python_version", variables["python_version"])
        problem = python_problem(version[0] if isinstance(version, list) else version)
        if problem is not None:
            raise UsageError(problem)
    full_context = template_context(source.path, context)
    slug = str(full_context["cookiecutter"].get("project_slug", ""))
    if "project_slug" in full_context["cookiecutter"] and (
        not slug or Path(slug).name != slug or slug in {".", ".."}
    ):
        raise UsageError(f"project_slug={slug!r} must be a single directory name")
    snapshot, root_name = render_snapshot(source.path, full_context)
    target = output / root_name
    _check_target(target, force)
    target.mkdir(parents=True, exist_ok=True)
    snapshot.write_to(target)
    Receipt(source.to_dict(), public_answers(full_context), snapshot).write(target)
    if context.get(REQUIREMENT_KEY) == installed.requirement:
        installed.vendor(target)
    if git:
        initialise_git(target)
    return target


def initialise_git(project: Path) -> None:
    """``git init`` and a first commit (with a fallback identity when none is configured)."""
    if shutil.which("git") is None:
        raise ToolkitError(f"{project}: --git needs the git command, which is not installed")
    identity = ["-c", "user.name=compound-toolkit", "-c", "user.email=toolkit@localhost"]
    has_identity = (
        subprocess.run(["git", "config", "user.email"], cwd=project, capture_output=True).returncode
        == 0
    )
    commands = [
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", *([] if has_identity else identity), "commit", "-q", "-m", "Initial project"],
    ]
    for command in commands:
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        if result.returncode != 0:
            message = (result.stderr or result.stdout).strip().splitlines()
            raise ToolkitError(f"{project}: {' '.join(command[:2])} failed: {message[-1:]}")
