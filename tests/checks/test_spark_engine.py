"""The health report on Spark (``local[2]``): the planted findings, finding by finding the same
as in memory (polars) and on DuckDB, with the same counts where every engine counts every row.

One SparkSession for the module, started as ``toolkit check data --engine spark`` starts it
(:func:`toolkit.checks.sources.spark_session`: local driver memory and shuffle partitions);
Java comes from the system (``.ci/run`` installs openjdk-17-jre-headless when it is missing).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest

from toolkit.checks import health_report
from toolkit.checks.planted import ROLES
from toolkit.errors import UsageError

pyspark = pytest.importorskip("pyspark")
duckdb = pytest.importorskip("duckdb")

pytestmark = pytest.mark.slow

# Evidence every engine counts over all rows (not on the driver sample): equal everywhere.
EXACT = (
    ("duplicates", "count"),
    ("shared_groups", "shared"),
    ("time_overlap", "count"),
    ("new_categories", "rows"),
    ("infinite", "count"),
)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs Java: install openjdk-17-jre-headless (.ci/run does)")
    from toolkit.checks.sources import spark_session

    session = spark_session("local[2]")  # getOrCreate: shared with test_spark_source.py
    yield session
    session.stop()


def _evidence(report: Any) -> dict[tuple[str, str], Any]:
    by_check = {f.check: f.evidence for f in report.findings}
    return {(c, k): by_check[c].get(k) for c, k in EXACT if c in by_check}


def test_spark_gives_the_planted_findings_as_in_memory_and_duckdb(
    spark: Any, planted_pair: tuple[Any, Any], assert_planted: Callable[[Any], Any]
) -> None:
    """The exact set of planted findings (check, severity, columns), as pandas
    (test_planted.py), polars and DuckDB (test_engines.py) are held to -- and equal to theirs
    here, finding by finding, with the same counted evidence."""
    train, test = planted_pair
    passes: list[str] = []
    report = health_report(
        spark.createDataFrame(train.to_pandas()),
        spark.createDataFrame(test.to_pandas()),
        **ROLES,
        progress=passes.append,
    )
    assert report.meta["engine"] == "pyspark" and report.meta["train_rows"] == 20_000
    assert "duplicates" in passes and passes[:2] == ["profile train", "sample train"]
    memory = health_report(pl.from_arrow(train), pl.from_arrow(test), **ROLES)
    con = duckdb.connect()
    on_duckdb = health_report(con.from_arrow(train), con.from_arrow(test), **ROLES)
    found = assert_planted(report)
    assert found == assert_planted(memory) == assert_planted(on_duckdb)
    assert _evidence(report) == _evidence(memory) == _evidence(on_duckdb)
    assert len(_evidence(report)) == len(EXACT)
    # the profile's distinct counts (Spark counts them its own way: hashes, one pass)
    distinct = [(c.name, c.distinct, c.kind) for c in report.train.profile.columns]
    assert distinct == [(c.name, c.distinct, c.kind) for c in memory.train.profile.columns]


def test_spark_empty_frame_names_the_split(spark: Any, planted_pair: tuple[Any, Any]) -> None:
    train, _ = planted_pair
    frame = spark.createDataFrame(train.slice(0, 2_000).to_pandas())
    with pytest.raises(UsageError, match=r"^test: the relation has no rows"):
        health_report(frame, frame.limit(0), **ROLES)


def test_spark_bins_count_what_the_comparisons_count(
    spark: Any, planted_pair: tuple[Any, Any]
) -> None:
    """The statistics pass on Spark counts values below the bin edges with a Bucketizer and a
    GROUP BY; one comparison per edge (the other engines' query) gives the same counts --
    numbers with missing and infinite values, and date/times."""
    import narwhals as nw

    from toolkit.checks import engine

    train, _ = planted_pair
    frame = nw.from_native(spark.createDataFrame(train.slice(0, 5_000).to_pandas()))
    split = engine._open(frame, "train", lambda name, fn: fn())
    numeric = [c for c in split.schema if split.numeric(c)]
    assert {"speed", "event_time", "signup_date"} <= set(numeric)  # inf, time, time
    # every 10th KS edge: the comparisons' query (one sum per edge) is slow to plan on Spark
    edges = {
        c: (p, k[::10]) for c, (p, k) in ((c, engine._edges(split.sample, c)) for c in numeric)
    }
    binned = engine._statistics(split, edges, [], buckets=True)
    compared = engine._statistics(split, edges, [], buckets=False)
    assert binned.missing == compared.missing and binned.infinite == compared.infinite
    for col in numeric:
        assert binned.below[col].tolist() == compared.below[col].tolist(), col
        assert binned.below[col].max() > 0, col


def test_spark_duplicate_counts_are_the_known_ones(
    spark: Any, known_duplicates: tuple[Any, Any, dict[str, float]]
) -> None:
    """The duplicate counts by hand (the ``known_duplicates`` fixture, also held on DuckDB
    and polars in test_engines.py): Spark's row hashes and null-flag counts give them too."""
    train, test, counts = known_duplicates
    report = health_report(spark.createDataFrame(train), spark.createDataFrame(test), target="y")
    leakage = next(r for r in report.results if r.name == "leakage")
    assert {k: leakage.summary[k] for k in counts} == pytest.approx(counts)
