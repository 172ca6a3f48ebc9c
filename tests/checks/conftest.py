from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest


def make_frame(n: int, seed: int) -> pd.DataFrame:
    """A mixed table whose target depends on x1, x2 and the category (not perfectly)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.exponential(size=n),
            "x3": rng.uniform(size=n),
            "cat": rng.choice(["a", "b", "c"], size=n),
            "patient": rng.integers(0, n // 5, size=n),
            "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D"),
        }
    )
    logit = df.x1 + 0.5 * df.x2 - (df.cat == "a") + rng.normal(size=n)
    df["y"] = (logit > 0.3).astype(int)
    return df


@pytest.fixture
def clean_split() -> tuple[pd.DataFrame, pd.DataFrame]:
    df = make_frame(4000, seed=0)
    return df.iloc[:3000].reset_index(drop=True), df.iloc[3000:].reset_index(drop=True)


Found = list[tuple[str, str, tuple[str, ...]]]


def found(report: Any) -> Found:
    """(check, severity, columns) of every finding, sorted, once each."""
    return sorted({(f.check, f.severity, tuple(f.columns)) for f in report.findings})


def check_planted(report: Any) -> Found:
    """Assert every planted finding is there and nothing else is; return what was found."""
    from toolkit.checks.planted import PLANTED

    got = found(report)
    for p in PLANTED:
        hits = [
            g
            for g in got
            if g[0] == p.check
            and g[1] == p.severity
            and (g[2][: len(p.columns)] == p.columns if p.leading else g[2] == p.columns)
        ]
        assert hits, f"planted {p} not found in {got}"
    expected = {(p.check, p.severity) for p in PLANTED}
    extra = [g for g in got if (g[0], g[1]) not in expected]
    assert not extra, f"findings nothing planted: {extra}"
    return got


@pytest.fixture
def assert_planted() -> Callable[[Any], Found]:
    """The planted-findings assertion (see :func:`check_planted`)."""
    return check_planted


@pytest.fixture(scope="session")
def planted_pair() -> tuple[Any, Any]:
    """The planted train/test pair (20,000 / 5,000 rows) as Arrow tables."""
    from toolkit.checks.planted import planted_tables

    return planted_tables(20_000)


@pytest.fixture(scope="session")
def known_duplicates() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """A train/test pair and its duplicate counts, by hand. Row ``i`` is ``a = i % 10``,
    ``b = "c{i // 10}"`` (row 73: ``b`` missing). Train: rows 0-99, row 0 twice more, row 1
    once more (5 of 103 rows in repeated groups). Test: rows 0, 0, 50 and 73 (4 exact), row
    60 with ``a`` nudged by 1e-9 (equal after z-scoring and rounding: 1 near-only), a row
    train lacks three times (repeats within test count for nothing), 20 rows of their own."""

    def rows(ids: list[int], nudge: float = 0.0) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "a": [i % 10 + nudge for i in ids],
                "b": [None if i == 73 else f"c{i // 10}" for i in ids],
                "y": [i % 2 for i in ids],
            }
        )

    train = rows([*range(100), 0, 0, 1])
    test = pd.concat(
        [rows([0, 0, 50, 73]), rows([60], nudge=1e-9), rows([200] * 3), rows([*range(300, 320)])],
        ignore_index=True,
    )
    counts = {
        "duplicate_test_rows": 4,
        "near_duplicate_test_rows": 1,
        "within_train_duplicate_rate": 5 / 103,
    }
    return train, test, counts
