"""``toolkit report``: notebooks in, results-only HTML (or Markdown) reports out.

Example:
    $ toolkit report notebooks/01-baseline.ipynb --execute -p n_estimators=200 -o reports
    $ toolkit report notebooks/*.ipynb --execute -o reports   # plus reports/index.html
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import click

from toolkit.cli._common import echo_json, is_interactive


@click.command("report")
@click.argument("notebooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the reports (default: next to each notebook).",
)
@click.option("--execute", is_flag=True, help="Run the notebook first (ipykernel of this Python).")
@click.option(
    "-p",
    "--parameter",
    "parameters",
    multiple=True,
    metavar="NAME=VALUE",
    help="Injected after the cell tagged `parameters` (needs --execute). VALUE is a Python "
    "literal when it parses as one, else a string. Repeatable.",
)
@click.option(
    "--allow-undeclared",
    is_flag=True,
    help="Inject -p names that the `parameters` cell does not assign (default: exit 2 naming "
    "them, since a misspelt name would silently run with the default).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "markdown"]),
    default="html",
    show_default=True,
    help="html: one self-contained file; markdown: .md plus a <name>_files/ folder of figures.",
)
@click.option(
    "--show-code", is_flag=True, help="Show all code (default: only cells tagged show-code)."
)
@click.option(
    "--timeout",
    type=float,
    default=600,
    show_default=True,
    help="Seconds one cell may run before it is interrupted (0: no limit).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no per-report lines.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def report(
    ctx: click.Context,
    notebooks: tuple[Path, ...],
    output_dir: Path | None,
    execute: bool,
    parameters: tuple[str, ...],
    allow_undeclared: bool,
    fmt: str,
    show_code: bool,
    timeout: float,
    quiet: bool,
    as_json: bool,
) -> None:
    """Turn NOTEBOOK... into results-only reports: code hidden, outputs and figures kept.

    Each report gets a header (notebook, parameters, date, duration, git commit, Python and
    package versions) and a table of contents. Cell tags: show-code, hide-output, hide-cell.
    An index.html linking the reports goes to -o DIR (or beside several notebooks); reports
    already listed there stay listed. A cell running past --timeout has its kernel killed.
    Exit 1 when a cell fails (the report still shows the error); exit 2 for bad input or
    usage: a file that is not a notebook, an undeclared -p name, a stripped notebook without
    --execute, --execute on a notebook of another language (R, Julia).
    """
    from toolkit.errors import InvalidNotebookError, ToolkitError, UsageError
    from toolkit.notebooks.reporting import check_parameters, parse_parameter, report, write_index
    from toolkit.notebooks.reporting.running import ReportTerminated

    params = dict(parse_parameter(p) for p in parameters)
    if params and not execute:
        raise UsageError(
            "-p/--parameter needs --execute: parameters only act when the notebook runs"
        )
    _refuse_name_clashes(notebooks, output_dir)
    for path in notebooks:  # every -p name checked before any notebook runs
        with contextlib.suppress(InvalidNotebookError):  # reported in the loop below
            check_parameters(path, params, allow_undeclared=allow_undeclared)
    results = []
    problems: list[dict[str, Any]] = []
    with _progress(len(notebooks), is_interactive(quiet) and not as_json) as advance:
        for path in notebooks:
            advance(path.name)
            try:
                res = report(
                    path,
                    output_dir,
                    execute=execute,
                    parameters=params,
                    fmt=fmt,
                    show_code=show_code,
                    timeout=timeout,
                    allow_undeclared=allow_undeclared,
                )
            except (UsageError, ReportTerminated):
                raise  # a bad call, or told to stop: nothing else runs
            except ToolkitError as exc:
                problems.append(
                    {"notebook": str(path), "error": str(exc), "exit_code": exc.exit_code}
                )
                click.echo(f"toolkit: error: {exc}", err=True)
                continue
            for warning in res.warnings:
                click.echo(f"toolkit: warning: {warning}", err=True)
            results.append(res)
            if res.failed:
                click.echo(f"{path}: failed at {res.failures[0].describe()}", err=True)
    index = None
    # An index is the entry point for a set of reports: always in -o DIR; without -o only for
    # several notebooks, beside them (their common folder).
    if results and fmt == "html" and (output_dir is not None or len(notebooks) > 1):
        where = output_dir or Path(os.path.commonpath([p.resolve().parent for p in notebooks]))
        index, warnings = write_index(results, where)
        for warning in warnings:
            click.echo(f"toolkit: warning: {warning}", err=True)
    if as_json:
        echo_json(
            {
                "reports": [r.to_dict() for r in results],
                "invalid": problems,
                "index": str(index) if index else None,
            }
        )
    elif not quiet:
        for res in results:
            mark = "FAILED" if res.failed else "ok"
            click.echo(f"{mark:6} {res.output}  ({res.duration:.1f} s)")
        if index:
            click.echo(f"index  {index}")
    if problems or any(r.failed for r in results):
        ctx.exit(max([1, *(p["exit_code"] for p in problems)]))


def _refuse_name_clashes(notebooks: tuple[Path, ...], output_dir: Path | None) -> None:
    """Two notebooks whose reports land on the same file: refuse before running anything."""
    from toolkit.errors import UsageError

    seen: dict[Path, Path] = {}
    for path in notebooks:
        target = (output_dir or path.parent).resolve() / path.stem
        if target in seen and seen[target].resolve() != path.resolve():
            raise UsageError(
                f"{seen[target]} and {path} would both be reported as {target.name}.html in "
                f"{target.parent}: report them into different -o directories"
            )
        seen[target] = path


class _progress:
    """A rich progress bar over notebooks when interactive; a no-op otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self._bar: Any = None
        self._task: Any = None
        self._started = False

    def __enter__(self) -> Any:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]report[/] {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=self.total)
        return self._advance

    def _advance(self, name: str) -> None:
        if self._bar is None:
            return
        if self._started:
            self._bar.advance(self._task)
        self._started = True
        self._bar.update(self._task, description=name)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)
            self._bar.stop()
