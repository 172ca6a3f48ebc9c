"""Bootstrap confidence interval for any metric (percentile method), seeded and vectorised.

Resamples rows with replacement ``n_resamples`` times and reports the ``(1 - alpha)`` percentile
interval of the metric. Pass ``strata`` (e.g. the class labels) to keep class proportions fixed
in each resample, which avoids resamples with a single class for AUC-type metrics. For small
samples or skewed metrics, prefer ``scipy.stats.bootstrap(method="BCa")``.

tags: evaluation, bootstrap, confidence-interval, statistics, metrics
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y_true = rng.integers(0, 2, 500)
    >>> y_pred = np.where(rng.random(500) < 0.8, y_true, 1 - y_true)
    >>> accuracy = lambda t, p: float(np.mean(t == p))
    >>> ci = bootstrap_ci(accuracy, y_true, y_pred, n_resamples=2000, seed=0)
    >>> ci.low < ci.estimate < ci.high, round(ci.high - ci.low, 2)
    (True, 0.07)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConfidenceInterval:
    """Point estimate on the full data plus the bootstrap interval."""

    estimate: float
    low: float
    high: float
    confidence: float

    def __str__(self) -> str:
        pct = round(self.confidence * 100)
        return f"{self.estimate:.4f} ({pct}% CI {self.low:.4f} to {self.high:.4f})"


def bootstrap_ci(
    metric: Callable[..., float],
    *arrays: np.ndarray,
    n_resamples: int = 1000,
    alpha: float = 0.05,
    strata: np.ndarray | None = None,
    seed: int | None = 0,
) -> ConfidenceInterval:
    """``metric(*arrays)`` with a percentile bootstrap CI; arrays are resampled by row together."""
    arrays = tuple(np.asarray(a) for a in arrays)
    n = len(arrays[0])
    if n == 0 or any(len(a) != n for a in arrays):
        raise ValueError("arrays must be non-empty and of equal length")
    rng = np.random.default_rng(seed)
    groups = (
        [np.arange(n)]
        if strata is None
        else [np.flatnonzero(strata == s) for s in np.unique(strata)]
    )
    stats = np.empty(n_resamples)
    for i in range(n_resamples):
        idx = np.concatenate([rng.choice(g, size=len(g), replace=True) for g in groups])
        stats[i] = metric(*(a[idx] for a in arrays))
    low, high = np.nanpercentile(stats, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return ConfidenceInterval(float(metric(*arrays)), float(low), float(high), 1 - alpha)
