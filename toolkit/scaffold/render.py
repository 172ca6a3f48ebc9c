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
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError, UsageError
from toolkit.scaffold.names import validate_project_name
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
    slug, package = validate_project_name(project_name, context.get("package_name"))
    resolved = {"project_name": project_name, "project_slug": slug, "package_name": package}
    resolved.update(context)
    return resolved


def prompt_for_context(template: TemplateInfo, context: dict[str, str]) -> dict[str, str]:
    """Ask cookiecutter's prompts (``context`` values become the defaults); return the answers."""
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import prompt_for_config

    full = generate_context(str(template.path / "cookiecutter.json"), extra_context=context or None)
    answers = prompt_for_config(full, no_input=False)
    return {key: str(value) for key, value in answers.items() if not key.startswith("_")}


def _is_nonempty_dir(path: Path) -> bool:
    return path.is_dir() and any(path.iterdir())


def _check_target(target: Path, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory without ``force``."""
    if target.exists() and not target.is_dir():
        raise ToolkitError(f"{target} exists and is not a directory; choose another project name")
    if _is_nonempty_dir(target) and not force:
        raise ToolkitError(f"{target} exists and is not empty; use --force to write into it")


def create_project(
    template: str = DEFAULT_TEMPLATE,
    output_dir: str | Path = ".",
    *,
    no_input: bool = False,
    context: dict[str, str] | None = None,
    force: bool = False,
    git: bool = False,
) -> Path:
    """Render ``template`` under ``output_dir`` and return the new project's directory.

    ``context`` overrides template variables (``{"ml_framework": "PyTorch"}``). An existing
    non-empty project directory is refused unless ``force`` (files the template does not make
    are kept); ``git`` makes a first commit. The project records a receipt under ``.toolkit/``
    (template version, answers, the rendered files) for ``toolkit update``.
    """
    import cookiecutter  # noqa: F401  first: without the [new] extra, the CLI names it

    from toolkit.scaffold.receipt import Receipt
    from toolkit.scaffold.snapshot import public_answers, render_snapshot, template_context
    from toolkit.scaffold.source import resolve_source

    info = find_template(template)
    source = resolve_source(template if not is_builtin_name(template) else info.name)
    context = dict(context or {})
    check_context(info, context)
    output = Path(output_dir).expanduser()
    if not no_input:
        # Ask first, then check the answers: a bad name is refused before anything is written.
        context = prompt_for_context(info, context)
    context = resolve_names(info, context)
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
