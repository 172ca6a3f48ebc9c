"""Transformers: values against reference computations, frames in/out, set_output, pickling."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from toolkit.errors import UsageError
from toolkit.preprocessing import (
    DatetimeFeatures,
    FrequencyEncoder,
    OutlierClipper,
    RareCategoryGrouper,
)

# ---------------------------------------------------------------- OutlierClipper


def test_outlier_clipper_quantile_matches_numpy() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_t(2, size=(500, 3))
    X[::7, 1] = np.nan
    clip = OutlierClipper(lower=0.05, upper=0.9).fit(X)
    lo = np.nanquantile(X, 0.05, axis=0)
    hi = np.nanquantile(X, 0.9, axis=0)
    np.testing.assert_allclose(clip.lower_bounds_, lo)
    np.testing.assert_allclose(clip.upper_bounds_, hi)
    X_new = rng.standard_t(2, size=(50, 3)) * 10
    out = clip.transform(X_new)
    np.testing.assert_allclose(out, np.clip(X_new, lo, hi))


def test_outlier_clipper_iqr_matches_tukey_fences() -> None:
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [100.0, -500.0]])
    clip = OutlierClipper(method="iqr", factor=1.5).fit(X)
    q1, q3 = np.quantile(X, [0.25, 0.75], axis=0)
    np.testing.assert_allclose(clip.lower_bounds_, q1 - 1.5 * (q3 - q1))
    np.testing.assert_allclose(clip.upper_bounds_, q3 + 1.5 * (q3 - q1))
    assert clip.transform(X)[4, 0] == 7.0


def test_outlier_clipper_nan_and_all_nan_columns_and_no_mutation() -> None:
    X = np.array([[np.nan, 1.0], [np.nan, 2.0], [np.nan, 50.0]])
    before = X.copy()
    out = OutlierClipper(lower=0.0, upper=0.5).fit_transform(X)
    np.testing.assert_array_equal(X, before)
    assert np.isnan(out[:, 0]).all()  # all-missing column: no bounds, passes through
    assert out[2, 1] == 2.0


def test_outlier_clipper_bad_input() -> None:
    with pytest.raises(ValueError, match="infinity"):
        OutlierClipper().fit(np.array([[1.0], [np.inf]]))
    with pytest.raises(UsageError, match="method"):
        OutlierClipper(method="zscore").fit(np.ones((3, 1)))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="lower, upper"):
        OutlierClipper(lower=0.9, upper=0.1).fit(np.ones((3, 1)))
    with pytest.raises(ValueError):
        OutlierClipper().fit(np.empty((0, 2)))


@given(
    arrays(np.float64, (20, 2), elements=st.floats(-1e6, 1e6)),
    st.floats(0, 0.49),
    st.floats(0.51, 1),
)
@settings(max_examples=40, deadline=None)
def test_outlier_clipper_property(X: np.ndarray, lower: float, upper: float) -> None:
    clip = OutlierClipper(lower=lower, upper=upper).fit(X)
    out = clip.transform(X)
    assert (out >= clip.lower_bounds_ - 1e-9).all() and (out <= clip.upper_bounds_ + 1e-9).all()
    inside = np.greater_equal(X, clip.lower_bounds_) & np.less_equal(X, clip.upper_bounds_)
    np.testing.assert_array_equal(out[inside], X[inside])  # values inside are untouched


def test_outlier_clipper_frames_and_set_output() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 100.0], "b": [5.0, 6.0, 7.0, 8.0]})
    clip = OutlierClipper(method="iqr").set_output(transform="pandas").fit(df)
    out = clip.transform(df)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["a", "b"]
    clip_pl = OutlierClipper(method="iqr").set_output(transform="polars").fit(pl.from_pandas(df))
    out_pl = clip_pl.transform(pl.from_pandas(df))
    assert isinstance(out_pl, pl.DataFrame)
    np.testing.assert_allclose(out_pl.to_numpy(), out.to_numpy())


# ---------------------------------------------------------------- categories


@pytest.mark.parametrize("lib", [pd, pl])
def test_frequency_encoder_matches_value_counts(lib: Any) -> None:
    rng = np.random.default_rng(1)
    city = rng.choice(["北京", "上海", "广州", "深圳"], p=[0.5, 0.3, 0.15, 0.05], size=400).tolist()
    city[:10] = [None] * 10
    df = lib.DataFrame({"city": city, "code": rng.integers(0, 5, 400)})
    enc = FrequencyEncoder().fit(df)
    out = enc.transform(df)
    ref = pd.Series(city).map(pd.Series(city).value_counts(dropna=False, normalize=True))
    ref[pd.Series(city).isna()] = 10 / 400  # missing is a category of its own
    np.testing.assert_allclose(out[:, 0], ref.to_numpy(dtype=float))
    codes = df["code"].to_numpy()
    np.testing.assert_allclose(
        out[:, 1], pd.Series(codes).map(pd.Series(codes).value_counts(normalize=True))
    )
    assert enc.get_feature_names_out().tolist() == ["city", "code"]


def test_frequency_encoder_counts_and_unknown() -> None:
    X = np.array([["a"], ["a"], ["b"]], dtype=object)
    enc = FrequencyEncoder(normalize=False, unknown_value=-1.0).fit(X)
    assert enc.transform(np.array([["a"], ["b"], ["zz"]], dtype=object)).ravel().tolist() == [
        2.0,
        1.0,
        -1.0,
    ]


def test_rare_category_grouper_strings_and_unseen() -> None:
    X = pd.DataFrame({"c": ["a"] * 50 + ["b"] * 45 + ["c"] * 3 + ["d"] * 2, "n": [None] * 100})
    g = RareCategoryGrouper(min_frequency=0.05).fit(X)
    assert sorted(g.categories_[0]) == ["a", "b"]
    assert sorted(g.rare_categories_[0]) == ["c", "d"]
    out = g.transform(pd.DataFrame({"c": ["a", "c", "new", None], "n": [None, None, None, None]}))
    assert out[:, 0].tolist()[:3] == ["a", "__rare__", "__rare__"]
    assert pd.isna(out[3, 0])  # missing stays missing
    # Count threshold and a custom label; the input is not modified.
    X_before = X.copy()
    out = RareCategoryGrouper(min_frequency=4, rare_label="其他").fit_transform(X)
    assert set(out[:, 0]) == {"a", "b", "其他"}
    pd.testing.assert_frame_equal(X, X_before)


def test_rare_category_grouper_numeric_codes() -> None:
    X = np.array([[1], [1], [1], [2], [2], [2], [9]])
    assert np.isnan(RareCategoryGrouper(min_frequency=2).fit_transform(X)[-1, 0])
    out = RareCategoryGrouper(min_frequency=2, rare_label=-1).fit_transform(X)
    assert out.ravel().tolist() == [1, 1, 1, 2, 2, 2, -1]


def test_rare_grouper_feeds_onehot_in_a_pipeline() -> None:
    X = pd.DataFrame({"c": ["a"] * 10 + ["b"] * 10 + ["x", "y"]})
    pipe = make_pipeline(RareCategoryGrouper(min_frequency=3), OneHotEncoder(sparse_output=False))
    out = pipe.fit_transform(X)
    assert out.shape == (22, 3)
    assert pipe.get_feature_names_out().tolist() == ["c___rare__", "c_a", "c_b"]


def test_category_params_are_validated() -> None:
    X = np.array([["a"], ["b"]], dtype=object)
    for bad in (0, 1.0, -0.5, "x", True):
        with pytest.raises(UsageError, match="min_frequency"):
            RareCategoryGrouper(min_frequency=bad).fit(X)
    with pytest.raises(UsageError, match="unknown_value"):
        FrequencyEncoder(unknown_value="x").fit(X)  # type: ignore[arg-type]


# ---------------------------------------------------------------- DatetimeFeatures


def _times() -> pd.DataFrame:
    t = pd.date_range("2024-02-27 20:00", periods=60, freq="5h")
    s = pd.Series(t.strftime("%Y-%m-%d %H:%M"))
    s[3] = None
    return pd.DataFrame({"ts": t, "when": s})


def test_datetime_features_transformer_values() -> None:
    X = _times()
    dt = DatetimeFeatures(features=["year", "month", "day", "dayofweek", "hour", "is_weekend"])
    out = dt.fit_transform(X)
    t = X["ts"]
    ref = np.column_stack(
        [t.dt.year, t.dt.month, t.dt.day, t.dt.day_of_week, t.dt.hour, t.dt.day_of_week >= 5]
    ).astype(float)
    np.testing.assert_allclose(out[:, :6], ref)
    ref_str = ref.copy()
    ref_str[3] = np.nan  # the missing string gives NaN features
    np.testing.assert_allclose(out[:, 6:], ref_str)
    assert dt.get_feature_names_out().tolist()[:2] == ["ts_year", "ts_month"]
    assert dt.get_feature_names_out().tolist()[6] == "when_year"


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_datetime_features_sklearn_behaviours_on_datetimes() -> None:
    # The estimator checks feed floats, which this transformer refuses; check the same
    # contract here on datetime input instead.
    X = _times()
    before = X.copy()
    dt = DatetimeFeatures()
    assert dt.fit(X) is dt
    first = dt.transform(X)
    pd.testing.assert_frame_equal(X, before)  # no mutation
    np.testing.assert_array_equal(clone(dt).fit(X).transform(X), first)  # idempotent / clone
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(dt)).transform(X), first)
    np.testing.assert_array_equal(dt.transform(X.iloc[::-1])[::-1], first)  # order invariant
    np.testing.assert_array_equal(dt.transform(X.iloc[:7]), first[:7])  # subset invariant
    assert dt.n_features_in_ == 2 and dt.feature_names_in_.tolist() == ["ts", "when"]
    out = DatetimeFeatures().set_output(transform="pandas").fit_transform(X)
    assert isinstance(out, pd.DataFrame) and out.columns[0] == "ts_year"
    out_pl = (
        DatetimeFeatures().set_output(transform="polars").fit_transform(pl.from_pandas(X[["ts"]]))
    )
    assert isinstance(out_pl, pl.DataFrame) and out_pl.columns[-1] == "ts_is_weekend"
    with pytest.raises(ValueError, match="X has 1 features"):
        dt.transform(X[["ts"]].to_numpy())
    with pytest.raises(ValueError, match="numeric"):
        DatetimeFeatures().fit(np.arange(6.0).reshape(-1, 2))
    with pytest.raises(ValueError, match="not parseable"):
        DatetimeFeatures().fit(pd.DataFrame({"x": ["hello", "world"]}))
    with pytest.raises(UsageError, match="features"):
        DatetimeFeatures(features=["week"]).fit(X)
