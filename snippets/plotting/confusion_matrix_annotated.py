"""Confusion matrix heatmap with counts and row percentages in every cell.

Rows are true labels, columns predictions; cell colour is the row-normalised rate (recall per
class), so imbalanced classes stay readable. Text switches to white on dark cells.

tags: plotting, matplotlib, confusion-matrix, classification, evaluation
requires: matplotlib, numpy
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> cm = np.array([[8, 2], [1, 9]])
    >>> ax = plot_confusion(cm, labels=["猫", "狗"])
    >>> [t.get_text() for t in ax.texts]
    ['8\\n80%', '2\\n20%', '1\\n10%', '9\\n90%']
    >>> plt.close("all")
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes


def plot_confusion(
    cm: np.ndarray,
    labels: Sequence[str] | None = None,
    cmap: str = "Blues",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of confusion matrix ``cm`` (rows: true, columns: predicted)."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square matrix, got shape {cm.shape}")
    if ax is None:
        _, ax = plt.subplots()
    row_sums = cm.sum(axis=1, keepdims=True)
    rates = np.divide(cm, row_sums, out=np.zeros(cm.shape), where=row_sums > 0)
    ax.imshow(rates, cmap=cmap, vmin=0, vmax=1)
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            color = "white" if rates[i, j] > 0.5 else "black"
            ax.text(j, i, f"{cm[i, j]}\n{rates[i, j]:.0%}", ha="center", va="center", color=color)
    ticks = np.arange(cm.shape[0])
    names = list(labels) if labels is not None else [str(t) for t in ticks]
    ax.set_xticks(ticks, names)
    ax.set_yticks(ticks, names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    return ax
