"""Loading and splitting the data; ``python -m {{ cookiecutter.package_name }}.data`` writes the
starter data set to ``data/raw/`` (what ``make data`` runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

{% if cookiecutter.ml_framework == "none" -%}
import numpy as np
{% endif -%}
import pandas as pd
from toolkit.preprocessing import split

from {{ cookiecutter.package_name }}.config import Config, project_root

TARGET = "target"


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
    return pd.DataFrame(X, columns=columns), pd.Series(y, name=TARGET)
{%- else %}
    The breast-cancer dataset that scikit-learn ships (no download); replace it with
    ``load_csv`` on your own data.
    """
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    return bunch.data, bunch.target.rename(TARGET)
{%- endif %}


def load_csv(path: str | Path, target: str = TARGET) -> tuple[pd.DataFrame, pd.Series]:
    """Read a CSV (relative paths resolve in ``data/raw``) and split off the ``target`` column."""
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = project_root() / "data" / "raw" / path
    frame = pd.read_csv(path)
    if target not in frame.columns:
        raise KeyError(f"{path}: no column {target!r}; columns are {list(frame.columns)}")
    return frame.drop(columns=[target]), frame[target]


def split_dataset(
    X: pd.DataFrame, y: pd.Series, config: Config
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Stratified train/test split (``toolkit.preprocessing.split``): each class keeps its share
    in both parts, and rows keep their index labels."""
    frame = X.assign(**{TARGET: y.to_numpy()})
    result = split(
        frame,
        target=TARGET,
        sizes=(1 - config.test_size, config.test_size),
        random_state=config.random_state,
    )
    train, test = result.train, result.test
    return train.drop(columns=[TARGET]), test.drop(columns=[TARGET]), train[TARGET], test[TARGET]


def main(argv: list[str] | None = None) -> None:
    """Write the starter dataset as one CSV (features plus the ``target`` column)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", default="data/raw/starter.csv", help="CSV file to write")
    args = parser.parse_args(argv)
    X, y = load_dataset()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    X.assign(**{TARGET: y.to_numpy()}).to_csv(output, index=False)
    print(f"wrote {len(X)} rows to {output}")


if __name__ == "__main__":
    main()
