"""``toolkit nb strip`` and ``toolkit nb merge-driver`` for plain calls, without click.

``nb strip`` with file names, ``--check`` and ``--json``; ``nb merge-driver`` as git starts it
(``BASE OURS THEIRS [--outputs POLICY] [--path NAME]``, three existing files). The click commands
in :mod:`toolkit.cli.nb` and these runners share what they print (:func:`report`,
:func:`merge_message`) and how folders become notebooks
(:func:`toolkit.notebooks.strip.notebook_paths`), so both give the same output and exit code;
anything else (other options, ``--help``, a missing file) is left to click (``None``), which
words every usage error.

Example:
    >>> strip_plain(["--help"]) is None  # click words the help
    True
    >>> merge_plain(["base.ipynb", "ours.ipynb"]) is None  # two files: click says what is missing
    True
"""

from __future__ import annotations

import os
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


# The merge driver's options that take a value, with their defaults (as in the click command).
_MERGE_OPTIONS = {"--outputs": "strip", "--path": ""}


def merge_plain(argv: list[str]) -> int | None:
    """Merge as ``toolkit nb merge-driver ARGV`` would and return its exit code, or ``None``
    when ``argv`` is not the plain call git makes (see the module docstring)."""
    values = dict(_MERGE_OPTIONS)
    files: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in values:
            value = next(args, None)
            if value is None:
                return None
            values[arg] = value
        elif arg.startswith("-"):
            return None
        else:
            files.append(arg)
    from toolkit.notebooks.merge import OUTPUT_POLICIES, merge_files

    if (
        len(files) != 3
        or values["--outputs"] not in OUTPUT_POLICIES
        or not all(os.path.isfile(name) for name in files)
    ):
        return None
    base, ours, theirs = files
    shown = values["--path"]
    conflicts = merge_files(base, ours, theirs, outputs=values["--outputs"], name=shown)
    message = merge_message(conflicts, shown, ours)
    if message:
        _print(message, err=True)
    return 1 if conflicts else 0


def merge_message(conflicts: int, shown: str, ours: str) -> str | None:
    """The line the merge driver prints for a merge with ``conflicts``, or ``None`` when clean.

    Example:
        >>> merge_message(2, "nb.ipynb", ".merge_file_a")
        'nb.ipynb: 2 notebook conflict(s) marked in cells'
    """
    if not conflicts:
        return None
    return f"{shown or ours}: {conflicts} notebook conflict(s) marked in cells"


def _print(line: str, err: bool = False) -> None:
    print(line, file=sys.stderr if err else sys.stdout)


def report(
    results: list[StripResult], *, check: bool, as_json: bool, out: Callable[..., None]
) -> int:
    """Print what ``toolkit nb strip`` prints for ``results`` through ``out(line, err=...)``
    and return its exit code: 2 when a file was not a readable notebook, else 1 when anything
    changed (or would) or could not be written (:mod:`toolkit.errors`)."""
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
    return max((r.exit_code for r in results), default=0)
