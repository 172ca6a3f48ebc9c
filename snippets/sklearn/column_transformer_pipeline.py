"""Tabular preprocessing + model in one Pipeline: ColumnTransformer for numbers and categories.

Numeric columns: median imputation + standard scaling. Categorical columns: most-frequent
imputation + one-hot encoding that ignores unseen categories at predict time and groups rare ones.
Columns are picked by dtype with ``make_column_selector``, so new columns need no code change.
``set_output(transform="pandas")`` keeps readable feature names.

tags: sklearn, pipeline, column-transformer, preprocessing, tabular, one-hot
requires: scikit-learn, pandas, numpy
version: 1

Example:
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"age": [22, 35, np.nan, 58, 41, 30],
    ...                    "city": ["北京", "上海", "北京", None, "深圳", "上海"],
    ...                    "income": [3.1, 5.2, 4.0, 8.3, 6.1, 4.4]})
    >>> y = np.array([0, 1, 0, 1, 1, 0])
    >>> pipe = make_tabular_pipeline().fit(df, y)
    >>> pipe.predict(df.head(2)).tolist()
    [0, 1]
    >>> list(pipe[:-1].get_feature_names_out())
    ['num__age', 'num__income', 'cat__city_上海', 'cat__city_北京', 'cat__city_深圳']
"""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def make_preprocessor(min_frequency: int | float | None = None) -> ColumnTransformer:
    """Numeric: impute median + scale; categorical (object/category/string): impute + one-hot."""
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            (
                "onehot",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    min_frequency=min_frequency,
                    sparse_output=False,
                ),
            ),
        ]
    )
    return ColumnTransformer(
        [
            ("num", numeric, make_column_selector(dtype_include="number")),
            (
                "cat",
                categorical,
                make_column_selector(dtype_include=["object", "category", "string"]),
            ),
        ],
        verbose_feature_names_out=True,
    )


def make_tabular_pipeline(
    model: BaseEstimator | None = None, min_frequency: int | float | None = None
) -> Pipeline:
    """Preprocessor followed by ``model`` (default: logistic regression)."""
    return Pipeline(
        [
            ("preprocess", make_preprocessor(min_frequency)),
            ("model", model if model is not None else LogisticRegression(max_iter=1000)),
        ]
    )
