"""The planted-problem data set: deterministic, chunk-independent, and the in-memory report
finds exactly what it says is planted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from toolkit.checks import health_report
from toolkit.checks.planted import (
    ROLES,
    planted_batches,
    planted_schema,
    planted_tables,
)


def test_batches_do_not_depend_on_chunking() -> None:
    whole = pa.Table.from_batches(list(planted_batches(70_000, split="test", batch_rows=70_000)))
    chunked = pa.Table.from_batches(list(planted_batches(70_000, split="test", batch_rows=9_999)))
    assert whole.equals(chunked)
    assert max(b.num_rows for b in planted_batches(70_000, batch_rows=9_999)) == 9_999
    assert whole.schema == planted_schema()


def test_seed_changes_data_and_same_seed_repeats() -> None:
    a, _ = planted_tables(2_000, seed=1)
    b, _ = planted_tables(2_000, seed=1)
    c, _ = planted_tables(2_000, seed=2)
    assert a.equals(b) and not a.equals(c)


def test_planted_shares() -> None:
    train, test = planted_tables(40_000, 10_000)
    te = test.to_pandas()
    assert 0.06 < (te["plan"] == "enterprise").mean() < 0.10
    assert (te["event_time"] < "2024-01-01").mean() == pytest.approx(0.03, abs=0.01)
    assert te["user_id"].isin(train.to_pandas()["user_id"]).mean() == pytest.approx(0.02, abs=0.01)
    assert set(train.column("city").drop_null().to_pylist()) >= {"北京", "上海"}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="split"):
        next(planted_batches(10, split="validation"))


def test_in_memory_report_finds_what_is_planted(
    planted_pair: tuple[Any, Any], assert_planted: Callable[[Any], Any]
) -> None:
    train, test = planted_pair
    assert_planted(health_report(train.to_pandas(), test.to_pandas(), **ROLES))
