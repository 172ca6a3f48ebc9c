"""Comparing runs: the parameters that differ, the metrics side by side, curves overlaid.

Parameters are compared flattened (``{"opt": {"lr": 0.1}}`` is ``opt.lr``); a parameter missing
from some runs counts as differing. Metrics show each run's last value, with the best run
marked by the metric's direction (losses and errors down, the rest up) and runs that logged
NaN/inf flagged. Curves use :func:`toolkit.plotting.training_curves`, one colour per run.

Example:
    >>> import tempfile
    >>> from toolkit.runs.recording import start
    >>> from toolkit.runs.store import RunStore
    >>> root = tempfile.mkdtemp()
    >>> for lr in (0.1, 0.01):
    ...     with start("sweep", params={"lr": lr, "epochs": 3}, root=root, git=False) as run:
    ...         run.log("loss", lr)
    >>> compare(RunStore(root).load().runs).differing
    ['lr']
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit._io import atomic_write_text
from toolkit._metrics import lower_is_better
from toolkit.errors import UsageError
from toolkit.runs.store import RunRecord

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

MAX_CURVE_RUNS = 12  # beyond this an overlay is unreadable; the report says which were drawn


def flatten(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as one level with dotted keys.

    Example:
        >>> flatten({"opt": {"lr": 0.1, "betas": [0.9, 0.99]}, "seed": 1})
        {'opt.lr': 0.1, 'opt.betas': [0.9, 0.99], 'seed': 1}
    """
    out: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def labels(runs: Sequence[RunRecord]) -> list[str]:
    """Short, unique labels: the run name, with the id's random tail where names repeat."""
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.name] = counts.get(run.name, 0) + 1
    return [f"{r.name} ({r.id[-6:]})" if counts[r.name] > 1 else r.name for r in runs]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class Comparison:
    """What ``toolkit runs compare`` shows; :meth:`to_dict` is its ``--json`` form."""

    runs: list[RunRecord]
    labels: list[str]
    params: list[dict[str, Any]]
    differing: list[str]
    constant: dict[str, Any]
    summaries: list[dict[str, dict[str, Any]]]
    metrics: list[str]

    def best(self, metric: str) -> int | None:
        """Index of the run with the best last value of ``metric`` (None for a single run, or
        when none is finite or all are equal)."""
        if len(self.runs) < 2:
            return None  # one run: nothing to be better than
        values = [s.get(metric, {}).get("last") for s in self.summaries]
        finite = [(v, i) for i, v in enumerate(values) if _is_number(v)]
        if not finite or (len(finite) > 1 and len({v for v, _ in finite}) == 1):
            return None  # nothing to choose between: no best to mark
        return (min(finite) if lower_is_better(metric) else max(finite))[1]

    def param_rows(self) -> list[tuple[str, list[Any]]]:
        """``(parameter, value per run)`` for every parameter that differs."""
        return [(key, [p.get(key, "—") for p in self.params]) for key in self.differing]

    def metric_rows(self) -> list[tuple[str, list[Any], list[int], int | None]]:
        """``(metric, last value per run, non-finite count per run, best run index)``."""
        rows = []
        for metric in self.metrics:
            entries = [s.get(metric) for s in self.summaries]
            values = [e["last"] if e else None for e in entries]
            flags = [int(e.get("nonfinite", 0)) if e else 0 for e in entries]
            rows.append((metric, values, flags, self.best(metric)))
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (``--json``)."""
        return {
            "runs": [
                {"id": r.id, "name": r.name, "label": label, "status": r.status}
                for r, label in zip(self.runs, self.labels, strict=True)
            ],
            "differing_params": {
                key: dict(zip(self.labels, values, strict=True))
                for key, values in self.param_rows()
            },
            "constant_params": self.constant,
            "metrics": {
                metric: {
                    "last": dict(zip(self.labels, values, strict=True)),
                    "nonfinite": dict(zip(self.labels, flags, strict=True)),
                    "best": self.labels[best] if best is not None else None,
                }
                for metric, values, flags, best in self.metric_rows()
            },
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per run (indexed by label): the parameters that differ (every parameter
        when there is one run) and each metric's last value; how a notebook shows it.

        Example:
            >>> import tempfile
            >>> from toolkit.runs.recording import start
            >>> from toolkit.runs.store import RunStore
            >>> root = tempfile.mkdtemp()
            >>> for c in (1.0, 0.1):
            ...     with start("fit", params={"C": c, "seed": 0}, root=root, git=False) as run:
            ...         run.log("accuracy", 0.9 + c / 100)
            >>> compare(RunStore(root).load().runs).to_frame().columns.tolist()
            ['C', 'accuracy']
        """
        import pandas as pd

        keys = self.differing if len(self.runs) > 1 else list(self.constant)
        both = set(keys) & set(self.metrics)  # a name used twice gets its kind as a prefix
        rows = []
        for params, summary in zip(self.params, self.summaries, strict=True):
            row = {(f"params.{k}" if k in both else k): params.get(k) for k in keys}
            for metric in self.metrics:
                column = f"metrics.{metric}" if metric in both else metric
                row[column] = summary.get(metric, {}).get("last")
            rows.append(row)
        return pd.DataFrame(rows, index=pd.Index(self.labels, name="run"))

    def curve_metrics(self) -> list[str]:
        """Metrics logged at more than one step in some run: the ones worth drawing as curves."""
        return [
            m for m in self.metrics if any(s.get(m, {}).get("count", 0) > 1 for s in self.summaries)
        ]

    def histories(self, metrics: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
        """Per run (by label) a frame with ``step`` and one column per metric (NaN where a
        metric was not logged at a step) -- the input of ``toolkit.plotting.training_curves``."""
        import pandas as pd

        wanted = list(metrics) if metrics is not None else self.curve_metrics()
        out = {}
        for run, label in zip(self.runs[:MAX_CURVE_RUNS], self.labels, strict=False):
            by_metric: dict[str, dict[int, float]] = {m: {} for m in wanted}
            for point in run.points():
                if point.metric in by_metric:
                    by_metric[point.metric][point.step] = point.value
            frame = pd.DataFrame(by_metric).sort_index()
            frame.index.name = "step"
            out[label] = frame.reset_index()
        return out

    def plot(self, metrics: Sequence[str] | None = None, *, smoothing: float = 0.0) -> Figure:
        """Metric-vs-step curves of the runs overlaid (the first ``MAX_CURVE_RUNS``)."""
        from toolkit.plotting import training_curves

        wanted = list(metrics) if metrics is not None else self.curve_metrics()
        if not wanted:
            raise UsageError("compare: no metric was logged at more than one step; nothing to plot")
        unknown = [m for m in wanted if m not in self.metrics]
        if unknown:
            raise UsageError(
                f"--metric {unknown[0]!r}: not logged by these runs ({', '.join(self.metrics)})"
            )
        histories = {
            label: frame.replace([math.inf, -math.inf], math.nan)
            for label, frame in self.histories(wanted).items()
        }
        return training_curves(histories, metrics=wanted, x="step", smoothing=smoothing)

    def to_html(self, path: str | Path | None = None, *, title: str | None = None) -> str:
        """The self-contained HTML comparison report (figures inline); written to ``path``."""
        from toolkit.runs.report import comparison_html

        page = comparison_html(self, title=title)
        if path is not None:
            atomic_write_text(path, page)
        return page


def compare(runs: Sequence[RunRecord]) -> Comparison:
    """Compare ``runs`` (in the given order)."""
    runs = list(runs)
    if not runs:
        raise UsageError("compare: no runs to compare (see `toolkit runs list`)")
    params = [flatten(r.params) for r in runs]
    keys: list[str] = []
    seen: set[str] = set()
    for p in params:
        for key in p:
            if key not in seen:
                seen.add(key)
                keys.append(key)
    missing = object()
    differing, constant = [], {}
    for key in keys:
        first = params[0].get(key, missing)
        if len(runs) > 1 and any(p.get(key, missing) != first for p in params[1:]):
            differing.append(key)
        else:
            constant[key] = first
    summaries = [r.summary() for r in runs]
    metrics: list[str] = []
    for summary in summaries:
        metrics.extend(m for m in summary if m not in metrics)
    return Comparison(runs, labels(runs), params, differing, constant, summaries, metrics)


def format_time(seconds: float | None) -> str:
    """A timestamp as local ``YYYY-mm-dd HH:MM:SS`` (``—`` when unknown)."""
    if not isinstance(seconds, (int, float)):
        return "—"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def figure_svg(figure: Figure) -> str:
    """A matplotlib figure as inline SVG text (closed afterwards, so pyplot does not keep it)."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.find("<svg") :]
