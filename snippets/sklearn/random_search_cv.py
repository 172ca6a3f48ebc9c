"""Randomised hyper-parameter search with scipy distributions and repeated stratified CV.

Random search finds good settings with far fewer fits than a grid when only a few parameters
matter. Use log-uniform distributions for scale parameters (learning rate, regularisation).

tags: sklearn, tuning, random-search, cross-validation, hyperparameters
requires: scikit-learn, scipy
version: 1

Example:
    >>> from scipy.stats import loguniform, randint
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> space = {"max_depth": randint(1, 6), "min_samples_leaf": randint(1, 10),
    ...          "max_features": loguniform(0.2, 1.0)}
    >>> search = random_search(RandomForestClassifier(n_estimators=20, random_state=0), space,
    ...                        X, y, n_iter=4, cv=3, scoring="accuracy")
    >>> bool(search.best_score_ > 0.9), sorted(search.best_params_)
    (True, ['max_depth', 'max_features', 'min_samples_leaf'])
"""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator
from sklearn.model_selection import RandomizedSearchCV, RepeatedStratifiedKFold


def random_search(
    estimator: BaseEstimator,
    param_distributions: dict[str, Any],
    X: Any,
    y: Any,
    n_iter: int = 30,
    cv: int = 5,
    repeats: int = 1,
    scoring: str | None = None,
    seed: int = 0,
    n_jobs: int | None = None,
) -> RandomizedSearchCV:
    """Fit a seeded ``RandomizedSearchCV`` with (repeated) stratified k-fold."""
    splitter = RepeatedStratifiedKFold(n_splits=cv, n_repeats=repeats, random_state=seed)
    search = RandomizedSearchCV(
        estimator,
        param_distributions,
        n_iter=n_iter,
        cv=splitter,
        scoring=scoring,
        random_state=seed,
        n_jobs=n_jobs,
    )
    return search.fit(X, y)
