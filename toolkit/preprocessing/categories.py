"""Category transformers: group rare categories, encode categories by their frequency.

Both learn per-column value counts in ``fit`` (missing values count as their own value) and
work on strings, pandas categoricals and integer codes alike.

Example:
    >>> import numpy as np
    >>> from toolkit.preprocessing import FrequencyEncoder, RareCategoryGrouper
    >>> X = np.array([["a"], ["a"], ["a"], ["b"]], dtype=object)
    >>> FrequencyEncoder().fit_transform(X).ravel().tolist()
    [0.75, 0.75, 0.75, 0.25]
    >>> RareCategoryGrouper(min_frequency=0.3).fit_transform(X).ravel().tolist()
    ['a', 'a', 'a', '__rare__']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from toolkit.errors import UsageError
from toolkit.preprocessing._validation import check_fraction_or_count

__all__ = ["FrequencyEncoder", "RareCategoryGrouper"]


def _value_counts(column: np.ndarray[Any, Any]) -> tuple[pd.Index, np.ndarray[Any, Any]]:
    # pandas is the fastest robust counter for mixed object columns (NaN/None are one key).
    counts = pd.Series(column, copy=False).value_counts(dropna=False, sort=True)
    return counts.index, counts.to_numpy(dtype=np.int64)


def _lookup(index: pd.Index, column: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Positions of ``column``'s values in ``index``; -1 for values never seen in ``fit``."""
    try:
        return np.asarray(index.get_indexer(pd.Index(column)))
    except TypeError:  # unhashable/mixed oddities: fall back to a per-value dict lookup
        pos = {v: i for i, v in enumerate(index)}
        return np.asarray([pos.get(v, -1) for v in column], dtype=np.intp)


def _validate(est: Any, X: Any, *, reset: bool) -> np.ndarray[Any, Any]:
    return np.asarray(validate_data(est, X, dtype=None, ensure_all_finite="allow-nan", reset=reset))


class RareCategoryGrouper(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Replace categories seen less than ``min_frequency`` in ``fit`` by one label.

    Parameters:
        min_frequency: a share in (0, 1) of the training rows, or an integer count. Categories
            below it (and categories never seen in ``fit``) become ``rare_label``.
        rare_label: the replacement value.

    Missing values stay missing (they are not a category to group). For string/object input
    the output is an object array (or frame with ``set_output``), ready for a ``OneHotEncoder``.
    Numeric input (integer codes) gives float64 output: a string label cannot live in a numeric
    column, so rare codes become NaN unless ``rare_label`` is itself a number (e.g. ``-1``).

    Fitted attributes: ``categories_`` (the kept categories, one array per feature),
    ``rare_categories_`` (the grouped ones seen in ``fit``), ``n_features_in_``.

    Example:
        >>> import pandas as pd
        >>> g = RareCategoryGrouper(min_frequency=2).fit(pd.DataFrame({"c": list("aabc")}))
        >>> g.categories_[0].tolist(), g.rare_categories_[0].tolist()
        (['a'], ['b', 'c'])
    """

    def __init__(self, min_frequency: float = 0.05, rare_label: Any = "__rare__") -> None:
        self.min_frequency = min_frequency
        self.rare_label = rare_label

    def fit(self, X: Any, y: Any = None) -> RareCategoryGrouper:
        """Learn which categories of each column are frequent enough to keep."""
        check_fraction_or_count(self.min_frequency, "min_frequency")
        X = _validate(self, X, reset=True)
        n = X.shape[0]
        threshold = (
            math.ceil(self.min_frequency * n)
            if isinstance(self.min_frequency, float)
            else int(self.min_frequency)
        )
        self.categories_: list[np.ndarray[Any, Any]] = []
        self.rare_categories_: list[np.ndarray[Any, Any]] = []
        for j in range(X.shape[1]):
            values, counts = _value_counts(X[:, j])
            missing = np.asarray(pd.isna(values))
            keep = (counts >= threshold) & ~missing
            self.categories_.append(np.asarray(values[keep], dtype=object))
            self.rare_categories_.append(np.asarray(values[~keep & ~missing], dtype=object))
        return self

    def transform(self, X: Any) -> Any:
        """Return a copy of ``X`` (object dtype) with rare and unseen categories replaced."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        numeric = X.dtype.kind in "biuf"
        if numeric:
            is_number = isinstance(self.rare_label, int | float | np.number)
            label = float(self.rare_label) if is_number else np.nan
            out = np.array(X, dtype=np.float64, copy=True)
        else:
            label = self.rare_label
            out = np.array(X, dtype=object, copy=True)
        for j, kept in enumerate(self.categories_):
            col = out[:, j]
            rare = (_lookup(pd.Index(kept), col) < 0) & ~np.asarray(pd.isna(col))
            col[rare] = label
        return out

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


class FrequencyEncoder(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Encode each category by how often it appears in the training data.

    Parameters:
        normalize: ``True`` gives the share of training rows (0–1), ``False`` the raw count.
        unknown_value: the code for categories never seen in ``fit``.

    Missing values are a category of their own (their frequency is how often data is missing).
    A compact alternative to one-hot encoding for high-cardinality columns; it needs no target,
    so unlike target encoding it cannot leak the label.

    Fitted attributes: ``categories_`` and ``frequencies_`` (one array per feature),
    ``n_features_in_``.

    Example:
        >>> import pandas as pd
        >>> enc = FrequencyEncoder(normalize=False).fit(pd.DataFrame({"city": list("xxy")}))
        >>> enc.transform(pd.DataFrame({"city": ["y", "z"]})).ravel().tolist()
        [1.0, 0.0]
    """

    def __init__(self, normalize: bool = True, unknown_value: float = 0.0) -> None:
        self.normalize = normalize
        self.unknown_value = unknown_value

    def fit(self, X: Any, y: Any = None) -> FrequencyEncoder:
        """Count every category of every column."""
        if not isinstance(self.unknown_value, int | float | np.number):
            raise UsageError(f"unknown_value: expected a number, got {self.unknown_value!r}")
        X = _validate(self, X, reset=True)
        n = X.shape[0]
        self.categories_: list[np.ndarray[Any, Any]] = []
        self.frequencies_: list[np.ndarray[Any, Any]] = []
        for j in range(X.shape[1]):
            values, counts = _value_counts(X[:, j])
            self.categories_.append(np.asarray(values, dtype=object))
            freq = counts / n if self.normalize else counts.astype(np.float64)
            self.frequencies_.append(freq)
        return self

    def transform(self, X: Any) -> Any:
        """Return a float64 array of frequencies, one column per input column."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        out = np.empty(X.shape, dtype=np.float64)
        for j, (cats, freq) in enumerate(zip(self.categories_, self.frequencies_, strict=True)):
            pos = _lookup(pd.Index(cats), X[:, j])
            out[:, j] = np.where(pos >= 0, freq[pos], self.unknown_value)
        return out

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
