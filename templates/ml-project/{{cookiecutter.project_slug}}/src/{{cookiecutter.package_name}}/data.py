"""Loading and splitting the data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }}.config import PROJECT_ROOT, Config

RAW_DIR = PROJECT_ROOT / "data" / "raw"


def load_dataset() -> tuple[pd.DataFrame, pd.Series]:
    """Return features and target of the starter dataset.
{% if cookiecutter.ml_framework == "none" %}
    A seeded synthetic two-class problem, so the project runs with no download and no ML
    framework; replace it with ``load_csv`` on your own data.
    """
    rng = np.random.default_rng(0)
    n_per_class, n_features = 300, 6
    centers = np.array([[0.0] * n_features, [1.5] * n_features])
    X = np.vstack([rng.normal(center, 1.0, size=(n_per_class, n_features)) for center in centers])
    y = np.repeat([0, 1], n_per_class)
    columns = [f"feature_{i}" for i in range(n_features)]
    return pd.DataFrame(X, columns=columns), pd.Series(y, name="target")
{%- else %}
    The breast-cancer dataset that scikit-learn ships (no download); replace it with
    ``load_csv`` on your own data.
    """
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    return bunch.data, bunch.target
{%- endif %}


def load_csv(path: str | Path, target: str) -> tuple[pd.DataFrame, pd.Series]:
    """Read a CSV (relative paths resolve in ``data/raw``) and split off the ``target`` column."""
    path = Path(path)
    if not path.is_absolute():
        path = RAW_DIR / path
    frame = pd.read_csv(path)
    if target not in frame.columns:
        raise KeyError(f"{path}: no column {target!r}; columns are {list(frame.columns)}")
    return frame.drop(columns=[target]), frame[target]


def split_dataset(
    X: pd.DataFrame, y: pd.Series, config: Config
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Stratified train/test split: each class keeps its share in both parts."""
    rng = np.random.default_rng(config.random_state)
    test_index: list[int] = []
    for label in np.unique(y):
        members = np.flatnonzero(y.to_numpy() == label)
        n_test = max(1, round(len(members) * config.test_size))
        test_index.extend(rng.choice(members, size=n_test, replace=False).tolist())
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test_index] = True
    return X[~is_test], X[is_test], y[~is_test], y[is_test]
