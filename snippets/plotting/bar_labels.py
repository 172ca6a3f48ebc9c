"""Bar chart with value labels on every bar (``Axes.bar_label``), vertical or horizontal.

Labels are formatted with ``fmt`` (a format string like ``"{:.1%}"`` or a callable) and a little
headroom is added so labels above the tallest bar are not clipped.

tags: plotting, matplotlib, bar-chart, labels, annotation
requires: matplotlib
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ax = labelled_bars(["a", "b", "c"], [0.5, 0.25, 0.125], fmt="{:.1%}")
    >>> [t.get_text() for t in ax.texts]
    ['50.0%', '25.0%', '12.5%']
    >>> ax = labelled_bars(["x", "y"], [3, 10], horizontal=True)
    >>> [t.get_text() for t in ax.texts]
    ['3', '10']
    >>> plt.close("all")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def labelled_bars(
    labels: Sequence[str],
    values: Sequence[float],
    fmt: str | Callable[[float], str] = "{:g}",
    horizontal: bool = False,
    color: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw bars of ``values`` named by ``labels`` and write each value on its bar."""
    if ax is None:
        _, ax = plt.subplots()
    if horizontal:
        bars = ax.barh(labels, values, color=color)
        ax.invert_yaxis()  # first label on top, like a table
    else:
        bars = ax.bar(labels, values, color=color)
    ax.bar_label(bars, fmt=fmt, padding=3)
    # Headroom so labels on the longest bar stay inside the axes.
    if horizontal:
        ax.margins(x=0.12)
    else:
        ax.margins(y=0.12)
    return ax
