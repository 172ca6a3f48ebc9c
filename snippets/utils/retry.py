"""Retry a flaky call (network, file lock) with exponential back-off and jitter.

Only the listed exception types are retried; the last one is re-raised when attempts run out.

tags: utils, retry, backoff, network, decorator
requires: none
version: 1

Example:
    >>> attempts = []
    >>> @retry(times=3, exceptions=(ConnectionError,), base_delay=0.0)
    ... def flaky() -> str:
    ...     attempts.append(1)
    ...     if len(attempts) < 3:
    ...         raise ConnectionError("temporary")
    ...     return "ok"
    >>> flaky(), len(attempts)
    ('ok', 3)
    >>> @retry(times=2, exceptions=(ValueError,), base_delay=0.0)
    ... def broken() -> None:
    ...     raise ValueError("still broken")
    >>> broken()
    Traceback (most recent call last):
    ...
    ValueError: still broken
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)


def retry(
    times: int = 3,
    exceptions: tuple[type[BaseException], ...] = (Exception,),
    base_delay: float = 0.5,
    max_delay: float = 30.0,
) -> Callable[[F], F]:
    """Decorator: call up to ``times`` times, sleeping ``base_delay * 2**k`` (+ jitter) between."""
    if times < 1:
        raise ValueError("times must be >= 1")

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(times):
                try:
                    return func(*args, **kwargs)
                except exceptions as exc:
                    if attempt == times - 1:
                        raise
                    delay = min(max_delay, base_delay * 2**attempt)
                    delay *= 0.5 + random.random()  # jitter: avoid retrying in lock-step
                    log.warning(
                        "%s failed (%s); retry %d in %.1fs", func.__name__, exc, attempt + 1, delay
                    )
                    time.sleep(delay)
            raise AssertionError("unreachable")

        return wrapper  # type: ignore[return-value]

    return decorate
