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


def dumps_json(payload: Any) -> str:
    """Serialise ``payload`` for ``--json`` output (UTF-8 kept readable, paths as strings)."""
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)


def echo_json(payload: Any) -> None:
    """Print ``payload`` as JSON on stdout."""
    click.echo(dumps_json(payload))


def is_interactive(quiet: bool = False) -> bool:
    """True when progress bars and colours make sense (a TTY on stderr and not ``--quiet``)."""
    return not quiet and sys.stderr.isatty()
