"""``toolkit nb``: strip outputs, check execution order and errors, install the git filter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    """Expand directories to the notebooks below them (skipping checkpoints)."""
    from toolkit.notebooks.strip import notebook_paths

    return [Path(path) for path in notebook_paths(paths)]


@click.group("nb")
def nb() -> None:
    """Notebook hygiene: strip outputs, check order and errors, git filter, merge driver."""


def strip_options(command: Callable[..., None]) -> Callable[..., None]:
    """The stripping options as click options, from the one table the hook and the git filter
    use too (:data:`toolkit.notebooks.strip.STRIP_OPTIONS`)."""
    from toolkit.notebooks.strip import STRIP_OPTIONS, option_dest

    for option in reversed(STRIP_OPTIONS):
        help_text = option.help[0].upper() + option.help[1:] + "."
        if option.kind == "keys":
            decorate = click.option(
                *option.flags, option_dest(option), multiple=True, metavar="KEYS", help=help_text
            )
        else:
            decorate = click.option(
                *option.flags, option_dest(option), is_flag=True, help=help_text
            )
        command = decorate(command)
    return command


@nb.command("strip")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report; exit 1 if anything would change.")
@strip_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def strip(
    ctx: click.Context, /, paths: tuple[Path, ...], check: bool, as_json: bool, **values: Any
) -> None:
    """Strip outputs, execution counts and volatile metadata from notebooks in place.

    Files that are already clean are not rewritten; a file that is not a valid notebook is
    reported and left untouched while the others are still processed. Exit 1 when anything
    changed (or would, with --check); 2 when a file was not a valid notebook. The options are the
    strip-notebook-outputs hook's, read the same way ('scratch debug' is two tags).
    A plain call (file names, --check, --json) skips click (toolkit.cli.launch): same output.
    """
    from toolkit.cli.nb_fast import report
    from toolkit.notebooks.strip import options_from, strip_files

    options = options_from(values)
    results = strip_files(_paths(paths), options, check=check)
    status = report(results, check=check, as_json=as_json, out=click.echo)
    if status:
        ctx.exit(status)


def _run_hook_check(
    ctx: click.Context, paths: tuple[Path, ...], module: str, extra: list[str]
) -> None:
    import importlib

    hook = importlib.import_module(f"toolkit.hooks.{module}")
    status = hook.main([*map(str, _paths(paths)), *extra])
    if status:
        ctx.exit(status)


@nb.command("check-order")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--allow-gaps", is_flag=True, help="Accept skipped execution counts.")
@click.option("--allow-unexecuted", is_flag=True, help="Accept code cells that were not run.")
@click.pass_context
def check_order(
    ctx: click.Context, paths: tuple[Path, ...], allow_gaps: bool, allow_unexecuted: bool
) -> None:
    """Fail when a notebook was not run top to bottom in one run, naming the cells."""
    extra = ["--allow-gaps"] * allow_gaps + ["--allow-unexecuted"] * allow_unexecuted
    _run_hook_check(ctx, paths, "order", extra)


@nb.command("check-errors")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def check_errors(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Fail when a notebook keeps error outputs, naming the cells."""
    _run_hook_check(ctx, paths, "errors", [])


@nb.command("install-filter")
@click.option(
    "--global",
    "is_global",
    is_flag=True,
    help="Every repository: global git config and global attributes file (core.attributesFile).",
)
@click.argument("repo", required=False, default=".", type=click.Path(path_type=Path))
@strip_options
def install_filter_command(repo: Path, is_global: bool, **values: Any) -> None:
    """Strip notebooks as a git clean filter: outputs stay in your files, not in commits.

    A notebook the filter cannot strip is not staged: `git add` stops and names it."""
    from toolkit.notebooks.git_filter import install_filter
    from toolkit.notebooks.strip import options_from

    scope = "global" if is_global else "local"
    attributes = install_filter(repo, scope=scope, options=options_from(values))
    click.echo(f"notebook filter installed; attributes in {attributes}")


@nb.command("uninstall-filter")
@click.option("--global", "is_global", is_flag=True, help="Remove the global git configuration.")
@click.argument("repo", required=False, default=".", type=click.Path(path_type=Path))
def uninstall_filter_command(repo: Path, is_global: bool) -> None:
    """Remove the notebook git filter."""
    from toolkit.notebooks.git_filter import uninstall_filter

    uninstall_filter(repo, scope="global" if is_global else "local")
    click.echo("notebook filter removed")


@nb.command("merge-driver")
@click.argument("base", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--outputs",
    type=click.Choice(["strip", "ours", "theirs"]),
    default="strip",
    show_default=True,
    help="Outputs of merged cells: none, our side's or their side's.",
)
@click.option("--path", "shown", default="", help="The file's path in the repository (git's %P).")
@click.pass_context
def merge_driver(
    ctx: click.Context, base: Path, ours: Path, theirs: Path, outputs: str, shown: str
) -> None:
    """Merge two versions of a notebook cell by cell into OURS (git's %O %A %B).

    Exit 0 when clean; 1 when conflicts were written inside cell sources (the notebook stays
    valid JSON) or a side is not a notebook (OURS is then left as it is).
    """
    from toolkit.cli.nb_fast import merge_message
    from toolkit.notebooks.merge import merge_files

    conflicts = merge_files(str(base), str(ours), str(theirs), outputs=outputs, name=shown)
    message = merge_message(conflicts, shown, str(ours))
    if message:
        click.echo(message, err=True)
        ctx.exit(1)


@nb.command("install-merge-driver")
@click.option("--global", "is_global", is_flag=True, help="Every repository (global config).")
@click.option(
    "--outputs",
    type=click.Choice(["strip", "ours", "theirs"]),
    default="strip",
    show_default=True,
    help="Outputs of merged cells.",
)
@click.argument("repo", required=False, default=".", type=click.Path(path_type=Path))
def install_merge_driver_command(repo: Path, is_global: bool, outputs: str) -> None:
    """Merge notebooks cell by cell on git merge/rebase/cherry-pick (git config + attributes)."""
    from toolkit.notebooks.merge import install_merge_driver

    attributes = install_merge_driver(
        repo, scope="global" if is_global else "local", outputs=outputs
    )
    click.echo(f"notebook merge driver installed; attributes in {attributes}")
