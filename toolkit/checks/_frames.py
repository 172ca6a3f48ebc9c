"""Frame access for the checks: pandas or polars in, plain numpy columns out (via narwhals).

Every check works on a :class:`Table`, a read-only mapping of column name to numpy array plus its
storage ("numeric" or "categorical") and the frame's :class:`toolkit.columns.FrameProfile`, which
says what each column *is* (ID-like, constant, datetime ...) and what a target is. Building it is
the only place that knows about dataframe libraries, so pandas and polars run through one
implementation and inputs are never mutated.

Numeric columns are float64 (NaN = missing). Categorical columns are int32 codes into
``Table.categories[col]`` (-1 = missing), taken from Arrow's dictionary encoding: no Python string
object is ever made per row, which is what kept a 1,000,000-row report slow and memory-hungry.

Example:
    >>> import pandas as pd
    >>> t = to_table(pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}), "train")
    >>> t.kinds
    {'a': 'numeric', 'b': 'categorical'}
    >>> t.columns["b"].tolist(), t.categories["b"].tolist()
    ([0, 1], ['x', 'y'])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np

from toolkit.columns import FrameProfile, as_frame, profile
from toolkit.errors import UsageError


@dataclass(frozen=True)
class Table:
    """Columns of one frame as numpy arrays: numeric columns float64 with NaN for missing,
    categorical columns int32 codes into ``categories[col]`` with -1 for missing; ``profile``
    is what the columns are (computed once, on the frame, before conversion)."""

    name: str
    columns: dict[str, np.ndarray[Any, Any]]
    kinds: dict[str, str]
    n_rows: int
    infinite: dict[str, int]
    profile: FrameProfile
    categories: dict[str, np.ndarray[Any, Any]] = field(default_factory=dict)
    # Rows of the whole frame when these columns are a sample of it (the engine path pulls a
    # fixed-size sample to the driver; ``profile`` then describes the whole frame).
    population: int | None = None

    @property
    def total_rows(self) -> int:
        """Rows of the whole frame: ``population`` for a sample, else ``n_rows``."""
        return self.n_rows if self.population is None else self.population

    def numeric(self, exclude: tuple[str | None, ...] = ()) -> list[str]:
        """Names of numeric columns, minus ``exclude``."""
        return [c for c, k in self.kinds.items() if k == "numeric" and c not in exclude]

    def categorical(self, exclude: tuple[str | None, ...] = ()) -> list[str]:
        """Names of categorical (string, bool, category) columns, minus ``exclude``."""
        return [c for c, k in self.kinds.items() if k == "categorical" and c not in exclude]


def to_table(
    frame: Any, name: str, *, whole: FrameProfile | None = None, population: int | None = None
) -> Table:
    """Read a pandas/polars (or any narwhals-supported) eager frame into a :class:`Table`.

    ``whole`` and ``population`` say that ``frame`` is a sample of a larger frame with that
    profile and row count (the engine path): the kinds are then the whole frame's.
    """
    if isinstance(frame, Table):
        return frame
    df = as_frame(frame, name)
    if df.shape[1] == 0:
        raise UsageError(f"{name}: the frame has no columns")
    from toolkit.preprocessing.frames import reject_object_columns

    reject_object_columns(df, name)
    if df.shape[0] == 0:
        raise UsageError(f"{name}: the frame has no rows")
    columns: dict[str, np.ndarray[Any, Any]] = {}
    kinds: dict[str, str] = {}
    infinite: dict[str, int] = {}
    categories: dict[str, np.ndarray[Any, Any]] = {}
    counted: dict[str, tuple[int, int]] = {}  # the profile's distinct/missing of string columns
    for col in df.columns:
        series = df[col]
        dtype = series.dtype
        if dtype.is_numeric() and dtype != nw.Boolean:
            # Often a zero-copy view of the caller's data: made read-only so no check can
            # ever write into the user's frame; copied only to blank out infinities.
            values = np.asarray(series.cast(nw.Float64).to_numpy(), dtype=np.float64)
            # Infinities are reported by the health report, then treated as missing.
            n_inf = int(np.isinf(values).sum())
            if n_inf:
                infinite[col] = n_inf
                values = np.where(np.isinf(values), np.nan, values)
            values = values.view()
            values.flags.writeable = False
            columns[col] = values
            kinds[col] = "numeric"
        elif dtype.is_temporal():
            # Datetimes become float seconds so that time overlap and drift work on them.
            raw = series.to_numpy()
            # numpy datetimes (durations) -> int64 ns; NaT becomes NaN below.
            raw = np.asarray(raw)
            as_ns = raw.astype("timedelta64[ns]" if raw.dtype.kind == "m" else "datetime64[ns]")
            values = as_ns.astype(np.int64).astype(np.float64) / 1e9
            values[np.isnat(as_ns)] = np.nan
            columns[col] = values
            kinds[col] = "numeric"
        else:
            if dtype.is_nested():
                # Lists, structs and arrays have no string cast: their printed form stands in
                # as the category, so duplicates and drift still see them (rare; per-row Python).
                import pyarrow as pa

                printed = [None if v is None else str(v) for v in series.to_list()]
                arrow: Any = pa.array(printed, type=pa.string())
            elif dtype == nw.Boolean:
                # Spelt one way whatever the library: polars casts to "true", pandas to "True",
                # and a polars train with a pandas test must not disagree on every row.
                import pyarrow as pa
                import pyarrow.compute as pc

                arrow = pc.if_else(series.to_arrow(), pa.scalar("True"), pa.scalar("False"))
            else:
                arrow = series.cast(nw.String).to_arrow()
            columns[col], categories[col] = _dictionary_codes(arrow)
            kinds[col] = "categorical"
            if dtype == nw.String:  # the encoding counted them: the profile need not hash again
                missing = int(np.count_nonzero(columns[col] < 0))
                counted[col] = (len(categories[col]), missing)
    return Table(
        name,
        columns,
        kinds,
        int(df.shape[0]),
        infinite,
        profile(df, counted=counted) if whole is None else whole,
        categories,
        population,
    )


def is_classification(table: Table, target: str) -> bool:
    """True when ``target`` is class labels (the profile's one rule)."""
    return table.profile.is_classification(target)


def target_values(table: Table, target: str) -> tuple[str, np.ndarray[Any, Any]]:
    """("classification", class codes, -1 = missing) or ("regression", float values)."""
    if is_classification(table, target):
        return "classification", category_codes(table, target)[0]
    return "regression", table.columns[target]


def unusable_columns(table: Table) -> list[str]:
    """Columns no check can learn from as features: identifiers and free text."""
    return table.profile.of_kind("id", "text")


def feature_columns(table: Table, exclude: tuple[str | None, ...] = ()) -> list[str]:
    """Every column that is a feature: all but ``exclude`` (target, group, time), identifiers
    and free text. Constant columns stay: a value that changes in test is drift."""
    skip = {*exclude, *unusable_columns(table)}
    return [c for c in table.columns if c not in skip]


def model_matrix(
    table: Table, columns: list[str], rows: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Numeric matrix for a model: numerics as-is, categories as their integer codes (missing:
    NaN, which gradient boosting treats as its own branch)."""
    out = np.empty((len(rows), len(columns)))
    for j, col in enumerate(columns):
        v = table.columns[col][rows]
        out[:, j] = v if table.kinds[col] == "numeric" else np.where(v < 0, np.nan, v)
    return out


def feature_matrix(X: Any) -> np.ndarray[Any, Any]:
    """A numeric matrix from a pandas/polars frame or array-like (categories -> codes)."""
    if hasattr(X, "columns"):
        t = to_table(X, "X")
        return model_matrix(t, list(t.columns), np.arange(t.n_rows))
    arr = np.asarray(X, dtype=float)
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def require_column(table: Table, column: str | None, argument: str) -> None:
    """Raise a :class:`UsageError` naming ``argument`` when ``column`` is not in ``table``."""
    if column is not None and column not in table.columns:
        raise UsageError(
            f"{argument}={column!r}: no such column in {table.name} "
            f"(columns: {', '.join(list(table.columns)[:12])})"
        )


def missing_mask(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Boolean mask of missing entries: NaN (numeric), -1 (category codes) or None/NaN (object)."""
    if values.dtype.kind in "iu":
        return np.asarray(values < 0, dtype=bool)
    if values.dtype == object:
        import pandas as pd  # C-speed isna on object arrays

        return np.asarray(pd.isna(values), dtype=bool)
    return np.asarray(np.isnan(values), dtype=bool)


def codes(values: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Integer codes and the category labels of an object column (missing -> its own label)."""
    import pandas as pd  # factorize is a hash table: O(n), unlike sorting strings

    if values.dtype != object:
        # numeric: NaN gets its own code; no conversion of every value to a string
        inverse, uniques = pd.factorize(values, use_na_sentinel=False)
        return np.asarray(inverse, dtype=np.int64), np.asarray(uniques, dtype=object)
    filled = np.where(missing_mask(values), "<missing>", values)
    inverse, uniques = pd.factorize(filled)
    return np.asarray(inverse, dtype=np.int64), np.asarray(uniques, dtype=object)


@functools.lru_cache(maxsize=64)
def sample_rows(n: int, size: int, seed: int = 0) -> np.ndarray[Any, Any]:
    """Row indices of a fixed-seed sample of at most ``size`` rows (all rows when n <= size).

    Cached (read-only result): every check samples the same few shapes, and drawing 200,000 of
    800,000 rows without replacement costs a permutation each time.
    """
    rows = (
        np.arange(n)
        if n <= size
        else np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))
    )
    rows.flags.writeable = False
    return rows


def small_threads(n_rows: int) -> Any:
    """Context manager: one OpenMP/BLAS thread for small model fits.

    On a busy machine (pytest -n 2, a pre-commit run) many threads on a few thousand rows spin
    and wait far longer than they compute -- measured 20x slower than a single thread.
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    return threadpool_limits(limits=1 if n_rows < 100_000 else None)


def _dictionary_codes(array: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """int32 codes (-1 = missing) and the distinct labels of an Arrow string array.

    Arrow's dictionary encoding is one hash pass in C++: no Python object per row.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array)
    codes = encoded.indices
    if codes.null_count:  # filling copies every code: only when there is a gap to fill
        codes = pc.fill_null(codes, -1)
    indices = codes.to_numpy(zero_copy_only=False)
    names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return np.asarray(indices, dtype=np.int32), names


def labels(table: Table, column: str, rows: np.ndarray[Any, Any] | None = None) -> Any:
    """Values of ``column`` (at ``rows``) as written: floats for numeric columns, an object
    array of strings (None for missing) for categorical ones. Meant for samples and figures."""
    values = table.columns[column] if rows is None else table.columns[column][rows]
    if table.kinds[column] == "numeric":
        return values
    shared = np.empty(len(table.categories[column]) + 1, dtype=object)
    shared[:-1] = table.categories[column]  # the extra last slot stays None: code -1
    return shared[values]


def category_codes(table: Table, column: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(codes, labels) of any column read as categories; -1 marks missing. Numeric columns are
    factorised by value and labelled like ``"1"`` / ``"2.5"``."""
    values = table.columns[column]
    if table.kinds[column] == "categorical":
        return values, table.categories[column]
    import pandas as pd

    inverse, uniques = pd.factorize(values)  # NaN -> -1; a hash pass, cheap next to a check
    names = np.asarray([_label(float(v)) for v in uniques], dtype=object)
    return np.asarray(inverse, dtype=np.int32), names


def aligned_codes(
    a: Table, b: Table, column: str
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Codes of ``column`` in ``a`` and ``b`` over one shared label list (-1 = missing).

    Only the (few) distinct labels are matched; the per-row work is one integer gather.
    """
    import pandas as pd

    ca, la = category_codes(a, column)
    cb, lb = category_codes(b, column)
    if len(la) == len(lb) and np.array_equal(la, lb):
        return ca, cb, la
    position = pd.Index(la).get_indexer(lb)
    unseen = position < 0
    position[unseen] = len(la) + np.arange(int(unseen.sum()))
    remap = np.append(position, -1).astype(np.int32)  # index -1 (missing) -> the last: -1
    return ca, remap[cb], np.concatenate([la, lb[unseen]])


def _label(value: Any) -> str:
    """``1.0`` -> "1" so numeric class labels read as written."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
