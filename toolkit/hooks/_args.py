"""Option parsing shared by the hook entry points (only calls with options import it).

pre-commit calls a hook as ``entry [args...] FILE...``: the file names come after the options,
and any of them may start with ``-`` (``-draft.ipynb``). :func:`options_and_files` takes an
argument that is not one of the hook's options but names an existing file as a file, and
``--`` ends the options as usual.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs a hook start ~10 ms
if TYPE_CHECKING:
    import argparse


def options_and_files(
    parser: argparse.ArgumentParser, argv: list[str]
) -> tuple[argparse.Namespace, list[str]]:
    """The parsed options and the file names (in the order given) of a hook call.

    ``parser`` has a ``paths`` positional. An unknown ``-name`` that exists on disk is a file
    name; one that does not is a usage error (exit 2), as before.

    Example:
        >>> import argparse
        >>> p = argparse.ArgumentParser()
        >>> _ = p.add_argument("paths", nargs="*")
        >>> _ = p.add_argument("--check", action="store_true")
        >>> args, files = options_and_files(p, ["--check", "a.ipynb", "--", "-draft.ipynb"])
        >>> args.check, files
        (True, ['a.ipynb', '-draft.ipynb'])
    """
    parser.allow_abbrev = False  # a file named --keep must not become --keep-output
    args, extras = parser.parse_known_args(argv)
    unknown = [arg for arg in extras if arg.startswith("-") and not os.path.lexists(arg)]
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    files = [*args.paths, *extras]
    files.sort(key=argv.index)  # argparse puts names after an unknown "-x" last
    return args, files
