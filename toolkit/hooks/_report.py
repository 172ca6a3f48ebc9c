"""Shared output for hook entry points: one line per problem on stderr."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from typing import NoReturn


def problem(message: str) -> None:
    """Print one problem line."""
    print(message, file=sys.stderr)


def exit_now(status: int) -> NoReturn:
    """End a hook's console-script process with ``status``, skipping interpreter teardown.

    Tearing down the modules and objects of a finished hook took 2.3 ms of the 15 ms a run
    costs (67 corpus notebooks, one process each: 15.2 -> 12.9 ms per file), on every commit.
    Safe here: files are written and closed with os-level calls before this point, worker
    threads are joined, and the standard streams are flushed below. Only the console
    scripts call it; ``main()`` returns normally for tests and ``python -m``.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            continue
    os._exit(status)
