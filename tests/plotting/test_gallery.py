"""The gallery renders every public figure (what `make gallery` runs)."""

from __future__ import annotations

import pytest

from toolkit.plotting import gallery


def test_gallery_covers_every_figure_function():
    names = set(gallery.figures())
    figures = {
        "confusion_matrix", "roc", "precision_recall", "calibration", "threshold_metrics",
        "cumulative_gain", "residuals", "predicted_vs_actual", "feature_importance",
        "learning_curve", "validation_curve", "training_curves", "lr_schedule", "compare_runs",
        "distribution", "missing_matrix", "correlation_heatmap", "class_balance", "scatter_matrix",
        "embedding_scatter", "image_grid", "draw_boxes",
    }  # fmt: skip
    assert figures <= names


def test_gallery_renders_pngs(tmp_path):
    paths = gallery.render(tmp_path, dpi=40, only=["roc", "missing_matrix", "image_grid", "cjk"])
    assert {p.name for p in paths} >= {"roc.png", "missing_matrix.png", "image_grid.png"}
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


@pytest.mark.slow
def test_gallery_main_renders_everything(tmp_path, capsys):
    assert gallery.main([str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.png"))) >= 26
    assert "wrote" in capsys.readouterr().out
    assert gallery.main([]) == 2
