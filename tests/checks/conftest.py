from __future__ import annotations

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
