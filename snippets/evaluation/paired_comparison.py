"""Compare two models on the same test set: paired bootstrap of the metric difference, McNemar test.

Both models are scored on the same rows, so compare them *paired*: resample rows once and compute
both metrics on the same resample. The difference's CI excluding 0 means one model is better on
this data. For accuracy, McNemar's exact test uses only rows where the models disagree.

tags: evaluation, statistics, model-comparison, bootstrap, mcnemar, significance
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 400)
    >>> pred_a = np.where(rng.random(400) < 0.90, y, 1 - y)
    >>> pred_b = np.where(rng.random(400) < 0.75, y, 1 - y)
    >>> acc = lambda t, p: float(np.mean(t == p))
    >>> result = paired_bootstrap(acc, y, pred_a, pred_b, seed=0)
    >>> result["diff"] > 0, result["low"] > 0, result["p_value"] < 0.01
    (True, True, True)
    >>> mcnemar_exact(y, pred_a, pred_b)["p_value"] < 0.001
    True
    >>> mcnemar_exact(np.array([1, 1, 0, 0]), np.array([1, 0, 0, 0]), np.array([0, 1, 0, 0]))
    {'a_only': 1, 'b_only': 1, 'p_value': 1.0}
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np


def paired_bootstrap(
    metric: Callable[[np.ndarray, np.ndarray], float],
    y_true: np.ndarray,
    pred_a: np.ndarray,
    pred_b: np.ndarray,
    n_resamples: int = 2000,
    alpha: float = 0.05,
    seed: int | None = 0,
) -> dict[str, float]:
    """Metric difference A - B with a paired percentile CI and a two-sided bootstrap p-value."""
    y_true, pred_a, pred_b = (np.asarray(a) for a in (y_true, pred_a, pred_b))
    n = len(y_true)
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_resamples)
    for i in range(n_resamples):
        idx = rng.integers(0, n, n)
        diffs[i] = metric(y_true[idx], pred_a[idx]) - metric(y_true[idx], pred_b[idx])
    observed = metric(y_true, pred_a) - metric(y_true, pred_b)
    low, high = np.percentile(diffs, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    # Share of resamples on the other side of zero, doubled (capped at 1).
    p_value = min(1.0, 2 * min(np.mean(diffs <= 0), np.mean(diffs >= 0)))
    return {
        "diff": float(observed),
        "low": float(low),
        "high": float(high),
        "p_value": float(p_value),
    }


def mcnemar_exact(y_true: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray) -> dict[str, Any]:
    """Exact (binomial) McNemar test on the rows where exactly one model is right."""
    correct_a = np.asarray(pred_a) == np.asarray(y_true)
    correct_b = np.asarray(pred_b) == np.asarray(y_true)
    a_only = int(np.sum(correct_a & ~correct_b))
    b_only = int(np.sum(~correct_a & correct_b))
    n, k = a_only + b_only, min(a_only, b_only)
    # Two-sided: P(X <= k) doubled for X ~ Binomial(n, 1/2).
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n if n else 1.0
    return {"a_only": a_only, "b_only": b_only, "p_value": min(1.0, 2 * tail)}
