"""Prediction and evaluation, shared by scripts, notebooks and tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, balanced_accuracy_score


def predict(model: Any, X: pd.DataFrame) -> np.ndarray:
    """Predicted labels for ``X``."""
    return np.asarray(model.predict(X))


def evaluate(model: Any, X: pd.DataFrame, y: pd.Series) -> dict[str, float]:
    """Accuracy and balanced accuracy (the mean of per-class recall) on ``X, y``."""
    predicted = predict(model, X)
    return {
        "n_samples": float(len(y)),
        "accuracy": float(accuracy_score(y, predicted)),
        "balanced_accuracy": float(balanced_accuracy_score(y, predicted)),
    }
