"""Evaluation figures: drawn data equals scikit-learn's reference computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve
from sklearn.datasets import load_iris
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import StratifiedKFold, learning_curve, validation_curve
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import label_binarize

from toolkit import plotting as tp
from toolkit.plotting._validate import notes


@pytest.fixture(scope="module")
def binary():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    score = np.clip(y * 0.3 + rng.normal(0.35, 0.25, 400), 0, 1)
    return y, score


@pytest.fixture(scope="module")
def multiclass():
    x, y = load_iris(return_X_y=True)
    proba = LogisticRegression(max_iter=50).fit(x[:, :2], y).predict_proba(x[:, :2])
    return y, proba


def _line(ax, gid):
    return next(line for line in ax.lines if line.get_gid() == gid)


def test_confusion_matrix_counts_and_normalized_annotations(png):
    y_true = ["cat", "dog", "dog", "eel", "cat", "dog"]
    y_pred = ["cat", "dog", "cat", "eel", "cat", "eel"]
    ax = tp.confusion_matrix(y_true, y_pred)
    expected = skm.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "eel"]
    png(ax)
    ax = tp.confusion_matrix(y_true, y_pred, normalize="true")
    np.testing.assert_allclose(
        ax.images[0].get_array(), skm.confusion_matrix(y_true, y_pred, normalize="true")
    )
    texts = [t.get_text() for t in ax.texts]
    assert "0.33\n(1)" in texts and "1.00\n(2)" in texts  # rate with the count beside it
    for norm in ("pred", "all"):
        ax = tp.confusion_matrix(y_true, y_pred, normalize=norm)
        np.testing.assert_allclose(
            ax.images[0].get_array(), skm.confusion_matrix(y_true, y_pred, normalize=norm)
        )
    ax = tp.confusion_matrix([0, 1, 1], [0, 1, 0], display_labels=["neg", "pos"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["neg", "pos"]
    with pytest.raises(ValueError, match="mismatched lengths: y_true=6, y_pred=2"):
        tp.confusion_matrix(y_true, y_pred[:2])
    with pytest.raises(ValueError, match="normalize"):
        tp.confusion_matrix(y_true, y_pred, normalize="rows")


def test_confusion_matrix_thousand_classes_and_ordering(png):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 1000, 50_000)
    pred = np.where(rng.random(50_000) < 0.8, y, rng.integers(0, 1000, 50_000))
    ax = tp.confusion_matrix(y, pred)
    assert len(ax.texts) == 1 and notes(ax) == ["1000 classes: labels and annotations hidden"]
    cm = skm.confusion_matrix(y, pred)
    shown = np.nan_to_num(np.asarray(ax.images[0].get_array().filled(np.nan)), nan=0)
    np.testing.assert_array_equal(shown, cm)
    png(ax)
    # Two confused pairs (0<->3, 1<->2) end up adjacent after ordering by confusion.
    y = np.repeat([0, 1, 2, 3], 50)
    pred = y.copy()
    pred[:20] = 3
    pred[50:70] = 2
    ax = tp.confusion_matrix(y, pred, order="confusion")
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert abs(ticks.index("0") - ticks.index("3")) == 1
    assert abs(ticks.index("1") - ticks.index("2")) == 1
    np.testing.assert_array_equal(np.trace(ax.images[0].get_array()), 160)


def test_roc_binary_points_equal_sklearn(binary, png):
    y, score = binary
    ax = tp.roc(y, score)
    fpr, tpr, _ = skm.roc_curve(y, score)
    line = _line(ax, "roc")
    np.testing.assert_allclose(line.get_xdata(), fpr)
    np.testing.assert_allclose(line.get_ydata(), tpr)
    auc = skm.roc_auc_score(y, score)
    assert ax.get_legend().get_texts()[0].get_text() == f"ROC (AUC = {auc:.3f})"
    png(ax)
    ax = tp.roc(y, score, n_bootstraps=50)
    label = next(
        t.get_text() for t in ax.get_legend().get_texts() if t.get_text().startswith("ROC")
    )
    lo, hi = (float(v) for v in label.split("[")[1].rstrip("])").split(", "))
    assert lo < auc < hi
    assert len(ax.collections) == 1  # the band
    png(ax)


def test_roc_multiclass_ovr_micro_macro(multiclass, png):
    y, proba = multiclass
    ax = tp.roc(y, proba, classes=[0, 1, 2])
    onehot = label_binarize(y, classes=[0, 1, 2])
    for k in range(3):
        fpr, tpr, _ = skm.roc_curve(onehot[:, k], proba[:, k])
        np.testing.assert_allclose(_line(ax, f"roc-{k}").get_xdata(), fpr)
        np.testing.assert_allclose(_line(ax, f"roc-{k}").get_ydata(), tpr)
    fpr, tpr, _ = skm.roc_curve(onehot.ravel(), proba.ravel())
    np.testing.assert_allclose(_line(ax, "roc-micro").get_ydata(), tpr)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    micro = skm.roc_auc_score(y, proba, multi_class="ovr", average="micro")
    macro = skm.roc_auc_score(y, proba, multi_class="ovr", average="macro")
    assert f"micro-average (AUC = {micro:.3f})" in legend
    assert f"macro-average (AUC = {macro:.3f})" in legend
    png(ax)
    with pytest.raises(ValueError, match="y_score: has 2 columns but y_true has 3 classes"):
        tp.roc(y, proba[:, :2])
    with pytest.raises(ValueError, match="y_score: contains 1 NaN"):
        bad = proba.copy()
        bad[0, 0] = np.nan
        tp.roc(y, bad)


def test_roc_downsamples_huge_curves(png):
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 200_000)
    score = y + rng.normal(size=200_000) * 2
    ax = tp.roc(y, score)
    assert len(_line(ax, "roc").get_xdata()) <= 5000
    assert "LTTB" in notes(ax)[0]


def test_precision_recall_matches_sklearn_and_ap(binary, multiclass, png):
    y, score = binary
    ax = tp.precision_recall(y, score)
    precision, recall, _ = skm.precision_recall_curve(y, score)
    np.testing.assert_allclose(_line(ax, "pr").get_xdata(), recall)
    np.testing.assert_allclose(_line(ax, "pr").get_ydata(), precision)
    ap = skm.average_precision_score(y, score)
    assert ax.get_legend().get_texts()[0].get_text() == f"PR (AP = {ap:.3f})"
    png(ax)
    yy, proba = multiclass
    ax = tp.precision_recall(yy, proba, average=("micro", "macro"))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    onehot = label_binarize(yy, classes=[0, 1, 2])
    micro = skm.average_precision_score(onehot, proba, average="micro")
    macro = skm.average_precision_score(onehot, proba, average="macro")
    assert f"micro-average (AP = {micro:.3f})" in legend
    assert f"macro-average AP = {macro:.3f}" in legend
    png(ax)


def test_calibration_bins_equal_sklearn_with_histogram(binary, png):
    y, score = binary
    fig = tp.calibration(y, score, n_bins=8)
    main, hist = fig.axes
    line = _line(main, "calibration-model")
    frac, mean = calibration_curve(y, score, n_bins=8)
    np.testing.assert_allclose(line.get_xdata(), mean)
    np.testing.assert_allclose(line.get_ydata(), frac)
    counts = hist.patches[0].get_data()[0]
    assert counts.sum() == len(y)
    brier = skm.brier_score_loss(y, score)
    assert f"Brier {brier:.3f}" in main.get_legend().get_texts()[1].get_text()
    png(fig)
    fig = tp.calibration(y, {"a": score, "b": score**2}, strategy="quantile")
    assert len([line for line in fig.axes[0].lines if line.get_gid()]) == 2
    png(fig)
    with pytest.raises(ValueError, match=r"y_prob: probabilities must lie in \[0, 1\]"):
        tp.calibration(y, score + 1)


def test_threshold_metrics_marks_max_f1(binary, png):
    y, score = binary
    ax = tp.threshold_metrics(y, score)
    precision, recall, thresholds = skm.precision_recall_curve(y, score)
    f1 = 2 * precision[:-1] * recall[:-1] / (precision[:-1] + recall[:-1])
    best = thresholds[np.nanargmax(f1)]
    vline = next(line for line in ax.lines if not line.get_gid())
    assert vline.get_xdata()[0] == pytest.approx(best)
    f1_at = skm.f1_score(y, score >= best)
    assert f"F1={f1_at:.2f}" in ax.texts[0].get_text()
    png(ax)


def test_cumulative_gain_and_lift(binary, png):
    y, score = binary
    ax = tp.cumulative_gain(y, score)
    gain = _line(ax, "gain")
    order = np.argsort(-score, kind="stable")
    expected = np.r_[0, np.cumsum(y[order]) / y.sum()]
    np.testing.assert_allclose(gain.get_ydata(), expected)
    png(ax)
    ax = tp.cumulative_gain(y, score, kind="lift")
    assert _line(ax, "lift").get_ydata()[-1] == pytest.approx(1.0)


def test_regression_figures(png):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 3))
    y = x @ [1.0, 2.0, -1.0] + rng.normal(size=300)
    pred = Ridge().fit(x, y).predict(x)
    ax = tp.residuals(pd.Series(y), pred)
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], y - pred)
    assert f"R² = {skm.r2_score(y, pred):.3f}" in ax.get_title()
    png(ax)
    ax = tp.predicted_vs_actual(y, pred)
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 0], y)
    png(ax)
    big = rng.normal(size=200_000)
    ax = tp.predicted_vs_actual(big, big + rng.normal(size=200_000))
    assert "hexbin" in notes(ax)[0]
    with pytest.raises(ValueError, match="y_pred: contains 1 inf"):
        tp.residuals([1.0, 2.0], [1.0, np.inf])


def test_feature_importance_from_permutation_importance(png):
    x, y = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=200).fit(x, y)
    result = permutation_importance(model, x, y, n_repeats=5, random_state=0)
    names = ["sl", "sw", "pl", "pw"]
    ax = tp.feature_importance(result, names)
    order = np.argsort(-result.importances_mean)
    assert [t.get_text() for t in ax.get_yticklabels()] == [names[i] for i in order]
    np.testing.assert_allclose([p.get_width() for p in ax.patches], result.importances_mean[order])
    png(ax)
    ax = tp.feature_importance(result.importances, names, top=2)
    assert notes(ax) == ["top 2 of 4 features"]
    ax = tp.feature_importance(pd.Series([0.2, 0.7], index=["a", "b"]))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]
    with pytest.raises(ValueError, match="mismatched lengths: importances=4, names=3"):
        tp.feature_importance(result.importances_mean, names[:3])


def test_learning_and_validation_curves(png):
    x, y = load_iris(return_X_y=True)
    model = KNeighborsClassifier()
    sizes, train, test = learning_curve(
        model, x, y, cv=3, train_sizes=[0.3, 0.6, 1.0], shuffle=True, random_state=0
    )
    ax = tp.learning_curve(sizes, train, test, score_name="accuracy")
    np.testing.assert_allclose(ax.lines[1].get_ydata(), test.mean(axis=1))
    assert ax.get_ylabel() == "accuracy"
    png(ax)
    png(tp.learning_curve((sizes, train, test)))
    k = np.array([1, 3, 10, 30, 100])
    train, test = validation_curve(
        model, x, y, param_name="n_neighbors", param_range=k, cv=StratifiedKFold(3)
    )
    ax = tp.validation_curve(k, train, test, param_name="k")
    assert ax.get_xscale() == "log"  # 1..100 spans two decades
    best = k[np.argmax(test.mean(axis=1))]
    assert f"best k={best:.3g}" in ax.get_legend().get_texts()[2].get_text()
    png(ax)


def test_feature_importance_from_a_dict_and_single_class_curves_say_so() -> None:
    import numpy as np
    import pytest

    from toolkit.plotting import feature_importance, roc

    ax = feature_importance({"年龄": 0.2, "收入": 0.7})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["收入", "年龄"]
    with pytest.raises(ValueError, match="importances: contains 1 NaN"):
        feature_importance({"a": 0.5, "b": float("nan")})
    with pytest.raises(ValueError, match="single class"):
        roc(np.zeros(20), np.linspace(0, 1, 20))


def test_roc_and_pr_take_class_display_names():
    from toolkit.errors import UsageError

    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200)
    proba = rng.dirichlet([1, 1, 1], 200)
    for plot in (tp.roc, tp.precision_recall):
        ax = plot(y, proba, classes=["猫", "狗", "鸟"])
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert [t.split(" (")[0] for t in legend[:3]] == ["猫", "狗", "鸟"], legend
        # String labels given in column order still work as before.
        ax = plot(np.array(["a", "b", "c"])[y], proba, classes=["a", "b", "c"])
        assert ax.get_legend().get_texts()[0].get_text().startswith("a (")
        with pytest.raises(UsageError, match=r"classes: 2 names .* integer labels \[0, 1, 2\]"):
            plot(y, proba, classes=["cat", "dog"])
        with pytest.raises(UsageError, match=r"y_score: has 3 columns but classes= has 4"):
            plot(y, proba, classes=["a", "b", "c", "d"])
        with pytest.raises(UsageError, match=r"classes: .* labels \['c'\] are not among"):
            plot(np.array(["a", "b", "c"])[y], proba, classes=["a", "b", "x"])
    ax = tp.roc(y % 2, proba[:, 0], classes=["neg", "pos"], pos_label="pos")
    assert ax.get_legend().get_texts()[0].get_text().startswith("ROC (AUC")
    with pytest.raises(UsageError, match="pos_label"):
        tp.roc(y % 2, proba[:, 0], pos_label="nope")
