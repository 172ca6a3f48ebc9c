"""Figures of quantities over time: a few named series against dates, months or versions.

Example:
    >>> from toolkit.plotting import trend
    >>> series = {"library": [0, 40, 90], "repeated": [120, 100, 60]}
    >>> ax = trend(series, x=["2026-01", "2026-02", "2026-03"])
    >>> [line.get_label() for line in ax.get_lines()]
    ['library', 'repeated']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.errors import UsageError
from toolkit.plotting._cjk import draws
from toolkit.plotting._validate import as_numeric, get_ax

if TYPE_CHECKING:  # matplotlib loads on the first drawing, not with `import toolkit.plotting`
    from matplotlib.axes import Axes


@draws
def trend(
    series: Mapping[str, Sequence[float]],
    *,
    x: Sequence[Any] | None = None,
    title: str | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One line per named series over ``x`` (labels such as months; default 0, 1, 2 …).

    Every series has as many values as ``x``; NaN/inf raise ``ValueError`` naming the series.
    With many points the x labels are thinned so they stay readable.
    """
    if not series:
        raise UsageError("series: is empty; pass {name: values}")
    values = {name: as_numeric(v, f"series[{name!r}]") for name, v in series.items()}
    lengths = {len(v) for v in values.values()}
    if len(lengths) != 1:
        raise UsageError(f"series: all series need the same length, got {sorted(lengths)}")
    n = lengths.pop()
    labels = [str(v) for v in x] if x is not None else [str(i) for i in range(n)]
    if len(labels) != n:
        raise UsageError(f"x: has {len(labels)} labels for {n} values")
    ax = get_ax(ax, figsize=(7.0, 4.0))
    positions = np.arange(n)
    for name, v in values.items():
        ax.plot(positions, v, marker="o" if n <= 36 else None, label=name)
    step = max(1, n // 12)
    ax.set_xticks(positions[::step], labels[::step], rotation=45 if step > 1 or n > 6 else 0)
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend()
    return ax
