"""Permutation feature importance on held-out data, as a sorted table with uncertainty.

Unlike impurity-based ``feature_importances_`` it is measured on validation data and works for
any model. Correlated features share importance (permuting one leaves its twin), so read low
scores of correlated groups with care.

tags: sklearn, feature-importance, interpretability, permutation
requires: scikit-learn, pandas, numpy
version: 1

Example:
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = 3 * X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.1, size=300)
    >>> model = LinearRegression().fit(X[:200], y[:200])
    >>> table = importance_table(model, X[200:], y[200:], feature_names=["strong", "weak", "noise"])
    >>> table.index.tolist()
    ['strong', 'weak', 'noise']
    >>> bool(abs(table.loc["noise", "importance_mean"]) < 0.01)
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sklearn.inspection import permutation_importance


def importance_table(
    model: Any,
    X: Any,
    y: Any,
    feature_names: Sequence[str] | None = None,
    scoring: str | None = None,
    n_repeats: int = 10,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean and std of the score drop when each feature is shuffled, most important first."""
    result = permutation_importance(
        model, X, y, scoring=scoring, n_repeats=n_repeats, random_state=seed
    )
    if feature_names is None:
        feature_names = list(getattr(X, "columns", [f"x{i}" for i in range(X.shape[1])]))
    table = pd.DataFrame(
        {"importance_mean": result.importances_mean, "importance_std": result.importances_std},
        index=pd.Index(list(feature_names), name="feature"),
    )
    return table.sort_values("importance_mean", ascending=False)
