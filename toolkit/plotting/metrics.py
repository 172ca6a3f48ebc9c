"""Evaluation figures: confusion matrix, ROC, precision-recall, calibration, thresholds, gain,
regression diagnostics, feature importance, learning and validation curves.

What is drawn is computed with scikit-learn (``roc_curve``, ``confusion_matrix``, ...), so the
figure and the numbers in a report always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from toolkit.errors import UsageError
from toolkit.plotting._cjk import draws
from toolkit.plotting._reduce import lttb
from toolkit.plotting._validate import (
    as_array,
    as_labels,
    as_numeric,
    get_ax,
    new_figure,
    note,
    same_length,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_MAX_CURVE_POINTS = 5000
_MAX_SCATTER = 100_000


# --------------------------------------------------------------------------- confusion matrix
def _confusion_order(cm: np.ndarray) -> np.ndarray:
    """Order classes so that classes confused with each other sit next to each other."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    rates = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    sim = rates + rates.T
    np.fill_diagonal(sim, 0.0)
    dist = 1.0 / (1.0 + 50.0 * sim)
    np.fill_diagonal(dist, 0.0)
    return np.asarray(leaves_list(linkage(squareform(dist, checks=False), method="average")))


@draws
def confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Sequence[Any] | None = None,
    display_labels: Sequence[str] | None = None,
    normalize: str | None = None,
    annot: bool | None = None,
    order: str | None = None,
    cmap: str = "Blues",
    colorbar: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Confusion matrix with counts, or rates normalized by ``"true"`` (row), ``"pred"`` (column)
    or ``"all"``; normalized cells also show the count, e.g. ``0.85 (170)``.

    Annotations switch off above 30 classes and tick labels above 60, so 1,000 classes draw as a
    readable image in well under a second. ``order="confusion"`` puts classes that are confused
    with each other next to each other (hierarchical clustering of the confusion rates).

    >>> ax = confusion_matrix(["a", "b", "a"], ["a", "b", "b"])
    >>> ax.images[0].get_array().tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    """
    from sklearn import metrics

    yt = as_labels(y_true, "y_true")
    yp = as_labels(y_pred, "y_pred")
    same_length(y_true=yt, y_pred=yp)
    if normalize not in (None, "true", "pred", "all"):
        raise UsageError(f"normalize: expected None, 'true', 'pred' or 'all', got {normalize!r}")
    if order not in (None, "confusion"):
        raise UsageError(f"order: expected None or 'confusion', got {order!r}")
    classes = np.asarray(labels) if labels is not None else np.unique(np.concatenate([yt, yp]))
    cm = metrics.confusion_matrix(yt, yp, labels=classes)
    names = [str(c) for c in (display_labels if display_labels is not None else classes)]
    if len(names) != cm.shape[0]:
        raise UsageError(f"display_labels: has {len(names)} names for {cm.shape[0]} classes")
    if order == "confusion" and cm.shape[0] > 2:
        idx = _confusion_order(cm)
        cm = cm[np.ix_(idx, idx)]
        names = [names[i] for i in idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        if normalize == "true":
            shown = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            shown = cm / cm.sum(axis=0, keepdims=True)
        elif normalize == "all":
            shown = cm / cm.sum()
        else:
            shown = cm.astype(float)
    shown = np.nan_to_num(shown, nan=0.0)
    k = cm.shape[0]
    size = 4.5 if k <= 5 else min(12.0, 3.0 + 0.45 * k)
    ax = get_ax(ax, figsize=(size + 1.0, size))
    vmax = 1.0 if normalize else None
    norm = None
    if k > 30 and normalize is None:
        from matplotlib.colors import LogNorm, Normalize

        # Many classes: counts span orders of magnitude; log colour keeps rare errors visible.
        norm = LogNorm(vmin=1, vmax=max(cm.max(), 2)) if cm.max() > 1 else Normalize(0, 1)
        shown = np.where(shown > 0, shown, np.nan)
    image = ax.imshow(
        shown,
        cmap=cmap,
        vmin=None if norm else 0,
        vmax=None if norm else vmax,
        norm=norm,
        interpolation="nearest",
    )
    if colorbar:
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label="rate" if normalize else "count")
    if k <= 60:
        rot = 45 if max(len(n) for n in names) > 3 else 0
        ax.set_xticks(range(k), names, rotation=rot, ha="right" if rot else "center")
        ax.set_yticks(range(k), names)
    else:
        note(ax, f"{k} classes: labels and annotations hidden")
    if annot if annot is not None else k <= 30:
        finite = shown[np.isfinite(shown)]
        threshold = (finite.max() if finite.size else 1) / 2
        fontsize = 9 if k <= 10 else 6
        for i in range(k):
            for j in range(k):
                value = shown[i, j]
                text = f"{cm[i, j]:,}" if not normalize else f"{value:.2f}\n({cm[i, j]:,})"
                color = "white" if np.isfinite(value) and value > threshold else "black"
                ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color=color)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.grid(visible=False)
    acc = np.trace(cm) / max(cm.sum(), 1)
    ax.set_title(title if title is not None else f"Confusion matrix (accuracy {acc:.1%})")
    return ax


# --------------------------------------------------------------------------- ROC / PR
def _scores_and_classes(
    y_true: Any, y_score: Any, classes: Sequence[Any] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Validate inputs; return (y_true, scores as (n,) or (n, k), class labels, display names)."""
    yt = as_labels(y_true, "y_true")
    raw = as_array(y_score)
    scores = as_numeric(raw, "y_score", ndim=raw.ndim if raw.ndim in (1, 2) else 1)
    same_length(y_true=yt, y_score=scores)
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    cls, names = _class_labels(yt, classes)
    if cls.size < 2:
        raise UsageError(
            f"y_true: has a single class ({cls[0] if cls.size else 'none'}); a curve needs "
            "examples of at least two classes"
        )
    if scores.ndim == 2:
        if scores.shape[1] == 2 and cls.size <= 2:
            scores = scores[:, 1]
        elif scores.shape[1] != cls.size:
            what = "classes= has" if classes is not None else "y_true has"
            raise UsageError(
                f"y_score: has {scores.shape[1]} columns but {what} {cls.size} classes; "
                "pass classes= with one entry per column, in the column order of y_score"
            )
    if scores.ndim == 1 and cls.size != 2:
        raise UsageError(
            f"y_true: has {cls.size} classes but y_score is 1-D; pass one score column per class"
        )
    return yt, scores, cls, names


def _class_labels(yt: np.ndarray, classes: Sequence[Any] | None) -> tuple[np.ndarray, list[str]]:
    """The labels of y_score's columns and their display names.

    ``classes`` lists either the labels found in ``y_true`` (``["cat", "dog"]`` for string
    labels) or display names for integer-coded labels ``0 .. k-1`` (``y_true`` of codes and
    ``classes=["cat", "dog", "bird"]``, the column order of ``predict_proba``).
    """
    if classes is None:
        cls = np.unique(yt)
        return cls, [str(c) for c in cls]
    given = list(classes)
    if len(set(map(str, given))) != len(given):
        raise UsageError(f"classes: has repeated entries {given}; each column needs its own")
    present = np.unique(yt)
    as_labels_ = {c.item() if hasattr(c, "item") else c for c in present}
    if as_labels_ <= set(given):
        return np.asarray(given), [str(c) for c in given]
    codes = np.arange(len(given))
    integral = np.issubdtype(present.dtype, np.number) and np.all(np.mod(present, 1) == 0)
    if integral and np.isin(present, codes).all():
        return codes, [str(c) for c in given]
    if integral:
        raise UsageError(
            f"classes: {len(given)} names {given} for y_true's integer labels "
            f"{present.tolist()[:10]}; pass one name per label 0..k-1, in order"
        )
    unknown = [c for c in present.tolist() if c not in given][:5]
    raise UsageError(
        f"classes: {given} does not match y_true: its labels {unknown} are not among them; "
        "pass the labels of y_true in y_score's column order"
    )


def _positive_label(pos_label: Any, cls: np.ndarray, names: list[str]) -> Any:
    """``pos_label`` as a label of y_true (a display name is accepted too); default: the last."""
    if pos_label is None:
        return cls[-1]
    if pos_label in cls.tolist():
        return pos_label
    if str(pos_label) in names:
        return cls[names.index(str(pos_label))]
    raise UsageError(f"pos_label: {pos_label!r} is not one of the classes {names}")


def _reduce_curve(ax: Axes, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    if x.size <= _MAX_CURVE_POINTS:
        return x, y, False
    idx = lttb(x, y, _MAX_CURVE_POINTS)
    return x[idx], y[idx], True


def _finish_axes(
    ax: Axes,
    xlabel: str,
    ylabel: str,
    title: str | None,
    default_title: str,
    *,
    legend: Literal["best", "lower right", "lower left"],
    reduced: bool = False,
) -> Axes:
    """The ending every curve plot shares: axis labels, a small legend, the title (``""``
    means none), and a note when curves were downsampled for drawing."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc=legend, fontsize="small")
    ax.set_title(title if title is not None else default_title)
    if reduced:
        note(ax, f"curves downsampled to {_MAX_CURVE_POINTS:,} points (LTTB)")
    return ax


@draws
def roc(
    y_true: Any,
    y_score: Any,
    *,
    classes: Sequence[Any] | None = None,
    pos_label: Any = None,
    average: Sequence[str] = ("micro", "macro"),
    n_bootstraps: int = 0,
    confidence: float = 0.95,
    max_classes: int = 10,
    random_state: int = 0,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """ROC curve(s) with AUC in the legend: binary, or one-vs-rest per class plus micro/macro
    averages when ``y_score`` has one column per class (``predict_proba`` output).

    ``n_bootstraps=200`` adds a shaded confidence band (and AUC interval) for binary problems.
    More than ``max_classes`` classes: per-class curves are drawn thin and grey without legend.
    ``classes`` names ``y_score``'s columns: the labels of ``y_true`` in column order, or display
    names for integer labels 0..k-1 (``classes=["猫", "狗", "鸟"]`` with ``y_true`` of codes).

    >>> ax = roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> ax.get_legend().get_texts()[0].get_text()
    'ROC (AUC = 0.750)'
    """
    from sklearn import metrics
    from sklearn.preprocessing import label_binarize

    yt, scores, cls, names = _scores_and_classes(y_true, y_score, classes)
    ax = get_ax(ax, figsize=(5.5, 5.0))
    reduced = False
    if scores.ndim == 1:
        pos = _positive_label(pos_label, cls, names)
        fpr, tpr, _ = metrics.roc_curve(yt, scores, pos_label=pos)
        auc = metrics.auc(fpr, tpr)
        label = f"AUC = {auc:.3f}"
        if n_bootstraps > 0:
            lo_auc, hi_auc = _bootstrap_roc_band(
                ax, yt == pos, scores, n_bootstraps, confidence, random_state
            )
            label += f" [{lo_auc:.3f}, {hi_auc:.3f}]"
        x, y, reduced = _reduce_curve(ax, fpr, tpr)
        ax.plot(x, y, color="C0", label=f"ROC ({label})", gid="roc")
    else:
        onehot = label_binarize(yt, classes=cls)
        grid = np.linspace(0, 1, 1001)
        mean_tpr = np.zeros_like(grid)
        aucs = []
        many = cls.size > max_classes
        for i, c in enumerate(cls):
            fpr, tpr, _ = metrics.roc_curve(onehot[:, i], scores[:, i])
            aucs.append(metrics.auc(fpr, tpr))
            mean_tpr += np.interp(grid, fpr, tpr)
            x, y, r = _reduce_curve(ax, fpr, tpr)
            reduced |= r
            if many:
                ax.plot(x, y, color="0.7", linewidth=0.5, gid=f"roc-{c}")
            else:
                ax.plot(
                    x,
                    y,
                    linewidth=1.2,
                    label=f"{names[i]} (AUC = {aucs[-1]:.3f})",
                    gid=f"roc-{c}",
                )
        if "micro" in average:
            fpr, tpr, _ = metrics.roc_curve(onehot.ravel(), scores.ravel())
            x, y, r = _reduce_curve(ax, fpr, tpr)
            reduced |= r
            ax.plot(
                x,
                y,
                "k:",
                linewidth=2.2,
                gid="roc-micro",
                label=f"micro-average (AUC = {metrics.auc(fpr, tpr):.3f})",
            )
        if "macro" in average:
            mean_tpr /= cls.size
            mean_tpr[0] = 0.0
            ax.plot(
                grid,
                mean_tpr,
                "k--",
                linewidth=2.2,
                gid="roc-macro",
                label=f"macro-average (AUC = {np.mean(aucs):.3f})",
            )
        if many:
            ax.plot([], [], color="0.7", label=f"{cls.size} classes, one-vs-rest")
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=0.8, label="chance")
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), aspect="equal")
    return _finish_axes(
        ax,
        "false positive rate",
        "true positive rate",
        title,
        "ROC curve",
        legend="lower right",
        reduced=reduced,
    )


def _bootstrap_roc_band(
    ax: Axes, positive: np.ndarray, scores: np.ndarray, n: int, confidence: float, seed: int
) -> tuple[float, float]:
    from sklearn import metrics

    if not 0 < confidence < 1:
        raise UsageError(f"confidence: must be between 0 and 1, got {confidence}")
    rng = np.random.default_rng(seed)
    grid = np.linspace(0, 1, 201)
    curves, aucs = [], []
    size = positive.size
    for _ in range(n):
        idx = rng.integers(0, size, size)
        if positive[idx].all() or not positive[idx].any():
            continue
        fpr, tpr, _ = metrics.roc_curve(positive[idx], scores[idx])
        curves.append(np.interp(grid, fpr, tpr))
        aucs.append(metrics.auc(fpr, tpr))
    if not curves:
        raise UsageError("y_true: bootstrap resamples never contain both classes; too few samples")
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(np.asarray(curves), [alpha, 1 - alpha], axis=0)
    ax.fill_between(grid, lo, hi, color="C0", alpha=0.2, label=f"{confidence:.0%} bootstrap band")
    a_lo, a_hi = np.quantile(aucs, [alpha, 1 - alpha])
    return float(a_lo), float(a_hi)


@draws
def precision_recall(
    y_true: Any,
    y_score: Any,
    *,
    classes: Sequence[Any] | None = None,
    pos_label: Any = None,
    average: Sequence[str] = ("micro",),
    iso_f1: bool = True,
    max_classes: int = 10,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Precision-recall curve(s) with average precision (AP) in the legend, iso-F1 contours and
    the prevalence (chance) line; multiclass one-vs-rest with a micro average. ``classes`` as in
    :func:`roc` (labels of ``y_true`` or display names for labels 0..k-1).

    >>> ax = precision_recall([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> ax.get_legend().get_texts()[0].get_text()
    'PR (AP = 0.833)'
    """
    from sklearn import metrics
    from sklearn.preprocessing import label_binarize

    yt, scores, cls, names = _scores_and_classes(y_true, y_score, classes)
    ax = get_ax(ax, figsize=(5.5, 5.0))
    if iso_f1:
        for f in (0.2, 0.4, 0.6, 0.8):
            r = np.linspace(f / (2 - f) + 1e-9, 1, 200)
            p = f * r / (2 * r - f)
            ax.plot(r, p, color="0.85", linewidth=0.8, zorder=0)
            ax.annotate(f"F1={f:.1f}", xy=(0.92, f * 0.92 / (1.84 - f)), fontsize=7, color="0.6")
    reduced = False

    def draw(positive: np.ndarray, s: np.ndarray, label: str, gid: str, **kw: Any) -> None:
        nonlocal reduced
        precision, recall, _ = metrics.precision_recall_curve(positive, s)
        ap = metrics.average_precision_score(positive, s)
        x, y, r = _reduce_curve(ax, recall, precision)
        reduced |= r
        ax.plot(
            x,
            y,
            drawstyle="steps-post",
            label=f"{label} (AP = {ap:.3f})" if label else None,
            gid=gid,
            **kw,
        )

    if scores.ndim == 1:
        pos = _positive_label(pos_label, cls, names)
        positive = yt == pos
        draw(positive, scores, "PR", "pr", color="C0")
        ax.axhline(
            positive.mean(),
            color="0.6",
            linestyle="--",
            linewidth=0.8,
            label=f"chance (prevalence {positive.mean():.2f})",
        )
    else:
        onehot = label_binarize(yt, classes=cls)
        many = cls.size > max_classes
        for i, c in enumerate(cls):
            if many:
                draw(onehot[:, i], scores[:, i], "", f"pr-{c}", color="0.7", linewidth=0.5)
            else:
                draw(onehot[:, i], scores[:, i], names[i], f"pr-{c}", linewidth=1.2)
        if "micro" in average:
            draw(
                onehot.ravel(),
                scores.ravel(),
                "micro-average",
                "pr-micro",
                color="k",
                linestyle=":",
                linewidth=2.2,
            )
        if "macro" in average:
            ap = metrics.average_precision_score(onehot, scores, average="macro")
            ax.plot([], [], " ", label=f"macro-average AP = {ap:.3f}")
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.05))
    return _finish_axes(
        ax,
        "recall",
        "precision",
        title,
        "Precision-recall curve",
        legend="lower left",
        reduced=reduced,
    )


# --------------------------------------------------------------------------- calibration
@draws
def calibration(
    y_true: Any,
    y_prob: Any,
    *,
    n_bins: int = 10,
    strategy: str = "uniform",
    pos_label: Any = None,
    log_counts: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Reliability diagram with a count histogram underneath, Brier score and expected
    calibration error (ECE) in the legend. ``y_prob`` may be a dict ``{model: probabilities}`` to
    compare models. With ``ax=`` the histogram goes on a twin axis of that Axes.

    >>> fig = calibration([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2)
    >>> len(fig.axes)
    2
    """
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    if strategy not in {"uniform", "quantile"}:
        raise UsageError(f"strategy: expected 'uniform' or 'quantile', got {strategy!r}")
    if n_bins < 1:
        raise UsageError(f"n_bins: must be >= 1, got {n_bins}")
    yt = as_labels(y_true, "y_true")
    models = dict(y_prob) if isinstance(y_prob, Mapping) else {"model": y_prob}
    classes = np.unique(yt)
    if classes.size > 2:
        raise UsageError(f"y_true: calibration needs a binary target, got {classes.size} classes")
    pos = pos_label if pos_label is not None else classes[-1]
    positive = (yt == pos).astype(int)
    if ax is None:
        fig = new_figure((5.5, 6.0))
        main, hist = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    else:
        main = get_ax(ax)
        fig = ax.figure  # type: ignore[assignment]
        hist = ax.twinx()
    main.plot(
        [0, 1], [0, 1], color="0.6", linestyle="--", linewidth=0.8, label="perfectly calibrated"
    )
    edges = np.linspace(0, 1, n_bins + 1)
    for i, (name, probs) in enumerate(models.items()):
        p = as_numeric(probs, f"y_prob[{name!r}]" if len(models) > 1 else "y_prob")
        same_length(y_true=yt, y_prob=p)
        if p.min() < 0 or p.max() > 1:
            raise UsageError("y_prob: probabilities must lie in [0, 1]")
        frac_pos, mean_pred = calibration_curve(positive, p, n_bins=n_bins, strategy=strategy)
        bins = np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, n_bins - 1)
        counts = np.bincount(bins, minlength=n_bins)
        sums = np.bincount(bins, weights=p, minlength=n_bins)
        hits = np.bincount(bins, weights=positive, minlength=n_bins)
        nz = counts > 0
        ece = np.sum(np.abs(sums[nz] - hits[nz])) / p.size
        brier = brier_score_loss(positive, p)
        main.plot(
            mean_pred,
            frac_pos,
            "o-",
            color=f"C{i}",
            gid=f"calibration-{name}",
            label=f"{name} (Brier {brier:.3f}, ECE {ece:.3f})",
        )
        hist.stairs(counts, edges, color=f"C{i}", fill=ax is None, alpha=0.4 if ax is None else 0.8)
    main.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01))
    main.set_ylabel("fraction of positives")
    main.legend(loc="upper left", fontsize="small")
    main.set_title(title if title is not None else "Calibration (reliability diagram)")
    if log_counts:  # predictions pile up near 0 and 1; a log axis keeps the middle bins visible
        hist.set_yscale("log")
    hist.set_ylabel("count (log)" if log_counts else "count")
    if ax is None:
        hist.set_xlabel("mean predicted probability")
    else:
        main.set_xlabel("mean predicted probability")
        hist.grid(visible=False)
    return fig


# --------------------------------------------------------------------------- thresholds, gain
def _binary(y_true: Any, y_score: Any, pos_label: Any) -> tuple[np.ndarray, np.ndarray]:
    yt, scores, cls, names = _scores_and_classes(y_true, y_score, None)
    if scores.ndim != 1:
        raise UsageError("y_score: needs one score per sample (binary problem)")
    pos = _positive_label(pos_label, cls, names)
    return (yt == pos), scores


@draws
def threshold_metrics(
    y_true: Any,
    y_score: Any,
    *,
    threshold: float | None = None,
    pos_label: Any = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Precision, recall and F1 against the decision threshold; the chosen threshold (default:
    the one that maximises F1) is marked with its metric values.

    >>> ax = threshold_metrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> [line.get_label() for line in ax.lines[:3]]
    ['precision', 'recall', 'F1']
    """
    from sklearn import metrics

    positive, scores = _binary(y_true, y_score, pos_label)
    precision, recall, thresholds = metrics.precision_recall_curve(positive, scores)
    precision, recall = precision[:-1], recall[:-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))
    if threshold is None:
        best = int(np.argmax(f1))
        threshold = float(thresholds[best])
        how = "max F1"
    else:
        how = "chosen"
    pred = scores >= threshold
    p_at = metrics.precision_score(positive, pred, zero_division=0)
    r_at = metrics.recall_score(positive, pred, zero_division=0)
    f_at = metrics.f1_score(positive, pred, zero_division=0)
    ax = get_ax(ax)
    reduced = False
    for values, name in ((precision, "precision"), (recall, "recall"), (f1, "F1")):
        x, y, r = _reduce_curve(ax, thresholds, values)
        reduced |= r
        ax.plot(x, y, label=name, gid=f"threshold-{name}")
    ax.axvline(threshold, color="k", linestyle="--", linewidth=1)
    ax.annotate(
        f"{how}: t={threshold:.3g}\nP={p_at:.2f} R={r_at:.2f} F1={f_at:.2f}",
        xy=(threshold, 0.02),
        xytext=(5, 5),
        textcoords="offset points",
        fontsize="small",
    )
    ax.set(ylim=(0, 1.02))
    return _finish_axes(
        ax, "threshold", "score", title, "Metrics vs threshold", legend="best", reduced=reduced
    )


@draws
def cumulative_gain(
    y_true: Any,
    y_score: Any,
    *,
    kind: str = "gain",
    pos_label: Any = None,
    n_points: int = 1000,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Cumulative gain (share of positives found vs share of samples targeted, highest scores
    first) or lift (``kind="lift"``), with the random and perfect baselines.

    >>> ax = cumulative_gain([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])
    >>> ax.lines[0].get_ydata()[-1]
    np.float64(1.0)
    """
    if kind not in {"gain", "lift"}:
        raise UsageError(f"kind: expected 'gain' or 'lift', got {kind!r}")
    positive, scores = _binary(y_true, y_score, pos_label)
    n = positive.size
    order = np.argsort(-scores, kind="stable")
    found = np.cumsum(positive[order]) / max(positive.sum(), 1)
    frac = np.arange(1, n + 1) / n
    if n > n_points:  # exact values at evenly spaced cut-offs
        idx = np.unique(np.linspace(0, n - 1, n_points).astype(int))
        found, frac = found[idx], frac[idx]
    frac = np.r_[0.0, frac]
    found = np.r_[0.0, found]
    ax = get_ax(ax)
    prevalence = positive.mean()
    if kind == "gain":
        ax.plot(frac, found, color="C0", label="model", gid="gain")
        ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", label="random")
        ax.plot([0, prevalence, 1], [0, 1, 1], color="0.3", linestyle=":", label="perfect")
        ax.set_ylabel("share of positives found")
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            lift = found[1:] / frac[1:]
        ax.plot(frac[1:], lift, color="C0", label="model", gid="lift")
        ax.axhline(1.0, color="0.6", linestyle="--", label="random")
        ax.set_ylabel("lift")
    ax.set_xlabel("share of samples targeted (highest scores first)")
    ax.legend(loc="best", fontsize="small")
    ax.set_title(title if title is not None else ("Cumulative gain" if kind == "gain" else "Lift"))
    return ax


# --------------------------------------------------------------------------- regression
def _regression_inputs(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    yt = as_numeric(y_true, "y_true")
    yp = as_numeric(y_pred, "y_pred")
    same_length(y_true=yt, y_pred=yp)
    return yt, yp


def _scatter_or_hexbin(ax: Axes, x: np.ndarray, y: np.ndarray) -> None:
    n = x.size
    if n > _MAX_SCATTER:
        ax.hexbin(x, y, gridsize=80, bins="log", cmap="viridis", mincnt=1)
        note(ax, f"{n:,} points as hexbin density (log counts)")
    else:
        size = float(np.clip(2000 / np.sqrt(n), 1, 30))
        ax.scatter(x, y, s=size, alpha=0.5, linewidths=0, rasterized=n > 5000)


@draws
def residuals(
    y_true: Any,
    y_pred: Any,
    *,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Residuals (actual - predicted) against predicted values, with the zero line and the mean
    residual per predicted-value bin (a trend means systematic error). R² and RMSE in the title.

    >>> ax = residuals([1.0, 2.0, 3.0], [1.1, 1.9, 3.2])
    >>> ax.get_ylabel()
    'residual (actual - predicted)'
    """
    from sklearn.metrics import r2_score, root_mean_squared_error

    yt, yp = _regression_inputs(y_true, y_pred)
    res = yt - yp
    ax = get_ax(ax)
    _scatter_or_hexbin(ax, yp, res)
    ax.axhline(0, color="k", linewidth=0.8)
    if yp.size >= 20 and np.ptp(yp) > 0:
        edges = np.quantile(yp, np.linspace(0, 1, 21))
        edges = np.unique(edges)
        bins = np.clip(np.searchsorted(edges[1:-1], yp, side="right"), 0, edges.size - 2)
        means = np.bincount(bins, weights=res) / np.maximum(np.bincount(bins), 1)
        centers = (edges[:-1] + edges[1:]) / 2
        ax.plot(centers, means[: centers.size], color="C3", linewidth=1.8, label="binned mean")
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel("predicted")
    ax.set_ylabel("residual (actual - predicted)")
    r2, rmse = r2_score(yt, yp), root_mean_squared_error(yt, yp)
    ax.set_title(title if title is not None else f"Residuals (R² = {r2:.3f}, RMSE = {rmse:.3g})")
    return ax


@draws
def predicted_vs_actual(
    y_true: Any,
    y_pred: Any,
    *,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Predicted against actual values with the identity line; R² and MAE in the title.

    >>> ax = predicted_vs_actual([1.0, 2.0, 3.0], [1.1, 1.9, 3.2])
    >>> ax.get_xlabel()
    'actual'
    """
    from sklearn.metrics import mean_absolute_error, r2_score

    yt, yp = _regression_inputs(y_true, y_pred)
    ax = get_ax(ax, figsize=(5.0, 5.0))
    _scatter_or_hexbin(ax, yt, yp)
    lo, hi = min(yt.min(), yp.min()), max(yt.max(), yp.max())
    ax.plot([lo, hi], [lo, hi], color="k", linestyle="--", linewidth=0.8, label="y = x")
    ax.set_xlabel("actual")
    ax.set_ylabel("predicted")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(loc="upper left", fontsize="small")
    r2, mae = r2_score(yt, yp), mean_absolute_error(yt, yp)
    ax.set_title(
        title if title is not None else f"Predicted vs actual (R² = {r2:.3f}, MAE = {mae:.3g})"
    )
    return ax


# --------------------------------------------------------------------------- importance, curves
@draws
def feature_importance(
    importances: Any,
    names: Sequence[str] | None = None,
    *,
    std: Any = None,
    top: int = 20,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of feature importance, largest first, with error bars.

    ``importances`` may be 1-D (with optional ``std``), a 2-D array (features x repeats, as in
    ``permutation_importance(...).importances``), the ``permutation_importance`` result itself,
    a pandas Series (index = names) or a ``{name: importance}`` dict. Only the ``top`` features
    are shown.

    >>> ax = feature_importance([0.1, 0.5], ["a", "b"])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['b', 'a']
    """
    if hasattr(importances, "importances_mean"):  # sklearn Bunch from permutation_importance
        std = importances.importances_std if std is None else std
        importances = importances.importances_mean
    elif isinstance(importances, Mapping):  # {name: importance} (a Bunch is a dict too)
        names = list(map(str, importances)) if names is None else names
        importances = [importances[key] for key in importances]
    if names is None and hasattr(importances, "index"):
        names = [str(i) for i in importances.index]
    raw = as_array(importances)
    values = as_numeric(raw, "importances", ndim=raw.ndim if raw.ndim in (1, 2) else 1)
    err = None
    if values.ndim == 2:
        err = values.std(axis=1)
        values = values.mean(axis=1)
    if std is not None:
        err = as_numeric(std, "std")
        same_length(importances=values, std=err)
    labels = list(names) if names is not None else [f"feature {i}" for i in range(values.size)]
    same_length(importances=values, names=labels)
    if top < 1:
        raise UsageError(f"top: must be >= 1, got {top}")
    order = np.argsort(-values, kind="stable")[:top]
    ax = get_ax(ax, figsize=(6.0, max(2.5, 0.3 * order.size + 1)))
    ax.barh(
        np.arange(order.size),
        values[order],
        xerr=None if err is None else err[order],
        color="C0",
        capsize=2,
        error_kw={"elinewidth": 1},
    )
    ax.set_yticks(np.arange(order.size), [str(labels[i]) for i in order])
    ax.invert_yaxis()
    ax.axvline(0, color="k", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("importance")
    ax.set_title(title if title is not None else "Feature importance")
    if values.size > order.size:
        note(ax, f"top {order.size} of {values.size} features")
    return ax


def _score_band(ax: Axes, x: np.ndarray, scores: np.ndarray, label: str, color: str) -> np.ndarray:
    mean, std = scores.mean(axis=1), scores.std(axis=1)
    ax.plot(x, mean, "o-", color=color, label=label, markersize=4)
    ax.fill_between(x, mean - std, mean + std, color=color, alpha=0.2)
    return np.asarray(mean)


def _curve_scores(x: Any, train: Any, test: Any, xname: str) -> tuple[np.ndarray, ...]:
    xs = as_numeric(x, xname)
    tr = as_numeric(train, "train_scores", ndim=None)
    te = as_numeric(test, "test_scores", ndim=None)
    tr = tr.reshape(tr.shape[0], -1)
    te = te.reshape(te.shape[0], -1)
    same_length(**{xname: xs, "train_scores": tr, "test_scores": te})
    return xs, tr, te


@draws
def learning_curve(
    train_sizes: Any,
    train_scores: Any = None,
    test_scores: Any = None,
    *,
    score_name: str = "score",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Training and validation score against training-set size (mean ± std over folds).

    Pass the three arrays returned by ``sklearn.model_selection.learning_curve`` (or that tuple as
    the only argument).

    >>> ax = learning_curve([10, 20], [[0.9, 0.8], [0.9, 0.9]], [[0.6, 0.7], [0.8, 0.8]])
    >>> ax.get_xlabel()
    'training examples'
    """
    if train_scores is None and isinstance(train_sizes, tuple):
        train_sizes, train_scores, test_scores = train_sizes[:3]
    if train_scores is None or test_scores is None:
        raise UsageError("train_scores/test_scores: both are required")
    xs, tr, te = _curve_scores(train_sizes, train_scores, test_scores, "train_sizes")
    ax = get_ax(ax)
    _score_band(ax, xs, tr, "training", "C0")
    val = _score_band(ax, xs, te, "validation", "C1")
    gap = tr.mean(axis=1)[-1] - val[-1]
    return _finish_axes(
        ax,
        "training examples",
        score_name,
        title,
        f"Learning curve (final gap {gap:.3f})",
        legend="best",
    )


@draws
def validation_curve(
    param_range: Any,
    train_scores: Any,
    test_scores: Any,
    *,
    param_name: str = "parameter",
    score_name: str = "score",
    log: bool | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Training and validation score against a hyper-parameter (mean ± std over folds), with
    the best validation value marked. Log x-axis by default when the range spans >= 2 decades.

    >>> ax = validation_curve([1, 2, 3], [[0.9]] * 3, [[0.5], [0.8], [0.6]], param_name="k")
    >>> ax.get_xscale()
    'linear'
    """
    xs, tr, te = _curve_scores(param_range, train_scores, test_scores, "param_range")
    ax = get_ax(ax)
    _score_band(ax, xs, tr, "training", "C0")
    val = _score_band(ax, xs, te, "validation", "C1")
    best = int(np.argmax(val))
    ax.plot(
        xs[best],
        val[best],
        "*",
        color="C3",
        markersize=14,
        zorder=5,
        label=f"best {param_name}={xs[best]:.3g} ({val[best]:.3f})",
    )
    positive = bool((xs > 0).all())
    if log if log is not None else positive and xs.max() / xs.min() >= 100:
        if not positive:
            raise UsageError("param_range: log scale needs positive values")
        ax.set_xscale("log")
    return _finish_axes(
        ax, param_name, score_name, title, f"Validation curve ({param_name})", legend="best"
    )


__all__ = [
    "calibration",
    "confusion_matrix",
    "cumulative_gain",
    "feature_importance",
    "learning_curve",
    "precision_recall",
    "predicted_vs_actual",
    "residuals",
    "roc",
    "threshold_metrics",
    "validation_curve",
]
