"""Shared output for hook entry points: one line per problem on stderr."""

from __future__ import annotations

import sys


def problem(message: str) -> None:
    """Print one problem line."""
    print(message, file=sys.stderr)
