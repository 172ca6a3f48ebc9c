"""``DatetimeFeatures``: expand datetime columns into numeric calendar features.

Example:
    >>> import pandas as pd
    >>> from toolkit.preprocessing import DatetimeFeatures
    >>> X = pd.DataFrame({"t": pd.to_datetime(["2024-03-09 08:30", None])})
    >>> DatetimeFeatures(features=["month", "dayofweek"]).fit_transform(X).tolist()
    [[3.0, 5.0], [nan, nan]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from toolkit.columns import parse_dates
from toolkit.preprocessing._validation import feature_names_in
from toolkit.preprocessing.frames import DEFAULT_PARTS, check_parts, datetime_features

__all__ = ["DatetimeFeatures"]


def _as_datetime(column: np.ndarray[Any, Any], j: int) -> pd.DatetimeIndex:
    """Parse one column as datetimes by the toolkit's one rule (numbers are refused)."""
    parsed: pd.DatetimeIndex = parse_dates(column, f"DatetimeFeatures: column {j}")
    return parsed


def _calendar(idx: pd.DatetimeIndex, parts: tuple[str, ...]) -> list[np.ndarray[Any, Any]]:
    """The calendar parts of ``idx`` as float columns (NaN for NaT), computed by
    :func:`toolkit.preprocessing.datetime_features` so both give the same numbers."""
    missing = np.asarray(idx.isna())
    filled = idx.where(~missing, pd.Timestamp(0))  # integer parts cannot hold NaT
    frame = datetime_features(pd.DataFrame({"t": filled}), "t", features=parts)
    return [np.where(missing, np.nan, frame[f"t_{p}"].to_numpy(np.float64)) for p in parts]


class DatetimeFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn each datetime (or date string) column into calendar features.

    Parameters:
        features: any of ``year, quarter, month, day, dayofweek (Monday=0), dayofyear, hour,
            minute, is_weekend``.

    Output: float64, ``n_features_in_ × len(features)`` columns named ``<column>_<feature>``;
    missing datetimes (NaT/None) give NaN, so put an imputer after it when the model needs one.
    Numeric input is refused with a ``ValueError`` (it is ambiguous whether 1700000000 is
    seconds or a date code).

    Example:
        >>> import pandas as pd
        >>> dt = DatetimeFeatures(features=["year"]).fit(pd.DataFrame({"t": ["2020-01-01"]}))
        >>> dt.get_feature_names_out().tolist()
        ['t_year']
    """

    def __init__(self, features: Sequence[str] = DEFAULT_PARTS) -> None:
        self.features = features

    def fit(self, X: Any, y: Any = None) -> DatetimeFeatures:
        """Check that every column holds datetimes; nothing else is learned."""
        self._features = check_parts(self.features)
        X = validate_data(self, X, dtype=None, ensure_all_finite=False, reset=True)
        for j in range(X.shape[1]):
            _as_datetime(X[:, j], j)
        self.features_ = self._features
        return self

    def transform(self, X: Any) -> Any:
        """Return the calendar features as a float64 array."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=None, ensure_all_finite=False, reset=False)
        blocks: list[np.ndarray[Any, Any]] = []
        for j in range(X.shape[1]):
            blocks.extend(_calendar(_as_datetime(X[:, j], j), self.features_))
        if not blocks:
            return np.empty((X.shape[0], 0))
        return np.column_stack(blocks)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray[Any, Any]:
        """``<column>_<feature>`` for every input column and feature."""
        check_is_fitted(self)
        names = feature_names_in(self, input_features)
        return np.asarray([f"{c}_{p}" for c in names for p in self.features_], dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags
