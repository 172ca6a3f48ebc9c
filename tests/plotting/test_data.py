"""Data figures: what is drawn equals a reference computation; bad input names the argument."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy.stats.contingency import association

from toolkit import plotting as tp
from toolkit.plotting._validate import notes


def test_distribution_bins_all_points_and_notes_kde_sample(png):
    rng = np.random.default_rng(0)
    x = rng.normal(size=50_000)
    ax = tp.distribution(x, bins=30, stat="count")
    heights = ax.patches[0].get_data()[0]  # StepPatch values
    expected, _ = np.histogram(x, bins=30)
    np.testing.assert_allclose(heights, expected)
    assert any("KDE on 20,000 sample" in n for n in notes(ax))
    png(ax)


def test_distribution_density_integrates_to_one_per_class(png):
    rng = np.random.default_rng(1)
    x = np.r_[rng.normal(0, 1, 500), rng.normal(3, 1, 300)]
    y = np.r_[["a"] * 500, ["b"] * 300]
    ax = tp.distribution(pd.Series(x, name="feature"), hue=y, bins=20)
    steps = [p for p in ax.patches if p.get_fill()]
    assert len(steps) == 2
    for step in steps:
        values, edges, _ = step.get_data()
        assert np.sum(values * np.diff(edges)) == pytest.approx(1.0)
    assert ax.get_xlabel() == "feature"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a (n=500)", "b (n=300)"]
    png(ax)


def test_distribution_train_vs_test_and_polars(png):
    ax = tp.distribution(pl.Series("v", [1.0, 2.0, 3.0]), compare=[2.0, 3.0, 4.0], kde=False)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["train (n=3)", "test (n=3)"]
    png(ax)


def test_distribution_does_not_mutate_and_rejects_bad_input():
    x = np.array([3.0, 1.0, 2.0])
    before = x.copy()
    tp.distribution(x, kde=False)
    np.testing.assert_array_equal(x, before)
    with pytest.raises(ValueError, match=r"^x: contains 1 NaN"):
        tp.distribution([1.0, np.nan])
    with pytest.raises(ValueError, match=r"^x: contains 1 inf"):
        tp.distribution([1.0, np.inf])
    with pytest.raises(ValueError, match=r"^x: is empty"):
        tp.distribution([])
    with pytest.raises(ValueError, match=r"^x: must be numeric"):
        tp.distribution(["a", "b"])
    with pytest.raises(ValueError, match="mismatched lengths: x=3, hue=2"):
        tp.distribution(x, hue=["a", "b"])
    ax = tp.distribution([1.0, np.nan, 2.0], dropna=True, kde=False)
    assert notes(ax) == ["1 NaN/inf dropped"]


def test_class_balance_counts_and_percentages(png):
    y = ["cat"] * 6 + ["dog"] * 3 + ["eel"]
    ax = tp.class_balance(y)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cat", "dog", "eel"]
    assert [p.get_width() for p in ax.patches] == [6, 3, 1]
    texts = [t.get_text() for t in ax.texts]
    assert "6 (60.0%)" in texts and "1 (10.0%)" in texts
    assert "6.0:1" in ax.get_title()
    png(ax)


def test_class_balance_pools_many_classes_and_compares(png):
    y = np.repeat(np.arange(50), np.arange(50) + 1)
    ax = tp.class_balance(y, max_classes=10, compare=y[::2])
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "49" and ticks[-1] == "other (41 classes)"
    assert len(ax.patches) == 20
    png(ax)
    with pytest.raises(ValueError, match=r"^y: contains 1 missing"):
        tp.class_balance(np.array(["a", None], dtype=object))


def test_missing_matrix_marks_exact_cells_and_aggregates_large(png):
    frame = pd.DataFrame(
        {"a": [1.0, None, 3.0, None], "b": ["x", "y", None, "z"], "c": [1, 2, 3, 4]}
    )
    ax = tp.missing_matrix(frame)
    image = ax.images[0].get_array()
    np.testing.assert_array_equal(image, frame.isna().to_numpy().astype(float))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a\n50.0%", "b\n25.0%", "c\n0.0%"]
    png(ax)
    big = pd.DataFrame({"a": np.where(np.arange(10_000) % 4 == 0, np.nan, 1.0)})
    ax = tp.missing_matrix(big, max_rows=100)
    image = ax.images[0].get_array()
    assert image.shape == (100, 1)
    np.testing.assert_allclose(image, 0.25)
    assert notes(ax) == ["10,000 rows aggregated into 100 bands (shade = fraction missing)"]


def test_correlation_heatmap_matches_pandas_and_handles_mixed(png):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.normal(size=(200, 4)), columns=list("abcd"))
    frame["e"] = frame["a"] * 2 + rng.normal(size=200) * 0.1
    ax = tp.correlation_heatmap(frame, method="spearman")
    np.testing.assert_allclose(ax.images[0].get_array(), frame.corr(method="spearman"))
    png(ax)
    ax = tp.correlation_heatmap(frame, cluster=True)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert abs(ticks.index("a") - ticks.index("e")) == 1  # correlated pair sits together
    mixed = pd.DataFrame(
        {"num": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "cat": list("aabbcc"), "cat2": list("xxyyzz")}
    )
    ax = tp.correlation_heatmap(mixed)
    matrix = ax.images[0].get_array()
    table = pd.crosstab(mixed["cat"], mixed["cat2"]).to_numpy()
    assert matrix[1, 2] == pytest.approx(association(table, method="cramer"))
    assert 0 < matrix[0, 1] <= 1
    with pytest.raises(ValueError, match=r"^data: needs at least 2 columns"):
        tp.correlation_heatmap(pd.DataFrame({"a": [1, 2]}))


def test_scatter_matrix_switches_to_hexbin(png):
    rng = np.random.default_rng(3)
    small = pd.DataFrame(rng.normal(size=(100, 3)), columns=list("xyz"))
    fig = tp.scatter_matrix(small, hue=rng.integers(0, 2, 100))
    assert len(fig.axes) == 9
    png(fig)
    big = pd.DataFrame(rng.normal(size=(30_000, 2)), columns=list("xy"))
    fig = tp.scatter_matrix(big)
    assert "hexbin" in fig.get_suptitle()
    assert type(fig.axes[1].collections[0]).__name__ == "PolyCollection"
    png(fig)


def test_embedding_scatter_samples_per_class_and_keeps_rare(png):
    rng = np.random.default_rng(4)
    emb = rng.normal(size=(300_000, 2))
    labels = np.where(np.arange(300_000) < 500, "rare", "common")
    ax = tp.embedding_scatter(emb, labels, max_points=50_000)
    sizes = {c.get_label(): len(c.get_offsets()) for c in ax.collections}
    assert sizes["rare"] == 500
    assert sizes["common"] < 60_000
    assert notes(ax)[0].endswith("of 300,000 points shown (sampled per class)")
    png(ax)
    ax = tp.embedding_scatter(emb, max_points=1000)
    assert "2-D density" in notes(ax)[0]
    with pytest.raises(ValueError, match=r"^embedding: expected shape \(n, 2\)"):
        tp.embedding_scatter(np.zeros((3, 3)))


def test_missing_matrix_note_is_outside_the_plot(tmp_path):
    """The reduction note sits under the x tick labels, inside the saved image, covering
    neither the matrix nor a tick label."""
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(5000, 12)), columns=[f"feature_{i}" for i in range(12)])
    ax = tp.missing_matrix(df.mask(rng.random(df.shape) < 0.2))
    fig = ax.figure
    fig.savefig(tmp_path / "m.png")  # lays out and draws
    renderer = fig.canvas.get_renderer()
    (text,) = [t for t in ax.texts if t.get_gid() == "toolkit-note"]
    box = text.get_window_extent(renderer)
    assert not box.overlaps(ax.get_window_extent(renderer))
    for label in ax.get_xticklabels():
        assert not box.overlaps(label.get_window_extent(renderer)), label.get_text()
    assert box.y0 >= 0 and box.x1 <= fig.bbox.x1  # not cut off
