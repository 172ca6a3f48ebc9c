"""Test-set reliability: bootstrap confidence intervals for any metric and a paired bootstrap
to ask "is model B really better than model A on this test set?".

Example:
    >>> import numpy as np
    >>> y = np.array([0, 1] * 50); p = y.copy(); p[:10] = 1 - p[:10]
    >>> ci = bootstrap_ci(y, p, "accuracy")
    >>> ci.low < 0.9 < ci.high
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from toolkit.errors import UsageError

Metric = Callable[[Any, Any], float]


def resolve_metric(metric: str | Metric) -> tuple[str, Metric]:
    """A metric name of ``sklearn.metrics`` (e.g. "accuracy", "f1", "roc_auc", "r2") or any
    ``metric(y_true, y_pred)`` callable, as (name, function)."""
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric
    from sklearn import metrics

    aliases = {"mae": "mean_absolute_error", "mse": "mean_squared_error", "auc": "roc_auc"}
    name = aliases.get(metric, metric)
    for candidate in (f"{name}_score", name):
        fn = getattr(metrics, candidate, None)
        if callable(fn):
            return metric, fn
    raise UsageError(f"metric={metric!r}: not a function in sklearn.metrics (try 'accuracy', 'f1')")


def _arrays(*arrays: Any) -> list[np.ndarray[Any, Any]]:
    out = [np.asarray(a) for a in arrays]
    n = len(out[0])
    if n == 0:
        raise UsageError("y_true: empty; need at least one test row")
    for name, a in zip(("y_pred", "pred_b"), out[1:], strict=False):
        if len(a) != n:
            raise UsageError(f"{name}: {len(a)} rows but y_true has {n}")
    return out


def _scores(
    fn: Metric, yt: np.ndarray[Any, Any], yp: np.ndarray[Any, Any], idx: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Metric value on every resample (row of ``idx``); NaN where it is undefined."""
    from sklearn.metrics import accuracy_score

    if fn is accuracy_score and yt.ndim == yp.ndim == 1:
        # Accuracy is a mean of hits: vectorised, 100x faster than calling sklearn per resample.
        return np.asarray((yt == yp)[idx].mean(axis=1), dtype=float)
    out = np.full(len(idx), np.nan)
    for i, rows in enumerate(idx):
        try:
            out[i] = float(fn(yt[rows], yp[rows]))
        except ValueError:
            continue
    return out


def _resample(n: int, n_resamples: int, random_state: int | None) -> np.ndarray[Any, Any]:
    return np.random.default_rng(random_state).integers(0, n, size=(n_resamples, n))


@dataclass(frozen=True)
class BootstrapCI:
    """A metric on the full test set and its percentile bootstrap interval."""

    metric: str
    estimate: float
    low: float
    high: float
    confidence: float
    n_resamples: int

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return asdict(self)

    def __str__(self) -> str:
        return (
            f"{self.metric} = {self.estimate:.4f} "
            f"({self.confidence:.0%} CI {self.low:.4f} .. {self.high:.4f}, "
            f"{self.n_resamples} bootstrap resamples)"
        )


def bootstrap_ci(
    y_true: Any,
    y_pred: Any,
    metric: str | Metric = "accuracy",
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> BootstrapCI:
    """Percentile bootstrap confidence interval of ``metric(y_true, y_pred)``.

    ``y_pred`` may be labels, scores or probabilities -- whatever ``metric`` expects. Resamples
    where the metric is undefined (e.g. one class only for ROC AUC) are skipped.

    Example:
        >>> from sklearn.metrics import f1_score
        >>> str(bootstrap_ci([0, 1, 1, 0] * 25, [0, 1, 0, 0] * 25, f1_score))[:12]
        'f1_score = 0'
    """
    if not 0 < confidence < 1:
        raise UsageError(f"confidence={confidence}: must be between 0 and 1")
    name, fn = resolve_metric(metric)
    yt, yp = _arrays(y_true, y_pred)
    estimate = float(fn(yt, yp))
    all_scores = _scores(fn, yt, yp, _resample(len(yt), n_resamples, random_state))
    scores = all_scores[~np.isnan(all_scores)]
    if not len(scores):
        raise UsageError(f"metric={name!r}: undefined on every bootstrap resample")
    alpha = (1 - confidence) / 2
    low, high = np.quantile(scores, [alpha, 1 - alpha])
    return BootstrapCI(name, estimate, float(low), float(high), confidence, len(scores))


@dataclass(frozen=True)
class PairedBootstrap:
    """Model B minus model A on the same resampled test rows."""

    metric: str
    score_a: float
    score_b: float
    difference: float
    low: float
    high: float
    p_value: float
    confidence: float
    n_resamples: int

    @property
    def verdict(self) -> str:
        """One line: is B better, worse, or not distinguishable from A?"""
        if self.low > 0:
            return "B is better than A"
        if self.high < 0:
            return "B is worse than A"
        return "no significant difference between A and B"

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, verdict included."""
        return {**asdict(self), "verdict": self.verdict}

    def __str__(self) -> str:
        return (
            f"{self.metric}: A {self.score_a:.4f}, B {self.score_b:.4f}, B-A {self.difference:+.4f}"
            f" ({self.confidence:.0%} CI {self.low:+.4f} .. {self.high:+.4f}, "
            f"p={self.p_value:.3f}) -> {self.verdict}"
        )


def paired_bootstrap(
    y_true: Any,
    pred_a: Any,
    pred_b: Any,
    metric: str | Metric = "accuracy",
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    greater_is_better: bool = True,
    random_state: int | None = 0,
) -> PairedBootstrap:
    """Is model B really better than model A on this test set?

    Both models are scored on the same bootstrap resamples, so the shared test-set luck cancels.
    ``difference`` is B - A (sign flipped when ``greater_is_better=False``, e.g. for losses);
    ``p_value`` is the one-sided share of resamples where B is not better.

    Example:
        >>> y = [0, 1] * 100
        >>> a = [0, 0] * 100
        >>> paired_bootstrap(y, a, y).verdict
        'B is better than A'
    """
    name, fn = resolve_metric(metric)
    yt, pa, pb = _arrays(y_true, pred_a, pred_b)
    sign = 1.0 if greater_is_better else -1.0
    score_a, score_b = float(fn(yt, pa)), float(fn(yt, pb))
    idx = _resample(len(yt), n_resamples, random_state)
    d = sign * (_scores(fn, yt, pb, idx) - _scores(fn, yt, pa, idx))
    d = d[~np.isnan(d)]
    if not len(d):
        raise UsageError(f"metric={name!r}: undefined on every bootstrap resample")
    alpha = (1 - confidence) / 2
    low, high = np.quantile(d, [alpha, 1 - alpha])
    p_value = float((np.sum(d <= 0) + 1) / (len(d) + 1))
    return PairedBootstrap(
        name,
        score_a,
        score_b,
        sign * (score_b - score_a),
        float(low),
        float(high),
        p_value,
        confidence,
        len(d),
    )


def bootstrap_scores(
    y_true: Any,
    preds: list[Any],
    metric: str | Metric = "accuracy",
    *,
    n_resamples: int = 1000,
    random_state: int | None = 0,
) -> np.ndarray[Any, Any]:
    """Scores of several predictions on the *same* bootstrap resamples of the test rows.

    Shape ``(len(preds), n_resamples)``; NaN where the metric is undefined on a resample. The
    shared resamples keep the correlation between models scored on one test set, which a
    comparison of many models (for example ``toolkit runs audit``) needs.

    Example:
        >>> bootstrap_scores([0, 1] * 50, [[0, 1] * 50, [0, 0] * 50], n_resamples=5).shape
        (2, 5)
    """
    _, fn = resolve_metric(metric)
    yt = _arrays(y_true)[0]
    arrays = [np.asarray(p) for p in preds]
    for i, a in enumerate(arrays):
        if len(a) != len(yt):
            raise UsageError(f"preds[{i}]: {len(a)} rows but y_true has {len(yt)}")
    idx = _resample(len(yt), n_resamples, random_state)
    return np.array([_scores(fn, yt, a, idx) for a in arrays]).reshape(len(arrays), n_resamples)
