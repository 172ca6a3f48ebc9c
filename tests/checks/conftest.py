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
