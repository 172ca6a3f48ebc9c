"""Merge a snippet's imports into a module's import block, where ruff's isort rules want them.

The module's own import lines are never reordered or reformatted: each new import is inserted
at the place the isort order gives it (ruff's defaults: sections future, standard library,
third party, first party, local; ``import x`` before ``from x import y`` within a section;
natural, case-insensitive order; members ordered constants, classes, then the rest), and a new
member of an existing ``from m import ...`` joins that statement. An import the module already
has is not repeated. Only the Python ``ast`` is used, so this works without the ruff binary.

Example:
    >>> text = "'''Doc.'''\\n\\nimport os\\nfrom typing import Any\\n\\nX = os.sep\\n"
    >>> new = atoms_of("import json\\nfrom typing import Any, cast\\n")
    >>> print(add_imports(text, new, ImportContext()), end="")
    '''Doc.'''
    <BLANKLINE>
    import json
    import os
    from typing import Any, cast
    <BLANKLINE>
    X = os.sep
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
_DIGITS = re.compile(r"\d+|\D")


@dataclass(frozen=True, order=True)
class Atom:
    """One bound name: ``import m as a`` or ``from m import n as a`` (``level`` leading dots)."""

    module: str
    name: str | None = None
    asname: str | None = None
    level: int = 0

    @property
    def is_from(self) -> bool:
        """True for ``from ... import`` atoms."""
        return self.name is not None

    @property
    def binds(self) -> str:
        """The module-level name this import binds."""
        if self.asname:
            return self.asname
        return self.name if self.name is not None else self.module.split(".")[0]

    @property
    def top(self) -> str:
        """The top-level module (``numpy`` for ``numpy.linalg``; empty for ``from . import``)."""
        return self.module.split(".")[0]

    def render(self) -> str:
        """The atom as its own statement."""
        alias = f" as {self.asname}" if self.asname else ""
        if self.name is None:
            return f"import {self.module}{alias}"
        return f"from {'.' * self.level}{self.module} import {self.name}{alias}"


@dataclass(frozen=True)
class ImportContext:
    """What decides the first-party section and the wrapping width."""

    first_party: frozenset[str] = field(default_factory=frozenset)
    line_length: int = 88

    @classmethod
    def for_file(cls, path: Path, project_root: Path) -> ImportContext:
        """First-party modules as ruff finds them (``src = [".", "src"]``, the file's package)."""
        names: set[str] = set()
        for src in (project_root, project_root / "src", path.parent):
            try:
                entries = list(src.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.suffix in {".py", ".pyi"} and entry.is_file():
                    names.add(entry.stem)
                elif entry.is_dir() and entry.name.isidentifier():
                    names.add(entry.name)
        package = path.parent
        while (package / "__init__.py").is_file() and package != package.parent:
            names.add(package.name)
            package = package.parent
        return cls(frozenset(names), _line_length(project_root))


def _line_length(root: Path) -> int:
    """``[tool.ruff] line-length`` from the project's pyproject.toml or ruff.toml (default 88)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    tables: list[tuple[str, tuple[str, ...]]] = [
        ("ruff.toml", ()),
        (".ruff.toml", ()),
        ("pyproject.toml", ("tool", "ruff")),
    ]
    for name, table in tables:
        try:
            data = tomllib.loads((root / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for key in table:
            data = data.get(key, {})
        if isinstance(data.get("line-length"), int):
            return int(data["line-length"])
    return 88


def atoms_of(source: str | list[ast.stmt]) -> list[Atom]:
    """The atoms of the import statements in ``source`` (text, or a list of statements)."""
    nodes = ast.parse(source).body if isinstance(source, str) else source
    atoms: list[Atom] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            atoms += [Atom(a.name, None, a.asname) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            atoms += [Atom(module, a.name, a.asname, node.level) for a in node.names]
    return atoms


def section(atom: Atom, context: ImportContext) -> int:
    """The isort section of ``atom``."""
    if atom.level:
        return LOCAL
    if atom.module == "__future__":
        return FUTURE
    if atom.top in context.first_party:
        return FIRST_PARTY
    if atom.top in sys.stdlib_module_names:
        return STDLIB
    return THIRD_PARTY


def _natural(text: str) -> tuple[tuple[int, int], ...]:
    # Digit runs compare by value (ruff's natural order); other characters by code point.
    return tuple((48, int(t)) if t.isdigit() else (ord(t), 0) for t in _DIGITS.findall(text))


def _member_key(name: str, asname: str | None) -> tuple[object, ...]:
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        kind = 0  # CONSTANT
    elif name[:1].isupper():
        kind = 1  # Class
    else:
        kind = 2
    return (kind, _natural(name.lower()), _natural(name), asname is not None, asname or "")


def statement_key(atoms: list[Atom]) -> tuple[object, ...]:
    """Sort key of one statement (its atoms share module and kind) inside its section."""
    first = atoms[0]
    if not first.is_from:
        alias = (first.asname is not None, first.asname or "")
        return (0, 0, _natural(first.module.lower()), _natural(first.module), alias)
    member = min(_member_key(a.name or "", a.asname) for a in atoms)
    return (1, -first.level, _natural(first.module.lower()), _natural(first.module), member)


def render_from(atoms: list[Atom], line_length: int, *, wrapped: bool = False) -> str:
    """``from m import a, b`` sorted, wrapped one per line when too long (or ``wrapped``)."""
    first = atoms[0]
    ordered = sorted(atoms, key=lambda a: _member_key(a.name or "", a.asname))
    members = [f"{a.name}{f' as {a.asname}' if a.asname else ''}" for a in ordered]
    head = f"from {'.' * first.level}{first.module} import "
    line = head + ", ".join(members)
    if not wrapped and len(line) <= line_length:
        return line
    return head + "(\n" + "".join(f"    {m},\n" for m in members) + ")"


@dataclass(frozen=True)
class _Statement:
    atoms: list[Atom]
    start: int  # 0-based first line of the statement
    anchor: int  # 0-based first line of its attached comments (== start when none)
    end: int  # 0-based last line
    node: ast.Import | ast.ImportFrom


def comments_above(lines: list[str], line: int, floor: int = 0) -> int:
    """0-based first line of the comment lines directly above ``line`` (no blank line between,
    not above ``floor``): they belong to that statement and move with it. ``line`` if none.

    >>> comments_above(["x = 1", "# about f", "# more", "def f(): pass"], 3)
    1
    """
    while line - 1 >= floor and lines[line - 1].lstrip().startswith("#"):
        line -= 1
    return line


def _comment_lines(text: str) -> set[int]:
    """0-based lines holding a comment token."""
    try:
        return {
            tok.start[0] - 1
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT
        }
    except (tokenize.TokenError, SyntaxError):
        return set()


def _top_run(tree: ast.Module, lines: list[str]) -> list[_Statement]:
    """The first contiguous run of module-level imports (after the docstring), with spans."""
    body = tree.body
    i = 1 if body and is_docstring(body[0]) else 0
    run: list[_Statement] = []
    while i < len(body) and isinstance(body[i], (ast.Import, ast.ImportFrom)):
        node = body[i]
        assert isinstance(node, (ast.Import, ast.ImportFrom)) and node.end_lineno is not None
        start = node.lineno - 1
        anchor = comments_above(lines, start, floor=run[-1].end + 1 if run else 0)
        run.append(_Statement(atoms_of([node]), start, anchor, node.end_lineno - 1, node))
        i += 1
    return run


def is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def existing_atoms(tree: ast.Module) -> set[Atom]:
    """Every import atom at module level (anywhere in the module body, not nested)."""
    return set(atoms_of([n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]))


def _statement_section(statement: _Statement, context: ImportContext) -> int:
    return section(statement.atoms[0], context)


def _insert_lines(lines: list[str], at: int, new: list[str]) -> list[str]:
    return lines[:at] + new + lines[at:]


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def blank_lines_after_imports(tree: ast.Module, lines: list[str], after: int) -> int:
    """What ruff's isort wants after an import block ending at line ``after`` (0-based): two
    before a def or class, one before anything else; 0 at the end of the module. The one rule
    for both new imports and code placed after the imports (``toolkit.snippets.place``).

    >>> text = "import os\\n\\n# >>> snippet a/b\\ndef f(): pass\\n"
    >>> blank_lines_after_imports(ast.parse(text), text.split("\\n"), 0)
    2
    """
    following = [n for n in tree.body if n.lineno - 1 > after]
    if not following:
        return 0
    node = following[0]
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
    # A comment between the imports and the next statement is what isort looks at, unless it
    # sits directly on the statement (it then belongs to the statement).
    attached = comments_above(lines, first, floor=after + 1)
    loose_comment = any(lines[j].lstrip().startswith("#") for j in range(after + 1, attached))
    return 2 if isinstance(node, DEFINITIONS) and not loose_comment else 1


def _new_block_position(tree: ast.Module, lines: list[str]) -> int:
    """Where a module without imports gets its first import line (0-based line index)."""
    if tree.body and is_docstring(tree.body[0]):
        end = tree.body[0].end_lineno
        assert end is not None
        return end
    # After a leading comment block (shebang, licence) that a blank line separates from code.
    i = 0
    while i < len(lines) and lines[i].lstrip().startswith("#"):
        i += 1
    if i and (i >= len(lines) or not lines[i].strip()):
        return i
    return 0


def split_at(lines: list[str], at: int) -> tuple[list[str], list[str]]:
    """``lines`` cut at ``at`` without the blank lines around the cut: what goes in between
    sets its own spacing (the blank lines ruff format wants).

    >>> split_at(["a", "", "", "b", ""], 2)
    (['a'], ['b', ''])
    """
    before, after = lines[:at], lines[at:]
    while before and not before[-1].strip():
        before.pop()
    while after and not after[0].strip():
        after.pop(0)
    return before, after


def _create_block(text: str, atom: Atom) -> str:
    """Add the first import statement to a module that has none at the top."""
    tree = ast.parse(text)
    lines = text.split("\n")
    before, rest = split_at(lines, _new_block_position(tree, lines))
    lead = [""] if before else []
    body = [*before, *lead, atom.render()]
    probe = "\n".join([*body, *rest])
    gap = blank_lines_after_imports(ast.parse(probe), probe.split("\n"), len(body) - 1)
    if not "".join(rest).strip():
        return "\n".join(body) + "\n"
    return "\n".join([*body, *[""] * gap, *rest])


def add_import(text: str, atom: Atom, context: ImportContext) -> str:
    """``text`` with ``atom`` imported at its isort place (unchanged when already imported)."""
    tree = ast.parse(text)
    if atom in existing_atoms(tree):
        return text
    lines = text.split("\n")
    run = _top_run(tree, lines)
    if not run:
        return _create_block(text, atom)
    target = section(atom, context)
    comments = _comment_lines(text)
    if atom.is_from and not atom.asname:
        for statement in run:
            node = statement.node
            if (
                isinstance(node, ast.ImportFrom)
                and (node.module or "") == atom.module
                and node.level == atom.level
                and not any(a.asname for a in statement.atoms)
                and not any(j in comments for j in range(statement.start, statement.end + 1))
            ):
                merged = render_from(
                    [*statement.atoms, atom],
                    context.line_length,
                    wrapped=statement.end > statement.start,
                )
                new_lines = lines[: statement.start] + merged.split("\n")
                return "\n".join(new_lines + lines[statement.end + 1 :])
    new = atom.render().split("\n")
    key = statement_key([atom])
    same = [s for s in run if _statement_section(s, context) == target]
    if same:
        later = [s for s in same if statement_key(s.atoms) > key]
        if later:
            return "\n".join(_insert_lines(lines, later[0].anchor, new))
        return "\n".join(_insert_lines(lines, same[-1].end + 1, new))
    after = [s for s in run if _statement_section(s, context) > target]
    if after:
        return "\n".join(_insert_lines(lines, after[0].anchor, [*new, ""]))
    return "\n".join(_insert_lines(lines, run[-1].end + 1, ["", *new]))


def add_imports(text: str, atoms: list[Atom], context: ImportContext) -> str:
    """``text`` with every atom of ``atoms`` imported (see ``add_import``)."""
    for atom in atoms:
        text = add_import(text, atom, context)
    return text


def _used_names(tree: ast.Module) -> set[str]:
    # `import a.b` is used through `a.b.x`, whose innermost node is the Name `a`.
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def remove_unused_import(text: str, atom: Atom, context: ImportContext) -> str:
    """``text`` without ``atom`` when nothing in the module uses the name it binds."""
    tree = ast.parse(text)
    if atom.binds in _used_names(tree) or atom not in existing_atoms(tree):
        return text
    lines = text.split("\n")
    comments = _comment_lines(text)
    for node in tree.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or atom not in atoms_of([node]):
            continue
        assert node.end_lineno is not None
        start, end = node.lineno - 1, node.end_lineno - 1
        if any(j in comments for j in range(start, end + 1)):
            return text  # a commented statement is the user's to edit
        rest = [a for a in atoms_of([node]) if a != atom]
        if not rest:
            replacement: list[str] = []
        elif atom.is_from:
            replacement = render_from(rest, context.line_length, wrapped=end > start).split("\n")
        else:
            replacement = [a.render() for a in rest]
        new_lines = lines[:start] + replacement + lines[end + 1 :]
        # Dropping a whole statement may leave two blank lines where a section ended.
        if (
            not replacement
            and 0 < start < len(new_lines)
            and not new_lines[start - 1].strip()
            and not new_lines[start].strip()
        ):
            del new_lines[start]
        return "\n".join(new_lines)
    return text
