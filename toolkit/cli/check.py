"""``toolkit check``: data checks from the command line.

Example:
    $ toolkit check data train.csv --test test.csv --target label --html report.html
    $ toolkit check data 'lake/train/*.parquet' --test lake/test --target label --engine duckdb
    $ toolkit check data --table db.train --test-table db.test --target label --engine spark
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from toolkit.checks.sources import ENGINES  # stdlib only at import: `toolkit --help` stays light
from toolkit.errors import ToolkitError, UsageError


@click.group()
def check() -> None:
    """Data checks: leakage, drift, label issues and the data health report."""


@check.command("data")
@click.argument("train", required=False)
@click.option("--test", "test", help="Test/validation split: a file, folder or glob.")
@click.option("--target", required=True, help="Target (label) column.")
@click.option("--group", help="Group/ID column that must not be shared by train and test.")
@click.option("--time", "time_col", help="Time column: test must come after train.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="Where the checks run: in memory (pandas, polars), DuckDB (larger than memory), "
    "Spark. auto: polars when the data fits comfortably in memory, else DuckDB.",
)
@click.option("--sql", help="Train split as a SQL query (--engine spark or duckdb).")
@click.option("--test-sql", help="Test split as a SQL query.")
@click.option("--table", help="Train split as a table name, e.g. db.train (--engine spark).")
@click.option("--test-table", help="Test split as a table name.")
@click.option(
    "--spark-master", help="Spark master URL (default local[2]), e.g. spark://host:7077, yarn."
)
@click.option(
    "--duckdb-memory",
    help="DuckDB's memory limit before it spills to disk, e.g. 8GB (default: a quarter of the "
    "available memory, at most 3 GiB).",
)
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
    train: str | None,
    test: str | None,
    target: str,
    group: str | None,
    time_col: str | None,
    engine: str,
    sql: str | None,
    test_sql: str | None,
    table: str | None,
    test_table: str | None,
    spark_master: str | None,
    duckdb_memory: str | None,
    html_out: Path | None,
    as_json: bool,
    json_out: Path | None,
    encoding: str | None,
    quiet: bool,
) -> None:
    """Data health report for TRAIN (and --test): leakage, drift, labels, quality.

    TRAIN and --test are Parquet/CSV/TSV files, folders of them (hive-partitioned key=value
    folders become columns) or globs ('data/*.parquet'); or give the splits as --sql/--table
    (and --test-sql/--test-table). Exits 1 when any high-severity finding exists, so it can
    gate CI.
    """
    from toolkit.checks.sources import open_sources

    train_name, train_spec = _split("TRAIN", train, "--sql", sql, "--table", table)
    test_name, test_spec = _split(
        "--test", test, "--test-sql", test_sql, "--test-table", test_table
    )
    if train_spec is None:
        raise UsageError("give TRAIN (a file, folder or glob), --sql or --table")
    for option, out in (("--html", html_out), ("--json-out", json_out)):
        _check_output(option, out)
    with open_sources(
        train_spec,
        test_spec,
        target=target,
        engine=engine,
        encoding=encoding,
        spark_master=spark_master,
        duckdb_memory=duckdb_memory,
        names=(train_name, test_name),
    ) as sources:
        for note in sources.notes:  # the engine picked, the encoding used, columns as text/hex
            click.echo(f"note: {note}", err=True)
        report = _run(sources, target, group, time_col, show=not as_json and not quiet)
    # How each split was read (its engine, encoding, columns read as text/hex): JSON and page.
    report.meta["input"] = {
        split: {"source": s.description, "engine": s.engine, **s.input}
        for split, s in (("train", sources.train), ("test", sources.test))
        if s is not None
    }
    result = report.to_dict()
    # The engine is in meta["input"]; meta["engine"] is the report's own (its engine path).
    result["meta"].update({"train_file": train, "test_file": test})
    for option, out in (("--html", html_out), ("--json-out", json_out)):
        _make_folder(option, out)
    if html_out is not None:
        report.to_html(html_out)
    if json_out is not None:
        from toolkit._io import atomic_write_text
        from toolkit.cli._common import dumps_json

        atomic_write_text(json_out, dumps_json(result) + "\n")
    if as_json:
        from toolkit.cli._common import dumps_json

        click.echo(dumps_json(result))
    else:
        click.echo(str(report))
        if html_out is not None:
            click.echo(f"report: {html_out}")
    if report.has_high:
        ctx.exit(1)


def _split(
    argument: str,
    path: str | None,
    sql_option: str,
    sql: str | None,
    table_option: str,
    table: str | None,
) -> tuple[str, Any]:
    """How one split was given -- (its option, its spec: a path, SQL or a table) -- or
    (``argument``, None); two ways at once is a usage error."""
    from toolkit.checks.sources import CatalogTable, SqlQuery

    given = [(o, v) for o, v in ((argument, path), (sql_option, sql), (table_option, table)) if v]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(o for o, _ in given)}: give the split one way only")
    if not given:
        return argument, None
    option, value = given[0]
    if option == sql_option:
        return option, SqlQuery(value)
    return option, CatalogTable(value) if option == table_option else value


def _run(sources: Any, target: str, group: str | None, time_col: str | None, show: bool) -> Any:
    """The health report on the opened sources, with a progress line per engine pass."""
    from toolkit.checks.report import health_report
    from toolkit.cli._common import is_interactive

    train = sources.train.frame
    test = sources.test.frame if sources.test is not None else None

    def run(progress: Any = None) -> Any:
        return health_report(
            train, test, target=target, group=group, time=time_col, progress=progress
        )

    try:
        return _run_with_progress(run, show and is_interactive())
    except MemoryError:  # in memory, not a bug: say which engine holds less
        raise ToolkitError(
            f"out of memory running the checks on {sources.train.engine}; use --engine duckdb "
            "(it scans the files and spills to disk)"
        ) from None
    except Exception as exc:
        if not _is_duckdb_out_of_memory(exc):
            raise
        # DuckDB hit its memory limit in a pass that cannot spill enough: a resource limit,
        # not a bug; its own first line says how much it held.
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ToolkitError(
            f"DuckDB ran out of memory ({first}); raise its limit with --duckdb-memory SIZE "
            "(e.g. 8GB) or free memory"
        ) from None


def _is_duckdb_out_of_memory(exc: BaseException) -> bool:
    """DuckDB's OutOfMemoryException, without importing duckdb when another engine ran."""
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(exc, duckdb.OutOfMemoryException)


def _run_with_progress(run: Any, show: bool) -> Any:
    if not show:
        return run()
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(  # on stderr: stdout holds the report (or --json)
        SpinnerColumn(),
        TextColumn("{task.description:<28}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        current: list[Any] = []

        def advance(step: str) -> None:
            if current:  # the pass before is done
                bar.update(current[-1], completed=1)
            current.append(bar.add_task(step, total=1))

        report = run(advance)
        if current:
            bar.update(current[-1], completed=1)
    return report


def _check_output(option: str, path: Path | None) -> None:
    """Refuse an output path that cannot work before any work starts (in a second, one line),
    without creating anything: nothing is written for bad input."""
    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder; give a file name")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"{option} {path}: cannot create its folder ({parent} is a file)")


def _make_folder(option: str, path: Path | None) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot create its folder ({exc.strerror})") from None
