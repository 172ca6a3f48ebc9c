"""Summarise missing values per column: count, share, dtype, and an example non-missing value.

Also counts values that *look* missing but are not NaN (empty strings, "NA", "null", "-",
"缺失"), a frequent surprise after reading CSV files.

tags: preprocessing, pandas, missing-values, eda, data-quality
requires: pandas, numpy
version: 1

Example:
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, np.nan, 3.0, np.nan], "b": ["x", "", "null", "y"],
    ...                    "c": [1, 2, 3, 4]})
    >>> summary = missing_summary(df)
    >>> summary[["missing", "missing_share", "disguised"]]
       missing  missing_share  disguised
    a        2            0.5          0
    b        0            0.0          2
    >>> len(missing_summary(df, only_missing=False))
    3
"""

from __future__ import annotations

import pandas as pd

DISGUISED = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "?", "缺失", "无"})


def missing_summary(df: pd.DataFrame, only_missing: bool = True) -> pd.DataFrame:
    """One row per column, most missing first; ``only_missing`` hides fully clean columns."""
    rows = {}
    for col in df.columns:
        series = df[col]
        missing = int(series.isna().sum())
        disguised = 0
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            text = series.dropna().astype(str).str.strip().str.lower()
            disguised = int(text.isin(DISGUISED).sum())
        present = series.dropna()
        rows[col] = {
            "missing": missing,
            "missing_share": missing / len(df) if len(df) else 0.0,
            "disguised": disguised,
            "dtype": str(series.dtype),
            "example": present.iloc[0] if len(present) else None,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    if only_missing:
        table = table[(table["missing"] > 0) | (table["disguised"] > 0)]
    return table.sort_values(["missing", "disguised"], ascending=False)
