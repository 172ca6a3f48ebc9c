"""toolkit.plotting vs plain seaborn/matplotlib on the same large inputs, measured in one run.

Each case times "draw + render to PNG" (what a user waits for in a notebook) on identical data:
  * 10,000,000-point distribution: tp.distribution (exact binning + KDE on a sample)
    vs seaborn.histplot and matplotlib Axes.hist
  * 10,000,000-point scatter: tp.embedding_scatter (exact 2-D density) vs matplotlib Axes.scatter
  * 1,000-class confusion matrix (200,000 predictions): tp.confusion_matrix
    vs seaborn.heatmap(sklearn confusion_matrix) and ConfusionMatrixDisplay (values off)
  * 1,000,000-step training curve with EMA smoothing: tp.training_curves
    vs pandas ewm + matplotlib plot, and seaborn.lineplot
Run: .venv/bin/python benchmarks/plotting.py
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import toolkit.plotting as tp


def timed(draw: Callable[[], Any]) -> float:
    start = time.perf_counter()
    result = draw()
    fig = result if hasattr(result, "savefig") else result.figure
    fig.savefig(io.BytesIO(), format="png", dpi=100)
    elapsed = time.perf_counter() - start
    plt.close("all")
    return elapsed


def plain_ax() -> Any:
    return plt.figure(figsize=(6, 4.5)).add_subplot()


def report(case: str, ours: float, others: dict[str, float]) -> None:
    print(f"{case}\n  toolkit.plotting: {ours:6.2f} s")
    for name, secs in others.items():
        print(f"  {name:<34} {secs:6.2f} s   ratio other/toolkit {secs / ours:5.1f}")


def main() -> None:
    import seaborn as sns
    from sklearn.metrics import ConfusionMatrixDisplay
    from sklearn.metrics import confusion_matrix as sk_confusion

    rng = np.random.default_rng(0)
    x = rng.normal(size=10_000_000)
    report(
        "distribution, 10,000,000 points",
        timed(lambda: tp.distribution(x)),
        {
            "seaborn.histplot (no KDE)": timed(lambda: sns.histplot(x, ax=plain_ax())),
            "matplotlib Axes.hist(bins=100)": timed(lambda: plain_ax().hist(x, bins=100)[2][0]),
        },
    )
    xy = rng.normal(size=(10_000_000, 2))
    report(
        "scatter, 10,000,000 points",
        timed(lambda: tp.embedding_scatter(xy)),
        {
            "matplotlib Axes.scatter(s=1)": timed(
                lambda: plain_ax().scatter(xy[:, 0], xy[:, 1], s=1, linewidths=0)
            ),
        },
    )
    y = rng.integers(0, 1000, 200_000)
    pred = np.where(rng.random(y.size) < 0.7, y, rng.integers(0, 1000, y.size))
    report(
        "confusion matrix, 1,000 classes",
        timed(lambda: tp.confusion_matrix(y, pred)),
        {
            "seaborn.heatmap(confusion_matrix)": timed(
                lambda: sns.heatmap(sk_confusion(y, pred), ax=plain_ax())
            ),
            "ConfusionMatrixDisplay(values off)": timed(
                lambda: (
                    ConfusionMatrixDisplay.from_predictions(
                        y, pred, include_values=False, ax=plain_ax()
                    ).ax_
                )
            ),
        },
    )
    steps = np.arange(1_000_000)
    frame = pd.DataFrame(
        {"step": steps, "loss": 1 / np.log(steps + 2) + rng.normal(0, 0.02, steps.size)}
    )

    def plain_curve() -> Any:
        ax = plain_ax()
        ax.plot(frame["step"], frame["loss"], alpha=0.3)
        ax.plot(frame["step"], frame["loss"].ewm(alpha=0.1).mean())
        return ax

    report(
        "training curve, 1,000,000 steps (EMA smoothing)",
        timed(lambda: tp.training_curves(frame, smoothing=0.9)),
        {
            "pandas ewm + matplotlib plot": timed(plain_curve),
            "seaborn.lineplot": timed(
                lambda: sns.lineplot(data=frame, x="step", y="loss", ax=plain_ax())
            ),
        },
    )


if __name__ == "__main__":
    main()
