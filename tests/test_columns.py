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


_EVERY_FRAME_READER = [
    lambda df: health_report(df, target="y"),
    lambda df: make_preprocessor(df, target="y"),
    lambda df: split(df, sizes=(0.5, 0.5)),
    lambda df: profile(df),
    lambda df: __import__("toolkit.plotting").plotting.missing_matrix(df),
    lambda df: __import__("toolkit.plotting").plotting.correlation_heatmap(df),
    lambda df: __import__("toolkit.plotting").plotting.training_curves(df),
]


@pytest.mark.parametrize("call", _EVERY_FRAME_READER)
def test_every_frame_reader_plotting_included_refuses_bad_columns_the_same_way(
    call: Any,
) -> None:
    """Plots read frames through toolkit.columns.as_frame too (issue 13: frame adapters)."""
    dupes = pd.DataFrame([[1.0, 2.0, 0], [3.0, 4.0, 1]] * 10, columns=["a", "a", "y"])
    with pytest.raises(UsageError, match=r"duplicate column names \['a'\]"):
        call(dupes)
    import pyarrow as pa

    raw = {"a": [b"\x00\x01"] * 20, "b": [1.0] * 20, "y": [0, 1] * 10}
    for native in (pl.DataFrame(raw), pa.table(raw)):
        with pytest.raises(UsageError, match="column 'a' holds bytes"):
            call(native)


@pytest.mark.parametrize(
    "native",
    [
        lambda d: pd.DataFrame(d),
        lambda d: pl.DataFrame(d),
        lambda d: __import__("pyarrow").table(d),
    ],
)
def test_plots_read_pandas_polars_and_arrow_frames_alike(native: Any) -> None:
    import matplotlib.pyplot as plt

    from toolkit import plotting

    data = {"a": [1.0, 2.0, None, 4.0], "b": [4.0, 3.0, 2.0, 1.0], "loss": [4, 3, 2, 1]}
    ax = plotting.missing_matrix(native(data))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a\n25.0%", "b\n0.0%", "loss\n0.0%"]
    fig = plotting.training_curves(native(data), metrics=["loss"])
    assert fig.axes[0].get_lines()[0].get_ydata().tolist() == [4, 3, 2, 1]
    plt.close("all")


def test_one_column_adapter_for_plots_and_targets() -> None:
    """Series of every library become the same numbers (pd.NA is NaN, not an object)."""
    from toolkit.columns import as_array
    from toolkit.plotting import class_balance, distribution

    values = [1, None, 3]
    for series in (pd.Series(values, dtype="Int64"), pl.Series("v", values)):
        array = as_array(series)
        assert array.dtype == np.float64 and np.isnan(array[1]) and array[2] == 3
        assert target_kind(series) == "binary"
        with pytest.raises(UsageError, match="x: contains 1 NaN"):
            distribution(series)
    ax = class_balance(pl.Series("y", ["a", "b", "b"]))
    assert len(ax.patches) == 2
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"s": ["a", np.nan, "b", None, "a"] * 10, "n": range(50)}),
        pd.DataFrame({"s": pd.array(["a", None, "b", "c", "a"] * 10, dtype="string[pyarrow]")}),
        pd.DataFrame({"s": pd.Categorical(["a", None, "b"] * 10, categories=["a", "b", "z"])}),
        pl.DataFrame({"s": ["x", None, "y", "", "用户"] * 10, "u": [f"id{i}" for i in range(50)]}),
        pl.DataFrame({"s": pl.Series([None] * 30, dtype=pl.String), "y": [1] * 30}),
    ],
    ids=["pandas-object", "pandas-arrow", "pandas-category", "polars", "polars-all-missing"],
)
def test_the_checks_profile_from_their_encoding_is_the_profile(frame: Any) -> None:
    """The report's table passes the distinct/missing counts its dictionary encoding made to
    profile(counted=...): the profile must be exactly what profile() alone decides."""
    report = health_report(frame, target=list(frame.columns)[-1])
    assert report.train.profile == profile(frame)
