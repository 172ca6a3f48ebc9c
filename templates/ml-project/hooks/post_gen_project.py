"""Remove what the chosen options do not need and write the starter notebook."""

import json
import shutil
from pathlib import Path

ROOT = Path.cwd()
PACKAGE = "{{ cookiecutter.package_name }}"
LICENSE = "{{ cookiecutter.license }}"
NOTEBOOKS = "{{ cookiecutter.notebooks }}" == "yes"
CI = "{{ cookiecutter.ci }}"
# The framework-free variant has no scikit-learn, so its starter data is a seeded synthetic set.
DATA = (
    "a seeded synthetic dataset"
    if "{{ cookiecutter.ml_framework }}" == "none"
    else "a dataset that scikit-learn ships (breast cancer)"
)


def remove(relative: str) -> None:
    path = ROOT / relative
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def starter_notebook() -> dict:
    """The starter notebook as nbformat 4 JSON, saved without outputs (the hooks keep it so)."""
    cells = [
        ("markdown", [], "# Starter: train and evaluate a baseline\n\n"
         f"Runs top to bottom on {DATA}, so it works offline. "
         "Parameters live in the cell tagged `parameters` (papermill convention); "
         "`toolkit report --execute -p test_size=0.3` overrides them."),
        ("code", ["parameters"], "test_size = 0.25\nrandom_state = 0"),
        # `%matplotlib inline` so figures are kept in the outputs even when MPLBACKEND=Agg is set.
        ("code", [], "%matplotlib inline\nimport pandas as pd\n\n"
         f"from {PACKAGE}.config import Config, project_root\n"
         f"from {PACKAGE}.data import load_dataset, split_dataset\n"
         f"from {PACKAGE}.models.train import train\n"
         f"from {PACKAGE}.plots import plot_confusion, save_figure\n"
         f"from {PACKAGE}.predict import evaluate"),
        ("markdown", [], "## Data"),
        ("code", [], "config = Config(test_size=test_size, random_state=random_state)\n"
         "X, y = load_dataset()\n"
         "X_train, X_test, y_train, y_test = split_dataset(X, y, config)\n"
         "X.describe().T.head(10)"),
        ("markdown", [], "## Model"),
        ("code", [], "model = train(X_train, y_train, config)\n"
         "metrics = evaluate(model, X_test, y_test)\n"
         "pd.DataFrame([metrics], index=[type(model).__name__]).round(3)"),
        ("markdown", [], "## Errors by class"),
        ("code", [], "ax = plot_confusion(model, X_test, y_test)\n"
         "figure_path = save_figure(ax.figure, \"confusion\")"),
        ("markdown", [], "## Compare runs\n\n"
         "Every `make train` records a run in `runs/`: its config, data hash, git commit and "
         "test metrics. The last five side by side (the parameters that differ, each metric's "
         "last value); `make report` writes the same comparison to `reports/runs.html`."),
        ("code", [], "from toolkit.runs import RunStore, compare\n\n"
         "recorded = RunStore(project_root() / \"runs\").load().runs[-5:]\n"
         "print(f\"{len(recorded)} recent run(s) in runs/ (`make train` records one)\")\n"
         "comparison = compare(recorded) if recorded else None\n"
         "if comparison is not None and comparison.curve_metrics():\n"
         "    comparison.plot()  # metric-vs-step curves, one colour per run\n"
         "comparison.to_frame() if comparison is not None else None"),
    ]
    return {
        "cells": [
            {
                "cell_type": kind,
                "id": f"cell-{index}",
                "metadata": {"tags": tags} if tags else {},
                "source": source,
                **({"execution_count": None, "outputs": []} if kind == "code" else {}),
            }
            for index, (kind, tags, source) in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if LICENSE == "none":
    remove("LICENSE")
if not NOTEBOOKS:
    remove("notebooks")
else:
    text = json.dumps(starter_notebook(), indent=1, ensure_ascii=False) + "\n"
    (ROOT / "notebooks" / "01-starter-baseline.ipynb").write_text(text, encoding="utf-8")
if CI != "GitHub Actions":
    remove(".github")
if CI != "GitLab CI":
    remove(".gitlab-ci.yml")
