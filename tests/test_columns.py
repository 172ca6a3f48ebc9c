"""One model of columns and targets: the cases where the toolkit used to contradict itself.

Each test asks every part that has an opinion (health report, leakage, drift, make_preprocessor,
split, compare_models, drop_uninformative, the datetime helpers) and checks they agree with
``toolkit.columns`` -- the one place that decides.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

from toolkit.checks import compare_models, health_report, leakage
from toolkit.columns import profile, target_kind
from toolkit.errors import UsageError
from toolkit.preprocessing import (
    DatetimeFeatures,
    datetime_features,
    drop_uninformative,
    make_preprocessor,
    split,
)


def _frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "用户ID": rng.permutation(n) + 10_000,  # integer, all unique
            "x": rng.normal(size=n),
            "city": rng.choice(["北京", "上海", "深圳"], size=n),
            "flag": rng.choice([True, False], size=n),
            "const_num": np.ones(n),
            "const_str": ["a"] * n,
            "empty": [np.nan] * n,
        }
    )


def _preprocessor_columns(pre: Any) -> set[str]:
    return {c for _, _, cols in pre.transformers for c in cols}


def test_fifty_distinct_integers_are_one_kind_of_target_everywhere() -> None:
    df = _frame()
    df["y"] = np.arange(len(df)) % 50  # 50 distinct whole numbers: a regression
    assert target_kind(df["y"]) == "regression" == profile(df).target("y")
    board = compare_models(df[["x"]], df["y"], cv=3, models=None)
    assert board.attrs["scoring"] == "r2"
    parts = split(df, target="y", sizes=(0.5, 0.5))
    assert "target_mean" in parts.report["train"] and "classes" not in parts.report["train"]
    report = health_report(df.iloc[:200], df.iloc[200:], target="y")
    names = {r.name for r in report.results}
    assert "label_issues" not in names and "new_labels" not in names
    assert "class_counts" not in report.results[0].summary
    # ... and with 20 distinct values every part calls it classes
    df["y"] = np.arange(len(df)) % 20
    assert compare_models(df[["x"]], df["y"], cv=3).attrs["scoring"] == "accuracy"
    assert "classes" in split(df, target="y", sizes=(0.5, 0.5)).report["train"]
    assert "label_issues" in {r.name for r in health_report(df, target="y").results}


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_an_integer_user_id_is_dropped_by_every_part(lib: str) -> None:
    df = _frame()
    df["y"] = (df["x"] > 0).astype(int)
    frame: Any = df if lib == "pandas" else pl.from_pandas(df)
    assert profile(frame).kind("用户ID") == "id"
    flagged = {c for f in leakage(frame, None, target="y").findings for c in f.columns}
    assert "用户ID" in flagged
    used = _preprocessor_columns(make_preprocessor(frame, target="y"))
    assert "用户ID" not in used and "x" in used
    # the report's own feature list (drift, adversarial validation) leaves it out too
    drift = health_report(frame[:200], frame[200:], target="y").results[2]
    assert drift.name == "drift" and "用户ID" not in drift.summary["per_feature"]


def test_constant_and_empty_columns_agree_between_report_preprocessor_and_frames() -> None:
    df = _frame()
    df["y"] = (df["x"] > 0).astype(int)
    report = health_report(df, target="y")
    constant = {f.columns[0] for f in report.findings if f.check == "constant_column"}
    empty = {f.columns[0] for f in report.findings if f.check == "empty_column"}
    _, dropped = drop_uninformative(df, duplicates=False, return_report=True)
    assert constant == set(dropped.constant) == {"const_num", "const_str"}
    assert empty == set(dropped.all_missing) == {"empty"}
    used = _preprocessor_columns(make_preprocessor(df, target="y"))
    assert not used & (constant | empty)


def test_calendar_features_are_one_rule() -> None:
    stamps = pd.to_datetime(
        ["2024-01-06 10:00", "2024-03-31 23:59", None, "2023-12-25"], format="mixed"
    )
    df = pd.DataFrame({"t": stamps})
    parts = ["year", "quarter", "month", "day", "dayofweek", "dayofyear", "hour", "is_weekend"]
    helper = datetime_features(df, "t", features=parts)
    present = stamps.notna()
    transformer = DatetimeFeatures(features=parts).fit_transform(df)
    np.testing.assert_array_equal(
        transformer[present], helper[present].to_numpy(dtype=float), strict=False
    )
    assert np.isnan(transformer[~present]).all()
    # Date strings are read by the same rule as datetimes, by every time-aware function.
    text = pd.DataFrame({"t": ["2024-01-06 10:00", "2024-03-31 23:59", "2023-12-25"]})
    np.testing.assert_array_equal(
        DatetimeFeatures(features=parts).fit_transform(text),
        transformer[present],
    )


def test_split_accepts_a_string_date_column_like_leakage_does() -> None:
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    df = pd.DataFrame({"day": days.strftime("%Y-%m-%d"), "y": [0, 1] * 30})
    parts = split(df, time="day", sizes=(0.5, 0.5))
    assert parts.train["day"].max() < parts.test["day"].min()
    assert parts.report["train"]["time_min"].startswith("2024-01-01")
    gapped = split(df, time="day", sizes=(0.5, 0.5), gap="3D")
    assert gapped.dropped_in_gap == 3  # a duration gap works on date strings too
    # leakage(time=) reads the same strings: the time split leaves no overlap to find
    found = leakage(parts.train, parts.test, target="y", time="day").findings
    assert not [f for f in found if f.check == "time_overlap"]
    with pytest.raises(UsageError, match="time"):
        split(pd.DataFrame({"day": ["soon", "later"] * 5}), time="day", sizes=(0.5, 0.5))


@pytest.mark.parametrize(
    "call",
    [
        lambda bad: health_report(bad, target="y"),
        lambda bad: make_preprocessor(bad),
        lambda bad: split(bad, sizes=(0.5, 0.5)),
        lambda bad: drop_uninformative(bad),
        lambda bad: profile(bad),
    ],
)
def test_every_frame_adapter_refuses_a_non_frame_the_same_way(call: Any) -> None:
    with pytest.raises(UsageError, match="expected a pandas or polars DataFrame, got list"):
        call([[1, 2], [3, 4]])


def test_text_and_uuid_columns_are_told_apart() -> None:
    n = 100
    df = pd.DataFrame(
        {
            "uuid": [f"3f2a9c1e-0b7d-4c8e-9a61-{i:012d}" for i in range(n)],
            "review": [f"这个产品非常好用，第{i}次购买，物流也很快，推荐给大家" for i in range(n)],
            "y": [0, 1] * 50,
        }
    )
    p = profile(df)
    assert (p.kind("uuid"), p.kind("review")) == ("id", "text")
    checks = {f.check: f.columns for f in leakage(df, None, target="y").findings}
    assert checks["id_like"] == ["uuid"] and checks["free_text"] == ["review"]
    with pytest.raises(UsageError, match="no usable feature columns"):
        make_preprocessor(df, target="y")
