"""``toolkit snippet add``: copy a snippet into a project with stamp markers and a receipt.

As its own file (``--to`` a directory or a ``.py`` path: the whole snippet between the markers)
or into an existing module (``--into``: imports merged into the module's import block, the code
as a ``hoisted`` block; see ``toolkit.snippets.place``). An existing file or block is never
overwritten without ``force=True``, and a target that a symbolic link takes out of the project
is refused. Every result parses and passes ``ruff check`` / ``ruff format --check`` with the
generated project's settings.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.snippets.model import parse_snippet_text
    >>> s = parse_snippet_text("'''Say hi.'''\\nprint('hi')\\n", "utils/hi")
    >>> project = pathlib.Path(tempfile.mkdtemp())
    >>> add_snippet(s, to=project).name
    'hi.py'
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from toolkit._io import file_state, locked
from toolkit.errors import UsageError
from toolkit.snippets.imports import Atom, ImportContext, add_imports, existing_atoms
from toolkit.snippets.model import Snippet
from toolkit.snippets.place import insert_block, split_snippet
from toolkit.snippets.receipts import ReceiptStore, project_for
from toolkit.snippets.stamp import (
    content_hash,
    find_blocks,
    read_source,
    render_block,
    replace_block,
    write_source,
)

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _target_file(snippet: Snippet, to: Path | None) -> Path:
    default_name = snippet.name.rsplit("/", 1)[-1].replace("-", "_") + ".py"
    if to is None:
        return Path.cwd() / default_name
    if to.is_dir() or (not to.suffix and not to.exists()):
        return to / default_name
    if to.suffix != ".py":
        raise UsageError(f"--to {to}: give a directory or a .py file path")
    return to


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


def _top_level_definitions(tree: ast.Module) -> dict[str, int]:
    """Names bound at module level by def/class/assignment, with their line."""
    names: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.setdefault(node.name, node.lineno)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        names.setdefault(sub.id, node.lineno)
    return names


def _compatible(atom: Atom, other: Atom) -> bool:
    """``import a.b`` and ``import a`` both bind ``a`` to the same module: no clash."""
    plain = not atom.is_from and not other.is_from and not atom.asname and not other.asname
    return plain and atom.top == other.top


def hoist_into(text: str, snippet: Snippet, block: str, context: ImportContext, where: str) -> str:
    """``text`` with the snippet's imports merged and ``block`` placed (see module docstring)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise UsageError(
            f"{where}:{exc.lineno}: not valid Python ({exc.msg}); fix it before adding into it"
        ) from None
    parts = split_snippet(snippet.source)
    have = existing_atoms(tree)
    bound = {a.binds: a for a in have if a.module != "__future__"}
    defined = _top_level_definitions(tree)
    clashes = []
    for atom in parts.imports:
        other = bound.get(atom.binds)
        if atom in have or atom.module == "__future__":
            continue
        if other is not None and not _compatible(atom, other):
            clashes.append(f"{atom.binds} (the file has {other.render()!r})")
        elif atom.binds in defined:
            clashes.append(f"{atom.binds} (defined line {defined[atom.binds]})")
    for name in _top_level_definitions(ast.parse(parts.body)):
        if name in defined:
            clashes.append(f"{name} (defined line {defined[name]})")
        elif name in bound:
            clashes.append(f"{name} (the file has {bound[name].render()!r})")
    if clashes:
        raise UsageError(
            f"{where}: snippet {snippet.name!r} would rebind names the file already uses: "
            f"{', '.join(clashes)}; rename them or add the snippet as its own file with --to"
        )
    placed = insert_block(text, block)
    return add_imports(placed, parts.imports, context)


def add_snippet(
    snippet: Snippet, *, to: Path | None = None, into: Path | None = None, force: bool = False
) -> Path:
    """Copy ``snippet`` into the project; return the file written."""
    if into is None:
        return _add_snippet(snippet, to=to, into=into, force=force)
    # Concurrent adds into one file take turns (no block is lost); a save made meanwhile by
    # another program is not overwritten (the write's ``expect=``).
    with locked(into):
        return _add_snippet(snippet, to=to, into=into, force=force)


def _add_snippet(snippet: Snippet, *, to: Path | None, into: Path | None, force: bool) -> Path:
    if to is not None and into is not None:
        raise UsageError("use either --to (new file) or --into (existing file), not both")
    base = _with_newline(snippet.source)
    if into is not None:
        target = into
        if not target.is_file():
            raise UsageError(f"--into {target}: no such file (use --to to create a new file)")
        root = project_for(target, option="--into")
        state = file_state(target)  # before reading: a change after it shows as a change
        text, newline = read_source(target)
        existing = [b for b in find_blocks(text, where=str(target)) if b.name == snippet.name]
        if existing and not force:
            raise UsageError(
                f"{target}:{existing[0].start + 1}: already has snippet {snippet.name!r} "
                "(use `toolkit snippet update` to sync it, or --force to replace it)"
            )
        if existing:
            old = existing[0]
            flags = ("hoisted",) if old.hoisted else ()
            body = split_snippet(base).body if old.hoisted else base
            block = render_block(
                snippet.name, snippet.version, body, digest=content_hash(base), flags=flags
            )
            new_text = replace_block(text, old, block)
            if old.hoisted:
                context = ImportContext.for_file(target, root)
                new_text = add_imports(new_text, split_snippet(base).imports, context)
        elif not text.strip():
            new_text = render_block(snippet.name, snippet.version, base)
        else:
            body = split_snippet(base).body
            block = render_block(
                snippet.name, snippet.version, body, digest=content_hash(base), flags=("hoisted",)
            )
            context = ImportContext.for_file(target, root)
            new_text = hoist_into(text, snippet, block, context, str(target))
    else:
        target = _target_file(snippet, to)
        root = project_for(target)
        if target.exists() and not force:
            raise UsageError(f"{target}: file exists (use --force to overwrite, or --into)")
        newline, state = "\n", None
        new_text = render_block(snippet.name, snippet.version, base)
        target.parent.mkdir(parents=True, exist_ok=True)
    # Receipt first: a stamped copy without its base would lose the 3-way merge.
    ReceiptStore(root).save(snippet.name, base, source=snippet)
    write_source(target, new_text, newline, expect=state)
    return target


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_dependencies(project_root: Path) -> set[str] | None:
    """Normalised distribution names pyproject.toml declares (None when there is none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    project = data.get("project", {})
    specs: list[str] = list(project.get("dependencies", []))
    for group in (project.get("optional-dependencies", {}), data.get("dependency-groups", {})):
        for values in group.values():
            specs += [v for v in values if isinstance(v, str)]
    specs += list(data.get("tool", {}).get("poetry", {}).get("dependencies", {}))
    names = set()
    for spec in specs:
        match = _REQUIREMENT_NAME.match(spec) if isinstance(spec, str) else None
        if match:
            names.add(_normalise(match.group(1)))
    return names


def missing_requirements(snippet: Snippet, project_root: Path) -> list[str]:
    """``snippet.requires`` entries the project's pyproject.toml does not declare.

    >>> import pathlib, tempfile
    >>> from toolkit.snippets.model import parse_snippet_text
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> toml = '[project]\\nname = "x"\\ndependencies = ["NumPy>=2"]\\n'
    >>> _ = (root / "pyproject.toml").write_text(toml)
    >>> s = parse_snippet_text("'''Hi.\\n\\nrequires: numpy, scikit_learn\\n'''\\n", "a/hi")
    >>> missing_requirements(s, root)
    ['scikit_learn']
    """
    declared = declared_dependencies(project_root)
    if declared is None:
        return []
    return [r for r in snippet.requires if _normalise(r) not in declared]
