"""Two y-axes sharing one x-axis (e.g. loss and accuracy per epoch) with one combined legend.

Colours the two y-axes like their lines so the reader knows which scale belongs to which curve,
and merges both legends (a plain ``ax.legend()`` only shows the first axis' lines).

tags: plotting, matplotlib, twin-axes, training-curves, legend
requires: matplotlib
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ax, ax2 = twin_axes_plot([1, 2, 3], [0.9, 0.5, 0.3], [0.6, 0.8, 0.9],
    ...                          left_label="loss", right_label="accuracy")
    >>> ax.get_ylabel(), ax2.get_ylabel()
    ('loss', 'accuracy')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['loss', 'accuracy']
    >>> plt.close("all")
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def twin_axes_plot(
    x: Sequence[float],
    left: Sequence[float],
    right: Sequence[float],
    left_label: str = "left",
    right_label: str = "right",
    xlabel: str = "epoch",
    colors: tuple[str, str] = ("tab:blue", "tab:orange"),
    ax: Axes | None = None,
) -> tuple[Axes, Axes]:
    """Plot ``left`` on ``ax`` and ``right`` on a twin y-axis; return both axes."""
    if ax is None:
        _, ax = plt.subplots()
    ax2 = ax.twinx()
    line_left = ax.plot(x, left, color=colors[0], label=left_label)
    line_right = ax2.plot(x, right, color=colors[1], label=right_label, linestyle="--")
    ax.set_xlabel(xlabel)
    for axis, label, color in ((ax, left_label, colors[0]), (ax2, right_label, colors[1])):
        axis.set_ylabel(label, color=color)
        axis.tick_params(axis="y", colors=color)
    lines = line_left + line_right
    ax.legend(lines, [line.get_label() for line in lines], loc="best")
    return ax, ax2
