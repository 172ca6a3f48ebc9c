"""Group rare categories of a pandas column into "other", with the kept set learned on train data.

High-cardinality columns (city, product id) produce huge, sparse one-hot matrices and unstable
target encodings. Learn which levels to keep on the training split (by minimum count or share),
then map every other value, including ones never seen in training, to ``other``.

tags: preprocessing, pandas, categorical, cardinality, rare-levels
requires: pandas
version: 1

Example:
    >>> import pandas as pd
    >>> train = pd.Series(["北京"] * 5 + ["上海"] * 3 + ["拉萨", "三亚"])
    >>> keep = frequent_levels(train, min_count=3)
    >>> sorted(keep)
    ['上海', '北京']
    >>> group_rare(pd.Series(["北京", "拉萨", "东京", None]), keep).tolist()
    ['北京', 'other', 'other', None]
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd


def frequent_levels(
    series: pd.Series, min_count: int = 10, min_share: float = 0.0, max_levels: int | None = None
) -> set[object]:
    """Levels seen at least ``min_count`` times and ``min_share`` of rows (top ``max_levels``)."""
    counts = series.value_counts(dropna=True)
    counts = counts[(counts >= min_count) & (counts / max(len(series), 1) >= min_share)]
    if max_levels is not None:
        counts = counts.head(max_levels)
    return set(counts.index)


def group_rare(series: pd.Series, keep: Collection[object], other: str = "other") -> pd.Series:
    """Replace values not in ``keep`` by ``other``; missing values stay missing."""
    mask = series.isna() | series.isin(list(keep))
    return series.astype(object).where(mask, other).where(series.notna(), None)
