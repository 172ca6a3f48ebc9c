"""Every docstring example in toolkit.preprocessing runs and shows what it claims."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "augment",
    "categories",
    "datetimes",
    "frames",
    "imbalance",
    "outliers",
    "preprocessor",
    "splits",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"toolkit.preprocessing.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


def test_package_import_is_lazy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, toolkit.preprocessing as p; "
        "heavy = [m for m in ('pandas', 'sklearn', 'polars', 'numpy') if m in sys.modules]; "
        "assert not heavy, heavy; "
        "assert callable(p.split) and 'split' in dir(p)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
