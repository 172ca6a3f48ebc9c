"""compound-toolkit: reusable plots, data checks, notebook hooks, snippets and project templates.

``import toolkit`` stays light: submodules (``toolkit.plotting``, ``toolkit.checks`` …) load on
first attribute access, so the CLI and pre-commit hooks start fast.

Example:
    >>> import toolkit
    >>> toolkit.__version__  # doctest: +ELLIPSIS
    '...'
"""

from __future__ import annotations

from toolkit.errors import ToolkitError, UsageError

# Not typing.TYPE_CHECKING: every hook process imports this package, and typing costs ~10 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"
__all__ = ["ToolkitError", "UsageError", "__version__"]

_SUBMODULES = frozenset(
    {
        "checks",
        "cli",
        "hooks",
        "notebooks",
        "plotting",
        "preprocessing",
        "reuse",
        "runs",
        "scaffold",
        "snippets",
    }
)


def __getattr__(name: str) -> Any:
    # PEP 562: import heavy submodules only when they are first used.
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"toolkit.{name}")
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_SUBMODULES])


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext toolkit``: registers the toolkit's IPython magics (for example ``%snippet``)."""
    from toolkit.snippets.magic import load_ipython_extension as _load

    _load(ipython)
