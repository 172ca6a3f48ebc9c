"""Clip (winsorise) numeric outliers with bounds learned on training data: IQR fences or quantiles.

Fit the bounds on the training split only and apply the same bounds to validation/test data, so
no information leaks. ``OutlierClipper`` is a scikit-learn transformer usable inside a Pipeline.

tags: preprocessing, outliers, winsorize, sklearn, transformer
requires: scikit-learn, numpy
version: 1

Example:
    >>> import numpy as np
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    >>> clipper = OutlierClipper(method="iqr", factor=1.5).fit(X)
    >>> clipper.lower_.tolist(), clipper.upper_.tolist()
    ([-1.0], [7.0])
    >>> clipper.transform(np.array([[-50.0], [5.0], [1e6]])).ravel().tolist()
    [-1.0, 5.0, 7.0]
    >>> OutlierClipper(method="quantile", quantiles=(0.0, 0.75)).fit_transform(X).ravel().tolist()
    [1.0, 2.0, 3.0, 4.0, 4.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class OutlierClipper(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Clip each column to ``[Q1 - factor*IQR, Q3 + factor*IQR]`` or to given quantiles."""

    def __init__(
        self,
        method: str = "iqr",
        factor: float = 1.5,
        quantiles: tuple[float, float] = (0.01, 0.99),
    ) -> None:
        self.method = method
        self.factor = factor
        self.quantiles = quantiles

    def fit(self, X: Any, y: Any = None) -> OutlierClipper:
        """Learn per-column ``lower_`` and ``upper_`` bounds (NaN ignored)."""
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=float)
        if self.method == "iqr":
            q1, q3 = np.nanpercentile(X, [25, 75], axis=0)
            iqr = q3 - q1
            self.lower_, self.upper_ = q1 - self.factor * iqr, q3 + self.factor * iqr
        elif self.method == "quantile":
            low, high = self.quantiles
            self.lower_, self.upper_ = np.nanquantile(X, [low, high], axis=0)
        else:
            raise ValueError(f"method must be 'iqr' or 'quantile', got {self.method!r}")
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Clip ``X`` to the fitted bounds; NaN stays NaN."""
        check_is_fitted(self, ["lower_", "upper_"])
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=float, reset=False)
        return np.clip(X, self.lower_, self.upper_)
