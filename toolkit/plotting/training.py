"""Training figures: metric curves from logs, learning-rate schedules, run comparisons."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit._metrics import lower_is_better
from toolkit.errors import UsageError
from toolkit.plotting._cjk import draws
from toolkit.plotting._reduce import lttb
from toolkit.plotting._validate import as_frame, as_numeric, get_ax, is_frame, new_figure, note

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_VAL_PREFIXES = ("val", "valid", "eval", "test")
_STEP_COLUMNS = ("step", "global_step", "iteration", "iter", "epoch")


def ema(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing: exponential moving average with debiasing of the first steps.

    >>> ema(np.array([1.0, 1.0, 1.0]), 0.9).tolist()
    [1.0, 1.0, 1.0]
    """
    if not 0 <= weight < 1:
        raise UsageError(f"smoothing: must be in [0, 1), got {weight}")
    if weight == 0:
        return values.copy()
    from scipy.signal import lfilter

    # y[t] = w*y[t-1] + (1-w)*x[t], then divide by (1 - w^(t+1)) as TensorBoard does.
    smoothed = lfilter([1 - weight], [1, -weight], values)
    debias = 1 - weight ** np.arange(1, values.size + 1)
    return np.asarray(smoothed / debias)


def _to_frame(history: Any, name: str) -> pd.DataFrame:
    import pandas as pd

    if isinstance(history, (str, Path)):
        path = Path(history)
        if not path.is_file():
            raise UsageError(f"{name}: no such CSV file: {path}")
        return pd.read_csv(path)
    if is_frame(history):
        return as_frame(history, name)
    if hasattr(history, "history") and isinstance(history.history, Mapping):  # Keras History
        history = history.history
    if isinstance(history, Mapping):
        lengths = {len(v) for v in history.values()}
        if len(lengths) > 1:  # metrics logged at different rates: align on the index
            return pd.DataFrame({k: pd.Series(list(v)) for k, v in history.items()})
        return pd.DataFrame({k: list(v) for k, v in history.items()})
    raise UsageError(
        f"{name}: expected a dict of lists, a DataFrame, a CSV path or a list of those; "
        f"got {type(history).__name__}"
    )


def _runs(history: Any) -> dict[str, pd.DataFrame]:

    if isinstance(history, (list, tuple)):
        return {f"run {i}": _to_frame(h, f"history[{i}]") for i, h in enumerate(history)}
    if (
        isinstance(history, Mapping)
        and history
        and all(isinstance(v, (Mapping, str, Path)) or is_frame(v) for v in history.values())
    ):
        return {str(k): _to_frame(v, f"history[{k!r}]") for k, v in history.items()}
    return {"": _to_frame(history, "history")}


def _group(metric: str) -> str:
    for prefix in ("val_", "valid_", "validation_", "test_", "train_", "eval_"):
        if metric.startswith(prefix):
            return metric[len(prefix) :]
    for sep in ("/", "."):
        if sep in metric:
            return metric.split(sep, 1)[1]
    return metric


@draws
def training_curves(
    history: Any,
    *,
    metrics: Sequence[str] | None = None,
    x: str | None = None,
    smoothing: float = 0.0,
    log: bool = False,
    mark_best: bool = True,
    max_points: int = 2000,
    ax: Axes | None = None,
) -> Figure:
    """Metric curves, one panel per metric (``loss`` and ``val_loss`` share a panel).

    ``history`` is a Keras-style dict of lists, a pandas/polars DataFrame, a CSV path, or a list
    / dict of those for several runs. ``smoothing`` is TensorBoard's EMA weight (raw values stay
    visible, faint); curves longer than ``max_points`` are downsampled with LTTB (after
    smoothing, keeping spikes) and the figure says so. The best value of each validation metric
    (min for losses/errors, max otherwise) is marked. NaN entries count as "not logged at this
    step" and are skipped (the figure says how many); inf raises ``ValueError``.

    >>> fig = training_curves({"loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.7, 0.8]})
    >>> fig.axes[0].get_title()
    'loss'
    """
    runs = _runs(history)
    first = next(iter(runs.values()))
    xcol = x
    if xcol is None:
        xcol = next((c for c in _STEP_COLUMNS if c in first.columns), None)
    elif xcol not in first.columns:
        raise UsageError(f"x: column {xcol!r} not in history (columns: {list(first.columns)})")
    import pandas as pd

    # Without metrics=, plot every numeric column (logs often carry timestamps or run names).
    wanted = (
        list(metrics)
        if metrics is not None
        else [
            str(c)
            for c in first.columns
            if c != xcol and c not in _STEP_COLUMNS and pd.api.types.is_numeric_dtype(first[c])
        ]
    )
    if not wanted:
        raise UsageError("history: has no metric columns to plot")
    groups: dict[str, list[str]] = {}
    for m in wanted:
        groups.setdefault(_group(m), []).append(m)
    if ax is not None and len(groups) > 1:
        raise UsageError(f"ax: history has {len(groups)} metric panels; pass metrics= for one")
    if ax is None:
        ncols = min(len(groups), 3)
        nrows = math.ceil(len(groups) / ncols)
        fig = new_figure((4.5 * ncols, 3.4 * nrows))
        axes = list(np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel())
        for extra in axes[len(groups) :]:
            extra.set_visible(False)
    else:
        axes = [get_ax(ax)]
        fig = ax.figure  # type: ignore[assignment]
    downsampled, skipped = 0, 0
    color_index = 0
    for panel, (group, members) in zip(axes, groups.items(), strict=False):
        for run_index, (run_name, frame) in enumerate(runs.items()):
            for metric in members:
                if metric not in frame.columns:
                    raise UsageError(f"metrics: {metric!r} not in history {run_name!r}".strip())
                label = f"{run_name} {metric}".strip() if len(runs) > 1 else metric
                y_all = as_numeric(frame[metric], f"history[{metric!r}]", allow_nan=True)
                if np.isinf(y_all).any():
                    raise UsageError(f"history[{metric!r}]: contains inf; the run diverged?")
                steps = (
                    as_numeric(frame[xcol], f"history[{xcol!r}]", allow_nan=True)
                    if xcol
                    else np.arange(y_all.size, dtype=float)
                )
                keep = np.isfinite(y_all) & np.isfinite(steps)
                skipped += int((~np.isfinite(y_all)).sum())
                ys, xs = y_all[keep], steps[keep]
                if ys.size == 0:
                    continue
                # Several runs: one colour per run, validation dashed; one run: colour per metric.
                color = f"C{(run_index if len(runs) > 1 else color_index) % 10}"
                color_index += 1
                dashed = len(runs) > 1 and metric.startswith(_VAL_PREFIXES) and len(members) > 1
                smooth = ema(ys, smoothing) if smoothing else ys
                idx = lttb(xs, smooth, max_points)
                if idx.size < xs.size:
                    downsampled = max(downsampled, xs.size)
                if smoothing:
                    raw_idx = lttb(xs, ys, max_points)
                    panel.plot(xs[raw_idx], ys[raw_idx], color=color, alpha=0.25, linewidth=0.8)
                panel.plot(
                    xs[idx],
                    smooth[idx],
                    color=color,
                    label=label,
                    gid=f"curve-{label}",
                    linestyle="--" if dashed else "-",
                )
                is_val = len(members) == 1 or metric.startswith(_VAL_PREFIXES)
                if mark_best and is_val:
                    best = int(np.argmin(ys) if lower_is_better(metric) else np.argmax(ys))
                    panel.plot(xs[best], ys[best], "*", color=color, markersize=11, zorder=5)
                    panel.annotate(
                        f"best {ys[best]:.4g} @ {xs[best]:g}",
                        (xs[best], ys[best]),
                        xytext=(4, 6),
                        textcoords="offset points",
                        fontsize="x-small",
                        color=color,
                    )
        panel.set_title(group)
        panel.set_xlabel(xcol or "step")
        if log:
            panel.set_yscale("log")
        panel.legend(fontsize="x-small", loc="best")
    parts = []
    if downsampled:
        parts.append(f"{downsampled:,} steps downsampled to {max_points:,} points (LTTB)")
    if smoothing:
        parts.append(f"EMA smoothing {smoothing}")
    if skipped:
        parts.append(f"{skipped:,} NaN entries skipped")
    if parts:
        note(axes[0], "; ".join(parts))
    return fig


@draws
def lr_schedule(
    lrs: Sequence[float] | np.ndarray | Callable[[int], float],
    *,
    steps: int | None = None,
    log: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Learning rate against step, from a sequence of values or a function ``step -> lr``
    (``steps`` then gives how many). The peak and the end of warm-up are marked.

    >>> ax = lr_schedule(lambda s: 0.1 * 0.9 ** s, steps=50)
    >>> ax.get_yscale()
    'log'
    """
    if callable(lrs):
        if steps is None or steps < 1:
            raise UsageError("steps: pass a positive number of steps with a schedule function")
        values = as_numeric([lrs(s) for s in range(steps)], "lrs")
    else:
        values = as_numeric(lrs, "lrs")
    if (values < 0).any():
        raise UsageError("lrs: learning rates must be >= 0")
    xs = np.arange(values.size, dtype=float)
    ax = get_ax(ax, figsize=(6.0, 3.5))
    idx = lttb(xs, values, 4000)
    ax.plot(xs[idx], values[idx], color="C0", gid="lr")
    peak = int(np.argmax(values))
    ax.plot(peak, values[peak], "o", color="C3")
    label = "warm-up ends" if peak > 0 else "peak"
    ax.annotate(
        f"{label}: {values[peak]:.3g} @ step {peak}",
        (peak, values[peak]),
        xytext=(6, -12),
        textcoords="offset points",
        fontsize="small",
    )
    if log and (values > 0).all():
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.set_title(title if title is not None else "Learning-rate schedule")
    if idx.size < xs.size:
        note(ax, f"{xs.size:,} steps downsampled to {idx.size:,} points (LTTB)")
    return ax


@draws
def compare_runs(
    results: Any,
    *,
    metric: str = "score",
    confidence: float = 0.95,
    higher_is_better: bool | None = None,
    run_col: str = "run",
    value_col: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Final metric per run (e.g. over seeds or folds): mean with a Student-t confidence
    interval, individual values as dots, runs sorted best first.

    ``results`` is a dict ``{run: [values]}`` or a long DataFrame with ``run_col`` and a value
    column (``value_col``, default ``metric``).

    >>> ax = compare_runs({"a": [0.8, 0.82, 0.81], "b": [0.85, 0.86, 0.84]}, metric="accuracy")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['b', 'a']
    """
    from scipy import stats

    if not 0 < confidence < 1:
        raise UsageError(f"confidence: must be between 0 and 1, got {confidence}")
    if isinstance(results, Mapping):
        data = {str(k): as_numeric(v, f"results[{k!r}]") for k, v in results.items()}
    else:
        frame = _to_frame(results, "results")
        col = value_col or metric
        for needed in (run_col, col):
            if needed not in frame.columns:
                raise UsageError(f"results: no column {needed!r} (columns: {list(frame.columns)})")
        data = {
            str(k): as_numeric(g[col], f"results[{col!r}]")
            for k, g in frame.groupby(run_col, sort=False)
        }
    if not data:
        raise UsageError("results: is empty")
    hib = higher_is_better if higher_is_better is not None else not lower_is_better(metric)
    summary = []
    for name, vals in data.items():
        mean = vals.mean()
        if vals.size > 1:
            half = stats.t.ppf((1 + confidence) / 2, vals.size - 1) * stats.sem(vals)
        else:
            half = 0.0
        summary.append((name, mean, half, vals))
    summary.sort(key=lambda r: -r[1] if hib else r[1])
    ax = get_ax(ax, figsize=(6.0, max(2.5, 0.45 * len(summary) + 1)))
    for i, (_, mean, half, vals) in enumerate(summary):
        ax.errorbar(mean, i, xerr=half, fmt="o", color="C0", capsize=4, markersize=7)
        jitter = np.linspace(-0.15, 0.15, vals.size) if vals.size > 1 else np.zeros(1)
        ax.scatter(vals, i + jitter, s=12, color="0.5", zorder=3)
        ax.annotate(
            f"{mean:.4g} ± {half:.2g} (n={vals.size})",
            (mean, i),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize="x-small",
        )
    ax.set_yticks(range(len(summary)), [r[0] for r in summary])
    ax.invert_yaxis()
    ax.margins(y=0.15)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(metric)
    arrow = "higher" if hib else "lower"
    ax.set_title(
        title if title is not None else f"{metric}: mean ± {confidence:.0%} CI ({arrow} is better)"
    )
    return ax
