"""``make_preprocessor``: a scikit-learn ``ColumnTransformer`` chosen from a frame's dtypes.

Example:
    >>> import pandas as pd
    >>> from toolkit.preprocessing import make_preprocessor
    >>> df = pd.DataFrame({"age": [20.0, None, 40.0], "city": ["a", "b", "a"], "y": [0, 1, 0]})
    >>> pre = make_preprocessor(df, target="y")
    >>> [name for name, _, _ in pre.transformers]
    ['numeric', 'categorical']
    >>> pre.fit_transform(df.drop(columns="y"), df["y"]).shape
    (3, 4)
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from toolkit.columns import ColumnProfile, as_frame, profile
from toolkit.errors import UsageError
from toolkit.preprocessing.frames import reject_object_columns

__all__ = ["make_preprocessor"]

logger = logging.getLogger(__name__)


Block = Literal["numeric", "low_card", "high_card", "datetime"]


def _block(col: ColumnProfile, max_onehot: int) -> tuple[Block | None, str]:
    """The transformer block for a column from its profile, or ``None`` and why it is dropped."""
    if col.kind == "empty":
        return None, "all missing"
    if col.kind == "constant":
        return None, "constant"
    if col.kind == "id":
        return None, f"ID-like: {col.reason}"
    if col.kind == "text":
        return None, f"free text: {col.reason}"
    if col.kind == "datetime":
        if col.dtype.split("(")[0] in ("Datetime", "Date"):
            return "datetime", ""
        return None, f"unsupported dtype {col.dtype}"
    if col.kind == "numeric":
        return "numeric", ""
    if col.kind == "boolean":
        return "low_card", ""
    if col.dtype_class == "other" and col.dtype != "Object":
        return None, f"unsupported dtype {col.dtype}"
    return ("low_card" if (col.distinct or 0) <= max_onehot else "high_card"), ""


def missing_as_nan(X: Any) -> Any:
    """A pandas frame's missing values (``pd.NA``, ``None``) as ``np.nan`` in object columns;
    anything else unchanged. A step of :func:`make_preprocessor`'s categorical blocks.

    Example:
        >>> import pandas as pd
        >>> missing_as_nan(pd.DataFrame({"s": pd.array(["a", None], dtype="string")}))["s"].tolist()
        ['a', nan]
    """
    if hasattr(X, "notna") and hasattr(X, "where"):
        return X.astype(object).where(X.notna(), float("nan"))
    return X


def make_preprocessor(
    df: Any,
    target: str | None = None,
    *,
    max_onehot: int = 15,
    high_cardinality: Literal["target", "frequency"] = "target",
    scale: bool = True,
    id_share: float = 0.95,
    drop: tuple[str, ...] | list[str] = (),
) -> Any:
    """Build an (unfitted) ``ColumnTransformer`` for ``df``'s columns, by dtype.

    - numeric: ``SimpleImputer(median, add_indicator=True)`` then ``StandardScaler`` (``scale``);
    - string/categorical/bool with at most ``max_onehot`` values: ``OneHotEncoder`` (unknown
      categories ignored at predict time, missing is its own category);
    - more values: scikit-learn's ``TargetEncoder`` (cross-fitted, so no target leak) when
      ``high_cardinality="target"`` and a ``target`` is named, else :class:`FrequencyEncoder`;
    - datetime: :class:`DatetimeFeatures`, a median imputer, ``StandardScaler`` (``scale``);
    - dropped (and logged): the target, ``drop``, and the columns the frame's profile
      (:func:`toolkit.columns.profile`) calls empty, constant, ID-like (integer or string
      columns of 20+ rows with at least ``id_share`` of values unique, or named like an ID
      and half unique) or free text -- the same columns the health report flags.

    Works with pandas and polars frames. Fit it on the features (``df`` without ``target``).

    Example:
        >>> import polars as pl
        >>> df = pl.DataFrame({"x": [i / 2 for i in range(100)],
        ...                    "user_id": [f"u{i}" for i in range(100)]})
        >>> pre = make_preprocessor(df)  # user_id is all-unique: dropped as ID-like
        >>> [cols for _, _, cols in pre.transformers]
        [['x']]
    """
    from sklearn.base import clone
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import KFold, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import (
        FunctionTransformer,
        OneHotEncoder,
        StandardScaler,
        TargetEncoder,
    )

    from toolkit.preprocessing.categories import FrequencyEncoder
    from toolkit.preprocessing.datetimes import DatetimeFeatures

    frame = as_frame(df)
    reject_object_columns(frame)
    if len(frame) == 0 or not frame.columns:
        raise UsageError("df: is empty; make_preprocessor needs rows and columns to read dtypes")
    if target is not None and target not in frame.columns:
        raise UsageError(f"target: column {target!r} is not in df")
    unknown = [c for c in drop if c not in frame.columns]
    if unknown:
        raise UsageError(f"drop: columns {unknown} are not in df")
    if high_cardinality not in ("target", "frequency"):
        raise UsageError(
            f"high_cardinality: expected 'target' or 'frequency', got {high_cardinality!r}"
        )
    if not isinstance(max_onehot, int) or max_onehot < 2:
        raise UsageError(f"max_onehot: must be an integer >= 2, got {max_onehot!r}")

    groups: dict[str, list[str]] = {"numeric": [], "low_card": [], "high_card": [], "datetime": []}
    dropped: dict[str, str] = {}
    columns = profile(frame, id_share=id_share)
    for col in columns:
        if col.name == target or col.name in drop:
            continue
        block, why = _block(col, max_onehot)
        if block is None:
            dropped[col.name] = why
        else:
            groups[block].append(col.name)
    if dropped:
        logger.info(
            "make_preprocessor drops %s", "; ".join(f"{c} ({r})" for c, r in dropped.items())
        )
    if not any(groups.values()):
        raise UsageError(f"df: no usable feature columns (dropped: {dropped or 'all'})")

    numeric_steps: list[Any] = [SimpleImputer(strategy="median", add_indicator=True)]
    if scale:
        numeric_steps.append(StandardScaler())
    # Calendar numbers (year ≈ 2024) need the same scaling as other numerics for linear models.
    datetime_steps: list[Any] = [SimpleImputer(strategy="median")]
    if scale:
        datetime_steps.append(StandardScaler())
    use_target = high_cardinality == "target" and target is not None
    high_card: Any = FrequencyEncoder()
    if use_target and target is not None:
        # TargetEncoder cross-fits (so the training rows never see their own label); a seeded
        # splitter keeps the result reproducible.
        splitter = StratifiedKFold if columns.is_classification(target) else KFold
        high_card = TargetEncoder(cv=splitter(5, shuffle=True, random_state=0))
    # pandas' nullable and Arrow string columns hold pd.NA, which scikit-learn's encoders
    # reject ("uniformly strings or numbers"); as NaN it is a category like any other.
    na_as_nan = FunctionTransformer(missing_as_nan, feature_names_out="one-to-one")
    blocks = [
        ("numeric", make_pipeline(*numeric_steps), groups["numeric"]),
        (
            "categorical",
            make_pipeline(na_as_nan, OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
            groups["low_card"],
        ),
        ("high_cardinality", make_pipeline(clone(na_as_nan), high_card), groups["high_card"]),
        (
            "datetime",
            make_pipeline(DatetimeFeatures(), *datetime_steps),
            groups["datetime"],
        ),
    ]
    pre = ColumnTransformer(
        [(name, est, cols) for name, est, cols in blocks if cols],
        remainder="drop",
        verbose_feature_names_out=True,
    )
    return pre
