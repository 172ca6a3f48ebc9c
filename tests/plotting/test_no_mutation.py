"""Inputs are never modified: every function gets read-only arrays (a write would raise)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit import plotting as tp


def ro(a):
    arr = np.array(a)
    arr.setflags(write=False)
    return arr


rng = np.random.default_rng(0)
Y = ro(rng.integers(0, 2, 200))
S = ro(np.clip(Y * 0.4 + rng.random(200) * 0.6, 0, 1))
Y3 = ro(rng.integers(0, 3, 200))
P3 = ro(rng.dirichlet([1, 1, 1], 200))
R = ro(rng.normal(size=200))
EMB = ro(rng.normal(size=(200, 2)))
IMG = ro(rng.random((4, 8, 8)))

CALLS = {
    "confusion_matrix": lambda: tp.confusion_matrix(Y3, ro(np.roll(Y3, 1)), normalize="true"),
    "roc": lambda: tp.roc(Y3, P3),
    "roc_binary": lambda: tp.roc(Y, S, n_bootstraps=5),
    "precision_recall": lambda: tp.precision_recall(Y3, P3, average=("micro", "macro")),
    "calibration": lambda: tp.calibration(Y, S),
    "threshold_metrics": lambda: tp.threshold_metrics(Y, S),
    "cumulative_gain": lambda: tp.cumulative_gain(Y, S, kind="lift"),
    "residuals": lambda: tp.residuals(R, ro(R * 0.9)),
    "predicted_vs_actual": lambda: tp.predicted_vs_actual(R, ro(R * 0.9)),
    "feature_importance": lambda: tp.feature_importance(ro(rng.random((5, 3)))),
    "learning_curve": lambda: tp.learning_curve(ro([10, 20]), ro([[0.9]] * 2), ro([[0.7]] * 2)),
    "validation_curve": lambda: tp.validation_curve(ro([1, 2]), ro([[0.9]] * 2), ro([[0.7]] * 2)),
    "training_curves": lambda: tp.training_curves({"loss": R, "val_loss": R}, smoothing=0.5),
    "lr_schedule": lambda: tp.lr_schedule(ro(np.abs(R))),
    "compare_runs": lambda: tp.compare_runs({"a": R[:5], "b": R[5:10]}),
    "distribution": lambda: tp.distribution(R, hue=Y),
    "class_balance": lambda: tp.class_balance(Y3, compare=Y),
    "embedding_scatter": lambda: tp.embedding_scatter(EMB, Y, max_points=50),
    "image_grid": lambda: tp.image_grid(IMG, labels=ro([0, 1, 0, 1]), predictions=ro([0, 0, 0, 1])),
    "draw_boxes": lambda: tp.draw_boxes(IMG[0], ro([[1, 1, 4, 4]]), scores=ro([0.5])),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CALLS))
def test_read_only_inputs_are_accepted(name, png):
    png(CALLS[name]())


def test_frames_are_unchanged():
    frame = pd.DataFrame({"a": [1.0, None, 3.0, 4.0], "b": list("xyxz"), "c": [4, 3, 2, 1]})
    before = frame.copy()
    tp.missing_matrix(frame, sort=True)
    tp.correlation_heatmap(frame, cluster=True)
    tp.scatter_matrix(frame.dropna(), hue=["p", "q", "p"])
    pd.testing.assert_frame_equal(frame, before)
