"""The health report on a lazy engine (DuckDB, Spark, polars lazy): the checks as aggregations.

:func:`engine_report` runs each check as a few aggregation queries on the engine (narwhals' lazy
API, plus the engine's own row-hash function, which narwhals does not have) and finishes them on
the driver with the *same* finish functions as the in-memory path (``drift_findings``,
``duplicate_finding``, ``quality_findings`` ...). No column is ever collected: what comes back is
one row of aggregates per pass, value counts of low-cardinality columns, a few example rows and a
fixed-size sample.

The passes, per split unless noted (``progress`` is called with each name before it runs):

* ``profile`` -- :func:`toolkit.columns.profile` on the lazy frame: nulls, exact distinct counts
  (``count(DISTINCT)`` on the engine), min/max, whole-number and text measures (two queries).
* ``sample`` -- a fixed-seed sample of at most :data:`SAMPLE_ROWS` rows pulled to the driver
  (DuckDB ``USING SAMPLE reservoir``, Spark ``DataFrame.sample``, polars a row-index hash). The
  model-based checks (single-feature target leak, adversarial validation, label issues) run the
  in-memory code on it, the figures are drawn from it and it sets the histogram bin edges.
* ``statistics`` -- one query: infinities, missing values, mean and standard deviation, and for
  each numeric column the number of values below each bin edge (train-sample deciles for PSI,
  the 199 train-sample quantiles of :data:`KS_PROBABILITIES` for KS: KS is measured at those
  points, a lower bound of the exact statistic). DuckDB counts them with one ``histogram`` per
  column, Spark with a ``Bucketizer`` and one ``GROUP BY``.
* ``value counts`` -- one query (a ``UNION ALL`` of the categorical columns, grouped): exact
  counts per category; a column with more than 50,000 distinct values gets its top 50 per split
  and an anti-join for the categories test has and train has not.
* ``duplicates`` -- 64-bit row hashes on the engine (DuckDB ``hash``, Spark ``xxhash64``,
  polars ``struct.hash``) of the raw and of the rounded z-scored feature values, each row of
  both splits hashed once and grouped in one query: repeats within train, test rows found in
  train and near-only ones are sums over the groups.
* ``shared groups`` -- distinct group keys of both splits joined on the engine.
* ``time overlap`` -- test rows not after train's maximum (from the profile), one count.

Example:
    >>> import duckdb
    >>> from toolkit.checks import health_report
    >>> from toolkit.checks.planted import planted_tables
    >>> train, test = planted_tables(5_000)
    >>> con = duckdb.connect()
    >>> report = health_report(con.from_arrow(train), con.from_arrow(test), target="target")
    >>> report.meta["engine"], report.meta["train_rows"]
    ('duckdb', 5000)
"""

from __future__ import annotations

import datetime as _dt
import time as _time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np

from toolkit.checks._frames import Table, feature_columns, to_table
from toolkit.checks.result import CheckResult, Finding
from toolkit.columns import FrameProfile, profile
from toolkit.errors import UsageError

__all__ = ["KS_PROBABILITIES", "SAMPLE_ROWS", "as_lazy", "engine_report"]

SAMPLE_ROWS = 100_000  # rows per split pulled to the driver for the model-based checks
_DECILES = np.linspace(0, 1, 11)[1:-1]  # the PSI bins of the in-memory path
# KS is measured at these train-sample quantiles, on every engine (DuckDB and Spark alike):
# 199 points, 0.5 % apart, so the largest CDF gap between them is close to the exact KS.
KS_PROBABILITIES = np.arange(1, 200) / 200
_WIDE = 50_000  # categorical columns with more distinct values: top-K and an anti-join
_TOP = 50
_OTHER = "\x1fother"  # the pooled rest of a wide column's counts
_EXAMPLES = 10
_SHOWN = 6  # feature values beside a duplicated row
_ENGINES = {"duckdb", "pyspark", "pyspark_connect", "polars"}


def as_lazy(frame: Any) -> nw.LazyFrame[Any] | None:
    """The narwhals ``LazyFrame`` of a lazy input (a narwhals LazyFrame, DuckDB relation,
    pyspark DataFrame, polars LazyFrame); ``None`` for anything else (eager frames).

    Example:
        >>> import polars as pl
        >>> as_lazy(pl.DataFrame({"a": [1]})) is None, as_lazy(pl.LazyFrame({"a": [1]})) is None
        (True, False)
    """
    if isinstance(frame, nw.LazyFrame):
        return frame
    if isinstance(frame, nw.DataFrame):
        return None
    try:
        out = nw.from_native(frame)
    except (TypeError, nw.exceptions.NarwhalsError):
        return None  # not a frame, or an eager one the in-memory path refuses by name
    return out if isinstance(out, nw.LazyFrame) else None


@dataclass(frozen=True)
class _Split:
    """One split on the engine: the lazy frame, its schema and profile, and the driver sample."""

    name: str
    frame: nw.LazyFrame[Any]
    schema: dict[str, Any]
    profile: FrameProfile
    rows: int
    sample: Table

    def numeric(self, col: str) -> bool:
        """Numbers or date/times (the in-memory path's "numeric" storage)."""
        dtype = self.schema[col]
        return bool((dtype.is_numeric() and dtype != nw.Boolean) or dtype.is_temporal())


def engine_report(
    train: Any,
    test: Any = None,
    *,
    target: str,
    group: str | None = None,
    time: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Any:
    """:func:`toolkit.checks.health_report` for lazy inputs (see the module docstring).

    ``train`` and ``test`` must be lazy frames of the same engine (joins run there).
    """
    from toolkit.checks.report import HealthReport, check_roles

    tick = progress or (lambda step: None)
    passes: dict[str, float] = {}

    def run(name: str, fn: Callable[[], Any]) -> Any:
        tick(name)
        start = _time.perf_counter()
        out = fn()
        passes[name] = passes.get(name, 0.0) + _time.perf_counter() - start
        return out

    lazy_tr = _lazy(train, "train")
    lazy_te = _lazy(test, "test") if test is not None else None
    if lazy_te is not None and lazy_te.implementation != lazy_tr.implementation:
        raise UsageError(
            f"test: a {lazy_te.implementation} frame but train is {lazy_tr.implementation}; "
            "pass both splits on one engine"
        )
    if time is not None:  # before any pass: a refusal should not wait for the profile
        for frame, name in ((lazy_tr, "train"), (lazy_te, "test")):
            _check_time_column(frame, name, time)
    tr = _open(lazy_tr, "train", run)
    te = _open(lazy_te, "test", run) if lazy_te is not None else None
    check_roles(list(tr.schema), None if te is None else list(te.schema), target, group, time)
    roles = (target, group, time)
    features = feature_columns(tr.sample, exclude=roles)
    classes = tr.profile.is_classification(target)
    with_target = te is not None and target in te.schema

    drift_cols = [*features, target] if with_target else list(features)
    numeric_cols = [c for c in drift_cols if te is None or _both_numeric(tr, te, c, c)]
    if te is None:
        numeric_cols = []
    edges = {c: _edges(tr.sample, c) for c in numeric_cols}
    near_cols = [c for c in features if tr.numeric(c) and not tr.schema[c].is_temporal()]
    st_tr = run("statistics train", lambda: _statistics(tr, edges, near_cols))
    st_te = run("statistics test", lambda: _statistics(te, edges, [])) if te else None
    cat_cols = [c for c in drift_cols if c not in numeric_cols] if te is not None else []
    counted = list(dict.fromkeys([*cat_cols, *([target] if classes else [])]))
    vc_tr = run("value counts train", lambda: _value_counts(tr, counted))
    vc_te = (
        run("value counts test", lambda: _value_counts(te, [c for c in counted if c in te.schema]))
        if te is not None
        else {}
    )

    results: list[CheckResult] = [_quality(tr, te, target, classes, st_tr, st_te, vc_tr, vc_te)]
    results.append(
        _leakage(tr, te, target, group, time, features, st_tr, run)  # engine joins + sample
    )
    if te is not None:
        results.append(
            run(
                "drift",
                lambda: _drift(
                    tr, te, drift_cols, numeric_cols, edges, st_tr, st_te, vc_tr, vc_te, target
                ),
            )
        )
        if with_target and classes:
            results.append(_new_labels(te, target, vc_tr, vc_te))
        from toolkit.checks.train_test_drift import adversarial_validation

        adv = run(
            "adversarial validation (sample)",
            lambda: adversarial_validation(tr.sample, te.sample, columns=features),
        )
        adv.summary["sampled_rows"] = {"train": tr.sample.n_rows, "test": te.sample.n_rows}
        results.append(adv)
    if classes and features:
        from toolkit.checks.report import label_step

        results.append(
            run("label issues (sample)", lambda: label_step(tr.sample, target, features))
        )
    meta = {
        "train_rows": tr.rows,
        "test_rows": te.rows if te is not None else None,
        "columns": len(tr.schema),
        "target": target,
        "group": group,
        "time": time,
        "engine": str(lazy_tr.implementation),
        "sample_rows": {
            "train": tr.sample.n_rows,
            **({"test": te.sample.n_rows} if te is not None else {}),
        },
        "passes": {k: round(v, 3) for k, v in passes.items()},
    }
    timings = _timings(passes, results)
    return HealthReport(results, meta, tr.sample, te.sample if te else None, timings)


# ------------------------------------------------------------------------------------- opening


def _lazy(frame: Any, name: str) -> nw.LazyFrame[Any]:
    lazy = as_lazy(frame)
    if lazy is None:
        raise UsageError(
            f"{name}: expected a lazy frame (DuckDB relation, pyspark DataFrame, polars LazyFrame)"
            f" like the other split, got {type(frame).__name__}"
        )
    if str(lazy.implementation) not in _ENGINES:
        raise UsageError(
            f"{name}: the {lazy.implementation} engine is not supported; use DuckDB, Spark or "
            "polars"
        )
    return lazy


def _open(frame: nw.LazyFrame[Any], name: str, run: Callable[..., Any]) -> _Split:
    """Profile and sample one split (the first two passes)."""
    schema = dict(frame.collect_schema())
    if not schema:
        raise UsageError(f"{name}: the relation has no columns")
    spark = str(frame.implementation).startswith("pyspark")
    counter = _spark_distinct if spark else None  # DuckDB, polars: count(DISTINCT) is fine
    prof: FrameProfile = run(f"profile {name}", lambda: profile(frame, distinct=counter))
    if prof.rows == 0:
        raise UsageError(f"{name}: the relation has no rows")
    seed = 0 if name == "train" else 1
    sample = run(f"sample {name}", lambda: _sample(frame, prof.rows, SAMPLE_ROWS, seed))
    table = to_table(sample, name, whole=prof, population=prof.rows)
    return _Split(name, frame, schema, prof, prof.rows, table)


def _spark_distinct(frame: nw.LazyFrame[Any], columns: list[str]) -> dict[str, int]:
    """Distinct values per column (null counts as one, as ``n_unique``) in one Spark job.

    Spark runs several ``count(DISTINCT)`` of one query over an ``Expand``: every row copied
    once per column, all columns wide (40 s vs 6 s at 1M x 13 here). Instead each row becomes
    narrow ``(column, xxhash64(value))`` pairs, made distinct and counted per column. Two of
    10M distinct values share a 64-bit hash with probability ~3e-6 (a count one too low)."""
    from pyspark.sql import functions as F

    if not columns:
        return {}
    native = frame.to_native()
    kinds = dict(native.dtypes)

    def value(col: str) -> Any:
        c = F.col(_backticked(col))
        if kinds[col] in ("double", "float"):  # NaN is missing, -0.0 is 0.0 (as n_unique)
            return F.when(c.isNotNull() & ~F.isnan(c), F.xxhash64(c + F.lit(0.0)))
        return F.when(c.isNotNull(), F.xxhash64(c))

    pairs = F.explode(
        F.array(
            *(F.struct(F.lit(i).alias("i"), value(c).alias("h")) for i, c in enumerate(columns))
        )
    )
    counted = native.select(pairs.alias("p")).select("p.i", "p.h").distinct().groupBy("i").count()
    got = {int(r[0]): int(r[1]) for r in counted.collect()}
    return {c: got.get(i, 0) for i, c in enumerate(columns)}


def _backticked(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _sample(frame: nw.LazyFrame[Any], rows: int, size: int, seed: int) -> Any:
    """A fixed-seed sample of at most ``size`` rows as a polars DataFrame (the engine picks)."""
    if rows > size:
        native = frame.to_native()
        engine = str(frame.implementation)
        if engine == "duckdb":
            native = native.query(
                "toolkit_sample",
                f"SELECT * FROM toolkit_sample USING SAMPLE reservoir({size} ROWS) "
                f"REPEATABLE ({seed})",
            )
        elif engine.startswith("pyspark"):
            fraction = min(1.0, 1.2 * size / rows)
            native = native.sample(withReplacement=False, fraction=fraction, seed=seed).limit(size)
        else:  # polars: a hash of the row index keeps a stable share of rows, streaming
            import polars as pl

            keep = int(size / rows * 1_000_000)
            native = (
                native.with_row_index("__toolkit_row")
                .filter(pl.col("__toolkit_row").hash(seed) % 1_000_000 < keep)
                .drop("__toolkit_row")
            )
        frame = nw.from_native(native)
    return frame.collect(backend="polars").to_native()


# The report step each pass belongs to (the page lists seconds per check).
_STEP_OF = {
    "profile": "data quality",
    "sample": "data quality",
    "statistics": "data quality",
    "value counts": "data quality",
    "duplicates": "leakage",
    "shared groups": "leakage",
    "time overlap": "leakage",
    "target leak": "leakage",
    "drift": "drift",
    "adversarial validation": "adversarial validation",
    "label issues": "label issues",
}
_STEP_OF_RESULT = {
    "data_quality": "data quality",
    "leakage": "leakage",
    "drift": "drift",
    "new_labels": "new labels",
    "adversarial_validation": "adversarial validation",
    "label_issues": "label issues",
}


def _timings(passes: dict[str, float], results: list[CheckResult]) -> dict[str, float]:
    """Seconds per report step, in the order of ``results``, summed from the passes."""
    out = {_STEP_OF_RESULT[r.name]: 0.0 for r in results}
    for name, seconds in passes.items():
        step = next(v for k, v in _STEP_OF.items() if name.startswith(k))
        out[step] = out.get(step, 0.0) + seconds
    return out


# ---------------------------------------------------------------------------------- expressions


def _number(col: str) -> nw.Expr:
    """A numeric column as Float64 with NaN and infinities as null (the in-memory path reads
    them as missing)."""
    value = nw.col(col).cast(nw.Float64)
    return nw.when(value.is_finite()).then(value)


def _both_numeric(a: _Split, b: _Split, col_a: str, col_b: str) -> bool:
    return a.numeric(col_a) and b.numeric(col_b)


def _value_expr(split: _Split, other: _Split | None, col: str) -> nw.Expr:
    """``col`` as both splits hash and join it: Float64 (finite or null) when numeric in both,
    date/times as they are, otherwise its text."""
    dtype = split.schema[col]
    both = other is None or other.numeric(col)
    if dtype.is_temporal() and both:
        return nw.col(col)
    if split.numeric(col) and both:
        return _number(col)
    return nw.col(col).cast(nw.String)


def _literal(value: float, dtype: Any) -> Any:
    """A bin edge (seconds since the epoch for date/times) as a literal of the column's type."""
    if dtype.is_temporal():
        utc = _dt.datetime.fromtimestamp(value, tz=_dt.timezone.utc)
        return utc if getattr(dtype, "time_zone", None) else utc.replace(tzinfo=None)
    return float(value)


def _seconds(value: Any) -> float:
    """A date/time or a number as float seconds since the epoch (naive times read as UTC)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return float(value.timestamp())
    if isinstance(value, _dt.date):
        return _seconds(_dt.datetime(value.year, value.month, value.day))
    return float(value)


def _scalars(frame: nw.LazyFrame[Any], exprs: list[nw.Expr]) -> list[Any]:
    """The single result row of the aggregations ``exprs``, in order (one query)."""
    if not exprs:
        return []
    aliased = [e.alias(f"a{i}") for i, e in enumerate(exprs)]
    row = frame.select(*aliased).collect().rows()[0]
    return [_plain(v) for v in row]


def _plain(value: Any) -> Any:
    """SQL DECIMAL sums as Python numbers."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _count(frame: nw.LazyFrame[Any]) -> int:
    return int(_scalars(frame, [nw.len()])[0])


# ---------------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class _Stats:
    """The statistics pass of one split."""

    infinite: dict[str, int]
    missing: dict[str, int]  # numeric columns: null, NaN or infinite
    below: dict[str, np.ndarray[Any, Any]]  # values below each edge: PSI edges, then KS
    mean_std: dict[str, tuple[float, float]]


def _edges(sample: Table, col: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The shared bin edges of ``col`` from the train sample: its deciles (PSI, as the
    in-memory path bins) and its :data:`KS_PROBABILITIES` quantiles (where KS is measured)."""
    values = sample.columns[col]
    finite = values[np.isfinite(values)]
    if not len(finite):
        return np.zeros(0), np.zeros(0)
    return np.unique(np.quantile(finite, _DECILES)), np.unique(
        np.quantile(finite, KS_PROBABILITIES)
    )


_Edges = dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]

# One aggregation of the statistics pass: its kind, the narwhals aggregate of a row
# expression, and the same aggregate in DuckDB SQL (the DuckDB pass adds histograms to it).
_AGGREGATES: dict[str, tuple[Callable[[nw.Expr], nw.Expr], str]] = {
    "inf": (lambda e: e.sum(), "sum({})"),
    "missing": (lambda e: e.null_count(), "count(*) - count({})"),
    "mean": (lambda e: e.mean(), "avg({})"),
    "std": (lambda e: e.std(ddof=0), "stddev_pop({})"),
}


def _statistics(
    split: _Split | None, edges: _Edges, moments: list[str], buckets: bool | None = None
) -> _Stats:
    """One query: infinities, missing, values below the bin edges, mean and std. DuckDB
    counts the values below the edges with a histogram per column in the same query; on
    Spark (``buckets``, default: whether the split is on Spark) they are a second query,
    :func:`_spark_below`; elsewhere one conditional sum per edge."""
    assert split is not None
    engine = str(split.frame.implementation)
    if buckets is None:
        buckets = engine.startswith("pyspark")
    items: list[tuple[str, str, nw.Expr]] = []  # (kind, column, row expression)
    for col, dtype in split.schema.items():
        if dtype.is_float():
            items.append(("inf", col, (nw.col(col).abs() == float("inf")).cast(nw.Int64)))
    cut_cols = [c for c in edges if c in split.schema]
    items += [("missing", c, _cut_value(split, c)) for c in cut_cols]
    for col in moments:
        items += [("mean", col, _number(col)), ("std", col, _number(col))]
    cuts = {c: np.concatenate(edges[c]) for c in cut_cols}
    if buckets:
        values, _ = _generic_statistics(split, items, {})
        below = _spark_below(split, cuts)
    elif engine == "duckdb":
        values, below = _duckdb_statistics(split, items, cuts)
    else:
        values, below = _generic_statistics(split, items, cuts)
    out = _Stats({}, {}, {c: np.zeros(len(a) + len(b)) for c, (a, b) in edges.items()}, {})
    out.below.update(below)
    for (what, col, _), v in zip(items, values, strict=True):
        if what == "inf" and v:
            out.infinite[col] = int(v)
        elif what == "missing":
            out.missing[col] = int(v)
        elif what == "mean":
            out.mean_std[col] = (_float(v), float("nan"))
        elif what == "std":
            out.mean_std[col] = (out.mean_std[col][0], _float(v))
    return out


def _cut_value(split: _Split, col: str) -> nw.Expr:
    """What the bin edges cut: a date/time as it is, a number as Float64 (finite or null)."""
    return nw.col(col) if split.schema[col].is_temporal() else _number(col)


def _generic_statistics(
    split: _Split, items: list[tuple[str, str, nw.Expr]], cuts: dict[str, np.ndarray[Any, Any]]
) -> tuple[list[Any], dict[str, np.ndarray[Any, Any]]]:
    """The statistics as narwhals aggregations: one ``sum(value < edge)`` per bin edge."""
    exprs = [_AGGREGATES[what][0](e) for what, _, e in items]
    for col, points in cuts.items():
        value, dtype = _cut_value(split, col), split.schema[col]
        exprs += [(value < nw.lit(_literal(float(p), dtype))).cast(nw.Int64).sum() for p in points]
    values = _scalars(split.frame, exprs)
    below, at = {}, len(items)
    for col, points in cuts.items():
        below[col] = np.asarray([0 if v is None else v for v in values[at : at + len(points)]])
        at += len(points)
    return values[: len(items)], below


def _duckdb_statistics(
    split: _Split, items: list[tuple[str, str, nw.Expr]], cuts: dict[str, np.ndarray[Any, Any]]
) -> tuple[list[Any], dict[str, np.ndarray[Any, Any]]]:
    """The statistics on DuckDB in one scan: narwhals projects the row expressions, and one
    ``histogram(-value, edges)`` per column counts the values at or above every edge at once
    (a binary search per row, where one ``sum(value < edge)`` per edge costs a comparison per
    row and edge); below = present - at or above."""
    cols = list(cuts)
    projected = split.frame.select(
        *(e.alias(f"__s{i}") for i, (_, _, e) in enumerate(items)),
        *(_cut_value(split, c).alias(f"__c{j}") for j, c in enumerate(cols)),
    ).to_native()
    sql = [_AGGREGATES[what][1].format(f"__s{i}") for i, (what, _, _) in enumerate(items)]
    bounds = {c: np.unique(-_cut_number(cuts[c], split.schema[c])) for c in cols}
    for j, c in enumerate(cols):
        value = f"epoch_us(__c{j})" if split.schema[c].is_temporal() else f"__c{j}"
        edges = ", ".join(repr(float(b)) for b in bounds[c])
        sql += [f"histogram(-CAST({value} AS DOUBLE), [{edges}]::DOUBLE[])", f"count(__c{j})"]
    row = [_plain(v) for v in projected.aggregate(", ".join(sql)).fetchall()[0]]
    below = {}
    for j, c in enumerate(cols):
        counts, present = row[len(items) + 2 * j] or {}, int(row[len(items) + 2 * j + 1])
        # bucket b holds -value in (previous bound, b]: the running sum at -edge counts the
        # values >= edge
        at_or_above = np.cumsum([counts.get(b, 0) for b in bounds[c]])
        where = np.searchsorted(bounds[c], -_cut_number(cuts[c], split.schema[c]), side="right")
        below[c] = present - at_or_above[where - 1]
    return row[: len(items)], below


def _spark_below(split: _Split, cuts: dict[str, np.ndarray[Any, Any]]) -> dict[str, Any]:
    """Per column, the values below each of its ``cuts`` (finite numbers; date/times at
    microseconds, as the comparison with a time literal): Spark ML's ``Bucketizer`` puts
    each value in its bin by binary search, one ``GROUP BY`` counts the bins, the driver sums
    them. One conditional sum per cut instead (~300 in one query here) is a query Spark plans
    and compiles slowly: 26-42 s vs 9 s at 1M rows x 11 columns x 27 cuts on 2 cores."""
    from pyspark.ml.feature import Bucketizer
    from pyspark.sql import functions as F

    cols = [c for c in cuts if len(cuts[c])]
    out = {c: np.zeros(len(cuts[c])) for c in cuts}
    if not cols:
        return out
    inputs, points = [], []
    for i, col in enumerate(cols):
        dtype, c = split.schema[col], F.col(_backticked(col))
        if dtype.is_temporal():
            value = F.unix_micros(c.cast("timestamp")).cast("double")
            at = [float(_micros(_literal(float(e), dtype))) for e in cuts[col]]
        else:
            value = c.cast("double")
            value = F.when(~F.isnan(value) & (F.abs(value) != F.lit(float("inf"))), value)
            at = [float(e) for e in cuts[col]]
        inputs.append(F.coalesce(value, F.lit(float("nan"))).alias(f"__x{i}"))  # NaN: no bin
        points.append(at)
    bins = [sorted(set(at)) for at in points]
    bucketizer = Bucketizer(
        splitsArray=[[-float("inf"), *b, float("inf")] for b in bins],
        inputCols=[f"__x{i}" for i in range(len(cols))],
        outputCols=[f"__b{i}" for i in range(len(cols))],
        handleInvalid="keep",  # NaN (missing, infinite) into an extra bin past the last
    )
    binned = bucketizer.transform(split.frame.to_native().select(*inputs))
    pairs = F.explode(
        F.array(
            *(F.struct(F.lit(i).alias("i"), F.col(f"__b{i}").alias("b")) for i in range(len(cols)))
        )
    )
    counts = [np.zeros(len(b) + 2) for b in bins]
    for i, b, n in binned.select(pairs.alias("p")).groupBy("p.i", "p.b").count().collect():
        counts[int(i)][int(b)] += int(n)
    for i, col in enumerate(cols):
        # bin k holds bins[k-1] <= v < bins[k]: v < bins[k] for the bins 0..k
        cumulative = np.cumsum(counts[i])
        where = {p: k for k, p in enumerate(bins[i])}
        out[col] = np.asarray([cumulative[where[p]] for p in points[i]])
    return out


def _micros(moment: Any) -> int:
    """A datetime as whole microseconds since the epoch (naive read as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return int((moment - _dt.datetime(1970, 1, 1)) // _dt.timedelta(microseconds=1))


def _cut_number(points: np.ndarray[Any, Any], dtype: Any) -> np.ndarray[Any, Any]:
    """Bin edges as the numbers DuckDB's histogram compares: microseconds for date/times
    (edges are seconds since the epoch)."""
    return np.round(points * 1e6) if dtype.is_temporal() else points.astype(float)


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)


# -------------------------------------------------------------------------------- value counts


def _label(value: Any, dtype: Any) -> str | None:
    """A category's text as the in-memory path spells it (booleans "True"/"False", whole
    numbers without ".0"); ``None`` for missing."""
    if value is None:
        return None
    if dtype == nw.Boolean:
        return "True" if str(value).lower() == "true" else "False"
    if dtype.is_numeric():
        number = float(value)
        return str(int(number)) if number.is_integer() else str(number)
    return str(value)


def _value_counts(split: _Split | None, columns: list[str]) -> dict[str, dict[str | None, int]]:
    """Exact counts per category (``None`` = missing) of the low-cardinality ``columns`` in one
    query; wide columns (more than 50,000 values) keep their top 50 and an "other" count."""
    if split is None or not columns:
        return {}
    wide = [c for c in columns if (split.profile[c].distinct or 0) > _WIDE]
    narrow = [c for c in columns if c not in wide]
    out: dict[str, dict[str | None, int]] = {c: {} for c in columns}
    if narrow:
        parts = [
            split.frame.select(
                nw.lit(i).cast(nw.Int64).alias("__c"), nw.col(c).cast(nw.String).alias("__v")
            )
            for i, c in enumerate(narrow)
        ]
        grouped = nw.concat(parts, how="vertical").group_by("__c", "__v").agg(nw.len())
        for i, value, n in grouped.collect().rows():
            col = narrow[int(i)]
            key = _label(value, split.schema[col])
            out[col][key] = out[col].get(key, 0) + int(n)
    for col in wide:
        top = (
            split.frame.group_by(col)
            .agg(nw.len().alias("__n"))
            .sort("__n", descending=True)
            .head(_TOP)
            .collect()
            .rows()
        )
        counts = {_label(v, split.schema[col]): int(n) for v, n in top}
        missing = split.profile[col].missing
        counts.setdefault(None, missing)
        counts[_OTHER] = split.rows - sum(counts.values())
        out[col] = counts
    return out


def _unseen(
    tr: _Split, te: _Split, col: str, vc_tr: dict[str | None, int], vc_te: dict[str | None, int]
) -> tuple[dict[str, int], tuple[int, int]]:
    """Test categories never seen in train with their test rows, and (categories, rows) of
    the further ones not named (a wide column names its 50 most common)."""
    if _OTHER not in vc_tr and _OTHER not in vc_te:
        return {k: n for k, n in vc_te.items() if k is not None and k not in vc_tr}, (0, 0)
    # Wide column: an anti-join on the engine, grouped by category (every row counted).
    value = _value_expr(te, tr, col).alias("__v")
    seen = tr.frame.select(_value_expr(tr, te, col).alias("__v")).drop_nulls().unique()
    rows = te.frame.select(value).drop_nulls().join(seen, on="__v", how="anti")
    named = rows.group_by("__v").agg(nw.len().alias("__n"))
    top = named.sort(["__n", "__v"], descending=[True, False]).head(_TOP).collect().rows()
    categories, total = _scalars(named, [nw.len(), nw.col("__n").sum()])
    shown = {str(v): int(n) for v, n in top}
    return shown, (int(categories) - len(shown), int(total or 0) - sum(shown.values()))


# The split flag ``__t`` of rows grouped across both splits: null on train, 1 on test.
_TRAIN_ROW, _TEST_ROW = nw.lit(None, nw.Int8), nw.lit(1, nw.Int8)


def _rows_by_split(both: nw.LazyFrame[Any], key: str) -> nw.LazyFrame[Any]:
    """Train rows (``__a``) and test rows (``__b``) per ``key`` of both splits' rows, flagged
    ``__t`` (:data:`_TEST_ROW`), in one spillable aggregation whose per-group state is two
    counts. A sum of a 0/1 flag instead is a 128-bit sum per group on DuckDB, which ran out of
    memory at 100M rows (see :func:`_duplicates`)."""
    counts = both.group_by(key).agg(nw.len().alias("__c"), nw.col("__t").count().alias("__b"))
    return counts.select(key, (nw.col("__c") - nw.col("__b")).alias("__a"), "__b")


def _wide_counts(
    tr: _Split, te: _Split, col: str
) -> tuple[dict[str | None, int], dict[str | None, int]]:
    """Train and test counts of a wide column's 50 most common categories of both splits
    together, the rest pooled: what the drift finish keeps of a column's counts, exact."""
    parts = [
        split.frame.select(_value_expr(split, other, col).alias("__v"), flag.alias("__t"))
        for split, other, flag in ((tr, te, _TRAIN_ROW), (te, tr, _TEST_ROW))
    ]
    grouped = _rows_by_split(nw.concat(parts, how="vertical"), "__v").with_columns(
        (nw.col("__a") + nw.col("__b")).alias("__n")
    )
    top = grouped.sort(["__n", "__v"], descending=[True, False], nulls_last=True).head(_TOP)
    dtype = tr.schema[col]
    a: dict[str | None, int] = {}
    b: dict[str | None, int] = {}
    for value, n_a, n_b, _ in top.collect().rows():
        a[_label(value, dtype)], b[_label(value, dtype)] = int(n_a), int(n_b)
    a[_OTHER], b[_OTHER] = tr.rows - sum(a.values()), te.rows - sum(b.values())
    return a, b


# ------------------------------------------------------------------------------------- checks


def _quality(
    tr: _Split,
    te: _Split | None,
    target: str,
    classes: bool,
    st_tr: _Stats,
    st_te: _Stats | None,
    vc_tr: dict[str, dict[str | None, int]],
    vc_te: dict[str, dict[str | None, int]],
) -> CheckResult:
    from toolkit.checks.report import QualityStats, quality_findings

    def class_counts(
        counts: dict[str | None, int],
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        present = sorted((k, n) for k, n in counts.items() if k is not None and n > 0)
        return (
            np.asarray([k for k, _ in present], dtype=str),
            np.asarray([n for _, n in present], dtype=np.int64),
        )

    missing = tr.profile[target].missing
    infinite = {"train": st_tr.infinite}
    if te is not None and st_te is not None:
        infinite["test"] = st_te.infinite
    with_target = te is not None and target in te.schema and target in vc_te
    return quality_findings(
        QualityStats(
            profile=tr.profile,
            target=target,
            infinite=infinite,
            target_missing=missing,
            train_rows=tr.rows,
            class_counts=class_counts(vc_tr[target]) if classes and missing < tr.rows else None,
            test_class_counts=class_counts(vc_te[target]) if classes and with_target else None,
        )
    )


def _leakage(
    tr: _Split,
    te: _Split | None,
    target: str,
    group: str | None,
    time: str | None,
    features: list[str],
    st_tr: _Stats,
    run: Callable[..., Any],
) -> CheckResult:
    from toolkit.checks.train_test_leakage import (
        id_like_columns,
        missing_columns_findings,
        profile_findings,
        shared_groups_findings,
        target_predictors,
        time_overlap_findings,
    )

    roles = (target, group, time)
    findings = profile_findings(tr.profile, roles)
    findings += run(
        "target leak (sample)",
        lambda: target_predictors(tr.sample, te.sample if te else None, target, features),
    )
    summary: dict[str, Any] = {
        "features": len(features),
        "id_like": list(id_like_columns(tr.sample, exclude=roles)),
    }
    if te is None:
        return CheckResult("leakage", findings, summary)
    findings += missing_columns_findings(features, list(te.schema))
    shared = [c for c in features if c in te.schema]
    if shared:
        dup_findings, dup_summary = run("duplicates", lambda: _duplicates(tr, te, shared, st_tr))
        findings += dup_findings
        summary.update(dup_summary)
    if group is not None:
        findings += shared_groups_findings(
            group, *run("shared groups", lambda: _groups(tr, te, group))
        )
    if time is not None:
        count, end = run("time overlap", lambda: _time_overlap(tr, te, time))
        findings += time_overlap_findings(time, count, te.rows, end) if end is not None else []
    return CheckResult("leakage", findings, summary)


def _row_hashes(
    split: _Split, parts: dict[str, list[nw.Expr]], keep: dict[str, nw.Expr]
) -> nw.LazyFrame[Any]:
    """``split`` as one 64-bit hash column per entry of ``parts`` (over its expressions) plus
    the ``keep`` columns: the engine's hash function, which narwhals does not offer."""
    aliases = {key: [f"__{key}{i}" for i in range(len(es))] for key, es in parts.items()}
    flat = split.frame.select(
        *(e.alias(a) for key, es in parts.items() for e, a in zip(es, aliases[key], strict=True)),
        *(e.alias(name) for name, e in keep.items()),
    )
    native = flat.to_native()
    engine = str(split.frame.implementation)
    if engine == "duckdb":
        hashes = [
            f"hash({', '.join(_quoted(a) for a in al)}) AS {key}" for key, al in aliases.items()
        ]
        out = native.project(", ".join([*hashes, *(_quoted(k) for k in keep)]))
    elif engine.startswith("pyspark"):
        from pyspark.sql import functions as F

        # Spark's hashes skip nulls: each value's null flag goes in too, so (null, 1) and
        # (1, null) differ.
        out = native.select(
            *(
                F.xxhash64(*(x for a in al for x in (F.col(a), F.col(a).isNull()))).alias(key)
                for key, al in aliases.items()
            ),
            *keep,
        )
    else:
        import polars as pl

        out = native.select(
            *(pl.struct(al).hash(seed=0).alias(key) for key, al in aliases.items()), *keep
        )
    hashed: nw.LazyFrame[Any] = nw.from_native(out)
    return hashed


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _duplicates(
    tr: _Split, te: _Split, columns: list[str], st_tr: _Stats
) -> tuple[list[Finding], dict[str, Any]]:
    """Exact and near-duplicate rows across the splits: two aggregations on the engine.

    Both splits' row hashes are grouped together by hash, counting train and test rows per
    hash -- once by the exact values (``h``), once by the numbers as rounded z-scores (``n``,
    "near"): repeats within train and test rows whose hash train has are sums over the
    groups. Exact duplicates are near ones too, so near-only = near - exact. Each is one
    spillable hash aggregate (semi-joins hashed train four times; grouping the groups again
    in one query ran DuckDB out of memory at 100M rows). The exact query also returns up to
    ten duplicated keys, whose test rows are then found by a filter on those literals.

    A group's state is kept narrow: its hash and two counts (rows, and test rows as the count
    of a flag that is null on train). Summing a 0/1 flag instead made DuckDB keep a 128-bit
    sum per group, and at 100M rows (~100M groups) that aggregate ran out of memory under a
    3 GiB limit; the two counts finish under it (the exact query alone: 17 s, 3.1 GiB peak
    RSS; the whole 100M report: docs/checks.md "At scale").
    """

    def hashed(split: _Split, other: _Split, keep: dict[str, nw.Expr]) -> nw.LazyFrame[Any]:
        exact = [_value_expr(split, other, c) for c in columns]
        near = [_near_value(split, other, c, st_tr) for c in columns]
        return _row_hashes(split, {"h": exact, "n": near}, keep)

    shown = columns[:_SHOWN]
    keep = {f"__v{i}": nw.col(c) for i, c in enumerate(shown)}
    with _kept(
        hashed(tr, te, {"__t": _TRAIN_ROW}),
        hashed(te, tr, {"__t": _TEST_ROW, **keep}),
    ) as (h_tr, h_te):
        return _duplicate_counts(tr, te, h_tr, h_te, shown)


def _duplicate_counts(
    tr: _Split, te: _Split, h_tr: nw.LazyFrame[Any], h_te: nw.LazyFrame[Any], shown: list[str]
) -> tuple[list[Finding], dict[str, Any]]:
    """The duplicate findings from the hashed splits (``h``: exact, ``n``: near row hashes,
    ``__t``: null on train, 1 on test; test also has the ``shown`` values as ``__v0`` ...)."""
    from toolkit.checks.train_test_leakage import duplicate_finding

    both = nw.concat([f.select("h", "n", "__t") for f in (h_tr, h_te)], how="vertical")
    a, b = nw.col("__a"), nw.col("__b")
    sums = [nw.when(a > 0).then(b).otherwise(0).sum(), nw.when(a > 1).then(a).otherwise(0).sum()]
    hit = (a > 0) & (b > 0)
    # ten example keys from the same query: the least and greatest duplicated hash of 5 strata
    stratum = (nw.col("h") % 5).abs()  # Spark's hashes are signed
    keys = [
        getattr(nw.when(hit & (stratum == k)).then(nw.col("h")), end)()
        for k in range(5)
        for end in ("min", "max")
    ]
    exact = _scalars(_rows_by_split(both, "h"), [*sums, *keys])
    near = _scalars(_rows_by_split(both, "n"), sums)
    n_exact, repeats = (int(v or 0) for v in exact[:2])
    n_near = int(near[0] or 0) - n_exact  # test rows whose near row train has, less the exact
    within, within_near = repeats / tr.rows, int(near[1] or 0) / tr.rows
    findings: list[Finding] = []
    for kind, count, base in (("exact", n_exact, within), ("near", n_near, within_near)):
        if not count:
            continue
        if kind == "exact":
            rows = h_te.filter(_one_of("h", sorted({k for k in exact[2:] if k is not None})))
        else:  # rare: semi- and anti-joins, only when near duplicates were counted
            near_keys, exact_keys = h_tr.select("n").unique(), h_tr.select("h").unique()
            rows = h_te.join(near_keys, on="n", how="semi").join(exact_keys, on="h", how="anti")
        picked = rows.select(*(f"__v{i}" for i in range(len(shown)))).head(_EXAMPLES)
        examples = [dict(zip(shown, r, strict=True)) for r in picked.collect().rows()]
        finding = duplicate_finding(kind, count, te.rows, base, {"examples": examples})
        findings += [finding] if finding else []
    summary = {
        "duplicate_test_rows": n_exact,
        "near_duplicate_test_rows": n_near,
        "within_train_duplicate_rate": within,
    }
    return findings, summary


def _near_value(split: _Split, other: _Split, col: str, st_tr: _Stats) -> nw.Expr:
    """``col`` as the near-duplicate hash sees it: numbers z-scored on train, to 2 decimals."""
    value = _value_expr(split, other, col)
    if col not in st_tr.mean_std or not (split.numeric(col) and other.numeric(col)):
        return value
    mean, std = st_tr.mean_std[col]
    if not std > 0:  # constant or empty column (std 0 or NaN)
        mean, std = 0.0, 1.0
    return ((value - mean) / std).round(2) + 0.0  # +0.0 folds -0.0 into 0.0


def _one_of(col: str, values: list[Any]) -> nw.Expr:
    """``col`` equals one of a few ``values`` (ORed comparisons: polars' ``is_in`` on a list
    is ambiguous for some dtypes)."""
    out = nw.lit(False)
    for value in values:
        out = out | (nw.col(col) == nw.lit(value))
    return out


@contextmanager
def _kept(*frames: nw.LazyFrame[Any]) -> Iterator[tuple[nw.LazyFrame[Any], ...]]:
    """``frames`` kept while the block runs. Spark: persisted (memory, then local disk), so
    the several queries over them read the kept rows instead of recomputing them from the
    files (the row hashes are ~2 x 8 bytes a row); other engines: as they are (DuckDB reads
    only the hash each query uses)."""
    if not all(str(f.implementation).startswith("pyspark") for f in frames):
        yield frames
        return
    from pyspark import StorageLevel

    natives = [f.to_native().persist(StorageLevel.MEMORY_AND_DISK) for f in frames]
    try:
        yield tuple(nw.from_native(n) for n in natives)
    finally:
        for native in natives:
            native.unpersist()


def _groups(tr: _Split, te: _Split, group: str) -> tuple[int, float, list[Any]]:
    """(shared values, share of test rows in them, the first 10) by joins on the engine."""
    keys_tr = tr.frame.select(_value_expr(tr, te, group).alias("__g")).drop_nulls().unique()
    keys_te = te.frame.select(_value_expr(te, tr, group).alias("__g")).drop_nulls().unique()
    shared = keys_tr.join(keys_te, on="__g", how="inner")
    n_shared = _count(shared)
    if not n_shared:
        return 0, 0.0, []
    examples = [r[0] for r in shared.sort("__g").head(_EXAMPLES).collect().rows()]
    in_shared = te.frame.select(_value_expr(te, tr, group).alias("__g")).join(
        shared, on="__g", how="semi"
    )
    return n_shared, _count(in_shared) / te.rows, examples


def _check_time_column(frame: nw.LazyFrame[Any] | None, name: str, time: str) -> None:
    """The time column on an engine is a date/time or a number; text dates are refused (the
    in-memory engines parse them, with the formats :func:`toolkit.columns.parse_dates` knows;
    an engine would need its own parser, with other rules)."""
    dtype = None if frame is None else frame.collect_schema().get(time)
    if dtype is None or dtype.is_temporal() or (dtype.is_numeric() and dtype != nw.Boolean):
        return  # absent: check_roles names it
    raise UsageError(
        f"time={time!r}: {dtype} in {name}; on a lazy engine the time column must be a "
        f"date/time or a number: cast it in the query (CAST({time} AS TIMESTAMP)) or use "
        "--engine polars, which parses text dates"
    )


def _time_overlap(tr: _Split, te: _Split, time: str) -> tuple[int, float | None]:
    """(test rows not after train's last time, that time in seconds) -- one count."""
    end = tr.profile[time].maximum
    if end is None or te.profile[time].present == 0:
        return 0, None
    value = nw.col(time) if tr.schema[time].is_temporal() else _number(time)
    return _count(te.frame.filter(value <= nw.lit(end))), _seconds(end)


def _drift(
    tr: _Split,
    te: _Split,
    columns: list[str],
    numeric: list[str],
    edges: _Edges,
    st_tr: _Stats,
    st_te: _Stats | None,
    vc_tr: dict[str, dict[str | None, int]],
    vc_te: dict[str, dict[str | None, int]],
    target: str,
) -> CheckResult:
    """Per-column drift from the statistics and value-count passes (no new query except the
    anti-join of a wide column)."""
    from toolkit.checks.train_test_drift import (
        categorical_drift_from_counts,
        drift_findings,
        ks_from_below,
        psi_from_below,
        unseen_finding,
    )

    assert st_te is not None
    findings: list[Finding] = []
    stats: dict[str, dict[str, float]] = {}
    for col in columns:
        if col not in te.schema:
            continue
        if col in numeric:
            miss_a, miss_b = st_tr.missing[col], st_te.missing[col]
            n_a, n_b = tr.rows - miss_a, te.rows - miss_b
            stat: dict[str, float] = {
                "missing_train": miss_a / tr.rows,
                "missing_test": miss_b / te.rows,
            }
            psi_cuts = edges[col][0]
            if n_a < 5 or n_b < 5 or not len(psi_cuts):
                stat.update(psi=0.0, ks=0.0, p_value=1.0)
            else:
                k = len(psi_cuts)
                below_a, below_b = st_tr.below[col], st_te.below[col]
                ks, p = ks_from_below(below_a[k:], n_a, below_b[k:], n_b)
                stat.update(
                    psi=psi_from_below(below_a[:k], n_a, below_b[:k], n_b), ks=ks, p_value=p
                )
        else:
            a, b = vc_tr.get(col, {}), vc_te.get(col, {})
            wide = _OTHER in a or _OTHER in b
            # a wide column: each split's own top 50 would pool different tails
            p_map, q_map = _wide_counts(tr, te, col) if wide else (a, b)
            labels = list(dict.fromkeys([*p_map, *q_map]))
            p_counts = np.asarray([p_map.get(k, 0) for k in labels])
            q_counts = np.asarray([q_map.get(k, 0) for k in labels])
            stat = {
                "missing_train": tr.profile[col].missing / tr.rows,
                "missing_test": te.profile[col].missing / te.rows,
                **categorical_drift_from_counts(p_counts, q_counts),
            }
            if col != target:
                named, more = _unseen(tr, te, col, a, b)
                unseen = unseen_finding(col, named, te.rows, more=more)
                findings += [unseen] if unseen else []
        stats[col] = stat
        findings += drift_findings(col, stat)
    return CheckResult("drift", findings, {"per_feature": stats})


def _new_labels(
    te: _Split,
    target: str,
    vc_tr: dict[str, dict[str | None, int]],
    vc_te: dict[str, dict[str | None, int]],
) -> CheckResult:
    from toolkit.checks.train_test_drift import unseen_finding

    seen = vc_tr.get(target, {})
    unseen = {k: n for k, n in vc_te.get(target, {}).items() if k is not None and k not in seen}
    finding = unseen_finding(target, unseen, te.rows, is_target=True)
    return CheckResult("new_labels", [finding] if finding else [])
