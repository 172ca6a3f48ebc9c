"""Argument handling shared by the hook entry points."""

from __future__ import annotations


def file_names_only(argv: list[str]) -> bool:
    """Whether ``argv`` holds only file names, the usual hook call: then argparse, which
    imports re and gettext (~9 ms per start on a slow machine), is not needed at all.

    Example:
        >>> file_names_only(["a.ipynb", "b.ipynb"]), file_names_only(["--check", "a.ipynb"])
        (True, False)
    """
    return not any(arg.startswith("-") for arg in argv)
