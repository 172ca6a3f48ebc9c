"""Feature engineering: keep every transformation here so training and prediction share it."""

from __future__ import annotations

import pandas as pd


def numeric_columns(X: pd.DataFrame) -> list[str]:
    """Names of the numeric columns, the ones the baseline model uses."""
    return X.select_dtypes("number").columns.tolist()


def build_features(X: pd.DataFrame) -> pd.DataFrame:
    """Return the model's input: the numeric columns as floats. The input is not modified.

    Statistics learned from data (imputation, scaling) belong in the model, fitted on the
    training split only, so they cannot leak from the test set.
    """
    return X[numeric_columns(X)].astype("float64")
