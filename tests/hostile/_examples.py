"""Counting the examples hypothesis generates, so ``make test`` can state how many ran.

Decorate a property test's body with :func:`counted` (under ``@given``); the autouse fixture in
``conftest.py`` records the count on the test's report, and ``tests/conftest.py`` adds the counts
up in the terminal summary (this works under pytest-xdist too: the count travels with the report).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

COUNTS: Counter[str] = Counter()


def counted(test: F) -> F:
    """Count every call of ``test`` (one per generated example, shrinking included)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        COUNTS[test.__name__] += 1
        return test(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
