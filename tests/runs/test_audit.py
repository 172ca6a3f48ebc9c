"""The test-set guard: selection among many variants, suspicious jumps, changed labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import toolkit.runs as tr
from toolkit.runs.guard import audit
from toolkit.runs.store import RunStore


def _predictions(y: np.ndarray, accuracy: float, rng: np.random.Generator) -> np.ndarray:
    """Predictions that are right on each row with probability ``accuracy``."""
    return np.where(rng.random(len(y)) < accuracy, y, 1 - y)


def _evaluate(
    root: Path, name: str, y: np.ndarray, pred: np.ndarray, test_set: str = "test"
) -> None:
    with tr.start(name, root=root, git=False) as run:
        run.evaluate(test_set, y, pred, metric="accuracy")


def test_the_best_of_many_equal_variants_is_explained_by_selection(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 400)
    for i in range(30):  # seed fishing: every variant has the same true accuracy 0.80
        _evaluate(tmp_path, "baseline" if i == 0 else f"seed{i}", y, _predictions(y, 0.8, rng))
    report = audit(RunStore(tmp_path).load().runs)
    (result,) = report.sets
    assert result.n_variants == 30 and result.n_rows == 400
    assert result.lead > 0 and result.selection_q95 is not None
    assert result.selection_p is not None and result.selection_p > 0.05
    # Naively, the best looks better than the baseline more often than not.
    assert result.naive_p is not None and result.naive_p < result.selection_p
    assert report.flagged and "picking the best of 29 variant(s)" in result.flags[0]
    assert not result.jumps


def test_a_real_steady_improvement_is_not_flagged(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 3000)
    for i, accuracy in enumerate([0.80, 0.81, 0.82, 0.83, 0.84, 0.86]):
        _evaluate(tmp_path, "baseline" if i == 0 else f"v{i}", y, _predictions(y, accuracy, rng))
    report = audit(RunStore(tmp_path).load().runs)
    (result,) = report.sets
    assert result.selection_p is not None and result.selection_p < 0.01
    assert not result.flags, result.flags
    assert not report.flagged


def test_ninety_to_ninety_nine_is_flagged_as_a_jump(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 2000)
    for i, accuracy in enumerate([0.89, 0.90, 0.895, 0.90, 0.99]):
        _evaluate(tmp_path, f"v{i}", y, _predictions(y, accuracy, rng))
    (result,) = audit(RunStore(tmp_path).load().runs).sets
    assert len(result.jumps) == 1 and result.jumps[0].after == "v4"
    assert any("label leakage" in f and "toolkit check data" in f for f in result.flags)


def test_changed_test_labels_are_flagged_and_left_out(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    y1, y2 = rng.integers(0, 2, 500), rng.integers(0, 2, 500)
    _evaluate(tmp_path, "old", y1, _predictions(y1, 0.8, rng))
    _evaluate(tmp_path, "new-a", y2, _predictions(y2, 0.8, rng))
    _evaluate(tmp_path, "new-b", y2, _predictions(y2, 0.81, rng))
    (result,) = audit(RunStore(tmp_path).load().runs).sets
    assert result.n_variants == 2 and any("labels of test set" in f for f in result.flags)


def test_each_test_set_and_metric_is_audited_apart(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 300)
    scores = rng.random(300)
    with tr.start("m", root=tmp_path, git=False) as run:
        run.evaluate("test", y, _predictions(y, 0.8, rng))
        run.evaluate("holdout", y, scores, metric="roc_auc")
        run.evaluate("holdout", y, _predictions(y, 0.8, rng), metric="log_loss")
    sets = audit(RunStore(tmp_path).load().runs).sets
    assert {(s.test_set, s.metric, s.greater_is_better) for s in sets} == {
        ("test", "accuracy", True),
        ("holdout", "roc_auc", True),
        ("holdout", "log_loss", False),
    }
    only = audit(RunStore(tmp_path).load().runs, test_set="test").sets
    assert [s.test_set for s in only] == ["test"]
