"""Shared fixtures: the starter data and its split, computed once per test session."""

from __future__ import annotations

import matplotlib
import pytest

from {{ cookiecutter.package_name }}.config import Config
from {{ cookiecutter.package_name }}.data import load_dataset, split_dataset

matplotlib.use("Agg")  # tests never open windows


@pytest.fixture(scope="session")
def config() -> Config:
    return Config()


@pytest.fixture(scope="session")
def splits(config: Config):
    X, y = load_dataset()
    return split_dataset(X, y, config)
