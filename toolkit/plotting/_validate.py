"""Shared input validation and small drawing helpers for every plotting function.

Every public function funnels its inputs through these helpers so that bad input fails the same
way everywhere: a ``UsageError`` (also a ``ValueError``) whose message names the argument and
says what was wrong.
Inputs are copied or viewed, never modified in place.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def as_numeric(
    values: Any, name: str, *, ndim: int | None = 1, allow_nan: bool = False
) -> np.ndarray:
    """Return ``values`` as a float array; ``UsageError`` naming ``name`` when unusable.

    >>> as_numeric([1, 2, 3], "y").tolist()
    [1.0, 2.0, 3.0]
    """
    if values is None:
        raise UsageError(f"{name}: expected numeric values, got None")
    arr = as_array(values)
    if arr.size == 0:
        raise UsageError(f"{name}: is empty; pass at least one value")
    if arr.dtype == bool:
        arr = arr.astype(float)
    if not np.issubdtype(arr.dtype, np.number):
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise UsageError(
                f"{name}: must be numeric, got values of type {arr.dtype} (e.g. {arr.flat[0]!r})"
            ) from None
    if np.iscomplexobj(arr):
        raise UsageError(f"{name}: must be real-valued, got complex numbers")
    arr = arr.astype(float, copy=False)
    if ndim is not None and arr.ndim != ndim:
        if ndim == 1 and arr.ndim == 2 and 1 in arr.shape:
            arr = arr.ravel()
        else:
            raise UsageError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    if not allow_nan:
        bad = ~np.isfinite(arr)
        if bad.any():
            kind = "NaN" if np.isnan(arr[bad]).any() else "inf"
            raise UsageError(
                f"{name}: contains {int(bad.sum())} {kind}/non-finite value(s); "
                "drop or impute them first"
            )
    return arr


def as_labels(values: Any, name: str) -> np.ndarray:
    """Return class labels as a 1-D array; ``UsageError`` for empty input or missing labels."""
    if values is None:
        raise UsageError(f"{name}: expected labels, got None")
    arr = as_array(values)
    if arr.size == 0:
        raise UsageError(f"{name}: is empty; pass at least one label")
    if arr.ndim != 1:
        if arr.ndim == 2 and 1 in arr.shape:
            arr = arr.ravel()
        else:
            raise UsageError(f"{name}: expected a 1-D array of labels, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.isfinite(arr).all():
            raise UsageError(f"{name}: contains NaN/inf labels; drop those rows first")
    elif arr.dtype == object:
        missing = [v is None or (isinstance(v, float) and not np.isfinite(v)) for v in arr]
        if any(missing):
            raise UsageError(f"{name}: contains {sum(missing)} missing label(s) (None/NaN)")
    return arr


def as_array(values: Any) -> np.ndarray:
    """:func:`toolkit.columns.as_array`, imported on the first plot (narwhals is not light)."""
    from toolkit.columns import as_array as array_of

    return np.asarray(array_of(values))


def same_length(**arrays: Any) -> int:
    """Check that all given arrays have the same first dimension; return it."""
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}={n}" for k, n in lengths.items())
        raise UsageError(f"mismatched lengths: {detail}; they must be equal")
    return next(iter(lengths.values()))


def is_frame(data: Any) -> bool:
    """:func:`toolkit.columns.is_frame`, imported on the first plot."""
    from toolkit.columns import is_frame as frame_like

    return frame_like(data)


def as_frame(data: Any, name: str) -> pd.DataFrame:
    """``data`` as a pandas frame: a data frame through :func:`toolkit.columns.as_frame` (the
    one frame adapter: pandas, polars, pyarrow), a dict of columns, or a 2-D array (columns
    ``x0``, ``x1``, ...); ``UsageError`` naming ``name`` otherwise or when empty.

    >>> list(as_frame({"a": [1, 2]}, "data").columns)
    ['a']
    """
    import pandas as pd

    from toolkit.columns import as_frame as frame_of

    if data is None:
        raise UsageError(f"{name}: expected a DataFrame, got None")
    if isinstance(data, Mapping):
        data = pd.DataFrame(data)
    elif not is_frame(data):
        arr = np.asarray(data)
        if arr.ndim != 2:
            raise UsageError(f"{name}: expected a 2-D table, got shape {arr.shape}")
        data = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    labels = getattr(data, "columns", [])
    if isinstance(data, pd.DataFrame) and not all(isinstance(c, str) for c in labels):
        # pd.DataFrame(X) has columns 0, 1, ...: label them as a figure would (no copy of data).
        data = data.set_axis([c if isinstance(c, tuple) else str(c) for c in labels], axis=1)
    frame: pd.DataFrame = frame_of(data, name).to_pandas()
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise UsageError(f"{name}: is empty (shape {frame.shape})")
    return frame


def get_ax(ax: Axes | None, figsize: tuple[float, float] = (6.0, 4.5)) -> Axes:
    """Return ``ax``, or draw where a pyplot user expects: pyplot's current Axes when nothing is
    drawn on it yet (``plt.figure(figsize=...)``, ``plt.subplot(...)``), else a new pyplot figure.

    A figure pyplot knows is what Jupyter's inline backend shows at the end of a cell, what
    ``plt.show()`` shows and what ``plt.savefig`` saves. Two calls in a row give two figures,
    never one plot drawn over another.
    """
    return ax if ax is not None else _pyplot_axes(figsize)


def _pyplot_axes(figsize: tuple[float, float]) -> Axes:
    import matplotlib.pyplot as plt

    fig = _unused_current_figure(plt)
    if fig is not None:
        if not fig.axes:
            return fig.add_subplot()
        if _is_blank(fig.gca()):
            return fig.gca()
    return plt.figure(figsize=figsize, layout="constrained").add_subplot()


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A figure for multi-panel plots, created through pyplot (so notebooks show it); pyplot's
    current figure is used when it has no Axes yet (``plt.figure(figsize=...)`` beforehand)."""
    import matplotlib.pyplot as plt

    fig = _unused_current_figure(plt)
    if fig is None or fig.axes:
        fig = plt.figure(figsize=figsize, layout="constrained")
    return fig


def _unused_current_figure(plt: Any) -> Figure | None:
    """pyplot's current figure, if there is one (never created here) with nothing drawn on the
    figure itself; its Axes are judged by the caller."""
    if not plt.get_fignums():
        return None
    from toolkit.plotting._cjk import GID

    fig: Figure = plt.gcf()
    own = [a for a in fig.artists if a.get_gid() != GID]
    if own or fig.texts or fig.images or fig.lines or fig.patches or fig.legends:
        return None
    return fig


def _is_blank(ax: Axes) -> bool:
    """True when nothing is drawn on ``ax`` and it carries no title, labels or legend."""
    drawn = ax.lines or ax.collections or ax.patches or ax.images or ax.texts or ax.tables
    labelled = ax.get_title() or ax.get_xlabel() or ax.get_ylabel() or ax.get_legend()
    return not drawn and not labelled


def note(ax: Axes, text: str) -> None:
    """Write a small grey note under the x-axis, right-aligned (used to state data reductions).

    Below the tick labels and axis label rather than inside the plot, so it never covers data
    or a legend; the layout engine makes room for it. Several notes on one Axes share one line.
    """
    for existing in ax.texts:
        if existing.get_gid() == "toolkit-note":
            existing.set_text(f"{existing.get_text()}; {text}")
            return
    ax.annotate(
        text,
        xy=(1.0, 0.0),
        xycoords=functools.partial(_below_x_axis, ax),
        xytext=(0, -2),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize="x-small",
        color="0.4",
        annotation_clip=False,
        gid="toolkit-note",
    )


def _below_x_axis(ax: Axes, renderer: Any) -> Any:
    """The box of the x-axis with its tick labels and label (the Axes' box if there is none)."""
    box = ax.xaxis.get_tightbbox(renderer) if ax.xaxis.get_visible() else None
    return box if box is not None and box.height > 0 else ax.get_window_extent(renderer)


def notes(ax: Axes) -> list[str]:
    """Return the reduction notes written on ``ax`` (used by tests and by callers)."""
    return [t.get_text() for t in ax.texts if t.get_gid() == "toolkit-note"]


def sample_indices(n: int, max_points: int, seed: int = 0) -> np.ndarray | None:
    """Sorted random indices of ``max_points`` out of ``n``, or None when no sampling is needed."""
    if n <= max_points:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=max_points, replace=False))
