"""``toolkit snippet``: find, copy and keep in sync tested code pieces.

Example:
    $ toolkit snippet search "nms boxes"
    $ toolkit snippet add cv/nms --to src/myproj/
    $ toolkit snippet status
    $ toolkit snippet update --all
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from toolkit.cli._common import echo_json
from toolkit.errors import ToolkitError, UsageError

if TYPE_CHECKING:
    from toolkit.snippets.library import Library

_STATE_COLOURS = {
    "untouched": "green",
    "modified": "yellow",
    "outdated": "cyan",
    "both": "magenta",
    "diverged": "blue",
    "conflict": "red",
    "no-receipt": "red",
    "orphan": "white",
    "orphan-modified": "white",
}


def _scope(path: Path, what: str) -> Path:
    """``path`` when it lies in the current project (or below cwd); UsageError otherwise.

    Keeps ``status /`` or ``diff /`` from walking the whole file system.
    """
    from toolkit.snippets.receipts import find_project_root, inside

    cwd = Path.cwd()
    if inside(path, cwd) or inside(path, find_project_root(cwd)):
        return path
    raise UsageError(
        f"{what} {path}: outside this project ({find_project_root(cwd)}); "
        "cd into the project it belongs to and run it there"
    )


def _names(names: tuple[str, ...], option: str = "--name") -> set[str]:
    """Validated snippet names (UsageError, exit 2, for '../x' and friends)."""
    from toolkit.snippets.model import validate_name

    checked = set()
    for name in names:
        try:
            checked.add(validate_name(name))
        except UsageError as exc:
            raise UsageError(f"{option}: {exc}") from None
    return checked


def _report(errors: list[ToolkitError]) -> int:
    """Print each problem a scan skipped; return the worst exit code (0 for none)."""
    for problem in errors:
        click.echo(f"toolkit: error: {problem}", err=True)
    return max((problem.exit_code for problem in errors), default=0)


def _library(*, warn: bool = True) -> Library:
    """Load the library; malformed files are reported on stderr and skipped."""
    from toolkit.snippets.library import load_library

    library = load_library()
    if warn:
        for problem in library.malformed:
            click.echo(f"toolkit: warning: skipped malformed snippet {problem}", err=True)
    return library


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def snippet() -> None:
    """The snippet library: tested code pieces copied with provenance and kept in sync.

    Personal libraries: TOOLKIT_SNIPPET_PATH or snippet_paths in
    ~/.config/compound-toolkit/config.toml; they shadow built-in snippets of the same name.
    """


@snippet.command("list")
@click.option("--tag", "tags", multiple=True, help="Only snippets with this tag (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(tags: tuple[str, ...], as_json: bool) -> None:
    """List snippets (personal ones first in priority; shadowing is shown)."""
    library = _library()
    wanted = {t.lower() for t in tags}
    rows = [s for s in library if wanted <= set(s.tags)]
    if as_json:
        echo_json(
            [
                {
                    "name": s.name,
                    "version": s.version,
                    "summary": s.summary,
                    "tags": list(s.tags),
                    "requires": list(s.requires),
                    "origin": s.origin,
                    "path": str(s.path),
                    "shadows": list(s.shadows),
                }
                for s in rows
            ]
        )
        return
    if not rows:
        click.echo("no snippets" + (f" tagged {', '.join(sorted(wanted))}" if wanted else ""))
        return
    width = max(len(s.name) for s in rows)
    for s in rows:
        note = f"  [{s.origin}, shadows {len(s.shadows)} other]" if s.shadows else ""
        if s.origin != "built-in" and not s.shadows:
            note = f"  [{s.origin}]"
        tags_text = f"  ({', '.join(s.tags)})" if s.tags else ""
        click.echo(f"{s.name:<{width}}  v{s.version:<3} {s.summary}{tags_text}{note}")


@snippet.command()
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", default=10, show_default=True, help="Number of results.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def search(query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search names, tags, summaries and code (typo-tolerant, best first)."""
    from toolkit.snippets.library import default_roots
    from toolkit.snippets.search import index_for_roots

    index, malformed = index_for_roots(default_roots())
    for problem in malformed:
        click.echo(f"toolkit: warning: skipped malformed snippet {problem}", err=True)
    hits = index.search(" ".join(query), limit=limit)
    if as_json:
        echo_json([hit.__dict__ for hit in hits])
        return
    if not hits:
        click.echo(f"no snippet matches {' '.join(query)!r}; try `toolkit snippet list`")
        return
    width = max(len(h.name) for h in hits)
    for hit in hits:
        click.echo(f"{hit.name:<{width}}  {hit.summary}")


@snippet.command()
@click.argument("name")
@click.option("--plain", is_flag=True, help="No highlighting (for piping).")
def show(name: str, plain: bool) -> None:
    """Print a snippet with syntax highlighting."""
    found = _library().get(name)
    if plain or not sys.stdout.isatty() or importlib.util.find_spec("rich") is None:
        click.echo(found.source, nl=False)  # rich is an extra: the core install prints plain
        return
    from rich.console import Console
    from rich.syntax import Syntax

    console = Console()
    console.print(f"[bold]{found.name}[/] v{found.version}  [dim]{found.path}[/]")
    console.print(Syntax(found.source, "python", line_numbers=True, word_wrap=True))


@snippet.command()
@click.argument("name")
@click.option(
    "--to", "to", type=click.Path(path_type=Path), help="New file or directory (default: cwd)."
)
@click.option(
    "--into",
    "into",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Append as a block to this existing file.",
)
@click.option("--force", is_flag=True, help="Replace an existing file or block.")
def add(name: str, to: Path | None, into: Path | None, force: bool) -> None:
    """Copy snippet NAME into the project, stamped with name, version and hash."""
    from toolkit.snippets.insert import add_snippet, missing_requirements
    from toolkit.snippets.receipts import find_project_root

    found = _library().get(name)
    target = add_snippet(found, to=to, into=into, force=force)
    click.echo(f"added {found.name} v{found.version} -> {target}")
    if found.requires:
        click.echo(f"requires: {', '.join(found.requires)}")
        root = find_project_root(target)
        missing = missing_requirements(found, root)
        if missing:
            click.echo(
                f"warning: {root / 'pyproject.toml'} does not list {', '.join(missing)}; add "
                "it to [project] dependencies (unless another dependency brings it)",
                err=True,
            )


@snippet.command()
@click.argument("path", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--check", is_flag=True, help="Exit 1 unless every copy is untouched or diverged.")
@click.pass_context
def status(ctx: click.Context, path: Path, as_json: bool, check: bool) -> None:
    """Show every stamped copy under PATH: untouched, modified, outdated, both, diverged."""
    from toolkit.snippets.status import scan

    errors: list[ToolkitError] = []
    copies = scan(_scope(path, "status"), _library(), errors=errors)
    worst = _report(errors)
    if as_json:
        echo_json([c.as_dict() for c in copies])
    elif not copies:
        click.echo(f"no stamped snippets under {path}")
    else:
        for c in copies:
            where = c.where
            newer = ""
            if c.library is not None and c.library.version != c.block.version:
                newer = f" (library v{c.library.version})"
            came = f"  [from {c.came_from}]" if c.came_from else ""
            state = click.style(f"{c.state:<15}", fg=_STATE_COLOURS.get(c.state))
            click.echo(f"{state} {c.block.name} v{c.block.version}{newer}  {where}{came}")
    # A copy ahead of the library in use is what was promoted: not a problem of the copy.
    fine = {"untouched", "diverged", "ahead", "foreign"}
    if check and any(c.state not in fine for c in copies):
        worst = max(worst, 1)
    if worst:
        ctx.exit(worst)


def _copies_for(target: str, errors: list[ToolkitError]) -> list[Any]:
    from toolkit.snippets.receipts import find_project_root
    from toolkit.snippets.status import scan

    library = _library()
    path, line = _split_file_line(target)
    if path.exists():
        copies = scan(_scope(path, "diff"), library, errors=errors)
        if line is not None:
            copies = [c for c in copies if c.block.start + 1 == line]
            if not copies:
                raise UsageError(f"{target}: no stamped snippet starts at line {line}")
        return copies
    from toolkit.snippets.model import validate_name

    name = validate_name(target)
    root = find_project_root(Path.cwd())
    copies = [c for c in scan(root, library, errors=errors) if c.block.name == name]
    if not copies:
        library.get(name)  # unknown name -> "did you mean"
        raise UsageError(f"no stamped copy of {name!r} in this project")
    return copies


def _split_file_line(spec: str) -> tuple[Path, int | None]:
    """``FILE:LINE`` (as status prints it) -> (FILE, LINE); a plain path -> (path, None)."""
    match = re.match(r"^(.*):(\d+)$", spec)
    if match and not Path(spec).exists():
        return Path(match.group(1)), int(match.group(2))
    return Path(spec), None


@snippet.command()
@click.argument("target")
@click.pass_context
def diff(ctx: click.Context, target: str) -> None:
    """Three views for NAME, FILE or FILE:LINE: your edits, upstream changes, copy vs library."""
    from toolkit.snippets.diff import views_for

    errors: list[ToolkitError] = []
    for copy in _copies_for(target, errors):
        click.secho(f"== {copy.block.name} in {copy.where} [{copy.state}]", bold=True)
        for view in views_for(copy):
            click.secho(f"--- {view.title} ---", fg="cyan")
            click.echo(_colour_diff(view.diff) if view.diff else "(no differences)")
    worst = _report(errors)
    if worst:
        ctx.exit(worst)


def _colour_diff(text: str) -> str:
    out = []
    for line in text.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-") and not line.startswith("---"):
            out.append(click.style(line, fg="red"))
        else:
            out.append(line)
    return "\n".join(out)


@snippet.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, exists=True))
@click.option("--all", "all_", is_flag=True, help="Update every copy in the project.")
@click.option("--name", "names", multiple=True, help="Only these snippets (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def update(
    ctx: click.Context, file: Path | None, all_: bool, names: tuple[str, ...], as_json: bool
) -> None:
    """3-way merge library changes into copies; conflicts get markers and exit 1."""
    from toolkit.snippets.receipts import find_project_root
    from toolkit.snippets.update import update_path

    if file is not None and all_:
        raise UsageError("give a FILE or --all, not both")
    if file is None and not all_:
        raise UsageError("give a FILE to update, or --all for the whole project")
    wanted = _names(names) or None
    target = _scope(file, "update") if file is not None else find_project_root(Path.cwd())
    errors: list[ToolkitError] = []
    results = update_path(target, _library(), names=wanted, errors=errors)
    if as_json:
        echo_json([{**r.__dict__, "path": str(r.path)} for r in results])
    else:
        for r in results:
            if r.action == "current" and not file:
                continue
            colour = {"conflict": "red", "merged": "yellow", "updated": "green"}.get(r.action)
            detail = f" ({r.detail})" if r.detail else ""
            extra = f", {r.conflicts} conflict(s) marked" if r.conflicts else ""
            click.echo(f"{click.style(r.action, fg=colour)} {r.name} in {r.path}{detail}{extra}")
        if not any(r.action != "current" for r in results) and not errors:
            click.echo("everything is up to date")
    worst = _report(errors)
    if any(r.action == "conflict" for r in results):
        click.echo("resolve the <<<<<<< / >>>>>>> markers, then run status again", err=True)
        worst = max(worst, 1)
    if worst:
        ctx.exit(worst)


@snippet.command("mark-diverged")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--name", help="Only this snippet in FILE.")
@click.option("--undo", is_flag=True, help="Remove the mark.")
def mark_diverged(file: Path, name: str | None, undo: bool) -> None:
    """Mark a copy as intentionally diverged (status says so; update skips it)."""
    from toolkit.snippets.update import set_diverged

    if name is not None:
        (name,) = _names((name,))
    for marked in set_diverged(file, name=name, diverged=not undo):
        click.echo(f"{'unmarked' if undo else 'marked'} {marked} in {file} as diverged")


def _split_file_function(spec: str) -> tuple[Path, str | None]:
    match = re.match(r"^(.*):([A-Za-z_][A-Za-z0-9_]*)$", spec)
    if match and not Path(spec).exists():
        return Path(match.group(1)), match.group(2)
    return Path(spec), None


@snippet.command()
@click.argument("spec", metavar="FILE[:FUNCTION]")
@click.option("--name", required=True, help="Snippet name, e.g. utils/timer.")
@click.option("--summary", help="One-line summary (default: the function's docstring).")
@click.option("--tag", "tags", multiple=True, help="Tag (repeatable).")
@click.option("--to", "directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Replace an existing personal snippet.")
def new(
    spec: str,
    name: str,
    summary: str | None,
    tags: tuple[str, ...],
    directory: Path | None,
    force: bool,
) -> None:
    """Add FILE (or one FUNCTION of it, with its imports) to the personal library."""
    from toolkit.snippets.extract import undefined_names
    from toolkit.snippets.personal import new_snippet

    file, function = _split_file_function(spec)
    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    path = new_snippet(
        file,
        name,
        function=function,
        summary=summary,
        tags=list(tags),
        directory=directory,
        force=force,
    )
    click.echo(f"created {name} -> {path}")
    missing = undefined_names(path.read_text(encoding="utf-8"))
    if missing:
        click.echo(f"warning: {path}: uses undefined names: {', '.join(sorted(missing))}", err=True)


@snippet.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--name", help="The snippet FILE holds a copy of (default: the best match).")
def adopt(file: Path, name: str | None) -> None:
    """Stamp an unstamped copy of a library snippet in FILE, so status and update know it."""
    from toolkit.snippets.adopt import adopt as adopt_copy

    done = adopt_copy(file, _library(), name=name)
    click.echo(
        f"adopted {done.snippet} v{done.version}: {file}:{done.first_line}-{done.last_line} "
        "(differences from the library show as local edits)"
    )


@snippet.command()
@click.argument("spec", metavar="FILE[:LINE]")
@click.option("--name", help="Which snippet in FILE (when it holds several).")
@click.option("--to", "directory", type=click.Path(path_type=Path, file_okay=False))
def promote(spec: str, name: str | None, directory: Path | None) -> None:
    """Turn a locally improved copy into a new version in the personal library.

    With two copies in one FILE, pick one by the line status prints: FILE:LINE.
    """
    from toolkit.snippets.personal import promote as promote_copy

    file, line = _split_file_line(spec)
    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    if name is not None:
        (name,) = _names((name,))
    path, version = promote_copy(file, _library(), name=name, line=line, directory=directory)
    click.echo(f"promoted to v{version} -> {path}")


@snippet.command()
@click.argument("notebook", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--prefix", default="harvested", show_default=True, help="Topic for unnamed cells.")
@click.option("--dry-run", is_flag=True, help="Report what would be written.")
@click.option("--force", is_flag=True, help="Replace existing personal snippets.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def harvest(
    notebook: Path,
    directory: Path | None,
    prefix: str,
    dry_run: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Turn cells tagged `snippet` or starting `# snippet: name` into snippets."""
    from toolkit.snippets.harvest import harvest as run_harvest

    planned = run_harvest(
        notebook, directory=directory, prefix=prefix, force=force, dry_run=dry_run
    )
    if as_json:
        echo_json(
            [
                {
                    "name": p.candidate.name,
                    "cell": p.candidate.cell_index + 1,
                    "path": str(p.path),
                    "version": p.version,
                    "action": p.action,
                    "undefined": sorted(p.candidate.undefined),
                    "taken": p.candidate.taken,
                    "written": not dry_run and p.action != "same",
                }
                for p in planned
            ]
        )
        return
    if not planned:
        click.echo(f"{notebook}: no cells tagged 'snippet' or starting with '# snippet: name'")
    for plan in planned:
        candidate = plan.candidate
        where = f"{candidate.name} v{plan.version} (cell {candidate.cell_index + 1}) -> {plan.path}"
        if plan.action == "same":
            click.echo(f"unchanged {where}")
            continue
        verb = "would write" if dry_run else "wrote"
        click.echo(f"{verb} {where}")
        for name, cell in sorted(candidate.taken.items()):
            click.echo(f"  took {name} from cell {cell}")
        if candidate.undefined:
            names = ", ".join(sorted(candidate.undefined))
            click.echo(f"  warning: uses names nothing defines: {names}", err=True)
