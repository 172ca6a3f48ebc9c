"""Turn loose code into a self-contained snippet: needed imports, undefined names, docstring.

Used by ``new`` (a file or one function of it), ``harvest`` (notebook cells) and ``promote``.

Example:
    >>> code = "def area(b):\\n    return np.prod(b)\\n"
    >>> needed_imports(code, ["import numpy as np", "import os"])
    ['import numpy as np']
    >>> sorted(undefined_names("def f():\\n    return g(x)\\n"))
    ['g', 'x']
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from collections.abc import Sequence

from toolkit.errors import UsageError

_VERSION_LINE = re.compile(r"^(\s*)version\s*:\s*\d+\s*$", re.MULTILINE | re.IGNORECASE)


def _bound_by_import(node: ast.Import | ast.ImportFrom) -> set[str]:
    names = set()
    for alias in node.names:
        if alias.name == "*":
            continue
        names.add(alias.asname or alias.name.split(".")[0])
    return names


def defined_and_used(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound anywhere in ``tree`` and names read anywhere in it."""
    defined: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= _bound_by_import(node)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            defined.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            defined.add(node.name)
    return defined, used


def undefined_names(code: str) -> set[str]:
    """Names ``code`` reads but neither defines, imports nor gets from builtins."""
    defined, used = defined_and_used(ast.parse(code))
    return used - defined - set(dir(builtins)) - {"__file__", "__name__"}


def needed_imports(code: str, import_statements: list[str]) -> list[str]:
    """The statements among ``import_statements`` that bind a name ``code`` uses (in order)."""
    missing = undefined_names(code)
    chosen: list[str] = []
    for statement in import_statements:
        node = ast.parse(statement).body[0]
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        binds = _bound_by_import(node)
        if binds & missing:
            # Keep only the aliases the code needs: `import os, sys` -> `import os`.
            node.names = [a for a in node.names if (a.asname or a.name.split(".")[0]) in missing]
            chosen.append(ast.unparse(node))
            missing -= binds
    return chosen


def imports_in(code: str) -> list[str]:
    """Every import statement in ``code`` (top level and nested), unparsed, in order."""
    return [
        ast.unparse(n)
        for n in ast.walk(ast.parse(code))
        if isinstance(n, (ast.Import, ast.ImportFrom))
    ]


def third_party_modules(import_statements: list[str]) -> list[str]:
    """Top-level module names imported that are not in the standard library."""
    modules: list[str] = []
    for statement in import_statements:
        node = ast.parse(statement).body[0]
        if isinstance(node, ast.Import):
            names = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module.split(".")[0]]
        else:
            names = []
        for name in names:
            if name not in sys.stdlib_module_names and name not in modules:
                modules.append(name)
    return modules


def distributions_for(modules: list[str]) -> list[str]:
    """pip distribution names for import names (``sklearn`` -> ``scikit-learn``) when known."""
    from importlib.metadata import packages_distributions

    mapping = packages_distributions()
    return [mapping.get(m, [m])[0] for m in modules]


def extract_function(source: str, function: str, *, where: str) -> str:
    """The source of top-level function or class ``function`` in ``source`` (decorators kept)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == function
        ):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            assert node.end_lineno is not None
            return "".join(lines[first - 1 : node.end_lineno])
    names = [
        n.name
        for n in tree.body
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]
    raise UsageError(f"{where}: no top-level function or class {function!r}; found {names}")


def has_module_docstring(code: str) -> bool:
    """True when ``code`` starts with a module docstring."""
    return ast.get_docstring(ast.parse(code)) is not None


def make_snippet_text(
    code: str,
    *,
    summary: str,
    tags: list[str],
    requires: list[str],
    imports: Sequence[str] = (),
    version: int = 1,
) -> str:
    """A snippet file: docstring with metadata, then ``imports`` (sorted as ruff's isort
    sorts them), then ``code``, formatted with ruff when it is on PATH."""
    from toolkit.snippets.imports import ImportContext, add_imports, atoms_of

    summary = summary.strip().splitlines()[0] if summary.strip() else "TODO: one-line summary."
    tag_line = ("tags: " + ", ".join(tags)).rstrip()
    header = (
        f'"""{summary}\n\n'
        f"{tag_line}\n"
        f"requires: {', '.join(requires) if requires else 'none'}\n"
        f"version: {version}\n"
        '"""\n\n'
    )
    text = header + code.strip("\n") + "\n"
    atoms = atoms_of("\n".join(imports))
    return format_with_ruff(add_imports(text, atoms, ImportContext(line_length=LINE_LENGTH)))


LINE_LENGTH = 100  # the snippet library's (and generated projects') line length


def format_with_ruff(text: str) -> str:
    """``text`` formatted by ``ruff format`` when ruff is on PATH, else unchanged.

    Optional: new snippets from notebook cells are often not formatted, and a formatted
    snippet keeps the project it is copied into passing ``ruff format --check``.
    """
    import shutil
    import subprocess

    ruff = shutil.which("ruff")
    if ruff is None:
        return text
    try:
        done = subprocess.run(
            [ruff, "format", "--isolated", f"--line-length={LINE_LENGTH}", "-"],
            input=text,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return text
    return done.stdout if done.returncode == 0 and done.stdout.strip() else text


def set_version(text: str, version: int) -> str:
    """``text`` with its docstring's ``version:`` line set to ``version`` (added if missing)."""
    if _VERSION_LINE.search(text):
        return _VERSION_LINE.sub(lambda m: f"{m.group(1)}version: {version}", text, count=1)
    tree = ast.parse(text)
    doc = tree.body[0] if tree.body else None
    if not (isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)):
        raise UsageError("the snippet has no module docstring to carry 'version:'")
    assert doc.end_lineno is not None
    lines = text.split("\n")
    end_line = lines[doc.end_lineno - 1]
    quote = end_line.rstrip()[-3:]
    cut = end_line.rstrip()[:-3]
    if cut.strip():
        lines[doc.end_lineno - 1] = f"{cut}\n\nversion: {version}\n{quote}"
    else:
        lines[doc.end_lineno - 1] = f"version: {version}\n{end_line}"
    return "\n".join(lines)
