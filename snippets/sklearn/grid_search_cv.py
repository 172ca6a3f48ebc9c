"""Grid search with stratified cross-validation over a Pipeline, with a tidy results table.

Tuning the whole pipeline (not a pre-scaled X) keeps preprocessing inside each CV fold, so no
information leaks from validation folds. The default scoring is ``roc_auc`` (binary); use
``"roc_auc_ovr"`` or ``"f1_macro"`` for several classes. ``results_table`` turns
``cv_results_`` into a sorted pandas DataFrame of the parameters, mean and std score.

tags: sklearn, tuning, grid-search, cross-validation, pipeline
requires: scikit-learn, pandas
version: 1

Example:
    >>> from sklearn.datasets import load_breast_cancer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = grid_search(X, y, {"model__C": [0.01, 1.0]}, cv=3)
    >>> search.best_params_
    {'model__C': 1.0}
    >>> table = results_table(search)
    >>> list(table.columns), len(table)
    (['model__C', 'mean_score', 'std_score', 'rank'], 2)
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def grid_search(
    X: Any,
    y: Any,
    param_grid: dict[str, list[Any]],
    estimator: Pipeline | None = None,
    cv: int = 5,
    scoring: str = "roc_auc",
    seed: int = 0,
    n_jobs: int | None = None,
) -> GridSearchCV:
    """Fit a ``GridSearchCV`` (default: scaler + logistic regression) with stratified folds."""
    if estimator is None:
        estimator = Pipeline(
            [("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1000))]
        )
    search = GridSearchCV(
        estimator,
        param_grid,
        cv=StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed),
        scoring=scoring,
        n_jobs=n_jobs,
        refit=True,
    )
    return search.fit(X, y)


def results_table(search: Any) -> pd.DataFrame:
    """``cv_results_`` as a DataFrame sorted by rank: one column per parameter + scores."""
    res = search.cv_results_
    params = pd.DataFrame(list(res["params"]))
    table = params.assign(
        mean_score=res["mean_test_score"],
        std_score=res["std_test_score"],
        rank=res["rank_test_score"],
    )
    return table.sort_values("rank").reset_index(drop=True)
