"""``toolkit reuse``: find the work you repeat across projects and notebooks.

Example:
    $ toolkit reuse scan ~/work/churn ~/work/fraud --html reuse.html
    $ toolkit reuse scan . --history --json > reuse.json
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli._common import echo_json, is_interactive
from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.reuse.history import MonthFigures
    from toolkit.reuse.index import Cache
    from toolkit.reuse.scanner import ScanReport
    from toolkit.reuse.sources import Discovery


@click.group()
def reuse() -> None:
    """Clone classes across your projects and notebooks, linked to the snippet library."""


@reuse.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--min-lines",
    type=click.IntRange(min=2),
    default=6,
    show_default=True,
    help="Shortest clone reported, in lines of code.",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write a self-contained HTML report here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON on stdout.")
@click.option(
    "--history",
    is_flag=True,
    help="Also compute the figures month by month over each repository's git history.",
)
@click.option(
    "--months",
    type=click.IntRange(min=1),
    default=24,
    show_default=True,
    help="With --history: how many months back.",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Classes listed in the terminal summary.",
)
@click.option("--no-cache", is_flag=True, help="Read and normalise every file again.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def scan(
    paths: tuple[Path, ...],
    min_lines: int,
    html_out: Path | None,
    as_json: bool,
    history: bool,
    months: int,
    top: int,
    no_cache: bool,
    quiet: bool,
) -> None:
    """Index PATHS (.py files and notebook code cells), find clone classes, count the reuse.

    The scan only reads. Virtualenvs, build output and git-ignored files are skipped; files it
    cannot read are counted with the reason.
    """
    from toolkit.reuse.index import Cache, default_cache_path
    from toolkit.reuse.report import as_json as report_json
    from toolkit.reuse.report import print_summary, to_html
    from toolkit.reuse.scanner import scan as run_scan
    from toolkit.reuse.sources import discover

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"PATH {missing[0]}: no such file or directory")
    if html_out is not None and html_out.is_dir():
        raise UsageError(f"--html {html_out}: is a directory; give a file name")
    cache_path = None if no_cache else default_cache_path()
    found = discover(list(paths))
    report = _with_progress(
        found,
        quiet or as_json,
        lambda progress: run_scan(
            list(paths), min_lines=min_lines, cache_path=cache_path, progress=progress, found=found
        ),
    )
    points: list[MonthFigures] = []
    if history:
        points = _history(paths, min_lines, months, Cache(cache_path))
    if as_json:
        payload = report_json(report)
        if history:
            payload["history"] = [p.__dict__ for p in points]
        echo_json(payload, compact=True)  # thousands of classes: indented, it is slow and huge
    else:
        print_summary(report, top=top)
        for p in points:
            click.echo(
                f"  {p.month} {p.commit}: {p.library_lines} from the library, "
                f"{p.repeated_lines} repeated"
            )
    if html_out is not None:
        from toolkit._io import atomic_write_text

        png = _history_png(points) if points else None
        atomic_write_text(html_out, to_html(report, list(paths), history_png=png))
        if not as_json:
            click.echo(f"wrote {html_out}")


def _with_progress(
    found: Discovery, quiet: bool, work: Callable[[Callable[[int], None] | None], ScanReport]
) -> ScanReport:
    if not is_interactive(quiet):
        return work(None)
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("indexing", total=len(found.files))
        return work(lambda n: bar.advance(task, n))


def _history(
    paths: tuple[Path, ...], min_lines: int, months: int, cache: Cache
) -> list[MonthFigures]:
    from toolkit.reuse.history import history
    from toolkit.reuse.index import build_index
    from toolkit.reuse.provenance import library_units
    from toolkit.reuse.sources import Discovery
    from toolkit.snippets.library import load_library

    lib_files, _ = library_units(load_library())
    lib = build_index(Discovery(files=lib_files), cache).units
    points: list[MonthFigures] = []
    for path in paths:
        if path.is_dir():
            points += history(path.resolve(), lib, cache, min_lines=min_lines, months=months)
    cache.save()
    return points


def _history_png(points: list[MonthFigures]) -> str:
    from toolkit.reuse.history import plot_history

    ax = plot_history(points)
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode()
