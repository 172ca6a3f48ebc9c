"""Frame helpers: correct on pandas and polars, and the same answer on both."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import UsageError
from toolkit.preprocessing import (
    clean_column_names,
    datetime_features,
    drop_uninformative,
    missing_summary,
    reduce_memory,
)

LIBS = [pd, pl]


def _cols(df: Any) -> list[str]:
    return list(df.columns)


def _as_pandas(df: Any) -> pd.DataFrame:
    return df.to_pandas() if isinstance(df, pl.DataFrame) else df


@pytest.mark.parametrize("lib", LIBS)
def test_clean_column_names(lib: Any) -> None:
    data = {
        "User ID": [1],
        "userId": [2],
        "销售 额(元)": [3],
        "HTTPServer": [4],
        "  ": [5],
        "ＩＤ（编号）": [6],
        "user_id_1": [7],
    }
    out = clean_column_names(lib.DataFrame(data))
    assert type(out) is lib.DataFrame
    assert _cols(out) == [
        "user_id",
        "user_id_2",  # user_id_1 is taken by a later column, so the suffix skips it
        "销售_额_元",
        "http_server",
        "column",
        "id_编号",
        "user_id_1",
    ]
    assert len(set(_cols(out))) == len(_cols(out))


def test_clean_column_names_pandas_duplicate_labels_and_no_mutation() -> None:
    df = pd.DataFrame([[1, 2]], columns=["A b", "A b"])
    out = clean_column_names(df)
    assert _cols(out) == ["a_b", "a_b_1"]
    assert _cols(df) == ["A b", "A b"]


@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
@settings(max_examples=60, deadline=None)
def test_clean_column_names_always_unique_and_snake(names: list[str]) -> None:
    df = pd.DataFrame([list(range(len(names)))], columns=names)
    out = _cols(clean_column_names(df))
    assert len(out) == len(names) and len(set(out)) == len(out)
    for name in out:
        assert (name and name == name.lower().strip("_")) or name.startswith("column")
        assert " " not in name


@pytest.mark.parametrize("lib", LIBS)
def test_reduce_memory_downcasts_losslessly(lib: Any, caplog: pytest.LogCaptureFixture) -> None:
    rng = np.random.default_rng(0)
    n = 5000
    df = lib.DataFrame(
        {
            "small": rng.integers(0, 100, n),
            "neg": rng.integers(-30000, 30000, n),
            "big": rng.integers(0, 2**40, n),
            "f": rng.normal(size=n),
            "city": rng.choice(["北京", "上海", "广州"], n).tolist(),
            "uid": [f"u{i}" for i in range(n)],
        }
    )
    with caplog.at_level(logging.INFO, logger="toolkit.preprocessing.frames"):
        out, report = reduce_memory(df, return_report=True)
    assert type(out) is lib.DataFrame
    got = _as_pandas(out)
    ref = _as_pandas(df)
    assert str(got["small"].dtype).lower() in ("int8", "uint8")
    assert str(got["neg"].dtype).lower() == "int16"
    assert str(got["big"].dtype).lower() == "int64"  # does not fit 32 bits: untouched
    assert got["f"].dtype == np.float32
    assert isinstance(got["city"].dtype, pd.CategoricalDtype)
    assert not isinstance(got["uid"].dtype, pd.CategoricalDtype)  # high cardinality stays
    for c in ("small", "neg", "big"):
        np.testing.assert_array_equal(got[c].to_numpy(np.int64), ref[c].to_numpy(np.int64))
    np.testing.assert_allclose(got["f"], ref["f"], rtol=1e-6)
    assert report.bytes_saved > 0 and report.bytes_after < report.bytes_before
    assert "saved" in str(report) and "small" in str(report)
    assert report.to_dict()["bytes_saved"] == report.bytes_saved
    assert "reduce_memory" in caplog.text
    # The input keeps its dtypes.
    assert str(_as_pandas(df)["small"].dtype).lower() == "int64"


def test_reduce_memory_keep_floats_and_bad_argument() -> None:
    df = pd.DataFrame({"f": [0.1, 0.2]})
    assert reduce_memory(df, downcast_floats=False)["f"].dtype == np.float64
    with pytest.raises(UsageError, match="max_cardinality"):
        reduce_memory(df, max_cardinality=2)
    with pytest.raises(UsageError, match="df"):
        reduce_memory({"a": [1]})


@pytest.mark.parametrize("lib", LIBS)
def test_missing_summary_matches_reference(lib: Any) -> None:
    data = {
        "a": [1.0, None, float("nan"), 4.0],
        "b": ["x", None, "y", "z"],
        "c": [1, 2, 3, 4],
        "d": [float("inf"), 1.0, -float("inf"), 2.0],
    }
    out = _as_pandas(missing_summary(lib.DataFrame(data)))
    assert type(missing_summary(lib.DataFrame(data))) is lib.DataFrame
    rows = {r["column"]: r for r in out.to_dict("records")}
    assert list(out["column"]) == ["a", "b", "d"]  # most missing first; complete "c" left out
    assert rows["a"]["n_missing"] == 2 and rows["a"]["pct_missing"] == 50.0
    assert rows["b"]["n_missing"] == 1 and rows["b"]["pct_missing"] == 25.0
    assert rows["d"]["n_missing"] == 0 and rows["d"]["n_inf"] == 2
    full = _as_pandas(missing_summary(lib.DataFrame(data), include_complete=True))
    assert set(full["column"]) == {"a", "b", "c", "d"}


@pytest.mark.parametrize("lib", LIBS)
def test_drop_uninformative(lib: Any) -> None:
    df = lib.DataFrame(
        {
            "a": [1, 2, 3, 4],
            "a_copy": [1, 2, 3, 4],
            "const": ["k", "k", "k", "k"],
            "nan": [float("nan")] * 4,
            "f": [1.0, None, 3.0, 4.0],
            "f_copy": [1.0, None, 3.0, 4.0],
            "f_near": [1.0, None, 3.0, 5.0],
            "const_with_gap": [7.0, None, 7.0, 7.0],
        }
    )
    out, report = drop_uninformative(df, return_report=True)
    assert type(out) is lib.DataFrame
    assert _cols(out) == ["a", "f", "f_near"]
    assert report.constant == ["const", "const_with_gap"]
    assert report.all_missing == ["nan"]
    assert report.duplicate == {"a_copy": "a", "f_copy": "f"}
    assert "a_copy (= a)" in str(report)
    assert _cols(drop_uninformative(df, duplicates=False)) == [
        "a",
        "a_copy",
        "f",
        "f_copy",
        "f_near",
    ]
    assert "a_copy" in _cols(df)  # input untouched


def test_drop_uninformative_nothing_to_drop() -> None:
    df = pd.DataFrame({"a": [1, 2]})
    out, report = drop_uninformative(df, return_report=True)
    assert _cols(out) == ["a"] and str(report) == "dropped nothing"


@pytest.mark.parametrize("lib", LIBS)
def test_datetime_features_match_pandas_reference(lib: Any) -> None:
    times = pd.date_range("2023-12-29 22:00", periods=200, freq="7h")
    df = lib.DataFrame({"t": times, "x": np.arange(200)})
    out = _as_pandas(
        datetime_features(
            df,
            features=[
                "year",
                "quarter",
                "month",
                "day",
                "dayofweek",
                "dayofyear",
                "hour",
                "minute",
                "is_weekend",
            ],
        )
    )
    assert "t" not in out.columns and "x" in out.columns
    np.testing.assert_array_equal(out["t_year"], times.year)
    np.testing.assert_array_equal(out["t_quarter"], times.quarter)
    np.testing.assert_array_equal(out["t_month"], times.month)
    np.testing.assert_array_equal(out["t_day"], times.day)
    np.testing.assert_array_equal(out["t_dayofweek"], times.day_of_week)
    np.testing.assert_array_equal(out["t_dayofyear"], times.day_of_year)
    np.testing.assert_array_equal(out["t_hour"], times.hour)
    np.testing.assert_array_equal(out["t_is_weekend"], (times.day_of_week >= 5).astype(int))


@pytest.mark.parametrize("lib", LIBS)
def test_datetime_features_parses_named_string_columns(lib: Any) -> None:
    df = lib.DataFrame({"d": ["2024-01-06", "2024-02-29"], "v": [1, 2]})
    out = _as_pandas(datetime_features(df, "d", features=["month", "day"], drop=False))
    assert list(out.columns) == ["d", "v", "d_month", "d_day"]
    assert out["d_day"].tolist() == [6, 29]


@pytest.mark.filterwarnings("ignore:Could not infer format")
def test_datetime_features_errors() -> None:
    df = pd.DataFrame({"v": [1, 2], "s": ["x", "y"]})
    with pytest.raises(UsageError, match="columns"):
        datetime_features(df, ["nope"])
    with pytest.raises(UsageError, match="columns"):
        datetime_features(df, ["v"])
    with pytest.raises(UsageError, match="columns: could not parse"):
        datetime_features(df, ["s"])
    with pytest.raises(UsageError, match="features"):
        datetime_features(df, features=["century"])
    # No datetime column and none named: unchanged.
    assert _cols(datetime_features(df)) == ["v", "s"]


def test_duplicate_labels_and_non_frames_are_usage_errors() -> None:
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(UsageError, match=r"df: duplicate column names \['a'\]"):
        missing_summary(df)
    with pytest.raises(UsageError, match="df: expected a pandas or polars DataFrame"):
        drop_uninformative([[1, 2]])


@pytest.mark.parametrize("lib", LIBS)
def test_empty_frames_are_handled(lib: Any) -> None:
    empty = lib.DataFrame({"a": [], "b": []})
    assert len(_as_pandas(missing_summary(empty))) == 0
    assert _cols(drop_uninformative(empty)) == ["a", "b"]
    assert _cols(clean_column_names(empty)) == ["a", "b"]
    assert reduce_memory(empty, return_report=True)[1].bytes_saved >= 0


@pytest.mark.parametrize("lib", LIBS)
def test_drop_uninformative_parity_on_random_frames(lib: Any) -> None:
    rng = np.random.default_rng(5)
    data = {f"c{k}": rng.integers(0, 3, 50).astype(float) for k in range(12)}
    data["c3"] = data["c1"].copy()
    data["c7"] = np.full(50, 2.0)
    data["c9"] = np.where(rng.random(50) < 0.2, np.nan, data["c1"])
    out, report = drop_uninformative(lib.DataFrame(data), return_report=True)
    ref, ref_report = drop_uninformative(pd.DataFrame(data), return_report=True)
    assert _cols(out) == _cols(ref)
    assert report == ref_report
    assert report.duplicate == {"c3": "c1"} and report.constant == ["c7"]


@given(
    st.lists(
        st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=32)),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "中"])), min_size=1, max_size=30),
)
@settings(max_examples=50, deadline=None)
def test_missing_summary_pandas_polars_parity(
    floats: list[float | None], strs: list[str | None]
) -> None:
    n = min(len(floats), len(strs))
    data = {"f": floats[:n], "s": strs[:n]}
    pd_df = pd.DataFrame(
        {"f": pd.Series(data["f"], dtype="float64"), "s": pd.Series(data["s"], dtype=object)}
    )
    pl_df = pl.DataFrame(data, schema={"f": pl.Float64, "s": pl.String}, strict=False)
    a = missing_summary(pd_df, include_complete=True)
    b = missing_summary(pl_df, include_complete=True).to_pandas()
    cols = ["column", "n_missing", "pct_missing", "n_inf"]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols], check_dtype=False)
    f = np.array([np.nan if v is None else v for v in data["f"]], dtype=float)
    row = a.set_index("column").loc["f"]
    assert row["n_missing"] == np.isnan(f).sum() and row["n_inf"] == np.isinf(f).sum()


@given(
    st.lists(
        st.text(alphabet="销售额元中文数据 ()（）_-ABCabc123", min_size=1, max_size=10),
        min_size=1,
        max_size=5,
    )
)
@settings(max_examples=60, deadline=None)
def test_clean_column_names_keeps_every_cjk_character(names: list[str]) -> None:
    out = _cols(clean_column_names(pl.DataFrame({f"{i}{n}": [0] for i, n in enumerate(names)})))
    for name, cleaned in zip(names, out, strict=True):
        cjk = [ch for ch in name if "\u4e00" <= ch <= "\u9fff"]
        assert [ch for ch in cleaned if "\u4e00" <= ch <= "\u9fff"] == cjk
        assert not set(cleaned) & set(" ()（）-")
