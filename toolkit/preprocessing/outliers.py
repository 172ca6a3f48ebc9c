"""Outlier clipping (winsorizing) with bounds learned from the training data.

Example:
    >>> import numpy as np
    >>> from toolkit.preprocessing import OutlierClipper
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    >>> OutlierClipper(method="iqr", factor=1.5).fit_transform(X).ravel().tolist()
    [1.0, 2.0, 3.0, 4.0, 7.0]
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from toolkit.errors import UsageError

__all__ = ["OutlierClipper"]


class OutlierClipper(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Clip each numeric feature to bounds learned in ``fit``.

    Parameters:
        method: ``"quantile"`` clips to the ``lower``/``upper`` quantiles; ``"iqr"`` clips to
            ``[Q1 - factor·IQR, Q3 + factor·IQR]`` (Tukey's fences).
        lower, upper: quantiles for ``method="quantile"`` (``0 <= lower < upper <= 1``).
        factor: fence width for ``method="iqr"``.

    Missing values (NaN) are ignored when learning the bounds and pass through unchanged; a column
    that is entirely missing in ``fit`` is left unclipped. Infinite values raise ``ValueError``.

    Fitted attributes: ``lower_bounds_``, ``upper_bounds_`` (one per feature), ``n_features_in_``,
    ``feature_names_in_`` (when fitted on a frame).

    Example:
        >>> import numpy as np
        >>> clip = OutlierClipper(lower=0.1, upper=0.9).fit(np.arange(11.0).reshape(-1, 1))
        >>> clip.lower_bounds_.tolist(), clip.upper_bounds_.tolist()
        ([1.0], [9.0])
    """

    def __init__(
        self,
        method: Literal["quantile", "iqr"] = "quantile",
        *,
        lower: float = 0.01,
        upper: float = 0.99,
        factor: float = 1.5,
    ) -> None:
        self.method = method
        self.lower = lower
        self.upper = upper
        self.factor = factor

    def _check_params(self) -> None:
        if self.method not in ("quantile", "iqr"):
            raise UsageError(f"method: expected 'quantile' or 'iqr', got {self.method!r}")
        if self.method == "quantile" and not 0.0 <= self.lower < self.upper <= 1.0:
            raise UsageError(
                f"lower, upper: need 0 <= lower < upper <= 1, got {self.lower!r}, {self.upper!r}"
            )
        if self.method == "iqr" and not (np.isfinite(self.factor) and self.factor >= 0):
            raise UsageError(f"factor: must be a finite number >= 0, got {self.factor!r}")

    def fit(self, X: Any, y: Any = None) -> OutlierClipper:
        """Learn per-feature bounds from ``X`` (array-like or frame, numeric)."""
        self._check_params()
        X = validate_data(self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan")
        with warnings.catch_warnings():
            # All-NaN columns: nanquantile warns and returns NaN; they become "no clipping" below.
            warnings.simplefilter("ignore", RuntimeWarning)
            if self.method == "quantile":
                lo, hi = np.nanquantile(X, [self.lower, self.upper], axis=0)
            else:
                q1, q3 = np.nanquantile(X, [0.25, 0.75], axis=0)
                lo, hi = q1 - self.factor * (q3 - q1), q3 + self.factor * (q3 - q1)
        self.lower_bounds_ = np.where(np.isnan(lo), -np.inf, lo)
        self.upper_bounds_ = np.where(np.isnan(hi), np.inf, hi)
        return self

    def transform(self, X: Any) -> Any:
        """Return a clipped copy of ``X`` (the input is never modified)."""
        check_is_fitted(self)
        X = validate_data(
            self, X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", reset=False, copy=True
        )
        lo = self.lower_bounds_.astype(X.dtype)
        hi = self.upper_bounds_.astype(X.dtype)
        return np.clip(X, lo, hi, out=X)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
