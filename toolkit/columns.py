"""What a column is and what a target is: the one place that decides, for every part of the toolkit.

A :class:`FrameProfile` is computed once per frame from a handful of aggregations per column
(missing, distinct, min, max, whether every value is whole, mean text length), all in one
narwhals ``select`` -- so the same code runs on pandas and polars today and can run on a lazy
engine (DuckDB, Spark) later. Small decision functions then read the kind of each column and the
kind of a target from those numbers; checks, preprocessing, splits, baselines and plots ask the
profile instead of re-deriving the rules.

Column kinds: ``numeric``, ``boolean``, ``categorical``, ``datetime``, ``text`` (long free-form
strings), ``id`` (identifies rows: almost every value unique, or named like an ID and mostly
unique), ``constant`` (one distinct value) and ``empty`` (every value missing).

Target kinds follow scikit-learn's ``type_of_target`` in spirit, with one stated difference: a
numeric target is classification only when its values are whole numbers *and* it has at most
:data:`MAX_CLASSES` distinct values (50 distinct ages are a regression, not 50 classes).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"用户ID": range(100), "age": [20.5, 30.0] * 50, "y": [0, 1] * 50})
    >>> p = profile(df)
    >>> p.kind("用户ID"), p.kind("age"), p.target("y")
    ('id', 'numeric', 'binary')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import narwhals as nw

from toolkit.errors import UsageError

__all__ = [
    "ID_SHARE",
    "MAX_CLASSES",
    "ColumnKind",
    "ColumnProfile",
    "FrameProfile",
    "TargetKind",
    "as_array",
    "as_frame",
    "is_frame",
    "parse_dates",
    "profile",
    "target_kind",
]

ColumnKind = Literal[
    "numeric", "boolean", "categorical", "datetime", "text", "id", "constant", "empty"
]
TargetKind = Literal["binary", "multiclass", "regression"]

# A numeric target with whole values and at most this many distinct ones is class labels.
MAX_CLASSES = 20
# A column is ID-like when at least this share of its present values are distinct ...
ID_SHARE = 0.95
# ... or when it is named like an identifier and at least this share are distinct.
ID_NAMED_SHARE = 0.5
# Below this many rows uniqueness says nothing: every column of a 10-row frame is "unique".
MIN_ID_ROWS = 20
# Strings this long on average, of words, mostly distinct, are free text, not categories
# (a UUID is as long, but one word).
TEXT_CHARS = 25
# "user_id", "uuid", "order_key", "ID", "用户ID", "用户编号" -- the ID-ish names.
_ID_NAME = re.compile(r"(^|_|[^\x00-\x7f])(id|uuid|guid|key|index)$|^id|编号$|序号$", re.IGNORECASE)


@dataclass(frozen=True)
class ColumnProfile:
    """The aggregations of one column and the kind decided from them.

    ``distinct`` counts distinct present values (``None`` for floats with fractions: counting
    them costs a hash pass and decides nothing); ``minimum``/``maximum`` are set for numeric
    and datetime columns; ``whole`` says every present numeric value is a whole number.
    """

    name: str
    dtype: str
    kind: ColumnKind
    rows: int
    missing: int
    distinct: int | None
    minimum: Any = None
    maximum: Any = None
    whole: bool = False
    mean_chars: float | None = None
    wordy: int = 0  # string values holding a space or a non-ASCII character
    reason: str = ""

    @property
    def present(self) -> int:
        """Rows with a value."""
        return self.rows - self.missing

    @property
    def unique_ratio(self) -> float:
        """Distinct values per present row (0 when nothing is present or not counted)."""
        return (self.distinct or 0) / self.present if self.present else 0.0

    @property
    def numeric_storage(self) -> bool:
        """True for columns whose values are numbers (numeric dtype, not boolean)."""
        return self.dtype_class == "numeric"

    @property
    def dtype_class(self) -> str:
        """``numeric``, ``boolean``, ``datetime``, ``string`` or ``other``: the storage family."""
        return _DTYPE_CLASS.get(self.dtype.split("(")[0], "other")

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "name": self.name,
            "dtype": self.dtype,
            "kind": self.kind,
            "rows": self.rows,
            "missing": self.missing,
            "distinct": self.distinct,
            "minimum": _plain(self.minimum),
            "maximum": _plain(self.maximum),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class FrameProfile:
    """The :class:`ColumnProfile` of every column of one frame, in column order.

    Example:
        >>> import polars as pl
        >>> p = profile(pl.DataFrame({"x": [1.5, 2.5] * 20, "c": ["a"] * 40}))
        >>> p.kinds()
        {'x': 'numeric', 'c': 'constant'}
    """

    rows: int
    columns: tuple[ColumnProfile, ...]

    def __getitem__(self, name: str) -> ColumnProfile:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(col.name == name for col in self.columns)

    def __iter__(self) -> Iterator[ColumnProfile]:
        return iter(self.columns)

    @property
    def names(self) -> list[str]:
        """Column names in frame order."""
        return [col.name for col in self.columns]

    def kind(self, name: str) -> ColumnKind:
        """The kind of column ``name``."""
        return self[name].kind

    def kinds(self) -> dict[str, ColumnKind]:
        """``{column: kind}`` in frame order."""
        return {col.name: col.kind for col in self.columns}

    def of_kind(self, *kinds: ColumnKind, exclude: Iterable[str | None] = ()) -> list[str]:
        """Names of the columns of any of ``kinds``, minus ``exclude``, in frame order."""
        skip = set(exclude)
        return [c.name for c in self.columns if c.kind in kinds and c.name not in skip]

    def target(self, name: str) -> TargetKind:
        """The kind of ``name`` read as a target (see :func:`target_kind`)."""
        return target_kind(self[name])

    def is_classification(self, name: str) -> bool:
        """True when ``name`` read as a target is binary or multiclass."""
        return self.target(name) != "regression"

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: rows and one entry per column."""
        return {"rows": self.rows, "columns": [c.to_dict() for c in self.columns]}


_DTYPE_CLASS = {
    **dict.fromkeys(
        [
            "Int8",
            "Int16",
            "Int32",
            "Int64",
            "Int128",
            "UInt8",
            "UInt16",
            "UInt32",
            "UInt64",
            "UInt128",
            "Float32",
            "Float64",
            "Decimal",
        ],
        "numeric",
    ),
    "Boolean": "boolean",
    **dict.fromkeys(["Datetime", "Date", "Duration", "Time"], "datetime"),
    **dict.fromkeys(["String", "Categorical", "Enum"], "string"),
}


def as_frame(df: Any, argname: str = "df") -> nw.DataFrame[Any]:
    """A narwhals eager frame of a pandas/polars frame; a :class:`UsageError` naming ``argname``
    for anything else (or for duplicate column names, which no check can address).

    Example:
        >>> as_frame([1, 2], "train")
        Traceback (most recent call last):
        toolkit.errors.UsageError: train: expected a pandas or polars DataFrame, got list
    """
    if isinstance(df, nw.DataFrame):
        return df
    try:
        frame: nw.DataFrame[Any] = nw.from_native(df, eager_only=True)
    except TypeError as exc:
        raise UsageError(
            f"{argname}: expected a pandas or polars DataFrame, got {type(df).__name__}"
        ) from exc
    except nw.exceptions.DuplicateError as exc:
        dupes = sorted({str(c) for c in df.columns if list(df.columns).count(c) > 1})
        raise UsageError(
            f"{argname}: duplicate column names {dupes[:10]}; run clean_column_names(df) first"
        ) from exc
    from toolkit.reading import check_columns  # names and values no check can read

    check_columns(df, argname)
    return frame


def is_frame(obj: Any) -> bool:
    """True when ``obj`` is a data frame :func:`as_frame` reads (pandas, polars, pyarrow Table,
    narwhals), as opposed to a dict, a list or an array.

    Example:
        >>> import pandas as pd
        >>> is_frame(pd.DataFrame({"a": [1]})), is_frame({"a": [1]})
        (True, False)
    """
    return isinstance(obj, nw.DataFrame) or nw.dependencies.is_into_dataframe(obj)


def as_array(values: Any) -> Any:
    """``values`` as a numpy array: a pandas/polars/pyarrow Series or frame through narwhals
    (nullable missing values become NaN or ``None``, never ``pd.NA``), anything else (a list,
    an array) through ``numpy.asarray``. The one adapter from a column to numbers.

    Example:
        >>> import pandas as pd
        >>> as_array(pd.Series([1, None], dtype="Int64")).tolist()
        [1.0, nan]
    """
    import numpy as np

    native = nw.from_native(values, eager_only=True, allow_series=True, pass_through=True)
    if isinstance(native, (nw.Series, nw.DataFrame)):
        return np.asarray(native.to_numpy())
    return np.asarray(values)


def profile(
    df: Any,
    *,
    columns: Iterable[str] | None = None,
    id_share: float = ID_SHARE,
    distinct: Callable[[Any, list[str]], dict[str, int]] | None = None,
    counted: Mapping[str, tuple[int, int]] | None = None,
) -> FrameProfile:
    """Profile ``df`` (pandas, polars or a narwhals frame): one aggregation pass, then the rules.

    A narwhals ``LazyFrame`` (DuckDB, Spark, polars lazy) is profiled by the same aggregations
    run on its engine: two small result rows come back, no column is collected.

    ``columns`` limits the profile to some columns (a split only needs its target);
    ``id_share`` is the distinct share that makes a column ID-like (default 0.95);
    ``distinct(frame, names)`` -- an engine's own way to count distinct values (nulls count as
    one value, as ``n_unique``) -- replaces ``n_unique`` in the aggregations (Spark rewrites
    many ``count(DISTINCT)`` into one pass over a copy of every row per column).
    ``counted`` gives ``{column: (distinct present values, missing values)}`` of string
    columns the caller has counted already (a dictionary encoding does): they skip the hash
    pass, the costliest aggregation here.

    Example:
        >>> import pandas as pd
        >>> profile(pd.DataFrame({"y": range(50)})).target("y")
        'regression'
        >>> profile(pd.DataFrame({"c": ["a", None] * 20}), counted={"c": (1, 20)}).kind("c")
        'constant'
    """
    lazy = isinstance(df, nw.LazyFrame)  # DuckDB, Spark, polars lazy: the same aggregations
    frame: Any = df if lazy else as_frame(df)
    schema = frame.collect_schema()
    names = list(schema) if columns is None else list(columns)
    known = {c: n for c, n in (counted or {}).items() if c in names and schema[c] == nw.String}
    first = [
        e for c in names if c not in known for e in _aggregations(c, schema[c], distinct is None)
    ]
    if lazy:
        row = _one_row(frame, [*first, nw.len().alias("\x1frows")])
    else:
        row = _one_row(frame, first) if first else {}
    if distinct is not None:
        hashed = [c for c in names if _counted_first(schema[c]) and c not in known]
        row.update({f"{c}\x1fnu": n for c, n in distinct(frame, hashed).items()})
    for c, (n_distinct, n_missing) in known.items():  # missing counted as one value, as n_unique
        row.update(
            {f"{c}\x1fnu": n_distinct + (1 if n_missing else 0), f"{c}\x1fmissing": n_missing}
        )
    rows = int(row.pop("\x1frows")) if lazy else len(frame)
    if lazy and rows == 0:  # SQL counts over no rows may be NULL: nothing missing, no values
        counts = ("\x1fmissing", "\x1fnu")
        row.update({k: 0 for k, v in row.items() if k.endswith(counts) and v is None})
    for c in names:
        if f"{c}\x1fnu" not in row and _DTYPE_CLASS.get(str(schema[c]).split("(")[0]) is None:
            # rare: nested or objects (a lazy engine cannot hand the column over: not counted)
            row[f"{c}\x1fnu"] = None if lazy else _count_distinct(frame.get_column(c))
    # Second, small pass: distinct values of whole floats, and the text measures where free
    # text is possible (mostly distinct strings).
    whole = [c for c in names if schema[c].is_float() and row.get(f"{c}\x1ffrac") == 0]
    wordy = [
        c
        for c in names
        if schema[c] == nw.String and row[f"{c}\x1fnu"] >= 0.5 * (rows - row[f"{c}\x1fmissing"])
    ]
    if distinct is not None and whole:
        row.update({f"{c}\x1fnu": n for c, n in distinct(frame, whole).items()})
        whole = []
    second = [
        *(nw.col(c).fill_nan(None).n_unique().alias(f"{c}\x1fnu") for c in whole),
        *(e for c in wordy for e in _text_aggregations(c)),
    ]
    if second:
        row.update(_one_row(frame, second))
    return FrameProfile(rows, tuple(_column(c, schema[c], rows, row, id_share) for c in names))


def _one_row(frame: Any, exprs: list[nw.Expr]) -> dict[str, Any]:
    """The single row of aggregations ``exprs`` over an eager or lazy narwhals frame."""
    out = frame.select(*exprs)
    if isinstance(out, nw.LazyFrame):
        out = out.collect()
    rows = out.rows(named=True)
    # SQL engines answer sums as DECIMAL: plain numbers for the rules
    return {k: _number(v) for k, v in rows[0].items()} if rows else {}


def _number(value: Any) -> Any:
    """A ``Decimal`` (a SQL engine's sum) as an int or float; anything else unchanged."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _count_distinct(series: nw.Series[Any]) -> int:
    """Distinct values (missing counted as one) of a column that may hold unhashable values:
    those are counted by their printed form, one Python pass."""
    try:
        return int(series.n_unique())
    except TypeError:
        printed = {str(v) for v in series.to_list() if v is not None}
        return len(printed) + int(series.null_count() > 0)


def target_kind(column: ColumnProfile | Any) -> TargetKind:
    """Binary, multiclass or regression -- the one rule for every target in the toolkit.

    Non-numeric targets (strings, categories, booleans) are classes. A numeric target is
    classes when its values are whole numbers and it has at most :data:`MAX_CLASSES` distinct
    values; otherwise regression. Accepts a :class:`ColumnProfile` or any 1-d array-like.

    Example:
        >>> target_kind([0, 1, 1]), target_kind(["a", "b", "c"]), target_kind([0.5, 1.5, 2.0])
        ('binary', 'multiclass', 'regression')
        >>> target_kind(list(range(50)))  # scikit-learn would call this multiclass
        'regression'
    """
    col = column if isinstance(column, ColumnProfile) else _profile_values(column)
    if col.numeric_storage and not (col.whole and (col.distinct or 0) <= MAX_CLASSES):
        return "regression"
    if col.dtype_class == "datetime":
        return "regression"
    return "binary" if (col.distinct or 0) <= 2 else "multiclass"


def _profile_values(values: Any) -> ColumnProfile:
    """Profile of one array-like (list, numpy array, pandas/polars Series)."""
    series = nw.from_native(values, series_only=True, pass_through=True)
    if isinstance(series, nw.Series):  # pandas / polars / pyarrow
        return profile(series.rename("y").to_frame()).columns[0]
    import numpy as np
    import pandas as pd

    array = np.asarray(values)
    if array.ndim != 1:
        raise UsageError(f"y: expected one column of targets, got shape {array.shape}")
    return profile(pd.DataFrame({"y": array})).columns[0]


def _counted_first(dtype: Any) -> bool:
    """Whether the first pass counts the column's distinct values: not floats (the second
    pass counts whole ones) nor lists, structs and objects (maybe unhashable)."""
    family = _DTYPE_CLASS.get(str(dtype).split("(")[0], "other")
    return family != "other" and not dtype.is_float()


def _aggregations(name: str, dtype: Any, distinct: bool = True) -> list[nw.Expr]:
    """The per-column aggregations, aliased ``<index>:<stat>`` so names never collide
    (``distinct=False``: without the distinct count, which the caller counts its own way)."""
    col = nw.col(name)
    if dtype.is_float():
        col = col.fill_nan(None)  # polars keeps NaN apart from null; users count both missing
    exprs = [col.null_count().alias(f"{name}\x1fmissing")]
    family = _DTYPE_CLASS.get(str(dtype).split("(")[0], "other")
    # Distinct values: a hash pass, the costliest aggregation. Floats get it in the second pass
    # only when whole (where it decides ID or classes); lists, structs and objects may be
    # unhashable and are counted by their printed form.
    if distinct and _counted_first(dtype):
        exprs.append(col.n_unique().alias(f"{name}\x1fnu"))
    if family in ("numeric", "datetime"):
        exprs += [col.min().alias(f"{name}\x1fmin"), col.max().alias(f"{name}\x1fmax")]
    if family == "numeric":
        exprs.append((col - col.round(0)).abs().max().alias(f"{name}\x1ffrac"))
    return exprs


def _text_aggregations(name: str) -> list[nw.Expr]:
    """Mean length and how many values hold words (a space, or any non-ASCII character:
    Chinese text has no spaces) -- asked only of mostly-distinct string columns, since a
    pattern match per row is the costliest aggregation here."""
    col = nw.col(name)
    wordy = col.str.contains(r"\s|[^\x00-\x7F]").cast(nw.Int64).sum()
    return [col.str.len_chars().mean().alias(f"{name}\x1fchars"), wordy.alias(f"{name}\x1fwordy")]


def _column(
    name: str, dtype: Any, rows: int, stats: Mapping[str, Any], id_share: float
) -> ColumnProfile:
    missing = int(stats[f"{name}\x1fmissing"])
    counted = stats.get(f"{name}\x1fnu")
    distinct = None if counted is None else int(counted) - (1 if missing else 0)
    frac = stats.get(f"{name}\x1ffrac")
    chars = stats.get(f"{name}\x1fchars")
    wordy = stats.get(f"{name}\x1fwordy")
    col = ColumnProfile(
        name=name,
        dtype=str(dtype),
        kind="numeric",  # decided below from the numbers
        rows=rows,
        missing=missing,
        distinct=distinct,
        minimum=_present(stats.get(f"{name}\x1fmin")),
        maximum=_present(stats.get(f"{name}\x1fmax")),
        whole=frac is not None and float(frac) == 0.0,
        mean_chars=None if chars is None else float(chars),
        wordy=0 if wordy is None else int(wordy),
    )
    kind, reason = column_kind(col, id_share)
    return ColumnProfile(**{**col.__dict__, "kind": kind, "reason": reason})


def column_kind(col: ColumnProfile, id_share: float = ID_SHARE) -> tuple[ColumnKind, str]:
    """The kind of a column from its aggregations, and a few words saying why.

    Example:
        >>> c = ColumnProfile("order_id", "Int64", "numeric", rows=100, missing=0, distinct=60,
        ...                   whole=True)
        >>> column_kind(c)
        ('id', 'named like an ID, 60% unique')
    """
    if col.present == 0:
        return "empty", "every value is missing"
    if col.distinct == 1 or (col.distinct is None and col.minimum == col.maximum):
        return "constant", "a single value"
    family = col.dtype_class
    if family == "boolean":
        return "boolean", "boolean dtype"
    if family == "datetime":
        return "datetime", "date/time dtype"
    if family == "numeric" and not col.whole:
        return "numeric", "numbers with fractions"
    if (
        family == "string"
        and (col.mean_chars or 0) >= TEXT_CHARS
        and col.unique_ratio >= 0.5
        and col.wordy >= col.present / 2
    ):
        return "text", f"long strings of words (mean {col.mean_chars:.0f} characters)"
    if col.rows >= MIN_ID_ROWS and family in ("numeric", "string"):
        what = "integers" if family == "numeric" else "strings"
        if col.unique_ratio >= id_share:
            return "id", f"{col.unique_ratio:.0%} unique {what}"
        if col.unique_ratio >= ID_NAMED_SHARE and _ID_NAME.search(col.name):
            return "id", f"named like an ID, {col.unique_ratio:.0%} unique"
    if family == "numeric":
        return "numeric", "whole numbers"
    return "categorical", f"{col.distinct} categories"


def _present(value: Any) -> Any:
    """``None`` for a missing aggregate (pandas answers NaN/NaT where polars answers null)."""
    return None if value is None or value != value else value


def parse_dates(values: Any, argname: str) -> Any:
    """Dates and times from datetimes or date strings, as a ``pandas.DatetimeIndex`` (NaT for
    missing) -- the one parsing rule of every time-aware function (``split(time=)``,
    ``leakage(time=)``, ``DatetimeFeatures``). Numbers are refused: whether 1700000000 is
    seconds or a date code is a guess. Raises a :class:`UsageError` (a ``ValueError``) naming
    ``argname``.

    Example:
        >>> parse_dates(["2024-01-31", "2024/02/01 08:00", None], "time").strftime("%m-%d").tolist()
        ['01-31', '02-01', nan]
    """
    import numpy as np
    import pandas as pd

    array = values if isinstance(values, pd.Series) else np.asarray(values)
    kind = array.dtype.kind
    head = np.asarray(array[:100], dtype=object)
    if kind in "biufc" or (
        kind == "O"
        and len(head)
        and all(isinstance(v, int | float | np.number) for v in head)
        and not pd.isna(head).all()
    ):
        raise UsageError(
            f"{argname}: is numeric, not dates; pass datetimes or date strings "
            "(convert epoch numbers with pandas.to_datetime(unit=...) first)"
        )
    try:
        parsed = pd.to_datetime(pd.Series(array, copy=False), format="mixed")
    except (ValueError, TypeError, OverflowError) as exc:
        raise UsageError(f"{argname}: is not parseable as dates ({exc})") from exc
    return pd.DatetimeIndex(parsed)


def _plain(value: Any) -> Any:
    """JSON-friendly scalar: datetimes as ISO text, numpy scalars as Python numbers."""
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
