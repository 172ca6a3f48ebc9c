"""The scikit-learn estimator checks are the contract every transformer here must meet."""

from __future__ import annotations

from typing import Any

from sklearn.utils.estimator_checks import parametrize_with_checks

from toolkit.preprocessing import (
    DatetimeFeatures,
    FrequencyEncoder,
    OutlierClipper,
    RareCategoryGrouper,
)

# DatetimeFeatures refuses numeric input on purpose (is 1700000000 seconds? a date code?), and
# these checks only ever feed it random floats, so they cannot apply. The same behaviours are
# tested on datetime input in test_transformers.py (clone, pickle, idempotence, set_output …).
_DATETIME_ONLY = "DatetimeFeatures accepts datetimes/date strings only; this check feeds floats"
_DATETIME_INAPPLICABLE = [
    "check_dict_unchanged",
    "check_dont_overwrite_parameters",
    "check_dtype_object",
    "check_estimators_dtypes",
    "check_estimators_fit_returns_self",
    "check_estimators_overwrite_params",
    "check_estimators_pickle",
    "check_f_contiguous_array_estimator",
    "check_fit2d_1feature",
    "check_fit2d_1sample",
    "check_fit2d_predict1d",
    "check_fit_check_is_fitted",
    "check_fit_idempotent",
    "check_fit_score_takes_y",
    "check_methods_sample_order_invariance",
    "check_methods_subset_invariance",
    "check_n_features_in",
    "check_n_features_in_after_fitting",
    "check_pipeline_consistency",
    "check_positive_only_tag_during_fit",
    "check_readonly_memmap_input",
    "check_transformer_data_not_an_array",
    "check_transformer_general",
]


def _expected_failures(estimator: Any) -> dict[str, str]:
    if isinstance(estimator, DatetimeFeatures):
        return dict.fromkeys(_DATETIME_INAPPLICABLE, _DATETIME_ONLY)
    return {}


@parametrize_with_checks(
    [
        OutlierClipper(),
        OutlierClipper(method="iqr", factor=3.0),
        FrequencyEncoder(),
        FrequencyEncoder(normalize=False),
        RareCategoryGrouper(),
        DatetimeFeatures(),
    ],
    expected_failed_checks=_expected_failures,
    xfail_strict=True,
)
def test_sklearn_contract(estimator: Any, check: Any) -> None:
    check(estimator)
