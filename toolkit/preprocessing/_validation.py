"""Small helpers shared by the transformers (not public)."""

from __future__ import annotations

from typing import Any

import numpy as np

from toolkit.errors import UsageError


def feature_names_in(est: Any, input_features: Any) -> np.ndarray[Any, Any]:
    """The input feature names as sklearn resolves them (``feature_names_in_`` or ``x0``…)."""
    n = est.n_features_in_
    names = getattr(est, "feature_names_in_", None)
    if input_features is None:
        if names is not None:
            return np.asarray(names, dtype=object)
        return np.asarray([f"x{i}" for i in range(n)], dtype=object)
    given: np.ndarray[Any, Any] = np.asarray(input_features, dtype=object)
    if len(given) != n:
        raise UsageError(f"input_features should have length equal to {n}, got {len(given)}")
    if names is not None and not np.array_equal(given, names):
        raise UsageError("input_features is not equal to feature_names_in_")
    return given


def check_fraction_or_count(value: Any, name: str) -> None:
    """Accept a share in (0, 1) or a positive integer count, else raise naming the parameter."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise UsageError(f"{name}: expected a share in (0, 1) or a count >= 1, got {value!r}")
    if isinstance(value, int | np.integer):
        if value < 1:
            raise UsageError(f"{name}: a count must be >= 1, got {value!r}")
    elif not 0.0 < float(value) < 1.0:
        raise UsageError(f"{name}: a share must be in (0, 1), got {value!r}")
