"""The hostile-input campaign: each property test reports how many examples it generated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._examples import COUNTS


@pytest.fixture(autouse=True)
def _report_generated_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    COUNTS.pop(request.node.function.__name__, None)
    yield
    n = COUNTS.pop(request.node.function.__name__, 0)
    if n:  # read by tests/conftest.py's terminal summary
        request.node.user_properties.append(("generated_examples", n))
