"""``toolkit check``: data checks from the command line.

Example:
    $ toolkit check data train.csv --test test.csv --target label --html report.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.errors import UsageError


@click.group()
def check() -> None:
    """Data checks: leakage, drift, label issues and the data health report."""


@check.command("data")
@click.argument("train", type=click.Path(path_type=Path))
@click.option("--test", "test", type=click.Path(path_type=Path), help="Test/validation split.")
@click.option("--target", required=True, help="Target (label) column.")
@click.option("--group", help="Group/ID column that must not be shared by train and test.")
@click.option("--time", "time_col", help="Time column: test must come after train.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write the HTML report.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@click.option("--json-out", type=click.Path(path_type=Path), help="Also write the JSON result.")
@click.option(
    "--encoding", help="Encoding of CSV/TSV files (default: UTF-8, else detected and named)."
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def data(
    ctx: click.Context,
    train: Path,
    test: Path | None,
    target: str,
    group: str | None,
    time_col: str | None,
    html_out: Path | None,
    as_json: bool,
    json_out: Path | None,
    encoding: str | None,
    quiet: bool,
) -> None:
    """Data health report for TRAIN (and --test): leakage, drift, labels, quality.

    Exits 1 when any high-severity finding exists, so it can gate CI.
    """
    from toolkit._io import atomic_write_text
    from toolkit.checks.report import STEPS, health_report
    from toolkit.cli._common import dumps_json, is_interactive

    for option, out in (("--html", html_out), ("--json-out", json_out)):
        _prepare_output(option, out)
    from toolkit.reading import read_table

    reads = {"train": read_table(train, "TRAIN", encoding=encoding)}
    if test is not None:
        reads["test"] = read_table(test, "--test", encoding=encoding)
    for read in reads.values():
        for note in read.notes:  # the encoding used and any column read as text/hex
            click.echo(f"note: {note}", err=True)
    train_df = reads["train"].frame
    test_df = reads["test"].frame if test is not None else None
    if target not in train_df.columns:
        raise UsageError(f"--target {target!r}: no such column in {train}")
    for option, column in (("--group", group), ("--time", time_col)):
        if column is not None and column not in train_df.columns:
            raise UsageError(f"{option} {column!r}: no such column in {train}")

    def run(progress: Any = None) -> Any:
        return health_report(
            train_df, test_df, target=target, group=group, time=time_col, progress=progress
        )

    if is_interactive(quiet) and not as_json:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("checking", total=len(STEPS))

            def advance(step: str) -> None:
                bar.update(task, advance=1, description=step)

            report = run(advance)
    else:
        report = run()
    # How each file was read (its encoding, columns read as text/hex): in the JSON and the page.
    report.meta["input"] = {
        split: {"file": str(r.path), "encoding": r.encoding, "notes": r.notes}
        for split, r in reads.items()
    }
    result = report.to_dict()
    result["meta"].update({"train_file": str(train), "test_file": str(test) if test else None})
    if html_out is not None:
        report.to_html(html_out)
    if json_out is not None:
        atomic_write_text(json_out, dumps_json(result) + "\n")
    if as_json:
        click.echo(dumps_json(result))
    else:
        click.echo(str(report))
        if html_out is not None:
            click.echo(f"report: {html_out}")
    if report.has_high:
        ctx.exit(1)


def _prepare_output(option: str, path: Path | None) -> None:
    """Create the output's folder before the work starts, so a bad path fails in a second
    with one line instead of after the whole report."""
    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot create its folder ({exc.strerror})") from None
