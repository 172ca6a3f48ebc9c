"""Time a block or a function with a context manager / decorator based on perf_counter.

``Timer`` records the elapsed seconds in ``.elapsed`` and can log or print them; used as a
decorator it times each call. ``format_seconds`` renders durations as ``1h 02m 03s``.

tags: utils, timing, profiling, decorator
requires: none
version: 1

Example:
    >>> import time
    >>> with Timer("sleep", printer=None) as t:
    ...     time.sleep(0.01)
    >>> t.elapsed >= 0.01
    True
    >>> @Timer("work", printer=None)
    ... def work(n: int) -> int:
    ...     return sum(range(n))
    >>> work(10)
    45
    >>> format_seconds(3723.4), format_seconds(0.0042)
    ('1h 02m 03s', '4.2 ms')
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def format_seconds(seconds: float) -> str:
    """Human-readable duration: ``4.2 ms``, ``12.35 s``, ``5m 07s``, ``1h 02m 03s``."""
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m {secs:02d}s" if hours else f"{minutes}m {secs:02d}s"


class Timer:
    """Context manager and decorator; ``printer`` receives the message (None = silent)."""

    def __init__(self, name: str = "block", printer: Callable[[str], Any] | None = print) -> None:
        self.name = name
        self.printer = printer
        self.elapsed = 0.0
        self._start = 0.0

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.elapsed = time.perf_counter() - self._start
        if self.printer is not None:
            self.printer(f"{self.name}: {format_seconds(self.elapsed)}")

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with Timer(self.name or func.__name__, self.printer):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
