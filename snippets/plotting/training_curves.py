"""Plot noisy training curves with TensorBoard-style EMA smoothing, keeping the raw curve faint.

The smoothing is debiased (like TensorBoard), so the first points are not pulled toward zero.
Marks the best validation value so "which epoch to keep" is visible at a glance.

tags: plotting, matplotlib, training-curves, smoothing, loss
requires: matplotlib, numpy
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ema_smooth([1.0, 1.0, 1.0], weight=0.9).tolist()
    [1.0, 1.0, 1.0]
    >>> ema_smooth([0.0, 10.0], weight=0.5).round(3).tolist()
    [0.0, 6.667]
    >>> ax = plot_curves({"train": [1.0, 0.7, 0.6, 0.5], "val": [1.1, 0.8, 0.75, 0.9]},
    ...                  best="val", weight=0.0)
    >>> [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    ['train', 'val', 'best val: 0.75 @ 2']
    >>> plt.close("all")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes


def ema_smooth(values: Sequence[float], weight: float = 0.6) -> np.ndarray:
    """Debiased exponential moving average; ``weight`` in [0, 1), 0 = no smoothing."""
    if not 0 <= weight < 1:
        raise ValueError(f"weight must be in [0, 1), got {weight}")
    out = np.empty(len(values))
    last = 0.0
    for i, value in enumerate(values):
        last = weight * last + (1 - weight) * value
        out[i] = last / (1 - weight ** (i + 1))
    return out


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    weight: float = 0.6,
    best: str | None = None,
    mode: str = "min",
    xlabel: str = "epoch",
    ylabel: str = "loss",
    ax: Axes | None = None,
) -> Axes:
    """One smoothed line per curve (raw values drawn faintly behind); mark the best of ``best``."""
    if ax is None:
        _, ax = plt.subplots()
    for name, values in curves.items():
        x = np.arange(len(values))
        (line,) = ax.plot(x, ema_smooth(values, weight), label=name)
        if weight > 0:
            ax.plot(x, values, color=line.get_color(), alpha=0.25, linewidth=1)
    if best is not None:
        values = np.asarray(curves[best], dtype=float)
        idx = int(np.nanargmin(values) if mode == "min" else np.nanargmax(values))
        ax.plot(
            [idx], [values[idx]], "k*", markersize=10, label=f"best {best}: {values[idx]:g} @ {idx}"
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax
