"""Choose a binary decision threshold on validation data: best F1, or a required precision/recall.

The default 0.5 is rarely right for imbalanced data. Tune on a validation split (never on the
test set) and report test metrics at the chosen threshold.

tags: evaluation, threshold, classification, f1, precision-recall
requires: scikit-learn, numpy
version: 1

Example:
    >>> import numpy as np
    >>> y = np.array([0, 0, 0, 0, 1, 0, 1, 1])
    >>> p = np.array([0.1, 0.2, 0.3, 0.35, 0.4, 0.6, 0.7, 0.9])
    >>> t, f1 = best_f1_threshold(y, p)
    >>> float(t), round(f1, 3)
    (0.4, 0.857)
    >>> float(threshold_for_precision(y, p, min_precision=1.0))
    0.7
    >>> float(threshold_for_recall(y, p, min_recall=1.0))
    0.4
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_curve


def best_f1_threshold(y_true: np.ndarray, y_score: np.ndarray) -> tuple[float, float]:
    """Threshold (predict positive when ``score >= threshold``) that maximises F1, and that F1."""
    precision, recall, thresholds = precision_recall_curve(y_true, y_score)
    # The last precision/recall pair has no threshold (it is the "predict nothing" point).
    p, r = precision[:-1], recall[:-1]
    f1 = np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)
    best = int(np.argmax(f1))
    return float(thresholds[best]), float(f1[best])


def threshold_for_precision(y_true: np.ndarray, y_score: np.ndarray, min_precision: float) -> float:
    """Lowest threshold whose precision is at least ``min_precision`` (max recall under it)."""
    precision, _, thresholds = precision_recall_curve(y_true, y_score)
    ok = np.flatnonzero(precision[:-1] >= min_precision)
    if ok.size == 0:
        raise ValueError(f"no threshold reaches precision {min_precision}")
    return float(thresholds[ok[0]])


def threshold_for_recall(y_true: np.ndarray, y_score: np.ndarray, min_recall: float) -> float:
    """Highest threshold whose recall is at least ``min_recall`` (best precision under it)."""
    _, recall, thresholds = precision_recall_curve(y_true, y_score)
    ok = np.flatnonzero(recall[:-1] >= min_recall)
    if ok.size == 0:
        raise ValueError(f"no threshold reaches recall {min_recall}")
    return float(thresholds[ok[-1]])
