"""The health report on lazy engines (DuckDB, polars lazy): the same findings as in memory,
asserted against the planted data set, and bad lazy input refused by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import pytest

from toolkit.checks import health_report
from toolkit.checks.planted import ROLES
from toolkit.errors import UsageError

duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def in_memory(planted_pair: tuple[Any, Any]) -> Any:
    train, test = planted_pair
    return health_report(pl.from_arrow(train), pl.from_arrow(test), **ROLES)


def test_duckdb_gives_the_planted_findings_as_in_memory(
    planted_pair: tuple[Any, Any], in_memory: Any, assert_planted: Callable[[Any], Any]
) -> None:
    train, test = planted_pair
    con = duckdb.connect()
    passes: list[str] = []
    report = health_report(
        con.from_arrow(train), con.from_arrow(test), **ROLES, progress=passes.append
    )
    assert assert_planted(report) == assert_planted(in_memory)
    assert report.meta["engine"] == "duckdb" and report.meta["train_rows"] == 20_000
    assert passes[:2] == ["profile train", "sample train"] and "duplicates" in passes
    # the same numbers where both paths count every row
    engine = {f.check: f.evidence for f in report.findings}
    memory = {f.check: f.evidence for f in in_memory.findings}
    for check, key in (
        ("duplicates", "count"),
        ("shared_groups", "shared"),
        ("time_overlap", "count"),
        ("new_categories", "rows"),
    ):
        assert engine[check][key] == memory[check][key], check
    page = report.to_html()
    assert "leak_score" in page and "<h2>Columns</h2>" in page


def test_polars_lazy_gives_the_planted_findings(
    planted_pair: tuple[Any, Any], in_memory: Any, assert_planted: Callable[[Any], Any]
) -> None:
    train, test = planted_pair
    report = health_report(pl.from_arrow(train).lazy(), pl.from_arrow(test).lazy(), **ROLES)
    assert report.meta["engine"] == "polars"
    assert assert_planted(report) == assert_planted(in_memory)


def test_empty_relation_names_the_split(planted_pair: tuple[Any, Any]) -> None:
    train, test = planted_pair
    con = duckdb.connect()
    empty = con.from_arrow(test).limit(0)
    with pytest.raises(UsageError, match=r"^test: the relation has no rows"):
        health_report(con.from_arrow(train), empty, **ROLES)
    with pytest.raises(UsageError, match=r"^train: the relation has no rows"):
        health_report(con.from_arrow(train).limit(0), con.from_arrow(test), **ROLES)


def test_target_missing_in_test_and_schema_differences(planted_pair: tuple[Any, Any]) -> None:
    train, test = planted_pair
    con = duckdb.connect()
    tr = con.from_arrow(train)
    with pytest.raises(UsageError, match="target='target': no such column in test"):
        health_report(tr, con.from_arrow(test.drop_columns(["target"])), **ROLES)
    with pytest.raises(UsageError, match="test: columns differ from train; missing balance"):
        health_report(tr, con.from_arrow(test.drop_columns(["balance"])), **ROLES)
    with pytest.raises(UsageError, match="target='nope': no such column in train"):
        health_report(tr, con.from_arrow(test), target="nope")
    with pytest.raises(UsageError, match="pass both splits on one engine"):
        health_report(tr, pl.from_arrow(test).lazy(), **ROLES)
    with pytest.raises(UsageError, match=r"^test: expected a lazy frame"):
        health_report(tr, test.to_pandas(), **ROLES)


def test_types_that_differ_between_splits(planted_pair: tuple[Any, Any]) -> None:
    """A column stored as text in test and as numbers in train is compared as text."""
    train, test = planted_pair
    con = duckdb.connect()
    te = con.from_arrow(test).project("* REPLACE (CAST(clicks AS VARCHAR) AS clicks)")
    report = health_report(con.from_arrow(train), te, **ROLES)
    assert any(f.check == "duplicates" and f.severity == "high" for f in report.findings)
