"""Figures for reports; every function takes ``ax=`` and returns the Axes it drew on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from {{ cookiecutter.package_name }}.config import PROJECT_ROOT
from {{ cookiecutter.package_name }}.predict import predict

FIGURES_DIR = PROJECT_ROOT / "reports" / "figures"


def plot_confusion(model: Any, X: pd.DataFrame, y: pd.Series, *, ax: Axes | None = None) -> Axes:
    """Confusion matrix of ``model`` on ``X, y``: counts, with the row percentage beside each."""
    truth, predicted = y.to_numpy(), predict(model, X)
    labels = np.unique(np.concatenate([truth, predicted]))
    counts = np.array([[np.sum((truth == t) & (predicted == p)) for p in labels] for t in labels])
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.imshow(counts, cmap="Blues")
    row_totals = counts.sum(axis=1, keepdims=True).clip(min=1)
    for (i, j), count in np.ndenumerate(counts):
        color = "white" if count > counts.max() / 2 else "black"
        share = 100 * count / row_totals[i, 0]
        ax.text(j, i, f"{count}\n{share:.0f}%", ha="center", va="center", color=color)
    ax.set_xticks(range(len(labels)), labels=[str(label) for label in labels])
    ax.set_yticks(range(len(labels)), labels=[str(label) for label in labels])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Confusion matrix")
    return ax


def save_figure(fig: Figure, name: str, *, directory: Path = FIGURES_DIR) -> Path:
    """Save ``fig`` as ``reports/figures/<name>.png`` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    fig.savefig(path, dpi=150, bbox_inches="tight")
    return path
