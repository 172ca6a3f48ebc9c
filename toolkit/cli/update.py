"""``toolkit update``: merge a newer template version into a project made from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.cli._common import echo_json
from toolkit.cli.new import parse_assignments

_SYMBOLS = {
    "add": "A",
    "update": "U",
    "merge": "M",
    "delete": "D",
    "rename": "R",
    "conflict": "C",
}


def _print_result(result: Any, dry_run: bool, check: bool) -> None:
    plan = result.plan
    if result.up_to_date:
        click.echo(f"{result.project}: up to date with template {result.to_version}")
        return
    if check:
        click.echo(
            f"{result.project}: behind its template ({result.behind}): "
            f"{result.from_version} -> {result.to_version}; {len(plan.changes)} file(s) would "
            f"change, {len(plan.conflicts)} conflict(s); run `toolkit update`"
        )
    else:
        verb = "would update" if dry_run else "updated"
        click.echo(f"{result.project}: {verb} {result.from_version} -> {result.to_version}")
    for change in plan.changes:
        symbol = "C" if change.conflict else _SYMBOLS.get(change.kind, "?")
        moved = f"{change.old_path} -> " if change.old_path else ""
        click.echo(f"  {symbol} {moved}{change.path}  ({change.message})")
    if not plan.changes:
        click.echo("  (no file changes)")
    if plan.conflicts and not dry_run and not check:
        click.echo(
            f"{len(plan.conflicts)} conflict(s): resolve the marked regions "
            "(<<<<<<< yours ... >>>>>>> template), then commit",
            err=True,
        )


@click.command("update")
@click.argument("args", nargs=-1, metavar="[PATH] [KEY=VALUE]...")
@click.option("--to", "to", metavar="VERSION", help="Template dir, DIR@GIT-REF, or a git ref.")
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--check", is_flag=True, help="Exit 1 when the project is behind its template.")
@click.option(
    "--adopt",
    "adopt_template",
    metavar="TEMPLATE",
    is_flag=False,
    flag_value="ml-project",
    default=None,
    help="Give a project made by plain cookiecutter a receipt (its answers as KEY=VALUE).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def update(
    ctx: click.Context,
    args: tuple[str, ...],
    to: str | None,
    dry_run: bool,
    check: bool,
    adopt_template: str | None,
    as_json: bool,
) -> None:
    """Merge the newer template version into the project at PATH (default: .).

    Your edits are kept: files changed on both sides are 3-way merged, and what cannot be
    merged is marked inline (<<<<<<< yours / ||||||| base / ======= / >>>>>>> template) and
    reported, exit 1. Renamed template files take your edits along. No .rej files.
    Uncommitted changes, a damaged receipt or a bad answer: nothing written, exit 2. A file
    saved by another program during the update is not overwritten.

    \b
    Examples:
      toolkit update --dry-run
      toolkit update --check              # CI: exit 1 when behind
      toolkit update package_name=churn_v2
      toolkit update --to ../ml-template@v2
      toolkit update --adopt ml-project project_name="Churn model"
    """
    from toolkit.scaffold.update import adopt_project, check_project, update_project

    path = Path(".")
    if args and "=" not in args[0]:
        path, args = Path(args[0]), args[1:]
    answers = parse_assignments(args)
    if adopt_template is not None:
        receipt, differing = adopt_project(path, adopt_template, answers, to=to)
        if as_json:
            echo_json(
                {
                    "adopted": str(path.resolve()),
                    "template": receipt.template,
                    "differs_from_template": differing,
                }
            )
        else:
            click.echo(
                f"adopted {path} as {receipt.template['name']} {receipt.template['version']}; "
                f"{len(differing)} file(s) differ from the template and count as your edits"
            )
        return
    if check:
        result = check_project(path, to=to)
    else:
        result = update_project(path, to=to, answers=answers, dry_run=dry_run)
    if as_json:
        echo_json(result.to_dict())
    else:
        _print_result(result, dry_run, check)
    if (check and not result.up_to_date) or (result.plan.conflicts and not dry_run):
        ctx.exit(1)
