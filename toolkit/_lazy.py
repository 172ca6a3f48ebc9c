"""Lazy package exports (PEP 562), shared by the subpackages that re-export names.

A package lists ``{public name: submodule}`` and gets a module ``__getattr__`` that imports the
submodule on first use and caches the value in the package namespace, so ``import
toolkit.checks`` stays light and later lookups are plain attribute reads.

Example:
    >>> import types, sys
    >>> pkg = types.ModuleType("demo_pkg"); sys.modules["demo_pkg"] = pkg
    >>> pkg.__getattr__, pkg.__dir__ = lazy_exports("demo_pkg", {"dumps": "json"}, absolute=True)
    >>> pkg.dumps([1])
    '[1]'
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: hooks import this, and typing costs ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str], *, absolute: bool = False
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for ``package`` exporting ``exports`` lazily.

    ``exports`` maps each public name to the submodule defining it (``"strip"`` means
    ``package.strip``; with ``absolute=True`` the value is a full module name).
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        import importlib

        value = getattr(
            importlib.import_module(module if absolute else f"{package}.{module}"), name
        )
        # Written to __dict__ directly: a package may veto setattr of same-named submodules.
        sys.modules[package].__dict__[name] = value
        return value

    def __dir__() -> list[str]:
        namespace = sys.modules[package].__dict__
        return sorted({*exports, *(key for key in namespace if not key.startswith("_"))})

    return __getattr__, __dir__
