"""Preprocessing: frame helpers, scikit-learn transformers, splits, imbalance and augmentation.

Names load lazily (PEP 562), so ``import toolkit.preprocessing`` does not import pandas or
scikit-learn until a name is used.

Example:
    >>> import pandas as pd
    >>> from toolkit.preprocessing import clean_column_names
    >>> list(clean_column_names(pd.DataFrame(columns=["Order Date", "订单 金额"])).columns)
    ['order_date', '订单_金额']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_exports

if TYPE_CHECKING:  # static analysers see the real names; runtime imports stay lazy
    from toolkit.preprocessing.augment import add_noise as add_noise
    from toolkit.preprocessing.augment import mixup as mixup
    from toolkit.preprocessing.categories import FrequencyEncoder as FrequencyEncoder
    from toolkit.preprocessing.categories import RareCategoryGrouper as RareCategoryGrouper
    from toolkit.preprocessing.datetimes import DatetimeFeatures as DatetimeFeatures
    from toolkit.preprocessing.frames import clean_column_names as clean_column_names
    from toolkit.preprocessing.frames import datetime_features as datetime_features
    from toolkit.preprocessing.frames import drop_uninformative as drop_uninformative
    from toolkit.preprocessing.frames import missing_summary as missing_summary
    from toolkit.preprocessing.frames import reduce_memory as reduce_memory
    from toolkit.preprocessing.imbalance import class_weights as class_weights
    from toolkit.preprocessing.imbalance import sample_weights as sample_weights
    from toolkit.preprocessing.outliers import OutlierClipper as OutlierClipper
    from toolkit.preprocessing.preprocessor import make_preprocessor as make_preprocessor
    from toolkit.preprocessing.splits import split as split

_WHERE = {
    "clean_column_names": "frames",
    "reduce_memory": "frames",
    "missing_summary": "frames",
    "drop_uninformative": "frames",
    "datetime_features": "frames",
    "OutlierClipper": "outliers",
    "RareCategoryGrouper": "categories",
    "FrequencyEncoder": "categories",
    "DatetimeFeatures": "datetimes",
    "make_preprocessor": "preprocessor",
    "split": "splits",
    "class_weights": "imbalance",
    "sample_weights": "imbalance",
    "mixup": "augment",
    "add_noise": "augment",
}

__all__ = sorted(_WHERE)


__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
