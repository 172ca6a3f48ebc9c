import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }}.data import TARGET, load_csv, load_dataset, main


def test_dataset_has_rows_and_matching_target() -> None:
    X, y = load_dataset()
    assert len(X) == len(y) > 100
    assert not X.isna().all().any()


def test_split_is_stratified_and_disjoint(splits, config) -> None:
    X_train, X_test, y_train, y_test = splits
    assert set(X_train.index).isdisjoint(X_test.index)
    assert abs(len(X_test) / (len(X_train) + len(X_test)) - config.test_size) < 0.02
    for label in np.unique(y_train):
        assert abs((y_train == label).mean() - (y_test == label).mean()) < 0.02


def test_make_data_writes_a_csv_that_loads_back(tmp_path) -> None:
    path = tmp_path / "starter.csv"
    main(["--output", str(path)])
    X, y = load_csv(path)
    expected_X, expected_y = load_dataset()
    assert list(X.columns) == list(expected_X.columns) and TARGET not in X.columns
    pd.testing.assert_series_equal(y, expected_y.rename(TARGET), check_dtype=False)
