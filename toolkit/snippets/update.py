"""``toolkit snippet update``: bring stamped copies up to the library version by 3-way merge.

For each outdated block: copies identical to their base are replaced by the library version;
all others (even ones only reformatted, so the formatting survives) are merged (base, your copy,
library) block by block. Conflicts are written as diff3 markers and counted; the stamp then
records the new library version so, once resolved, the copy is "modified" against the new base.
Diverged copies are skipped. Each file is written atomically.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.snippets.library import Library
    >>> from toolkit.snippets.insert import add_snippet
    >>> lib_root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (lib_root / "hi.py").write_text("'''Say hi.'''\\nprint('hi')\\n")
    >>> copy = add_snippet(Library.from_roots([(lib_root, "p")], use_cache=False).get("hi"),
    ...                    to=pathlib.Path(tempfile.mkdtemp()))
    >>> _ = (lib_root / "hi.py").write_text("'''Say hi.\\n\\nversion: 2\\n'''\\nprint('hello')\\n")
    >>> new_lib = Library.from_roots([(lib_root, "p")], use_cache=False)
    >>> [r.action for r in update_path(copy, new_lib)]
    ['updated']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit._io import file_state
from toolkit.errors import ToolkitError, UsageError
from toolkit.snippets.imports import Atom, ImportContext, add_imports, remove_unused_import
from toolkit.snippets.library import Library
from toolkit.snippets.merge import merge_text
from toolkit.snippets.place import split_snippet
from toolkit.snippets.receipts import ReceiptStore, provenance
from toolkit.snippets.stamp import (
    content_hash,
    find_blocks,
    read_source,
    render_block,
    replace_block,
    start_marker,
    write_source,
)
from toolkit.snippets.status import (
    CopyStatus,
    classify,
    iter_python_files,
    stamped_texts,
)


@dataclass(frozen=True)
class UpdateResult:
    """One block's outcome: ``updated``/``merged``/``conflict``/``skipped``/``current``."""

    path: Path
    name: str
    action: str
    detail: str = ""
    conflicts: int = 0


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


_SKIP_REASONS = {
    "diverged": "marked as diverged",
    "conflict": "resolve the conflict markers first",
    "orphan": "no longer in the library",
    "orphan-modified": "no longer in the library",
}


def _skip_reason(copy: CopyStatus, store: ReceiptStore) -> str:
    """Why ``copy`` is left alone ('' when it can be updated)."""
    state, block = copy.state, copy.block
    if state in _SKIP_REASONS:
        return _SKIP_REASONS[state]
    if state == "no-receipt":
        return f"base {block.digest} missing from {store.directory}"
    if state.startswith(("ahead", "foreign")) and copy.library is not None:
        source = f"it came from {copy.came_from}" if copy.came_from else "its source is unknown"
        in_use = provenance(copy.library)["library"]
        relation = "newer than" if state.startswith("ahead") else "not from"
        return (
            f"v{block.version} is {relation} the library in use ({in_use} v"
            f"{copy.library.version}); {source}: configure that library to update it"
        )
    return ""


def _update_block(copy: CopyStatus, store: ReceiptStore) -> tuple[str, UpdateResult, set[Atom]]:
    """The new block text for an outdated ``copy``, its result, and imports it now needs."""
    block = copy.block
    assert copy.library is not None and copy.base is not None
    upstream = _with_newline(copy.library.source)
    new_version = copy.library.version
    mine = block.code
    base, theirs = copy.view(copy.base), copy.view(upstream)
    if copy.state == "outdated" and mine.rstrip("\n") == base.rstrip("\n"):
        merged, conflicts, action = theirs, 0, "updated"
    else:
        merge = merge_text(
            base,
            mine,
            theirs,
            mine_label="your copy",
            base_label=f"base v{block.version}",
            theirs_label=f"library v{new_version}",
        )
        merged, conflicts = merge.text, merge.conflicts
        action = "conflict" if conflicts else "merged"
    store.save(block.name, upstream, source=copy.library)
    # The stamp's hash names the new base (the library text), not the merged copy.
    new_block = render_block(
        block.name, new_version, merged, digest=content_hash(upstream), flags=block.flags
    )
    detail = f"v{block.version} -> v{new_version}"
    imports: set[Atom] = set()
    if block.hoisted:
        imports = set(split_snippet(upstream).imports) - set(split_snippet(copy.base).imports)
    return new_block, UpdateResult(copy.path, block.name, action, detail, conflicts), imports


def update_file(
    path: Path, library: Library, *, names: set[str] | None = None
) -> list[UpdateResult]:
    """Update every (or every named) stamped block in ``path``; write once, atomically."""
    if path.suffix == ".ipynb":
        return update_notebook(path, library, names=names)
    state = file_state(path)  # an edit saved while we merge is not overwritten
    text, newline = read_source(path)
    new_text, results = update_text(text, path, library, names=names)
    if any(r.action in {"updated", "merged", "conflict"} for r in results):
        write_source(path, new_text, newline, expect=state)
    return results


def update_notebook(
    path: Path, library: Library, *, names: set[str] | None = None
) -> list[UpdateResult]:
    """Update stamped copies in a notebook's code cells; the rest of the file is kept as is."""
    from toolkit.notebooks.io import cell_source, read_notebook, write_notebook

    nb, style = read_notebook(path)
    results: list[UpdateResult] = []
    changed = False
    for index, cell in enumerate(nb.get("cells", [])):
        text = cell_source(cell)
        if cell.get("cell_type") != "code" or "# >>> snippet " not in text:
            continue
        new_text, cell_results = update_text(text, path, library, names=names, cell=index)
        results += cell_results
        if new_text != text:
            lines = new_text.splitlines(keepends=True)
            cell["source"] = lines if isinstance(cell.get("source"), list) else new_text
            changed = True
    if changed:
        write_notebook(path, nb, style)
    return results


def update_text(
    text: str,
    path: Path,
    library: Library,
    *,
    names: set[str] | None = None,
    cell: int | None = None,
) -> tuple[str, list[UpdateResult]]:
    """``text`` (a module or a notebook cell of ``path``) with its stamped blocks updated."""
    store = ReceiptStore.for_path(path)
    where = f"{path}[cell {cell + 1}]" if cell is not None else str(path)
    results: list[UpdateResult] = []
    dropped: set[Atom] = set()
    needed: list[Atom] = []
    # Bottom-up so earlier blocks' line numbers stay valid while we replace later ones.
    for block in reversed(find_blocks(text, where=where)):
        if names is not None and block.name not in names:
            continue
        copy = classify(path, block, library, store, cell=cell)
        if copy.state in {"untouched", "modified"}:
            results.append(UpdateResult(path, block.name, "current"))
            continue
        why = _skip_reason(copy, store)
        if why:
            results.append(UpdateResult(path, block.name, "skipped", why))
            continue
        new_block, result, imports = _update_block(copy, store)
        text = replace_block(text, block, new_block)
        results.append(result)
        needed += sorted(imports)
        if block.hoisted and copy.base is not None and copy.library is not None:
            old = set(split_snippet(copy.base).imports)
            dropped |= old - set(split_snippet(_with_newline(copy.library.source)).imports)
    if needed or dropped:
        context = ImportContext.for_file(path, store.root)
        text = add_imports(text, needed, context)
        for atom in sorted(dropped):
            text = remove_unused_import(text, atom, context)
    return text, list(reversed(results))


def update_path(
    path: Path,
    library: Library,
    *,
    names: set[str] | None = None,
    errors: list[ToolkitError] | None = None,
) -> list[UpdateResult]:
    """Update stamped copies in ``path`` (a file, or every ``.py`` file below a directory).

    A file whose markers or stamps are broken raises ToolkitError, or, when ``errors`` is a
    list, is recorded there, left untouched, and the other files are still updated.
    """
    results: list[UpdateResult] = []
    for file in iter_python_files(path):
        if not stamped_texts(file):
            continue
        try:
            results += update_file(file, library, names=names)
        except ToolkitError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return results


def set_diverged(path: Path, *, name: str | None = None, diverged: bool = True) -> list[str]:
    """Mark (or unmark) stamped blocks in ``path`` as intentionally diverged; return their names."""
    state = file_state(path)
    text, newline = read_source(path)
    blocks = [b for b in find_blocks(text, where=str(path)) if name is None or b.name == name]
    if not blocks:
        what = f"snippet {name!r}" if name else "stamped snippet"
        raise UsageError(f"{path}: no {what} found")
    lines = text.split("\n")
    for block in blocks:
        lines[block.start] = start_marker(
            block.name, block.version, block.digest, diverged=diverged, flags=block.flags
        )
    write_source(path, "\n".join(lines), newline, expect=state)
    return [b.name for b in blocks]
