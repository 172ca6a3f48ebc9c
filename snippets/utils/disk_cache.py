"""Cache a function's results on disk, keyed by its arguments and its own source code.

For expensive, deterministic steps (feature extraction, embeddings, API calls) in notebooks:
a re-run with the same arguments loads the pickle instead of recomputing. Editing the function
body changes the key, so stale results are not reused. Writes are atomic. Only cache trusted
data: pickles execute code when loaded. For NumPy-heavy work ``joblib.Memory`` is the
heavier-duty alternative.

tags: utils, cache, memoize, pickle, notebooks
requires: none
version: 1

Example:
    >>> import tempfile
    >>> calls = []
    >>> @disk_cache(tempfile.mkdtemp())
    ... def slow_square(x: int) -> int:
    ...     calls.append(x)
    ...     return x * x
    >>> slow_square(4), slow_square(4), slow_square(5)
    (16, 16, 25)
    >>> calls
    [4, 5]
    >>> slow_square.cache_clear()
    2
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

R = TypeVar("R")


def _key(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):  # defined in a REPL: fall back to the bytecode
        source = repr(getattr(func, "__code__", func).co_code)
    payload = pickle.dumps((func.__qualname__, source, args, sorted(kwargs.items())), protocol=4)
    return hashlib.sha256(payload).hexdigest()[:32]


def disk_cache(directory: str | Path = ".cache") -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Decorator: store results as ``<directory>/<function>/<hash>.pkl``."""

    def decorate(func: Callable[..., R]) -> Callable[..., R]:
        folder = Path(directory) / func.__qualname__.replace("<", "").replace(">", "")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> R:
            path = folder / f"{_key(func, args, kwargs)}.pkl"
            if path.exists():
                with path.open("rb") as fh:
                    return pickle.load(fh)  # type: ignore[no-any-return]
            result = func(*args, **kwargs)
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: readers never see a half-written file
            return result

        def cache_clear() -> int:
            """Delete this function's cached results; return how many were removed."""
            removed = 0
            for path in folder.glob("*.pkl"):
                path.unlink()
                removed += 1
            return removed

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
