"""Figures for reports, drawn with ``toolkit.plotting``; each takes ``ax=`` and returns the Axes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from toolkit import plotting as tp

from {{ cookiecutter.package_name }}.config import project_root
from {{ cookiecutter.package_name }}.predict import predict


def plot_confusion(model: Any, X: pd.DataFrame, y: pd.Series, *, ax: Axes | None = None) -> Axes:
    """Confusion matrix of ``model`` on ``X, y`` (counts; ``toolkit.plotting.confusion_matrix``).

    Without ``ax``, it draws on a new pyplot figure, so a notebook shows it.
    """
    if ax is None:
        ax = plt.figure(figsize=(5, 4)).add_subplot()
    return tp.confusion_matrix(y, predict(model, X), title="Confusion matrix", ax=ax)


def save_figure(fig: Figure | Axes, name: str, *, directory: str | Path | None = None) -> Path:
    """Save ``fig`` as ``<directory>/<name>.png`` (default: ``reports/figures/``); return it."""
    folder = project_root() / "reports" / "figures" if directory is None else Path(directory)
    written = tp.save_figure(fig, folder / f"{name}.png", formats=("png",), dpi=150)
    return next(path for path in written if path.suffix == ".png")
