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
import logging
import shutil
import subprocess
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError, UsageError
from toolkit.scaffold.names import validate_project_name
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
    if "project_name" not in variables:
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
    non-empty project directory is refused unless ``force``; ``git`` makes a first commit.
    """
    from cookiecutter.exceptions import (
        CookiecutterException,
        FailedHookException,
        OutputDirExistsException,
    )
    from cookiecutter.main import cookiecutter

    info = find_template(template)
    context = dict(context or {})
    check_context(info, context)
    output = Path(output_dir).expanduser()
    overwrite = force
    if not no_input:
        # Ask first, then check the answers, then render without input: a bad name is refused
        # before cookiecutter creates anything, the same as with --no-input.
        context = prompt_for_context(info, context)
        no_input = True
    if no_input or "project_name" in context:
        context = resolve_names(info, context)
        target = output / context.get("project_slug", "")
        if _is_nonempty_dir(target) and not force:
            raise ToolkitError(f"{target} exists and is not empty; use --force to write into it")
        overwrite = force or target.is_dir()
    output.mkdir(parents=True, exist_ok=True)
    # cookiecutter logs a traceback for a failing hook; the hook's own message and ours suffice.
    logging.getLogger("cookiecutter").setLevel(logging.CRITICAL)
    try:
        project = Path(
            cookiecutter(
                str(info.path),
                no_input=no_input,
                extra_context=context,
                output_dir=str(output),
                overwrite_if_exists=overwrite,
            )
        )
    except OutputDirExistsException as exc:
        raise ToolkitError(f"{exc}; use --force to write into it") from None
    except FailedHookException as exc:
        raise UsageError(f"template {info.name!r} refused the input: {exc}") from None
    except CookiecutterException as exc:
        raise ToolkitError(f"template {info.name!r}: {exc}") from None
    if git:
        initialise_git(project)
    return project


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
