"""Train the baseline model: ``python -m {{ cookiecutter.package_name }}.models.train``."""

from __future__ import annotations

{% if cookiecutter.ml_framework == "scikit-learn" -%}
import argparse
import dataclasses
import json
from pathlib import Path

import joblib
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from {{ cookiecutter.package_name }}.config import Config, project_root
from {{ cookiecutter.package_name }}.data import load_csv, load_dataset, split_dataset
from {{ cookiecutter.package_name }}.features import build_features

Model = Pipeline


def train(X: pd.DataFrame, y: pd.Series, config: Config) -> Model:
    """Fit imputation, scaling and a logistic regression on the training split."""
    model = make_pipeline(
        SimpleImputer(strategy="median"),
        StandardScaler(),
        LogisticRegression(C=config.regularization_c, max_iter=1000),
    )
    return model.fit(build_features(X), y)


def save_model(model: Model, path: str | Path) -> Path:
    """Write the fitted model with joblib and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return path
{%- elif cookiecutter.ml_framework == "PyTorch" -%}
import argparse
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from {{ cookiecutter.package_name }}.config import Config, project_root
from {{ cookiecutter.package_name }}.data import load_csv, load_dataset, split_dataset
from {{ cookiecutter.package_name }}.features import build_features


class Model:
    """A small MLP with the scaling it was trained with, and a scikit-learn-like ``predict``."""

    def __init__(self, network: nn.Module, median: np.ndarray, mean: np.ndarray, std: np.ndarray):
        self.network, self.median, self.mean, self.std = network, median, mean, std

    def _tensor(self, X: pd.DataFrame) -> torch.Tensor:
        values = build_features(X).to_numpy()
        values = np.where(np.isnan(values), self.median, values)
        return torch.as_tensor((values - self.mean) / self.std, dtype=torch.float32)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Class probabilities, one column per class."""
        self.network.eval()
        with torch.no_grad():
            return torch.softmax(self.network(self._tensor(X)), dim=1).numpy()

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Predicted class labels."""
        return self.predict_proba(X).argmax(axis=1)


def train(
    X: pd.DataFrame,
    y: pd.Series,
    config: Config,
    on_epoch: Callable[[int, float], None] | None = None,
) -> Model:
    """Full-batch Adam on a one-hidden-layer MLP; seeded, so runs repeat exactly on CPU.

    ``on_epoch(epoch, loss)`` is called after every epoch (``main`` logs the loss curve).
    """
    torch.manual_seed(config.random_state)
    values = build_features(X).to_numpy()
    median = np.nanmedian(values, axis=0)
    values = np.where(np.isnan(values), median, values)
    mean, std = values.mean(axis=0), values.std(axis=0) + 1e-8
    inputs = torch.as_tensor((values - mean) / std, dtype=torch.float32)
    # A copy: pandas hands out read-only arrays, which torch warns about (and must not share).
    targets = torch.from_numpy(y.to_numpy(dtype=np.int64, copy=True))
    network = nn.Sequential(
        nn.Linear(inputs.shape[1], config.hidden_size),
        nn.ReLU(),
        nn.Linear(config.hidden_size, int(targets.max()) + 1),
    )
    optimizer = torch.optim.Adam(network.parameters(), lr=config.learning_rate)
    loss_fn = nn.CrossEntropyLoss()
    network.train()
    for epoch in range(config.epochs):
        optimizer.zero_grad()
        loss = loss_fn(network(inputs), targets)
        loss.backward()
        optimizer.step()
        if on_epoch is not None:
            on_epoch(epoch, loss.item())
    return Model(network, median, mean, std)


def save_model(model: Model, path: str | Path) -> Path:
    """Write the network weights and scaling statistics with ``torch.save``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "state_dict": model.network.state_dict(),
            "median": model.median,
            "mean": model.mean,
            "std": model.std,
        },
        path,
    )
    return path
{%- else -%}
import argparse
import dataclasses
import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }}.config import Config, project_root
from {{ cookiecutter.package_name }}.data import load_csv, load_dataset, split_dataset
from {{ cookiecutter.package_name }}.features import build_features


class Model:
    """Nearest-centroid classifier on standardised features: a baseline with no ML framework."""

    def fit(self, X: pd.DataFrame, y: pd.Series) -> Model:
        values = build_features(X).to_numpy()
        self.median_ = np.nanmedian(values, axis=0)
        values = np.where(np.isnan(values), self.median_, values)
        self.mean_, self.std_ = values.mean(axis=0), values.std(axis=0) + 1e-8
        scaled = (values - self.mean_) / self.std_
        labels = y.to_numpy()
        self.classes_ = np.unique(labels)
        self.centroids_ = np.stack([scaled[labels == c].mean(axis=0) for c in self.classes_])
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Label of the nearest class centroid."""
        values = build_features(X).to_numpy()
        values = np.where(np.isnan(values), self.median_, values)
        scaled = (values - self.mean_) / self.std_
        distances = ((scaled[:, None, :] - self.centroids_[None, :, :]) ** 2).sum(axis=2)
        return self.classes_[distances.argmin(axis=1)]


def train(X: pd.DataFrame, y: pd.Series, config: Config) -> Model:
    """Fit the baseline on the training split."""
    return Model().fit(X, y)


def save_model(model: Model, path: str | Path) -> Path:
    """Pickle the fitted model and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(model))
    return path
{%- endif %}


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Train, print test metrics as JSON; save the model under models/ and the metrics and the
    confusion matrix under reports/. This is what ``make train`` runs.

    Each call is recorded as a run in ``runs/`` (git-ignored): the config, the data file's
    hash, the git commit, the test metrics and the saved files. ``toolkit runs list`` and
    ``toolkit runs compare --last 5`` show them; ``make report`` writes the comparison to
    ``reports/runs.html``.
    """
    from toolkit import runs

    from {{ cookiecutter.package_name }}.plots import plot_confusion, save_figure
    from {{ cookiecutter.package_name }}.predict import evaluate, predict

    root = project_root()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", help="TOML config file (default: configs/default.toml)")
    parser.add_argument("--data", help="CSV with a 'target' column (default: the starter data)")
    parser.add_argument("--output", default=str(root / "models" / "model.bin"), help="model file")
    args = parser.parse_args(argv)
    config = Config.from_toml(args.config)
    params = {"config": args.config or "configs/default.toml", **dataclasses.asdict(config)}
    data = [] if args.data is None else [args.data]
    with runs.start("train", params=params, data=data, root=root / "runs") as run:
        X, y = load_dataset() if args.data is None else load_csv(args.data)
        X_train, X_test, y_train, y_test = split_dataset(X, y, config)
{%- if cookiecutter.ml_framework == "PyTorch" %}
        model = train(
            X_train, y_train, config, on_epoch=lambda epoch, loss: run.log("loss", loss, epoch)
        )
{%- else %}
        model = train(X_train, y_train, config)
{%- endif %}
        metrics = evaluate(model, X_test, y_test)
        run.log_many({name: value for name, value in metrics.items() if name != "n_samples"})
        # Every evaluation on the test set counts for `toolkit runs audit` (overfitting it).
        run.evaluate("test", y_test, predict(model, X_test), metric="accuracy")
        print(json.dumps(metrics, indent=2))
        model_path = save_model(model, args.output)
        run.artifact(model_path)
        print(f"model saved to {model_path}")
        metrics_path = root / "reports" / "metrics.json"
        metrics_path.parent.mkdir(parents=True, exist_ok=True)
        metrics_path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        figure = save_figure(plot_confusion(model, X_test, y_test), "confusion")
        run.artifact(figure)
        print(f"figure saved to {figure}")
    print(f"run {run.id} recorded in runs/ (compare: toolkit runs compare --last 5)")
    return metrics


if __name__ == "__main__":
    main()
