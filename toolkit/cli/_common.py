"""Helpers shared by the command modules: JSON output and the stderr console.

Example:
    >>> from toolkit.cli._common import dumps_json
    >>> dumps_json({"ok": True})
    '{\\n  "ok": true\\n}'
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def dumps_json(payload: Any, *, compact: bool = False) -> str:
    """Serialise ``payload`` for ``--json`` output (UTF-8 kept readable, paths as strings).

    ``compact`` drops the indentation, which lets ``json`` use its C encoder: for payloads of
    megabytes (thousands of clone classes) it is about 5x faster.
    """
    return json.dumps(payload, indent=None if compact else 2, ensure_ascii=False, default=str)


def echo_json(payload: Any, *, compact: bool = False) -> None:
    """Print ``payload`` as JSON on stdout."""
    click.echo(dumps_json(payload, compact=compact))


def is_interactive(quiet: bool = False) -> bool:
    """True when progress bars and colours make sense (a TTY on stderr and not ``--quiet``)."""
    return not quiet and sys.stderr.isatty()
