"""Where a snippet goes inside an existing module, so the result is a valid, ruff-clean module.

A snippet is a whole file (docstring, ``from __future__`` imports, imports, code). Pasted into a
module as is, its docstring and future import land mid-file (a SyntaxError) and its imports
repeat the module's. So ``--into`` *hoists* it: the imports join the module's import block (see
``toolkit.snippets.imports``), the docstring stays in the library, and only the code goes
between the stamp markers (flagged ``hoisted`` so status/diff/update compare like with like).
The block goes at the end of the module, or before a trailing ``if __name__ == "__main__":``
guard so that the guard's code can use it. Blank lines around the markers are the ones
``ruff format`` keeps.

Example:
    >>> parts = split_snippet("'''Doc.'''\\n\\nimport os\\n\\n\\ndef f():\\n    return os.sep\\n")
    >>> [a.render() for a in parts.imports], parts.body
    (['import os'], 'def f():\\n    return os.sep\\n')
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from toolkit.snippets.imports import (
    DEFINITIONS,
    Atom,
    atoms_of,
    blank_lines_after_imports,
    comments_above,
    is_docstring,
    split_at,
)


@dataclass(frozen=True)
class SnippetParts:
    """A snippet split for hoisting: its leading imports and the code after them."""

    imports: list[Atom]
    body: str


def split_snippet(source: str) -> SnippetParts:
    """The leading imports (after the docstring) and the rest of ``source``."""
    tree = ast.parse(source)
    nodes = tree.body[1:] if tree.body and is_docstring(tree.body[0]) else tree.body
    leading: list[ast.stmt] = []
    for node in nodes:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            break
        leading.append(node)
    if leading:
        cut = leading[-1].end_lineno
    elif tree.body and is_docstring(tree.body[0]):
        cut = tree.body[0].end_lineno
    else:
        cut = 0
    lines = source.split("\n")[cut or 0 :]
    while lines and not lines[0].strip():
        lines.pop(0)
    body = "\n".join(lines).rstrip("\n")
    return SnippetParts(atoms_of(leading), body + "\n" if body else "")


def header_of(source: str) -> str:
    """The docstring and leading imports of snippet ``source`` (what hoisting moves away)."""
    body = split_snippet(source).body.rstrip("\n")
    cut = len(source.rstrip("\n")) - len(body) if body else len(source)
    return source[:cut].rstrip("\n") + "\n"


def rebuild_snippet(base: str, code: str) -> str:
    """A whole snippet again from a hoisted copy's ``code`` and the header of its ``base``.

    >>> print(rebuild_snippet("'''Doc.'''\\n\\nimport os\\n\\nX = os.sep\\n", "X = os.sep * 2\\n"))
    '''Doc.'''
    <BLANKLINE>
    import os
    <BLANKLINE>
    X = os.sep * 2
    <BLANKLINE>
    """
    header = header_of(base).rstrip("\n")
    if not split_snippet(base).imports:
        return f"{header}\n\n{code}"
    gap = "\n\n\n" if starts_with_definition(code) else "\n\n"
    return f"{header}{gap}{code}"


def ends_with_definition(code: str) -> bool:
    """True when the last top-level statement of ``code`` is a def or class."""
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[-1], DEFINITIONS)


def starts_with_definition(code: str) -> bool:
    """True when the first top-level statement of ``code`` is a def or class (decorated too)."""
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[0], DEFINITIONS)


def pad_body(body: str) -> str:
    """``body`` with the blank lines ruff format wants before the end marker.

    >>> pad_body("def f():\\n    pass\\n\\n\\n\\n")
    'def f():\\n    pass\\n\\n\\n'
    >>> pad_body("x = 1\\n\\n")
    'x = 1\\n'
    """
    core = body.rstrip("\n")
    if not core:
        return ""
    return core + "\n" + ("\n\n" if ends_with_definition(core) else "")


def _is_main_guard(node: ast.stmt) -> bool:
    test = getattr(node, "test", None)
    return (
        isinstance(node, ast.If)
        and isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def insertion_line(tree: ast.Module, lines: list[str]) -> int:
    """0-based line where the block goes: before a trailing main guard, else the end."""
    if tree.body and _is_main_guard(tree.body[-1]):
        return comments_above(lines, tree.body[-1].lineno - 1)
    return len(lines)


def insert_block(text: str, block: str) -> str:
    """``text`` (a module) with the rendered ``block`` placed at its ``insertion_line``."""
    tree = ast.parse(text)
    lines = text.split("\n")
    before, after = split_at(lines, insertion_line(tree, lines))
    block_lines = block.rstrip("\n").split("\n")
    previous = [n for n in tree.body if n.end_lineno is not None and n.end_lineno <= len(before)]
    gap = 2
    if previous and isinstance(previous[-1], (ast.Import, ast.ImportFrom)):
        # Right after the import block, ruff's isort decides (the same rule as a new import).
        probe = [*before, "", *block_lines]
        gap = blank_lines_after_imports(ast.parse("\n".join(probe)), probe, len(before) - 1)
    out = [*before, *[""] * (gap if before else 0), *block_lines]
    if after:
        out += ["", "", *after]
    return "\n".join(out).rstrip("\n") + "\n"
