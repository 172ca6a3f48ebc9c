from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from toolkit.checks import leakage
from toolkit.errors import UsageError


def checks_of(result, severity="high"):
    return {f.check: f for f in result.findings if f.severity == severity}


def test_clean_split_has_no_high(clean_split):
    train, test = clean_split
    before = train.copy(), test.copy()
    result = leakage(train.drop(columns="patient"), test.drop(columns="patient"), target="y")
    assert not result.has_high, str(result)
    pd.testing.assert_frame_equal(train, before[0])  # inputs untouched
    pd.testing.assert_frame_equal(test, before[1])


def test_duplicates_across_splits_found(clean_split):
    train, test = clean_split
    test = pd.concat([test, train.iloc[:100]], ignore_index=True)
    high = checks_of(leakage(train, test, target="y"))
    assert high["duplicates"].evidence["count"] == 100


def test_near_duplicates_found(clean_split):
    train, test = clean_split
    copies = train.iloc[:200].copy()
    copies["x1"] += 1e-6  # not byte-equal any more
    high = checks_of(leakage(train, pd.concat([test, copies], ignore_index=True), target="y"))
    assert "duplicates" not in high
    assert high["near_duplicates"].evidence["count"] == 200


def test_discrete_data_repeats_rows_without_leakage():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.integers(0, 3, 4000), "b": rng.integers(0, 2, 4000)})
    df["y"] = (df.a + rng.normal(size=4000) > 1).astype(int)
    assert not leakage(df.iloc[:3000], df.iloc[3000:], target="y").has_high


def test_leaked_target_copy_is_named(clean_split):
    train, test = clean_split
    train, test = train.copy(), test.copy()
    for frame in (train, test):
        frame["score"] = np.log1p(frame["y"] * 3.0) + 0.001 * frame["x3"]  # a transform of y
    high = checks_of(leakage(train, test, target="y"))
    assert high["target_leak"].columns == ["score"]
    assert (
        len([f for f in leakage(train, test, target="y").findings if f.check == "target_leak"]) == 1
    )


def test_target_copy_in_regression_without_test():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000)})
    df["price"] = 3 * df.a + rng.normal(size=3000)
    df["price_k"] = df["price"] / 1000
    high = checks_of(leakage(df, None, target="price"))
    assert high["target_leak"].columns == ["price_k"]


def test_shared_groups_and_time_overlap(clean_split):
    train, test = clean_split
    result = leakage(train, test, target="y", group="patient", time="day")
    high = checks_of(result)
    assert high["shared_groups"].columns == ["patient"]
    assert high["time_overlap"].columns == ["day"]
    # a proper time split: nothing
    both = pd.concat([train, test]).sort_values("day")
    cut = both.day.quantile(0.75)
    ok = leakage(both[both.day <= cut], both[both.day > cut], target="y", time="day")
    assert "time_overlap" not in {f.check for f in ok.findings}


def test_id_like_column_flagged(clean_split):
    train, test = clean_split
    train = train.assign(row_id=np.arange(len(train)))
    test = test.assign(row_id=np.arange(len(test)) + len(train))
    found = {f.check: f for f in leakage(train, test, target="y").findings}
    assert found["id_like"].columns == ["row_id"]


def test_polars_same_result(clean_split):
    train, test = clean_split
    test = pd.concat([test, train.iloc[:30]], ignore_index=True)
    a = leakage(train, test, target="y", group="patient").to_dict()
    b = leakage(pl.from_pandas(train), pl.from_pandas(test), target="y", group="patient").to_dict()
    assert a["counts"] == b["counts"]
    assert [f["check"] for f in a["findings"]] == [f["check"] for f in b["findings"]]


def test_bad_inputs(clean_split):
    train, test = clean_split
    with pytest.raises(UsageError, match="target='nope'"):
        leakage(train, test, target="nope")
    with pytest.raises(UsageError, match="no rows"):
        leakage(train.iloc[:0], test, target="y")
    with pytest.raises(UsageError, match="DataFrame"):
        leakage([1, 2], test, target="y")
    odd = test.drop(columns="x2")
    assert checks_of(leakage(train, odd, target="y"))["columns"].columns == ["x2"]
    weird = train.assign(empty=np.nan, const=1.0, inf=np.r_[np.inf, np.zeros(len(train) - 1)])
    leakage(weird, test.assign(empty=np.nan, const=1.0, inf=0.0), target="y")
