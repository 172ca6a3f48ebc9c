"""``toolkit snippet harvest NOTEBOOK``: notebook cells become snippets.

A code cell is harvested when it is tagged ``snippet`` (cell metadata tags) or its first line is
``# snippet: name``. The imports it needs come from earlier cells; names it uses that no earlier
import and no definition provides are reported (the snippet would fail on its own). A tagged cell
without a name line is named after its first function or class (``--prefix``/name).

Example:
    >>> import nbformat, pathlib, tempfile
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("import numpy as np"),
    ...             nbformat.v4.new_code_cell("# snippet: cv/area\\ndef area(b):\\n"
    ...                                       "    return np.prod(b) * scale")]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.ipynb"
    >>> nbformat.write(nb, str(path))
    >>> [(c.name, sorted(c.undefined)) for c in find_candidates(path)]
    [('cv/area', ['scale'])]
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import UsageError
from toolkit.notebooks.io import cell_source, load_notebook
from toolkit.snippets.extract import imports_in, set_version, undefined_names
from toolkit.snippets.model import MalformedSnippetError, parse_snippet_file, validate_name
from toolkit.snippets.personal import build_snippet_text, destination, project_modules
from toolkit.snippets.stamp import same_code, write_source

_NAME_LINE = re.compile(r"^\s*#\s*snippet\s*:\s*(\S+)\s*$")
_MAGIC = re.compile(r"^\s*[%!]")


@dataclass(frozen=True)
class Candidate:
    """A cell to harvest: its snippet name, text, the names nothing defines, and the earlier
    cells' definitions it took along (name -> 1-based cell number)."""

    name: str
    cell_index: int
    text: str
    undefined: frozenset[str]
    taken: dict[str, int] = field(default_factory=dict)


def _clean(source: str) -> str:
    # IPython magics and shell escapes are not Python; drop them from the analysed code.
    return "\n".join(line for line in source.splitlines() if not _MAGIC.match(line))


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)


def _definitions(source: str, tree: ast.Module, cell: int) -> dict[str, tuple[int, str]]:
    """Top-level names a cell defines by a plain def/class/assignment: name -> (cell, code)."""
    found: dict[str, tuple[int, str]] = {}
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        if not isinstance(node, _DEFINITIONS) or node.end_lineno is None:
            continue
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        code = "".join(lines[first - 1 : node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = (cell, code)
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if all(isinstance(t, ast.Name) for t in targets):
            for target in targets:
                assert isinstance(target, ast.Name)
                found[target.id] = (cell, code)
    return found


def _take_definitions(
    code: str, earlier: dict[str, tuple[int, str]], imports: list[str]
) -> tuple[str, dict[str, int]]:
    """``code`` preceded by the earlier definitions it needs (transitively), in cell order."""
    taken: dict[str, tuple[int, str]] = {}
    while True:
        full = "\n".join([*imports, *(c for _, c in taken.values()), code])
        wanted = [n for n in sorted(undefined_names(full)) if n in earlier and n not in taken]
        if not wanted:
            break
        for name in wanted:
            taken[name] = earlier[name]
    blocks: list[str] = []
    for _, text in sorted(taken.values()):
        if text not in blocks:
            blocks.append(text)
    joined = "\n\n".join(b.strip("\n") for b in blocks)
    return (joined + "\n\n\n" if joined else "") + code, {n: c + 1 for n, (c, _) in taken.items()}


def find_candidates(notebook: Path, *, prefix: str = "harvested") -> list[Candidate]:
    """The harvestable cells of ``notebook`` as snippet candidates (nothing is written)."""
    nb = load_notebook(notebook, upgrade=True)
    local = project_modules(notebook)
    earlier_imports: list[str] = []
    earlier_defs: dict[str, tuple[int, str]] = {}
    found: list[Candidate] = []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        source = _clean(cell_source(cell))
        lines = source.splitlines()
        name_match = _NAME_LINE.match(lines[0]) if lines else None
        tags = cell.get("metadata", {}).get("tags", [])
        tagged = isinstance(tags, list) and "snippet" in tags
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            if name_match or tagged:
                raise UsageError(
                    f"{notebook}: cell {index + 1} is marked as a snippet but is not valid "
                    f"Python (line {exc.lineno}: {exc.msg})"
                ) from exc
            continue
        if name_match or tagged:
            if name_match:
                name = name_match.group(1)
                code = "\n".join(lines[1:]).strip("\n") + "\n"
            else:
                defs = [
                    n.name
                    for n in tree.body
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                ]
                if not defs:
                    raise UsageError(
                        f"{notebook}: cell {index + 1} is tagged 'snippet' but defines no function "
                        "or class to name it after; start it with '# snippet: topic/name'"
                    )
                name = f"{prefix}/{defs[0]}"
                code = source.strip("\n") + "\n"
            name = validate_name(name)
            code, taken = _take_definitions(code, earlier_defs, earlier_imports)
            text, missing = build_snippet_text(
                code,
                context_imports=earlier_imports,
                summary=None,
                tags=[name.split("/")[0]],
                local=local,
                where=f"{notebook}: cell {index + 1}",
            )
            found.append(Candidate(name, index, text, frozenset(missing), taken))
        earlier_imports += imports_in(source)
        earlier_defs.update(_definitions(source, tree, index))
    _refuse_duplicates(notebook, found)
    return found


def _refuse_duplicates(notebook: Path, found: list[Candidate]) -> None:
    cells: dict[str, list[int]] = {}
    for candidate in found:
        cells.setdefault(candidate.name, []).append(candidate.cell_index + 1)
    clashes = [f"{n} (cells {', '.join(map(str, c))})" for n, c in cells.items() if len(c) > 1]
    if clashes:
        raise UsageError(
            f"{notebook}: several cells harvest to the same snippet: {'; '.join(clashes)}; "
            "give each its own '# snippet: topic/name' line"
        )


@dataclass(frozen=True)
class Planned:
    """What harvest does with one candidate: ``new``, ``updated`` (version bumped), ``same``."""

    candidate: Candidate
    path: Path
    action: str
    version: int


def _plan(candidate: Candidate, path: Path, force: bool) -> Planned:
    """Decide what to write for ``candidate`` at ``path`` (raise when it needs --force)."""
    if not path.exists():
        return Planned(candidate, path, "new", 1)
    try:
        existing = parse_snippet_file(path, candidate.name, origin="personal")
    except MalformedSnippetError:
        existing = None
    version = existing.version if existing is not None else 0
    if existing is not None and same_code(set_version(candidate.text, version), existing.source):
        return Planned(candidate, path, "same", version)
    if not force:
        raise UsageError(
            f"{path}: snippet {candidate.name!r} exists (v{version}) with other code; use "
            f"--force to write cell {candidate.cell_index + 1} as v{version + 1}"
        )
    return Planned(candidate, path, "updated", version + 1)


def harvest(
    notebook: Path,
    *,
    directory: Path | None = None,
    prefix: str = "harvested",
    force: bool = False,
    dry_run: bool = False,
) -> list[Planned]:
    """Write every candidate of ``notebook`` into the personal library (or ``directory``).

    A snippet harvested again with changed code is written as the next version (with
    ``force``); unchanged code is left as it is.
    """
    candidates = find_candidates(notebook, prefix=prefix)
    # Check every destination before writing anything: all or nothing.
    planned = [_plan(c, destination(c.name, directory, force=True), force) for c in candidates]
    if not dry_run:
        for plan in planned:
            if plan.action == "same":
                continue
            plan.path.parent.mkdir(parents=True, exist_ok=True)
            write_source(plan.path, set_version(plan.candidate.text, plan.version))
    return planned
