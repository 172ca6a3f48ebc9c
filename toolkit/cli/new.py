"""``toolkit new``: create a project from a template (cookiecutter underneath)."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli._common import echo_json
from toolkit.errors import UsageError


def parse_assignments(assignments: tuple[str, ...]) -> dict[str, str]:
    """``("ml_framework=PyTorch",)`` -> ``{"ml_framework": "PyTorch"}``."""
    context = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"expected key=value, got {item!r}")
        context[key.strip()] = value
    return context


@click.command("new")
@click.argument("template", required=False, default="ml-project")
@click.argument("assignments", nargs=-1, metavar="[KEY=VALUE]...")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory in which the project directory is created.",
)
@click.option("--no-input", is_flag=True, help="Do not prompt; use defaults and KEY=VALUE.")
@click.option("--force", is_flag=True, help="Write into an existing non-empty project directory.")
@click.option("--git", "init_git", is_flag=True, help="git init and make a first commit.")
@click.option("--list", "list_only", is_flag=True, help="List the available templates.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def new(
    template: str,
    assignments: tuple[str, ...],
    output_dir: Path,
    no_input: bool,
    force: bool,
    init_git: bool,
    list_only: bool,
    as_json: bool,
) -> None:
    """Create a project from TEMPLATE (default: ml-project).

    \b
    Examples:
      toolkit new --no-input project_name="Churn model"
      toolkit new ml-project ml_framework=PyTorch ci="GitLab CI" -o ~/work --git
      toolkit new --list
    """
    from toolkit.scaffold import create_project, list_templates

    if list_only:
        templates = list_templates()
        if as_json:
            echo_json([t.to_dict() for t in templates])
        else:
            for info in templates:
                click.echo(f"{info.name:<16} {info.description}")
        return
    # A first argument like key=value is an assignment, not a template name.
    if "=" in template:
        assignments, template = (template, *assignments), "ml-project"
    project = create_project(
        template,
        output_dir,
        no_input=no_input,
        context=parse_assignments(assignments),
        force=force,
        git=init_git,
    )
    if as_json:
        echo_json({"project": str(project.resolve()), "template": template, "git": init_git})
    else:
        click.echo(f"created {project} from template {template!r}")
        click.echo(f"next: cd {project} && make test")
