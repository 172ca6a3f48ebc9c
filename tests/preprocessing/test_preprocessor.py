"""make_preprocessor: the right sklearn block for each dtype, end to end in a model."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import TargetEncoder

from toolkit.errors import UsageError
from toolkit.preprocessing import FrequencyEncoder, make_preprocessor


def _frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.normal(40, 10, n)
    age[::13] = np.nan
    city = rng.choice(["北京", "上海", "广州", None], size=n).tolist()
    shop = [f"s{k}" for k in rng.integers(0, 60, n)]
    return pd.DataFrame(
        {
            "age": age,
            "n_items": rng.integers(0, 9, n),
            "city": city,
            "member": rng.random(n) < 0.3,
            "shop": shop,
            "order_id": [f"o{i}" for i in range(n)],
            "signup": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
            "const": 1,
            "empty": np.nan,
            "y": (rng.random(n) < 0.4).astype(int),
        }
    )


def _estimators(pre: Any) -> dict[str, Any]:
    """Each block's encoder: the last step when the block is a pipeline (the categorical
    blocks first turn pd.NA into NaN)."""
    return {name: est[-1] if hasattr(est, "steps") else est for name, est, _ in pre.transformers}


def _blocks(pre: Any) -> dict[str, list[str]]:
    return {name: list(cols) for name, _, cols in pre.transformers}


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_columns_are_routed_by_dtype(lib: str, caplog: pytest.LogCaptureFixture) -> None:
    df = _frame()
    native: Any = pl.from_pandas(df) if lib == "polars" else df
    with caplog.at_level(logging.INFO, logger="toolkit.preprocessing.preprocessor"):
        pre = make_preprocessor(native, target="y")
    assert _blocks(pre) == {
        "numeric": ["age", "n_items"],
        "categorical": ["city", "member"],
        "high_cardinality": ["shop"],
        "datetime": ["signup"],
    }
    assert isinstance(_estimators(pre)["high_cardinality"], TargetEncoder)
    for dropped in ("order_id", "const", "empty"):
        assert dropped in caplog.text
    X = native.drop("y") if lib == "polars" else native.drop(columns="y")
    out = pre.fit_transform(X, df["y"].to_numpy())
    assert np.isfinite(out).all()
    names = pre.get_feature_names_out().tolist()
    assert out.shape[1] == len(names)
    assert "numeric__age" in names and "numeric__missingindicator_age" in names
    assert "categorical__city_北京" in names and "datetime__signup_year" in names


def test_frequency_encoder_without_target_and_options() -> None:
    df = _frame()
    pre = make_preprocessor(df.drop(columns="y"))
    assert isinstance(_estimators(pre)["high_cardinality"], FrequencyEncoder)
    pre = make_preprocessor(
        df, target="y", high_cardinality="frequency", max_onehot=100, drop=["signup"]
    )
    blocks = _blocks(pre)
    assert "shop" in blocks["categorical"] and "high_cardinality" not in blocks
    assert "datetime" not in blocks
    scaled = make_preprocessor(df, target="y").fit_transform(df.drop(columns="y"), df["y"])
    raw = make_preprocessor(df, target="y", scale=False).fit_transform(
        df.drop(columns="y"), df["y"]
    )
    assert abs(np.nanmean(scaled[:, 0])) < 1e-9 and np.nanmean(raw[:, 0]) > 30


def test_preprocessor_in_a_model_predicts_unseen_categories() -> None:
    df = _frame(800, seed=1)
    train, test = df.iloc[:600], df.iloc[600:].copy()
    test.loc[test.index[:5], "city"] = "深圳"  # unseen at fit time
    test.loc[test.index[:5], "shop"] = "brand-new"
    model = make_pipeline(make_preprocessor(train, target="y"), LogisticRegression(max_iter=500))
    model.fit(train.drop(columns="y"), train["y"])
    proba = model.predict_proba(test.drop(columns="y"))
    assert proba.shape == (200, 2) and np.isfinite(proba).all()


def test_preprocessor_errors() -> None:
    df = _frame(50)
    with pytest.raises(UsageError, match="target: column 'label'"):
        make_preprocessor(df, target="label")
    with pytest.raises(UsageError, match="df: is empty"):
        make_preprocessor(df.iloc[:0])
    with pytest.raises(UsageError, match="drop"):
        make_preprocessor(df, drop=["nope"])
    with pytest.raises(UsageError, match="high_cardinality"):
        make_preprocessor(df, high_cardinality="hash")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="no usable feature"):
        make_preprocessor(pd.DataFrame({"c": [1, 1], "e": [np.nan, np.nan]}))
    with pytest.raises(UsageError, match="df: expected a pandas or polars"):
        make_preprocessor(np.zeros((3, 2)))


def test_nullable_and_arrow_string_columns_with_missing_values() -> None:
    """pd.NA in 'string'/'string[pyarrow]' columns: scikit-learn's encoders reject it as is."""
    import pickle

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 400
    df = pd.DataFrame(
        {
            "city": pd.array(rng.choice(["北京", "上海"], n), dtype="string[pyarrow]"),
            "user": pd.array([f"u{i % 150}" for i in range(n)], dtype="string"),
            "x": rng.normal(size=n),
            "y": rng.integers(0, 2, n),
        }
    )
    df.loc[3, "city"] = pd.NA
    df.loc[5, "user"] = pd.NA
    pre = make_preprocessor(df, target="y")
    out = pre.fit_transform(df.drop(columns="y"), df["y"])
    names = list(pre.get_feature_names_out())
    assert out.shape == (n, len(names)) and "categorical__city_nan" in names
    assert np.isfinite(out).all()
    assert pickle.loads(pickle.dumps(pre)).transform(df.drop(columns="y")).shape == out.shape
