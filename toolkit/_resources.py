"""Find the content directories (``templates/``, ``snippets/``) from a checkout or a wheel.

In a source checkout they sit at the repository root, beside ``toolkit/``; an installed wheel
carries them as ``toolkit/_data/<name>`` (hatch ``force-include``). Both layouts resolve here.

Example:
    >>> from toolkit._resources import data_dir
    >>> data_dir("templates").name
    'templates'
"""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import ToolkitError

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory holding the built-in ``templates`` or ``snippets``."""
    if name not in {"templates", "snippets"}:
        raise ValueError(f"unknown data directory {name!r}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise ToolkitError(
        f"the built-in {name}/ directory is missing from this installation ({_PACKAGE_DIR}); "
        "reinstall compound-toolkit"
    )
