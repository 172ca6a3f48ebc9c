"""The HTML comparison report: run metadata in the header, then parameters, metrics, curves.

One self-contained file (figures are inline SVG, no external files or scripts), rendered with
Jinja2 through :func:`toolkit._html.render` from ``html_templates/runs_compare.html.j2``.

Example:
    >>> import tempfile
    >>> from toolkit.runs.recording import start
    >>> from toolkit.runs.store import RunStore
    >>> from toolkit.runs.comparison import compare
    >>> root = tempfile.mkdtemp()
    >>> with start("a<b>", params={"lr": 1}, root=root, git=False) as run:
    ...     run.log("acc", 0.5)
    >>> page = comparison_html(compare(RunStore(root).load().runs))
    >>> "a&lt;b&gt;" in page and "<script" not in page
    True
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from toolkit._html import render
from toolkit.runs.comparison import MAX_CURVE_RUNS, figure_svg, format_time

if TYPE_CHECKING:
    from toolkit.runs.comparison import Comparison
    from toolkit.runs.store import RunRecord


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _header(run: RunRecord, label: str) -> dict[str, Any]:
    meta = run.meta
    git = meta.get("git") or {}
    commit = (git.get("commit") or "")[:10] or "no commit yet"
    if git.get("dirty"):
        commit += f" + uncommitted changes ({(git.get('diff_hash') or '')[:8]})"
    data = meta.get("data") or {}
    return {
        "label": label,
        "id": run.id,
        "status": run.status,
        "error": run.error,
        "started": format_time(meta.get("started")),
        "duration": f"{meta['duration_s']:.1f} s" if meta.get("duration_s") is not None else "—",
        "commit": commit if git else "not a git work tree",
        "host": meta.get("host", "—"),
        "python": meta.get("python", "—"),
        "packages": ", ".join(f"{k} {v}" for k, v in (meta.get("packages") or {}).items()),
        "seed": meta.get("seed") if meta.get("seed") is not None else "—",
        "data": [f"{path}: {d.get('method')} {d.get('hash', '')[:12]}" for path, d in data.items()],
    }


def comparison_html(comparison: Comparison, *, title: str | None = None) -> str:
    """The report page as text."""
    runs = comparison.runs
    metric_rows = []
    for metric, values, flags, best in comparison.metric_rows():
        cells = []
        for i, (value, flag) in enumerate(zip(values, flags, strict=True)):
            text = "—" if value is None else _cell(value)
            if flag:
                text += f" ({flag} NaN/inf logged)"
            cells.append({"text": text, "best": i == best, "flag": bool(flag)})
        metric_rows.append({"name": metric, "cells": cells})
    figures = []
    if comparison.curve_metrics():
        figure = comparison.plot()
        caption = "Metric against step, one colour per run."
        if len(runs) > MAX_CURVE_RUNS:
            caption += f" The first {MAX_CURVE_RUNS} of {len(runs)} runs are drawn."
        figures.append({"svg": figure_svg(figure), "caption": caption})
    evaluations = [
        {
            "label": label,
            "test_set": e.get("test_set"),
            "metric": e.get("metric"),
            "score": _cell(e.get("score")),
            "n": e.get("n"),
        }
        for run, label in zip(runs, comparison.labels, strict=True)
        for e in run.meta.get("evaluations") or []
    ]
    return render(
        "runs_compare.html.j2",
        title=title or f"Comparison of {len(runs)} run{'s' if len(runs) != 1 else ''}",
        generated=format_time(time.time()),
        labels=comparison.labels,
        header=[_header(r, label) for r, label in zip(runs, comparison.labels, strict=True)],
        params=[
            {"name": k, "cells": [_cell(v) for v in vals]} for k, vals in comparison.param_rows()
        ],
        constant=[{"name": k, "value": _cell(v)} for k, v in comparison.constant.items()],
        metrics=metric_rows,
        figures=figures,
        evaluations=evaluations,
    )
