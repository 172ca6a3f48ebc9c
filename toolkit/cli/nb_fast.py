"""``toolkit nb strip`` for plain calls (file names, ``--check``, ``--json``), without click.

The click command in :mod:`toolkit.cli.nb` and this runner share what they print
(:func:`report`) and how folders become notebooks
(:func:`toolkit.notebooks.strip.notebook_paths`), so both give the same output and exit code;
anything else (options with values, ``--help``, no file) is left to click (``None``).

Example:
    >>> strip_plain(["--help"]) is None  # click words the help
    True
"""

from __future__ import annotations

import sys

from toolkit.notebooks.strip import StripOptions, notebook_paths, strip_files

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable

    from toolkit.notebooks.strip import StripResult

_PLAIN_FLAGS = {"--check", "--json"}


def strip_plain(argv: list[str]) -> int | None:
    """Strip as ``toolkit nb strip ARGV`` would and return its exit code, or ``None`` when
    ``argv`` is not a plain call (only file names and ``--check``/``--json``)."""
    flags = [arg for arg in argv if arg.startswith("-")]
    paths = [arg for arg in argv if not arg.startswith("-")]
    if not paths or not set(flags) <= _PLAIN_FLAGS:
        return None
    check, as_json = "--check" in flags, "--json" in flags
    results = strip_files(notebook_paths(paths), StripOptions(), check=check)
    return report(results, check=check, as_json=as_json, out=_print)


def _print(line: str, err: bool = False) -> None:
    print(line, file=sys.stderr if err else sys.stdout)


def report(
    results: list[StripResult], *, check: bool, as_json: bool, out: Callable[..., None]
) -> int:
    """Print what ``toolkit nb strip`` prints for ``results`` through ``out(line, err=...)``
    and return its exit code: 1 when anything changed (or would) or a file was invalid."""
    if as_json:
        import json

        rows = [
            {
                "path": str(r.path),
                "changed": r.changed,
                "error": r.error,
                "cleared_cells": r.cleared_cells,
            }
            for r in results
        ]
        out(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in results:
            if r.error:
                out(f"error: {r.error}", err=True)
            elif r.changed:
                out(r.message(check))
        clean = sum(1 for r in results if not r.changed and not r.error)
        out(f"{len(results)} notebooks, {clean} already clean", err=True)
    return 1 if any(r.error or r.changed for r in results) else 0
