"""Expected calibration error (ECE) and reliability-diagram bins for binary probabilities.

ECE = sum over bins of ``(bin size / n) * |mean predicted - observed frequency|``. Equal-width
bins by default; ``strategy="quantile"`` gives equal-count bins (more stable when predictions
cluster). Matches the bins of ``sklearn.calibration.calibration_curve``.

tags: evaluation, calibration, ece, probabilities, classification
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> y = np.array([0, 0, 1, 1, 1, 0, 1, 1])
    >>> p = np.array([0.1, 0.2, 0.8, 0.9, 0.7, 0.3, 0.6, 0.9])
    >>> round(expected_calibration_error(y, p, n_bins=2), 4)
    0.2125
    >>> expected_calibration_error(np.array([0, 1]), np.array([0.0, 1.0]))
    0.0
"""

from __future__ import annotations

import numpy as np


def calibration_bins(
    y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10, strategy: str = "uniform"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per non-empty bin: mean predicted probability, observed positive rate, count."""
    y_true = np.asarray(y_true, dtype=float)
    y_prob = np.asarray(y_prob, dtype=float)
    if strategy == "quantile":
        edges = np.quantile(y_prob, np.linspace(0, 1, n_bins + 1))
    elif strategy == "uniform":
        edges = np.linspace(0, 1, n_bins + 1)
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    # Same rule as sklearn.calibration.calibration_curve: bins are right-closed, (a, b].
    ids = np.searchsorted(edges[1:-1], y_prob)
    counts = np.bincount(ids, minlength=n_bins)
    sum_prob = np.bincount(ids, weights=y_prob, minlength=n_bins)
    sum_true = np.bincount(ids, weights=y_true, minlength=n_bins)
    keep = counts > 0
    return sum_prob[keep] / counts[keep], sum_true[keep] / counts[keep], counts[keep]


def expected_calibration_error(
    y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10, strategy: str = "uniform"
) -> float:
    """Weighted mean absolute gap between confidence and accuracy over bins."""
    mean_prob, frac_pos, counts = calibration_bins(y_true, y_prob, n_bins, strategy)
    return float(np.sum(counts * np.abs(mean_prob - frac_pos)) / np.sum(counts))
