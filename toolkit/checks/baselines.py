"""Baselines: cross-validate a standard set of scikit-learn models in one call ("run all
algorithms first, then choose") with score mean +- std and fit / predict time.

Example:
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> board = compare_models(X, y, cv=3)
    >>> list(board.columns)[:4]
    ['model', 'mean', 'std', 'fit_time']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from toolkit.errors import UsageError


def default_models(task: str, random_state: int = 0) -> dict[str, Any]:
    """The standard candidates for ``task`` ("classification" or "regression")."""
    from sklearn.dummy import DummyClassifier, DummyRegressor
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def scaled(model: Any) -> Any:
        return make_pipeline(SimpleImputer(), StandardScaler(), model)

    def imputed(model: Any) -> Any:
        return make_pipeline(SimpleImputer(), model)

    if task == "classification":
        return {
            "dummy (most frequent)": DummyClassifier(),
            "logistic regression": scaled(LogisticRegression(max_iter=1000)),
            "k-nearest neighbours": scaled(KNeighborsClassifier()),
            "random forest": imputed(
                RandomForestClassifier(n_estimators=100, random_state=random_state)
            ),
            "hist gradient boosting": HistGradientBoostingClassifier(random_state=random_state),
        }
    return {
        "dummy (mean)": DummyRegressor(),
        "ridge": scaled(Ridge()),
        "k-nearest neighbours": scaled(KNeighborsRegressor()),
        "random forest": imputed(
            RandomForestRegressor(n_estimators=100, random_state=random_state)
        ),
        "hist gradient boosting": HistGradientBoostingRegressor(random_state=random_state),
    }


def compare_models(
    X: Any,
    y: Any,
    *,
    task: str = "auto",
    scoring: str | None = None,
    cv: int = 5,
    models: dict[str, Any] | None = None,
    random_state: int = 0,
) -> Any:
    """Cross-validate standard models on ``(X, y)`` and return a leaderboard DataFrame.

    Columns: model, mean, std (of ``scoring``; default accuracy / R^2), fit_time, predict_time
    (seconds per fold), sorted best first. Pass ``models={name: estimator}`` to race your own.

    Example:
        >>> from sklearn.datasets import load_diabetes
        >>> X, y = load_diabetes(return_X_y=True)
        >>> compare_models(X, y, cv=3).iloc[0]["model"] != "dummy (mean)"
        True
    """
    import pandas as pd
    from sklearn.model_selection import KFold, StratifiedKFold, cross_validate

    from toolkit.checks._frames import feature_matrix, small_threads
    from toolkit.columns import target_kind

    features = feature_matrix(X)
    target = np.asarray(y)
    if len(features) != len(target):
        raise UsageError(f"y: {len(target)} rows but X has {len(features)}")
    if len(target) < cv * 2:
        raise UsageError(f"X: {len(target)} rows are too few for cv={cv}")
    if task == "auto":  # the toolkit's one target rule (a numeric y with > 20 values regresses)
        task = "regression" if target_kind(target) == "regression" else "classification"
    if task not in {"classification", "regression"}:
        raise UsageError(f"task={task!r}: use 'classification', 'regression' or 'auto'")
    scoring = scoring or ("accuracy" if task == "classification" else "r2")
    splitter = (
        StratifiedKFold(cv, shuffle=True, random_state=random_state)
        if task == "classification"
        else KFold(cv, shuffle=True, random_state=random_state)
    )
    rows = []
    for name, model in (models or default_models(task, random_state)).items():
        with small_threads(len(features)):
            res = cross_validate(model, features, target, cv=splitter, scoring=scoring)
        rows.append(
            {
                "model": name,
                "mean": float(np.mean(res["test_score"])),
                "std": float(np.std(res["test_score"])),
                "fit_time": float(np.mean(res["fit_time"])),
                "predict_time": float(np.mean(res["score_time"])),
            }
        )
    board = pd.DataFrame(rows).sort_values("mean", ascending=False, ignore_index=True)
    board.attrs["scoring"] = scoring
    return board
