"""Frame helpers that work on pandas and polars frames alike and return the kind they got.

One implementation through narwhals: every helper converts the native frame with
``nw.from_native``, works on the narwhals API, and hands back ``nw.to_native`` of the result.

Example:
    >>> import pandas as pd
    >>> from toolkit.preprocessing import clean_column_names
    >>> list(clean_column_names(pd.DataFrame(columns=["User ID", "userId", "销售 额(元)"])).columns)
    ['user_id', 'user_id_1', '销售_额_元']
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

import narwhals as nw

from toolkit.columns import as_frame, profile
from toolkit.errors import UsageError

logger = logging.getLogger(__name__)

__all__ = [
    "DroppedColumns",
    "MemoryReport",
    "clean_column_names",
    "datetime_features",
    "drop_uninformative",
    "missing_summary",
    "reduce_memory",
]

# camelCase / PascalCase boundaries: "userID" -> "user_ID", "HTTPServer" -> "HTTP_Server".
_CAMEL_1 = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
# \w is Unicode-aware, so CJK characters survive; everything else becomes a separator.
_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORES = re.compile(r"_+")


def reject_object_columns(frame: nw.DataFrame[Any], argname: str = "df") -> None:
    """Raise a UsageError naming the first column that holds Python objects (polars' Object
    dtype): its values have no type to count, compare or encode them by."""
    for name, dtype in frame.schema.items():
        if dtype == nw.Object and frame.implementation.is_polars():
            raise UsageError(
                f"{argname}: column {name!r} holds Python objects (polars Object dtype); cast it "
                f"first, e.g. pl.col({name!r}).cast(pl.Float64) or .cast(pl.String)"
            )


def _snake(name: str) -> str:
    # NFKC turns full-width letters/digits/brackets ("（元）", "ＩＤ") into their ASCII forms.
    text = unicodedata.normalize("NFKC", str(name)).strip()
    text = _CAMEL_2.sub("_", _CAMEL_1.sub("_", text))
    text = _NON_WORD.sub("_", text.lower())
    return _UNDERSCORES.sub("_", text).strip("_")


def clean_column_names(df: Any) -> Any:
    """Rename columns to snake_case, deduplicated, keeping CJK characters.

    Empty names become ``column``; repeated names get ``_1``, ``_2`` … suffixes that never
    collide with another column. Returns a new frame of the same kind (pandas or polars).

    Example:
        >>> import polars as pl
        >>> clean_column_names(pl.DataFrame({"Sales Amount ($)": [1], "销售 额(元)": [2]})).columns
        ['sales_amount', '销售_额_元']
    """
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(df, pd.DataFrame):
        # pandas allows duplicate labels, which narwhals (rightly) refuses: rename natively.
        out = df.copy(deep=False)
        out.columns = _unique_snake(list(df.columns))
        return out
    frame = as_frame(df)
    return frame.rename(
        dict(zip(frame.columns, _unique_snake(frame.columns), strict=True))
    ).to_native()


def _unique_snake(names: list[Any]) -> list[str]:
    wanted = [_snake(c) or "column" for c in names]
    # Names that are already unique keep their spelling; repeats get the first free suffix.
    reserved = set(wanted)
    seen: set[str] = set()
    final: list[str] = []
    for base in wanted:
        name, k = base, 0
        while name in seen or (k and name in reserved):
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        final.append(name)
    return final


# --------------------------------------------------------------------------- reduce_memory


@dataclass(frozen=True)
class MemoryReport:
    """What :func:`reduce_memory` changed: bytes before/after and a dtype change per column."""

    bytes_before: int
    bytes_after: int
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def bytes_saved(self) -> int:
        """Bytes saved (``bytes_before - bytes_after``)."""
        return self.bytes_before - self.bytes_after

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "bytes_before": self.bytes_before,
            "bytes_after": self.bytes_after,
            "bytes_saved": self.bytes_saved,
            "changes": {k: list(v) for k, v in self.changes.items()},
        }

    def __str__(self) -> str:
        pct = 100.0 * self.bytes_saved / self.bytes_before if self.bytes_before else 0.0
        lines = [
            f"memory: {_human(self.bytes_before)} -> {_human(self.bytes_after)} "
            f"(saved {_human(self.bytes_saved)}, {pct:.1f}%)"
        ]
        lines += [f"  {col}: {old} -> {new}" for col, (old, new) in self.changes.items()]
        return "\n".join(lines)


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover - loop always returns


_INT_TYPES: list[tuple[Any, int, int]] = [
    (nw.Int8, -(2**7), 2**7 - 1),
    (nw.Int16, -(2**15), 2**15 - 1),
    (nw.Int32, -(2**31), 2**31 - 1),
]
_UINT_TYPES: list[tuple[Any, int, int]] = [
    (nw.UInt8, 0, 2**8 - 1),
    (nw.UInt16, 0, 2**16 - 1),
    (nw.UInt32, 0, 2**32 - 1),
]


def _smallest_int(s: nw.Series[Any]) -> Any | None:
    lo, hi = s.min(), s.max()
    if lo is None or hi is None:
        return None
    signed = s.dtype.is_signed_integer()
    for dtype, tmin, tmax in _INT_TYPES if signed else _UINT_TYPES:
        if tmin <= lo and hi <= tmax:
            return None if dtype == s.dtype else dtype
    return None


def _bytes(frame: nw.DataFrame[Any]) -> int:
    return int(frame.estimated_size(unit="b"))


@overload
def reduce_memory(
    df: Any,
    *,
    max_cardinality: float = ...,
    downcast_floats: bool = ...,
    return_report: Literal[False] = ...,
) -> Any: ...
@overload
def reduce_memory(
    df: Any,
    *,
    max_cardinality: float = ...,
    downcast_floats: bool = ...,
    return_report: Literal[True],
) -> tuple[Any, MemoryReport]: ...
def reduce_memory(
    df: Any,
    *,
    max_cardinality: float = 0.5,
    downcast_floats: bool = True,
    return_report: bool = False,
) -> Any:
    """Shrink a frame: smallest integer type that holds each column, float32, categoricals.

    Integers are downcast only to a type that holds their observed min/max (lossless).
    ``downcast_floats`` turns float64 into float32 (about 7 significant digits; pass ``False``
    to keep full precision). String columns whose share of distinct values is at most
    ``max_cardinality`` become categoricals. The bytes saved are logged at INFO level; with
    ``return_report=True`` the result is ``(frame, MemoryReport)``.

    Example:
        >>> import pandas as pd
        >>> small, report = reduce_memory(pd.DataFrame({"a": [1, 2, 3]}), return_report=True)
        >>> str(small["a"].dtype), report.bytes_saved > 0
        ('int8', True)
    """
    if not 0.0 <= max_cardinality <= 1.0:
        raise UsageError(f"max_cardinality: must be in [0, 1], got {max_cardinality!r}")
    frame = as_frame(df)
    before = _bytes(frame)
    n = len(frame)
    casts: dict[str, Any] = {}
    for s in frame.iter_columns():
        dtype = s.dtype
        target: Any | None = None
        if dtype.is_integer():
            target = _smallest_int(s)
        elif dtype == nw.Float64 and downcast_floats:
            target = nw.Float32
        elif dtype == nw.String and n and s.n_unique() / n <= max_cardinality:
            target = nw.Categorical
        if target is not None:
            casts[s.name] = target
    out = frame.with_columns(nw.col(c).cast(t) for c, t in casts.items()) if casts else frame
    after = _bytes(out)
    changes = {c: (str(frame.schema[c]), str(out.schema[c])) for c in casts}
    report = MemoryReport(before, after, changes)
    logger.info("reduce_memory: %s", str(report).splitlines()[0])
    native = out.to_native()
    return (native, report) if return_report else native


# --------------------------------------------------------------------------- missing_summary


def missing_summary(df: Any, *, include_complete: bool = False) -> Any:
    """One row per column: missing count and share (nulls, and NaN in float columns), infinities.

    Sorted by missing share, most missing first; columns with nothing missing are left out
    unless ``include_complete=True``. Returns a frame of the same kind as ``df``.

    Example:
        >>> import pandas as pd
        >>> s = missing_summary(pd.DataFrame({"a": [1.0, None], "b": [1, 2]}))
        >>> s.to_dict("records")
        [{'column': 'a', 'dtype': 'Float64', 'n_missing': 1, 'pct_missing': 50.0, 'n_inf': 0}]
    """
    frame = as_frame(df)
    n = len(frame)
    rows: dict[str, list[Any]] = {
        "column": [],
        "dtype": [],
        "n_missing": [],
        "pct_missing": [],
        "n_inf": [],
    }
    for s in frame.iter_columns():
        missing = _missing_mask(s)
        n_inf = 0
        if s.dtype.is_float():
            n_inf = int((s.abs() == float("inf")).fill_null(value=False).sum())
        n_missing = int(missing.sum())
        if n_missing == 0 and n_inf == 0 and not include_complete:
            continue
        rows["column"].append(s.name)
        rows["dtype"].append(str(s.dtype))
        rows["n_missing"].append(n_missing)
        rows["pct_missing"].append(round(100.0 * n_missing / n, 4) if n else 0.0)
        rows["n_inf"].append(n_inf)
    out = nw.from_dict(
        rows,
        schema={
            "column": nw.String(),
            "dtype": nw.String(),
            "n_missing": nw.Int64(),
            "pct_missing": nw.Float64(),
            "n_inf": nw.Int64(),
        },
        backend=frame.implementation,
    )
    return out.sort("pct_missing", "column", descending=[True, False]).to_native()


# --------------------------------------------------------------------------- drop_uninformative


@dataclass(frozen=True)
class DroppedColumns:
    """What :func:`drop_uninformative` removed and why."""

    constant: list[str] = field(default_factory=list)
    all_missing: list[str] = field(default_factory=list)
    duplicate: dict[str, str] = field(default_factory=dict)  # dropped -> the column it copies

    @property
    def columns(self) -> list[str]:
        """Every dropped column, in frame order of discovery."""
        return [*self.all_missing, *self.constant, *self.duplicate]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "constant": self.constant,
            "all_missing": self.all_missing,
            "duplicate": self.duplicate,
        }

    def __str__(self) -> str:
        if not self.columns:
            return "dropped nothing"
        parts = []
        if self.all_missing:
            parts.append(f"all missing: {', '.join(self.all_missing)}")
        if self.constant:
            parts.append(f"constant: {', '.join(self.constant)}")
        if self.duplicate:
            parts.append(
                "duplicate: " + ", ".join(f"{d} (= {k})" for d, k in self.duplicate.items())
            )
        return f"dropped {len(self.columns)} column(s) — " + "; ".join(parts)


def _missing_mask(s: nw.Series[Any]) -> nw.Series[Any]:
    # polars keeps NaN distinct from null; users count both as "missing", as pandas does.
    missing = s.is_null()
    if s.dtype.is_float():
        missing = missing | s.is_nan().fill_null(value=False)
    return missing


def _same_values(a: nw.Series[Any], b: nw.Series[Any]) -> bool:
    if a.dtype != b.dtype:
        return False
    a_null, b_null = _missing_mask(a), _missing_mask(b)
    if not bool((a_null == b_null).all()):
        return False
    equal = (a == b).fill_null(value=False) | a_null
    return bool(equal.all())


@overload
def drop_uninformative(
    df: Any, *, duplicates: bool = ..., return_report: Literal[False] = ...
) -> Any: ...
@overload
def drop_uninformative(
    df: Any, *, duplicates: bool = ..., return_report: Literal[True]
) -> tuple[Any, DroppedColumns]: ...
def drop_uninformative(df: Any, *, duplicates: bool = True, return_report: bool = False) -> Any:
    """Drop all-missing, constant and (with ``duplicates=True``) duplicated columns.

    A constant column has one distinct non-missing value; a duplicate column repeats an earlier
    column value for value (the first one is kept). What was dropped is logged at INFO level;
    ``return_report=True`` returns ``(frame, DroppedColumns)``.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"a": [1, 2], "b": [1, 2], "c": [0, 0]})
        >>> out, report = drop_uninformative(df, return_report=True)
        >>> list(out.columns), str(report)
        (['a'], 'dropped 2 column(s) — constant: c; duplicate: b (= a)')
    """
    frame = as_frame(df)
    report = DroppedColumns()
    # Zero rows is no evidence that a column is constant or a copy: keep everything.
    kinds = profile(frame).kinds() if len(frame) else {}
    report.all_missing.extend(c for c, k in kinds.items() if k == "empty")
    report.constant.extend(c for c, k in kinds.items() if k == "constant")
    buckets: dict[tuple[str, int, str, str], list[nw.Series[Any]]] = {}
    for s in frame.iter_columns() if duplicates else ():
        if kinds.get(s.name) in (None, "empty", "constant"):
            continue
        # A cheap signature buckets look-alikes so only they are compared value by value.
        missing = _missing_mask(s)
        numeric = s.dtype.is_numeric() and s.dtype != nw.Boolean
        lo, hi = (s.min(), s.max()) if numeric else (None, None)
        key = (str(s.dtype), int(missing.sum()), repr(lo), repr(hi))
        twin = next((k for k in buckets.get(key, []) if _same_values(k, s)), None)
        if twin is not None:
            report.duplicate[s.name] = twin.name
            continue
        buckets.setdefault(key, []).append(s)
    if report.columns:
        logger.info("drop_uninformative: %s", report)
    out = frame.drop(report.columns) if report.columns else frame
    native = out.to_native()
    return (native, report) if return_report else native


# --------------------------------------------------------------------------- datetime_features

DATETIME_PARTS: tuple[str, ...] = (
    "year",
    "quarter",
    "month",
    "day",
    "dayofweek",
    "dayofyear",
    "hour",
    "minute",
    "is_weekend",
)
DEFAULT_PARTS: tuple[str, ...] = ("year", "month", "day", "dayofweek", "hour", "is_weekend")


def check_parts(features: Sequence[str], argname: str = "features") -> tuple[str, ...]:
    if isinstance(features, str):
        features = (features,)
    bad = [f for f in features if f not in DATETIME_PARTS]
    if bad or not features:
        raise UsageError(
            f"{argname}: unknown datetime feature(s) {bad or '(none given)'}; "
            f"choose from {', '.join(DATETIME_PARTS)}"
        )
    return tuple(features)


def _part_expr(col: str, part: str, integer: bool = True) -> nw.Expr:
    dt = nw.col(col).dt
    expr: nw.Expr
    if part == "year":
        expr = dt.year()
    elif part == "quarter":
        expr = (dt.month() - 1) // 3 + 1
    elif part == "month":
        expr = dt.month()
    elif part == "day":
        expr = dt.day()
    elif part == "dayofweek":
        expr = dt.weekday() - 1  # narwhals: Monday=1; pandas/sklearn users expect Monday=0
    elif part == "dayofyear":
        expr = dt.ordinal_day()
    elif part == "hour":
        expr = dt.hour()
    elif part == "minute":
        expr = dt.minute()
    else:  # is_weekend
        expr = (dt.weekday() >= 6).cast(nw.Int8)
    if not integer:  # pandas integers cannot hold a missing date: NaN, as pandas does
        return expr.cast(nw.Float64).alias(f"{col}_{part}")
    return expr.cast(nw.Int32 if part != "is_weekend" else nw.Int8).alias(f"{col}_{part}")


def datetime_features(
    df: Any,
    columns: Sequence[str] | None = None,
    *,
    features: Sequence[str] = DEFAULT_PARTS,
    drop: bool = True,
    format: str | None = None,
) -> Any:
    """Expand datetime columns into ``<col>_year``, ``<col>_month`` … integer columns.

    ``columns=None`` expands every datetime column; named string columns are parsed first
    (``format`` as in ``strptime``; inferred when ``None``). ``dayofweek`` is Monday=0.
    Parts are integers; in a pandas frame a column with missing dates gives float parts (NaN).
    With ``drop=True`` the original columns are removed.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"t": pd.to_datetime(["2024-01-06 10:00"])})
        >>> datetime_features(df, features=["year", "dayofweek", "is_weekend"]).iloc[0].tolist()
        [2024, 5, 1]
    """
    frame = as_frame(df)
    parts = check_parts(features)
    schema = frame.schema
    if columns is None:
        cols = [c for c, t in schema.items() if t == nw.Datetime or t == nw.Date]
    else:
        cols = [columns] if isinstance(columns, str) else list(columns)
        missing = [c for c in cols if c not in schema]
        if missing:
            raise UsageError(f"columns: {missing} not in the frame (have {list(schema)[:20]})")
    if not cols:
        return frame.to_native()
    parse = [c for c in cols if schema[c] == nw.String]
    bad = [
        c for c in cols if c not in parse and not (schema[c] == nw.Datetime or schema[c] == nw.Date)
    ]
    if bad:
        raise UsageError(f"columns: {bad} are neither datetime nor string columns")
    if parse:
        try:
            frame = frame.with_columns(nw.col(c).str.to_datetime(format=format) for c in parse)
        except Exception as exc:
            raise UsageError(f"columns: could not parse {parse} as datetimes: {exc}") from exc
    gaps = (
        {c for c in cols if frame.get_column(c).null_count()}
        if frame.implementation.is_pandas_like()
        else set()
    )
    out = frame.with_columns(_part_expr(c, p, c not in gaps) for c in cols for p in parts)
    if drop:
        out = out.drop(cols)
    return out.to_native()
