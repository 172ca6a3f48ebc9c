"""Prediction and evaluation, shared by scripts, notebooks and tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def predict(model: Any, X: pd.DataFrame) -> np.ndarray:
    """Predicted labels for ``X``."""
    return np.asarray(model.predict(X))


def evaluate(model: Any, X: pd.DataFrame, y: pd.Series) -> dict[str, float]:
    """Accuracy and balanced accuracy (the mean of per-class recall) on ``X, y``."""
    predicted = predict(model, X)
    truth = y.to_numpy()
    recalls = [float(np.mean(predicted[truth == label] == label)) for label in np.unique(truth)]
    return {
        "n_samples": float(len(truth)),
        "accuracy": float(np.mean(predicted == truth)),
        "balanced_accuracy": float(np.mean(recalls)),
    }
