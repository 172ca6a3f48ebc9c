"""Shared input validation and small drawing helpers for every plotting function.

Every public function funnels its inputs through these helpers so that bad input fails the same
way everywhere: a ``ValueError`` whose message names the argument and says what was wrong.
Inputs are copied or viewed, never modified in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _to_numpy(values: Any) -> np.ndarray:
    """Turn a list, tuple, NumPy array, pandas or polars Series into a NumPy array."""
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        try:
            return np.asarray(values.to_numpy())
        except TypeError:  # polars needs allow_copy defaults; fall through
            pass
    return np.asarray(values)


def as_numeric(
    values: Any, name: str, *, ndim: int | None = 1, allow_nan: bool = False
) -> np.ndarray:
    """Return ``values`` as a float array; ``ValueError`` naming ``name`` when unusable.

    >>> as_numeric([1, 2, 3], "y").tolist()
    [1.0, 2.0, 3.0]
    """
    if values is None:
        raise ValueError(f"{name}: expected numeric values, got None")
    arr = _to_numpy(values)
    if arr.size == 0:
        raise ValueError(f"{name}: is empty; pass at least one value")
    if arr.dtype == bool:
        arr = arr.astype(float)
    if not np.issubdtype(arr.dtype, np.number):
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name}: must be numeric, got values of type {arr.dtype} (e.g. {arr.flat[0]!r})"
            ) from None
    if np.iscomplexobj(arr):
        raise ValueError(f"{name}: must be real-valued, got complex numbers")
    arr = arr.astype(float, copy=False)
    if ndim is not None and arr.ndim != ndim:
        if ndim == 1 and arr.ndim == 2 and 1 in arr.shape:
            arr = arr.ravel()
        else:
            raise ValueError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    if not allow_nan:
        bad = ~np.isfinite(arr)
        if bad.any():
            kind = "NaN" if np.isnan(arr[bad]).any() else "inf"
            raise ValueError(
                f"{name}: contains {int(bad.sum())} {kind}/non-finite value(s); "
                "drop or impute them first"
            )
    return arr


def as_labels(values: Any, name: str) -> np.ndarray:
    """Return class labels as a 1-D array; ``ValueError`` for empty input or missing labels."""
    if values is None:
        raise ValueError(f"{name}: expected labels, got None")
    arr = _to_numpy(values)
    if arr.size == 0:
        raise ValueError(f"{name}: is empty; pass at least one label")
    if arr.ndim != 1:
        if arr.ndim == 2 and 1 in arr.shape:
            arr = arr.ravel()
        else:
            raise ValueError(f"{name}: expected a 1-D array of labels, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name}: contains NaN/inf labels; drop those rows first")
    elif arr.dtype == object:
        missing = [v is None or (isinstance(v, float) and not np.isfinite(v)) for v in arr]
        if any(missing):
            raise ValueError(f"{name}: contains {sum(missing)} missing label(s) (None/NaN)")
    return arr


def same_length(**arrays: Any) -> int:
    """Check that all given arrays have the same first dimension; return it."""
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}={n}" for k, n in lengths.items())
        raise ValueError(f"mismatched lengths: {detail}; they must be equal")
    return next(iter(lengths.values()))


def as_frame(data: Any, name: str) -> pd.DataFrame:
    """Accept a pandas/polars DataFrame, a dict of columns or a 2-D array; return a pandas frame."""
    import pandas as pd

    if data is None:
        raise ValueError(f"{name}: expected a DataFrame, got None")
    if isinstance(data, pd.DataFrame):
        frame = data
    elif hasattr(data, "to_pandas"):  # polars / pyarrow
        frame = data.to_pandas()
    elif isinstance(data, dict):
        frame = pd.DataFrame(data)
    else:
        arr = np.asarray(data)
        if arr.ndim != 2:
            raise ValueError(f"{name}: expected a 2-D table, got shape {arr.shape}")
        frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"{name}: is empty (shape {frame.shape})")
    return frame


def get_ax(ax: Axes | None, figsize: tuple[float, float] = (6.0, 4.5)) -> Axes:
    """Return ``ax`` or a fresh Axes on a new Figure (never the pyplot current one)."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A new Figure not registered with pyplot (so it is garbage-collected, no window opens)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def note(ax: Axes, text: str) -> None:
    """Write a small grey note in the lower-right corner (used to state data reductions)."""
    ax.text(
        0.99,
        0.01,
        text,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize="x-small",
        color="0.4",
        gid="toolkit-note",
    )


def notes(ax: Axes) -> list[str]:
    """Return the reduction notes written on ``ax`` (used by tests and by callers)."""
    return [t.get_text() for t in ax.texts if t.get_gid() == "toolkit-note"]


def sample_indices(n: int, max_points: int, seed: int = 0) -> np.ndarray | None:
    """Sorted random indices of ``max_points`` out of ``n``, or None when no sampling is needed."""
    if n <= max_points:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=max_points, replace=False))
