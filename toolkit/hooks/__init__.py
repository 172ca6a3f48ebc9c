"""Thin, fast entry points for the pre-commit hooks and the git filter, and what they share.

They import only ``toolkit.notebooks`` pieces that need nothing beyond the standard library, so
a hook process starts in tens of milliseconds. The helpers every entry point uses live here, in
the package itself (which Python imports anyway): a module per helper cost each hook start
~0.1 ms of import machinery. Option parsing, which only calls with options need, is
:mod:`toolkit.hooks._args`.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from typing import NoReturn


def file_names_only(argv: list[str]) -> bool:
    """Whether ``argv`` holds only file names, the usual hook call: then argparse, which
    imports re and gettext (~9 ms per start on a slow machine), is not needed at all.

    Example:
        >>> file_names_only(["a.ipynb", "b.ipynb"]), file_names_only(["--check", "a.ipynb"])
        (True, False)
    """
    return not any(arg.startswith("-") for arg in argv)


def problem(message: str) -> None:
    """Print one problem line on stderr."""
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
