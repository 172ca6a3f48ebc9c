"""split(): sizes, stratification, group separation, time order with gap, report, errors."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import UsageError
from toolkit.preprocessing import split


def _frame(n: int = 1000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "y": rng.choice([0, 1, 2], p=[0.8, 0.15, 0.05], size=n),
            "user": rng.integers(0, 120, n),
            "t": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "price": rng.lognormal(size=n),
        }
    )


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_stratified_split_keeps_class_shares(lib: str) -> None:
    df = _frame()
    native: Any = pl.from_pandas(df) if lib == "polars" else df
    r = split(native, target="y", sizes=(0.6, 0.2, 0.2), random_state=3)
    assert all(type(p) is type(native) for p in r)
    sizes = [len(p) for p in r]
    assert sizes == [600, 200, 200]
    idx = np.concatenate(list(r.indices.values()))
    assert np.array_equal(np.sort(idx), np.arange(1000))  # a partition: no row lost or repeated
    overall = df["y"].value_counts(normalize=True)
    for name, rep in r.report.items():
        for cls, share in rep["classes"].items():
            assert abs(share - overall[cls]) < 0.01, (name, cls)
        ys = df["y"].to_numpy()[r.indices[name]]
        assert rep["classes"] == {c: round(float(np.mean(ys == c)), 6) for c in np.unique(ys)}
    assert r.strategy == "stratified on 'y'"
    assert "validation" in str(r) and "0: 8" in str(r)
    assert r.to_dict()["splits"]["test"]["rows"] == 200


def test_same_seed_same_split_and_parity_across_libraries() -> None:
    df = _frame()
    a = split(df, target="y", random_state=7)
    b = split(pl.from_pandas(df), target="y", random_state=7)
    for k in a.indices:
        np.testing.assert_array_equal(a.indices[k], b.indices[k])
    assert a.report == b.report


def test_continuous_target_is_stratified_on_deciles() -> None:
    df = _frame(2000)
    r = split(df, target="price", sizes=(0.5, 0.5))
    assert r.validation is None and len(r) == 2
    means = [r.report[k]["target_mean"] for k in ("train", "test")]
    assert abs(means[0] - means[1]) / np.mean(means) < 0.1
    assert "target mean" in str(r)


@given(st.integers(0, 10_000), st.sampled_from([(0.7, 0.15, 0.15), (0.5, 0.5), (0.34, 0.33, 0.33)]))
@settings(max_examples=25, deadline=None)
def test_group_split_never_shares_a_group(seed: int, sizes: tuple[float, ...]) -> None:
    df = _frame(300, seed)
    r = split(df, group="user", sizes=sizes, random_state=seed)
    seen: list[set[int]] = [set(p["user"]) for p in r]
    for i in range(len(seen)):
        for j in range(i + 1, len(seen)):
            assert seen[i].isdisjoint(seen[j])
    assert sum(len(p) for p in r) == 300
    assert all(len(p) > 0 for p in r)
    assert sum(rep["groups"] for rep in r.report.values()) == df["user"].nunique()


def test_group_split_hits_sizes_approximately() -> None:
    df = _frame(5000)
    r = split(df, group="user", target="y")
    shares = [rep["share"] for rep in r.report.values()]
    np.testing.assert_allclose(shares, [0.7, 0.15, 0.15], atol=0.05)
    # With a target, the best of several group shuffles keeps class shares close to overall.
    overall = df["y"].value_counts(normalize=True)
    for rep in r.report.values():
        for cls, share in rep["classes"].items():
            assert abs(share - overall[cls]) < 0.02
    assert "balanced on 'y'" in r.strategy
    assert "balanced" not in split(df, group="user", target="y", stratify=False).strategy


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_time_split_is_ordered_with_gap(lib: str) -> None:
    df = _frame()
    native: Any = pl.from_pandas(df) if lib == "polars" else df
    r = split(native, time="t", gap="14D")
    parts = [p.to_pandas() if lib == "polars" else p for p in r]
    for earlier, later in itertools.pairwise(parts):
        assert later["t"].min() - earlier["t"].max() >= pd.Timedelta("14D")
    assert r.dropped_in_gap > 0
    assert r.dropped_in_gap + sum(len(p) for p in parts) == len(df)
    assert "gap" in str(r) and "left out" in str(r)
    assert r.report["train"]["time_min"].startswith("2024-01-")


def test_time_split_numeric_time_and_ties() -> None:
    df = pd.DataFrame({"step": np.repeat(np.arange(10), 10), "v": range(100)})
    r = split(df, time="step", sizes=(0.8, 0.2))
    assert r.train["step"].max() < r.test["step"].min()  # a tie never straddles the cut
    r = split(df, time="step", sizes=(0.5, 0.5), gap=2)
    assert r.test["step"].min() - r.train["step"].max() >= 2 + 1


def test_split_errors_name_the_argument() -> None:
    df = _frame(50)
    with pytest.raises(UsageError, match="df: is empty"):
        split(df.iloc[:0], target="y")
    with pytest.raises(UsageError, match="target: column 'nope'"):
        split(df, target="nope")
    with pytest.raises(UsageError, match="sizes"):
        split(df, sizes=(0.5, 0.6))
    with pytest.raises(UsageError, match="sizes"):
        split(df, sizes=(1.0,))
    with pytest.raises(UsageError, match="group, time"):
        split(df, group="user", time="t")
    with pytest.raises(UsageError, match="gap"):
        split(df, gap="1D")
    with pytest.raises(UsageError, match="gap"):
        split(df, time="t", gap="soon")
    with pytest.raises(UsageError, match="target: cannot stratify"):
        split(pd.DataFrame({"y": [0] * 20 + [1]}), target="y")
    with pytest.raises(UsageError, match="target: 1 missing"):
        split(pd.DataFrame({"y": [0.0] * 20 + [np.nan]}), target="y")
    with pytest.raises(UsageError, match="time: 1 missing"):
        split(pd.DataFrame({"t": [1.0, 2.0, np.nan]}), time="t", sizes=(0.5, 0.5))
    with pytest.raises(UsageError, match="group: only 2"):
        split(pd.DataFrame({"g": [1, 1, 2, 2]}), group="g")
    with pytest.raises(UsageError, match="stratify"):
        split(df, stratify=True)
