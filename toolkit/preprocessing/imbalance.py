"""Class and sample weights for imbalanced classification.

``"balanced"`` is scikit-learn's ``n_samples / (n_classes * count)``; ``"effective"`` is the
effective-number-of-samples weighting of Cui et al. (CVPR 2019), ``(1 - β) / (1 - β^count)``,
normalised so the weights sum to the number of classes. Pass the result to a loss
(``class_weight=`` in scikit-learn, ``weight=`` in ``torch.nn.CrossEntropyLoss``).

Example:
    >>> from toolkit.preprocessing import class_weights
    >>> class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from toolkit.errors import UsageError

__all__ = ["class_weights", "sample_weights"]

Method = Literal["balanced", "effective"]


def _labels(y: Any) -> np.ndarray[Any, Any]:
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise UsageError(f"y: expected a 1-D array of class labels, got shape {arr.shape}")
    if arr.size == 0:
        raise UsageError("y: is empty; class weights need at least one label")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise UsageError("y: contains NaN; drop or impute missing labels first")
    if arr.dtype == object and any(v is None for v in arr):
        raise UsageError("y: contains None; drop or impute missing labels first")
    return arr


def class_weights(y: Any, *, method: Method = "balanced", beta: float = 0.999) -> dict[Any, float]:
    """One weight per class (sorted by label): rarer classes weigh more.

    ``beta`` (in [0, 1)) tunes ``method="effective"``: 0 gives equal weights, values near 1
    approach inverse-frequency weighting. Cui et al. suggest 0.9–0.9999 depending on data size.

    Example:
        >>> w = class_weights(["cat"] * 90 + ["dog"] * 10, method="effective", beta=0.99)
        >>> round(w["cat"], 3), round(w["dog"], 3)
        (0.277, 1.723)
    """
    arr = _labels(y)
    classes, counts = np.unique(arr, return_counts=True)
    if method == "balanced":
        weights = compute_class_weight("balanced", classes=classes, y=arr)
    elif method == "effective":
        if not (isinstance(beta, int | float) and 0.0 <= beta < 1.0):
            raise UsageError(f"beta: must be in [0, 1), got {beta!r}")
        effective = (1.0 - np.power(beta, counts)) / (1.0 - beta)
        weights = 1.0 / effective
        weights = weights * len(classes) / weights.sum()
    else:
        raise UsageError(f"method: expected 'balanced' or 'effective', got {method!r}")
    return {
        c.item() if hasattr(c, "item") else c: float(w)
        for c, w in zip(classes, weights, strict=True)
    }


def sample_weights(
    y: Any, *, method: Method = "balanced", beta: float = 0.999
) -> np.ndarray[Any, Any]:
    """Per-row weights (the weight of each row's class), for ``fit(..., sample_weight=…)``.

    Example:
        >>> sample_weights([0, 0, 0, 1]).tolist()
        [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
    """
    arr = _labels(y)
    weights = class_weights(arr, method=method, beta=beta)
    classes = np.asarray(list(weights), dtype=arr.dtype)
    values = np.asarray(list(weights.values()), dtype=np.float64)
    return values[np.searchsorted(classes, arr)]
