"""Run one snippet's doctests with only its declared requirements importable.

Usage: ``python -I _runner.py SNIPPET_FILE=IMPORT_NAME,IMPORT_NAME ...`` (one or more snippets;
several share one interpreter so that e.g. ``import torch`` is paid once per group).

Started by ``test_snippets_run.py`` in a fresh, isolated interpreter (``-I``: no user site, no
script directory or PYTHONPATH on ``sys.path``). ``builtins.__import__`` is wrapped: an ``import``
statement *written in the snippet or in its doctests* of a top-level module that is neither
stdlib nor one of the allowed import names raises ImportError (``toolkit`` included). Imports done
by the allowed libraries themselves (pandas importing numpy, say) are transitive and pass,
because they do not run in the snippet's frames.

Prints one JSON line per snippet (``path``, ``attempted``, ``failed``, ``output``); exit code 0
when every snippet ran at least one example and none failed.
"""

from __future__ import annotations

import builtins
import contextlib
import dis
import doctest
import importlib.util
import io
import json
import sys
import traceback
from pathlib import Path
from typing import Any

PREFIX = "snippet_under_test_"


def install_import_guard(allowed_by_module: dict[str, set[str]]) -> None:
    """Refuse undeclared third-party imports made directly by the snippet's code."""
    original = builtins.__import__
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    import_name = dis.opmap["IMPORT_NAME"]

    def guarded(
        name: str,
        globals: dict[str, Any] | None = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> Any:
        caller = sys._getframe(1)
        # Only `import` statements written in the snippet or its examples count. A C extension
        # importing lazily (numpy inside ndarray.std, say) also reports the snippet's frame as
        # caller, but that frame is then executing a call, not an IMPORT_NAME instruction.
        from_snippet = (
            caller.f_globals.get("__name__") in allowed_by_module
            and caller.f_code.co_code[caller.f_lasti] == import_name
        )
        if from_snippet and level == 0:
            allowed = allowed_by_module[caller.f_globals["__name__"]]
            top = name.partition(".")[0]
            if top not in stdlib and top not in allowed:
                raise ImportError(
                    f"snippet imports {top!r}, which its 'requires:' line does not declare "
                    f"(allowed third-party imports: {sorted(allowed) or 'none'})"
                )
        return original(name, globals, locals, fromlist, level)

    builtins.__import__ = guarded


def run_one(path: Path, module_name: str) -> dict[str, Any]:
    """Import the snippet and run its doctests; capture the report text."""
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            spec = importlib.util.spec_from_file_location(module_name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
            # Doctest globs copy the module dict, so __name__ == module_name there as well.
            result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    except Exception:
        return {
            "path": str(path),
            "attempted": 0,
            "failed": 1,
            "output": buffer.getvalue() + traceback.format_exc(),
        }
    return {
        "path": str(path),
        "attempted": result.attempted,
        "failed": result.failed,
        "output": buffer.getvalue(),
    }


def main(argv: list[str]) -> int:
    jobs: list[tuple[Path, str]] = []
    allowed_by_module: dict[str, set[str]] = {}
    for k, arg in enumerate(argv):
        file, _, names = arg.partition("=")
        module_name = f"{PREFIX}{k}"
        allowed_by_module[module_name] = {n for n in names.split(",") if n}
        jobs.append((Path(file), module_name))
    install_import_guard(allowed_by_module)
    ok = True
    for path, module_name in jobs:
        report = run_one(path, module_name)
        ok = ok and report["attempted"] > 0 and report["failed"] == 0
        print(json.dumps(report), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
