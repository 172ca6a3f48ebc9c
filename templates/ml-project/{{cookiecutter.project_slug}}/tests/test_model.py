import numpy as np

from {{ cookiecutter.package_name }}.models.train import save_model, train
from {{ cookiecutter.package_name }}.predict import evaluate, predict


def test_baseline_beats_majority_class(splits, config) -> None:
    X_train, X_test, y_train, y_test = splits
    model = train(X_train, y_train, config)
    metrics = evaluate(model, X_test, y_test)
    majority = max(np.mean(y_test == label) for label in np.unique(y_test))
    assert metrics["accuracy"] > max(0.9, majority)
    assert 0.0 <= metrics["balanced_accuracy"] <= 1.0


def test_training_is_reproducible(splits, config) -> None:
    X_train, X_test, y_train, _ = splits
    first = predict(train(X_train, y_train, config), X_test)
    second = predict(train(X_train, y_train, config), X_test)
    assert np.array_equal(first, second)


def test_model_is_saved(splits, config, tmp_path) -> None:
    X_train, _, y_train, _ = splits
    path = save_model(train(X_train, y_train, config), tmp_path / "model.bin")
    assert path.stat().st_size > 0
