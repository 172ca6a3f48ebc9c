"""Every docstring example outside plotting, preprocessing and snippets (which have their own
doctest tests) runs and shows what it claims, so the examples users copy cannot rot."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import warnings

import pytest

import toolkit

COVERED_ELSEWHERE = ("toolkit.plotting", "toolkit.preprocessing", "toolkit.snippets")
# compare_models cross-validates a dozen models: its example runs in the slow tier.
SLOW = {"toolkit.checks.baselines"}


def _modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(toolkit.__path__, "toolkit.")
        if not info.name.startswith(COVERED_ELSEWHERE) and not info.name.endswith("__main__")
    ]
    return ["toolkit", *sorted(names)]


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in _modules()],
)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's small-sample warnings in tiny examples
        result = doctest.testmod(
            module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
