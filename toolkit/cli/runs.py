"""``toolkit runs``: list, show, compare and audit the recorded experiment runs.

Example:
    $ toolkit runs list --where 'params.lr>=0.01' --sort val_accuracy
    $ toolkit runs compare --last 3 --html comparison.html
    $ toolkit runs audit
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from toolkit.cli._common import echo_json
from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.runs.store import RunRecord, RunStore, StoreContents


@click.group()
@click.option(
    "--dir",
    "root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The run store (default: $TOOLKIT_RUNS_DIR, else runs/ in the project).",
)
@click.pass_context
def runs(ctx: click.Context, root: Path | None) -> None:
    """Experiment runs recorded with toolkit.runs.start(): list, compare, audit, export."""
    ctx.obj = root


def _store(ctx: click.Context) -> RunStore:
    from toolkit.runs.store import RunStore

    return RunStore(ctx.obj)


def _load(store: RunStore) -> StoreContents:
    """All readable runs; damaged run folders are reported on stderr by id."""
    contents = store.load()
    for run_id, reason in contents.damaged.items():
        click.echo(f"toolkit: warning: run {run_id}: unreadable, skipped ({reason})", err=True)
    return contents


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table (wide characters count double, as terminals draw them)."""
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    widths = [max(width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _run_row(run: RunRecord) -> dict[str, Any]:
    from toolkit.runs.comparison import format_time

    summary = run.summary()
    return {
        "id": run.id,
        "name": run.name,
        "status": run.status,
        "started": format_time(run.started),
        "metrics": {m: e["last"] for m, e in summary.items()},
        "nonfinite": {m: e["nonfinite"] for m, e in summary.items() if e.get("nonfinite")},
        "params": run.params,
        "problems": list(run.problems),
    }


@runs.command("list")
@click.option(
    "--where", "where", multiple=True, help="Filter, e.g. 'params.lr>=0.01' (repeatable)."
)
@click.option("--sort", "sort", default=None, help="Sort by a metric or field (best first).")
@click.option("--asc/--desc", "ascending", default=None, help="Override the sort direction.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most N runs.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_runs(
    ctx: click.Context,
    where: tuple[str, ...],
    sort: str | None,
    ascending: bool | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List runs (oldest first, or best first with --sort METRIC)."""
    from toolkit.runs.query import parse_filter, select, sort_runs

    filters = [parse_filter(w) for w in where]
    contents = _load(_store(ctx))
    chosen = sort_runs(
        select(contents.runs, filters),
        sort,
        descending=None if ascending is None else not ascending,
    )
    if limit is not None:
        chosen = chosen[:limit]
    rows = [_run_row(r) for r in chosen]
    if as_json:
        echo_json({"runs": rows, "damaged": contents.damaged})
        return
    if not rows:
        click.echo(f"no runs in {_store(ctx).root}" + (" match" if filters else ""))
        return
    metrics: list[str] = [sort.split(".", 1)[-1]] if sort and not sort.startswith("params.") else []
    for row in rows:
        metrics.extend(m for m in row["metrics"] if m not in metrics)
    metrics = metrics[:6]
    table = []
    for row in rows:
        cells = [row["id"], row["name"], row["status"], row["started"]]
        for m in metrics:
            text = _fmt(row["metrics"].get(m))
            if m in row["nonfinite"]:
                text += f" (!{row['nonfinite'][m]} nan/inf)"
            cells.append(text)
        table.append(cells)
    click.echo(_table(["id", "name", "status", "started", *metrics], table))
    for row in rows:
        for problem in row["problems"]:
            click.echo(f"toolkit: warning: run {row['id']}: {problem}", err=True)


@runs.command("show")
@click.argument("run_key", metavar="RUN")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def show(ctx: click.Context, run_key: str, as_json: bool) -> None:
    """Everything recorded about one RUN (an id, a unique id prefix, or a name: its latest run)."""
    from toolkit.runs.comparison import format_time

    store = _store(ctx)
    run = store.find(run_key, _load(store).runs)
    summary = run.summary()
    if as_json:
        echo_json(
            {
                **run.meta,
                "status": run.status,
                "error": run.error,
                "summary": summary,
                "problems": run.problems,
            }
        )
        return
    meta = run.meta
    git = meta.get("git") or {}
    lines = [
        f"run {run.id}  ({run.name})",
        f"status    {run.status}" + (f": {run.error}" if run.error else ""),
        f"started   {format_time(meta.get('started'))}   ended {format_time(meta.get('ended'))}",
        f"host      {meta.get('host')}  pid {meta.get('pid')}  python {meta.get('python')}",
        f"command   {' '.join(meta.get('command') or [])}",
        "git       "
        + (
            (f"{git['commit']} on {git.get('branch')}" if git.get("commit") else "no commit yet")
            + (f", uncommitted changes {git.get('diff_hash')}" if git.get("dirty") else ", clean")
            if git
            else "not recorded"
        ),
        f"seed      {_fmt(meta.get('seed'))}",
        "packages  " + ", ".join(f"{k} {v}" for k, v in (meta.get("packages") or {}).items()),
    ]
    for path, d in (meta.get("data") or {}).items():
        lines.append(
            f"data      {path}: {d.get('size'):,} bytes, {d.get('method')} {d.get('hash')}"
        )
    for a in meta.get("artifacts") or []:
        lines.append(f"artifact  {a.get('path')} ({a.get('size'):,} bytes)")
    click.echo("\n".join(lines))
    if run.params:
        from toolkit.runs.comparison import flatten

        click.echo(
            "\n"
            + _table(["param", "value"], [[k, _fmt(v)] for k, v in flatten(run.params).items()])
        )
    if summary:
        rows = [
            [
                m,
                _fmt(e["last"]),
                _fmt(e["step"]),
                _fmt(e["min"]),
                _fmt(e["max"]),
                str(e["count"]),
                f"! {e['nonfinite']}" if e["nonfinite"] else "",
            ]
            for m, e in summary.items()
        ]
        click.echo(
            "\n" + _table(["metric", "last", "step", "min", "max", "points", "nan/inf"], rows)
        )
    for e in meta.get("evaluations") or []:
        click.echo(
            f"evaluated on {e.get('test_set')!r}: {e.get('metric')} = {_fmt(e.get('score'))} "
            f"({e.get('n')} rows)"
        )
    for problem in run.problems:
        click.echo(f"toolkit: warning: run {run.id}: {problem}", err=True)


def _chosen(ctx: click.Context, keys: tuple[str, ...], last: int | None) -> list[RunRecord]:
    store = _store(ctx)
    all_runs = _load(store).runs
    if keys and last is not None:
        raise UsageError("compare: give RUN ids or --last N, not both")
    if last is not None:
        return all_runs[-last:]
    if not keys:
        raise UsageError("compare: name the runs to compare, or use --last N")
    return [store.find(k, all_runs) for k in keys]


@runs.command("compare")
@click.argument("run_keys", metavar="RUN...", nargs=-1)
@click.option("--last", type=click.IntRange(min=1), default=None, help="The N most recent runs.")
@click.option("--metric", "metrics", multiple=True, help="Metric(s) to draw (default: all curves).")
@click.option(
    "--html",
    "html",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write a self-contained HTML comparison report.",
)
@click.option(
    "--plot",
    "plot",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Save the overlaid metric-vs-step curves (.png, .svg, .pdf).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def compare_cmd(
    ctx: click.Context,
    run_keys: tuple[str, ...],
    last: int | None,
    metrics: tuple[str, ...],
    html: Path | None,
    plot: Path | None,
    as_json: bool,
) -> None:
    """Compare runs: the parameters that differ, metrics side by side, curves overlaid."""
    from toolkit.runs.comparison import compare

    comparison = compare(_chosen(ctx, run_keys, last))
    if html is not None:
        comparison.to_html(html)
    if plot is not None:
        from toolkit.plotting import save_figure

        suffix = plot.suffix.lower().lstrip(".") or "png"
        save_figure(comparison.plot(list(metrics) or None), plot, formats=(suffix,))
    if as_json:
        echo_json(comparison.to_dict())
        return
    header = ["", *comparison.labels]
    if len(comparison.runs) == 1:  # nothing to compare with yet: show the run as it is
        click.echo(f"one run ({comparison.runs[0].id}): nothing to compare it with yet")
        if comparison.constant:
            rows = [[k, _fmt(v)] for k, v in comparison.constant.items()]
            click.echo(_table(["param", comparison.labels[0]], rows))
    elif comparison.differing:
        click.echo(
            _table(["param", *header[1:]], [[k, *map(_fmt, v)] for k, v in comparison.param_rows()])
        )
    else:
        click.echo("all parameters are equal")
    if comparison.constant and len(comparison.runs) > 1:
        click.echo(f"({len(comparison.constant)} parameter(s) equal in every run not shown)")
    rows = []
    for metric, values, flags, best in comparison.metric_rows():
        cells = []
        for i, (value, flag) in enumerate(zip(values, flags, strict=True)):
            text = _fmt(value) + (" *" if i == best else "")
            cells.append(text + (f" (!{flag} nan/inf)" if flag else ""))
        rows.append([metric, *cells])
    if rows:
        title = "metric (last; * best)" if len(comparison.runs) > 1 else "metric (last)"
        click.echo("\n" + _table([title, *header[1:]], rows))
    for path, what in ((html, "report"), (plot, "curves")):
        if path is not None:
            click.echo(f"{what}: {path}", err=True)


@runs.command("audit")
@click.option("--test-set", "test_set", default=None, help="Audit only this test set.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def audit_cmd(ctx: click.Context, test_set: str | None, as_json: bool) -> None:
    """The test-set guard: variants tried per test set, selection luck, suspicious jumps.

    Exit code 1 when something is flagged.
    """
    from toolkit.runs.guard import audit

    report = audit(_load(_store(ctx)).runs, test_set=test_set)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(str(report))
    if report.flagged:
        ctx.exit(1)


@runs.command("export")
@click.argument("run_keys", metavar="[RUN...]", nargs=-1)
@click.option(
    "--mlflow", "tracking_uri", required=True, help="MLflow tracking URI, e.g. sqlite:///mlflow.db."
)
@click.option("--experiment", default="toolkit-runs", show_default=True, help="MLflow experiment.")
@click.option(
    "--last", type=click.IntRange(min=1), default=None, help="Only the N most recent runs."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def export_cmd(
    ctx: click.Context,
    run_keys: tuple[str, ...],
    tracking_uri: str,
    experiment: str,
    last: int | None,
    as_json: bool,
) -> None:
    """Write runs (default: all) into an MLflow store, so `mlflow ui` shows them."""
    from toolkit.runs.mlflow_io import export_mlflow

    chosen = _chosen(ctx, run_keys, last) if run_keys or last else _load(_store(ctx)).runs
    result = export_mlflow(chosen, tracking_uri, experiment=experiment)
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(
        f"exported {len(result.copied)} run(s) to {tracking_uri} (experiment {experiment!r})"
        + (f"; {len(result.skipped)} already there" if result.skipped else "")
    )


@runs.command("import")
@click.option(
    "--mlflow", "tracking_uri", required=True, help="MLflow tracking URI, e.g. sqlite:///mlflow.db."
)
@click.option("--experiment", default=None, help="Only this MLflow experiment (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def import_cmd(
    ctx: click.Context, tracking_uri: str, experiment: str | None, as_json: bool
) -> None:
    """Copy runs from an MLflow store into this project's runs/ (new ones only)."""
    from toolkit.runs.mlflow_io import import_mlflow

    result = import_mlflow(tracking_uri, experiment=experiment, root=_store(ctx).root)
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(
        f"imported {len(result.copied)} run(s) from {tracking_uri}"
        + (f"; {len(result.skipped)} already here" if result.skipped else "")
    )
