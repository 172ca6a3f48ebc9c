"""The health report on Spark (``local[2]``): the planted findings, as on the other engines.

One SparkSession for the module, started here (10-30 s); Java comes from the system
(``.ci/run`` installs openjdk-17-jre-headless when it is missing).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from toolkit.checks import health_report
from toolkit.checks.planted import ROLES
from toolkit.errors import UsageError

pyspark = pytest.importorskip("pyspark")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java: install openjdk-17-jre-headless (.ci/run does)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("toolkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_gives_the_planted_findings(
    spark: Any, planted_pair: tuple[Any, Any], assert_planted: Callable[[Any], Any]
) -> None:
    """The exact set of planted findings: what pandas (test_planted.py), polars and DuckDB
    (test_engines.py) are held to as well."""
    train, test = planted_pair
    report = health_report(
        spark.createDataFrame(train.to_pandas()), spark.createDataFrame(test.to_pandas()), **ROLES
    )
    assert report.meta["engine"] == "pyspark"
    assert_planted(report)


def test_spark_empty_frame_names_the_split(spark: Any, planted_pair: tuple[Any, Any]) -> None:
    train, _ = planted_pair
    frame = spark.createDataFrame(train.slice(0, 2_000).to_pandas())
    with pytest.raises(UsageError, match=r"^test: the relation has no rows"):
        health_report(frame, frame.limit(0), **ROLES)
