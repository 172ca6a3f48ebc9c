"""Cross-validate one model on several metrics at once and report mean ± std per metric.

``cross_validate`` with a dict of scorers fits each fold once for all metrics. The report
includes train scores, so over-fitting (train much better than validation) is visible.

tags: sklearn, cross-validation, metrics, evaluation, report
requires: scikit-learn, pandas
version: 1

Example:
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> report = cv_report(RandomForestClassifier(n_estimators=30, random_state=0), X, y,
    ...                    scoring=("accuracy", "roc_auc"), cv=3)
    >>> list(report.index), list(report.columns)
    (['accuracy', 'roc_auc'], ['test_mean', 'test_std', 'train_mean', 'gap'])
    >>> bool((report["test_mean"] > 0.9).all())
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.model_selection import StratifiedKFold, cross_validate


def cv_report(
    estimator: BaseEstimator,
    X: Any,
    y: Any,
    scoring: Sequence[str] = ("accuracy", "f1_macro"),
    cv: int = 5,
    seed: int = 0,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """One row per metric: validation mean/std, train mean and the train - validation gap."""
    result = cross_validate(
        estimator,
        X,
        y,
        scoring=list(scoring),
        cv=StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed),
        return_train_score=True,
        n_jobs=n_jobs,
    )
    rows = {}
    for name in scoring:
        test, train = result[f"test_{name}"], result[f"train_{name}"]
        rows[name] = {
            "test_mean": test.mean(),
            "test_std": test.std(),
            "train_mean": train.mean(),
            "gap": train.mean() - test.mean(),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
