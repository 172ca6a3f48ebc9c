"""Training curves, LR schedules, run comparisons, image grids and boxes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

from toolkit import plotting as tp
from toolkit.plotting._reduce import lttb
from toolkit.plotting._validate import notes
from toolkit.plotting.training import ema


def test_ema_matches_tensorboard_loop():
    rng = np.random.default_rng(0)
    values = rng.normal(size=200)
    weight, last, out = 0.8, 0.0, []
    for i, v in enumerate(values, start=1):  # TensorBoard's debiased EMA, written naively
        last = last * weight + (1 - weight) * v
        out.append(last / (1 - weight**i))
    np.testing.assert_allclose(ema(values, weight), out)


def test_lttb_keeps_spikes_and_endpoints():
    x = np.arange(100_000, dtype=float)
    y = np.zeros_like(x)
    y[54_321] = 100.0
    idx = lttb(x, y, 500)
    assert idx.size == 500 and idx[0] == 0 and idx[-1] == x.size - 1
    assert 54_321 in idx
    assert (np.diff(idx) > 0).all()


def test_training_curves_from_dict_marks_best_and_groups(png):
    history = {
        "loss": [1.0, 0.6, 0.4, 0.3],
        "val_loss": [1.1, 0.7, 0.65, 0.8],
        "acc": [0.5, 0.6, 0.7, 0.8],
    }
    fig = tp.training_curves(history)
    titles = [a.get_title() for a in fig.axes if a.get_visible()]
    assert titles == ["loss", "acc"]
    ax = fig.axes[0]
    best = [t.get_text() for t in ax.texts]
    assert best == ["best 0.65 @ 2"]  # min of val_loss, not of training loss
    png(fig)


def test_training_curves_from_csv_runs_and_million_steps(tmp_path, png):
    steps = np.arange(1_000_000)
    loss = 1 / np.log(steps + 2) + np.random.default_rng(0).normal(0, 0.01, steps.size)
    frame = pd.DataFrame({"step": steps, "loss": loss})
    fig = tp.training_curves(frame, smoothing=0.9, log=True)
    ax = fig.axes[0]
    assert len(ax.lines[1].get_xdata()) == 2000
    assert "1,000,000 steps downsampled to 2,000 points (LTTB)" in notes(ax)[0]
    assert ax.get_yscale() == "log"
    png(fig)
    csv = tmp_path / "log.csv"
    pd.DataFrame({"epoch": [0, 1, 2], "val_acc": [0.5, 0.7, 0.6]}).to_csv(csv, index=False)
    runs = {"a": str(csv), "b": pl.DataFrame({"epoch": [0, 1, 2], "val_acc": [0.4, 0.5, 0.9]})}
    fig = tp.training_curves(runs)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a val_acc", "b val_acc"]
    assert [t.get_text() for t in ax.texts] == ["best 0.7 @ 1", "best 0.9 @ 2"]
    png(fig)


def test_training_curves_skips_nan_and_rejects_inf():
    frame = pd.DataFrame(
        {"loss": [1.0, 0.5, 0.4], "val_loss": [np.nan, np.nan, 0.6], "time": ["a", "b", "c"]}
    )
    fig = tp.training_curves(frame)
    assert "2 NaN entries skipped" in notes(fig.axes[0])[0]
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ["loss"]  # text column ignored
    with pytest.raises(ValueError, match=r"history\['loss'\]: contains inf"):
        tp.training_curves({"loss": [1.0, np.inf]})
    with pytest.raises(ValueError, match="history: no such CSV file"):
        tp.training_curves("/nonexistent/log.csv")


def test_lr_schedule_marks_warmup(png):
    lrs = np.r_[np.linspace(0, 1e-3, 100), 1e-3 * np.cos(np.linspace(0, np.pi / 2, 900)) + 1e-6]
    ax = tp.lr_schedule(lrs)
    assert "warm-up ends: 0.001 @ step 100" in ax.texts[0].get_text()
    assert ax.get_yscale() == "linear"  # lr 0 at step 0 cannot be drawn on a log axis
    png(ax)
    ax = tp.lr_schedule(lambda s: 0.1 * 0.99**s, steps=300)
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="steps"):
        tp.lr_schedule(lambda s: 0.1)


def test_compare_runs_ci_equals_student_t(png):
    results = {"base": [0.80, 0.82, 0.81, 0.79], "new": [0.85, 0.86, 0.84, 0.88]}
    ax = tp.compare_runs(results, metric="accuracy")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["new", "base"]
    vals = np.array(results["new"])
    half = stats.t.ppf(0.975, 3) * stats.sem(vals)
    assert f"{vals.mean():.4g} ± {half:.2g} (n=4)" == ax.texts[0].get_text()
    png(ax)
    long = pd.DataFrame({"run": ["a", "a", "b", "b"], "val_loss": [0.3, 0.32, 0.2, 0.25]})
    ax = tp.compare_runs(long, metric="val_loss")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]  # lower loss first
    with pytest.raises(ValueError, match="results: no column 'score'"):
        tp.compare_runs(long)


def test_image_grid_highlights_wrong_predictions(png):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, size=(6, 3, 16, 16), dtype=np.uint8)  # NCHW uint8
    fig = tp.image_grid(
        images,
        labels=[0, 1, 2, 0, 1, 2],
        predictions=[0, 1, 1, 0, 2, 2],
        class_names=["cat", "dog", "eel"],
    )
    titled = [a for a in fig.axes if a.get_title()]
    assert [a.get_title() for a in titled][:3] == ["cat / cat", "dog / dog", "eel / dog"]
    assert [a.title.get_color() for a in titled].count("tab:red") == 2
    assert fig.get_suptitle() == "label / prediction: 2 of 6 wrong"
    assert fig.axes[0].images[0].get_array().shape == (16, 16, 3)
    png(fig)
    fig = tp.image_grid([np.zeros((8, 8)), np.ones((4, 6))] * 50, max_images=10)
    assert "first 10 of 100 images" in fig.get_suptitle()
    with pytest.raises(ValueError, match=r"images\[1\]: contains 16 NaN"):
        tp.image_grid([np.zeros((4, 4)), np.full((4, 4), np.nan)])


def test_draw_boxes_formats_and_threshold(png):
    image = np.zeros((100, 200, 3))
    ax = tp.draw_boxes(
        image,
        [[10, 20, 30, 40], [0.5, 0.5, 0.2, 0.2]][:1],
        labels=[1],
        scores=[0.87],
        class_names=["bg", "person"],
        box_format="xywh",
    )
    rect = ax.patches[0]
    assert (rect.get_x(), rect.get_y(), rect.get_width(), rect.get_height()) == (10, 20, 30, 40)
    assert ax.texts[0].get_text() == "person 0.87"
    png(ax)
    ax = tp.draw_boxes(
        image,
        [[0.5, 0.5, 0.2, 0.2], [0.1, 0.1, 0.1, 0.1]],
        scores=[0.9, 0.1],
        box_format="cxcywh",
        normalized=True,
        score_threshold=0.5,
    )
    assert len(ax.patches) == 1
    rect = ax.patches[0]
    assert (rect.get_x(), rect.get_y()) == pytest.approx((80, 40))
    assert "1 of 2 boxes" in ax.get_title()
    with pytest.raises(ValueError, match="boxes: some boxes have max < min"):
        tp.draw_boxes(image, [[30, 40, 10, 20]])
    with pytest.raises(ValueError, match="mismatched lengths: boxes=1, labels=2"):
        tp.draw_boxes(image, [[1, 1, 2, 2]], labels=["a", "b"])
