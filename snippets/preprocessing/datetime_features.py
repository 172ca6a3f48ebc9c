"""Expand a datetime column into model-ready features (calendar parts, cyclical encodings, flags).

Cyclical sine/cosine encodings keep December next to January and 23:00 next to 00:00, which
plain integer month/hour features do not. Time zones are respected as given.

tags: preprocessing, pandas, datetime, feature-engineering, time-series
requires: pandas, numpy
version: 1

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ts": pd.to_datetime(["2024-01-06 23:00", "2024-12-31 00:30"])})
    >>> feats = datetime_features(df["ts"])
    >>> feats[["ts_year", "ts_month", "ts_dayofweek", "ts_hour", "ts_is_weekend"]].values.tolist()
    [[2024, 1, 5, 23, 1], [2024, 12, 1, 0, 0]]
    >>> feats["ts_month_sin"].round(3).tolist()
    [0.0, -0.5]
    >>> feats["ts_month_cos"].round(3).tolist()
    [1.0, 0.866]
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def datetime_features(
    ts: pd.Series, prefix: str | None = None, cyclical: bool = True
) -> pd.DataFrame:
    """Feature frame for datetime series ``ts`` (strings are parsed with ``pd.to_datetime``)."""
    ts = pd.to_datetime(ts)
    p = f"{prefix if prefix is not None else ts.name or 'dt'}_"
    dt = ts.dt
    out = pd.DataFrame(
        {
            f"{p}year": dt.year,
            f"{p}month": dt.month,
            f"{p}day": dt.day,
            f"{p}dayofweek": dt.dayofweek,  # Monday = 0
            f"{p}hour": dt.hour,
            f"{p}dayofyear": dt.dayofyear,
            f"{p}is_weekend": (dt.dayofweek >= 5).astype(int),
            f"{p}is_month_end": dt.is_month_end.astype(int),
        },
        index=ts.index,
    )
    if cyclical:
        # Month 1..12 -> angle 0..2π(11/12); hour 0..23; day of week 0..6.
        for name, values, period in (
            ("month", dt.month - 1, 12),
            ("hour", dt.hour, 24),
            ("dayofweek", dt.dayofweek, 7),
        ):
            angle = 2 * np.pi * values / period
            out[f"{p}{name}_sin"] = np.sin(angle)
            out[f"{p}{name}_cos"] = np.cos(angle)
    return out
