"""``toolkit snippet status``: find stamped copies and say how each relates to base and library.

States: ``untouched`` (copy == base, library unchanged), ``modified`` (you edited the copy),
``outdated`` (the library has a newer version), ``both`` (modified and outdated), ``diverged``
(marked as an intentional departure), ``conflict`` (unresolved update markers), ``orphan`` (the
library no longer has the snippet), ``no-receipt`` (the base is missing from ``.toolkit/``),
``ahead`` (the copy's version is newer than the library in use has: promoted in a personal
library that is not configured here) and ``foreign`` (the copy came from another library, or
the library in use has different code under the same version). ``ahead`` and ``foreign`` copies
are never updated: that would replace code the library in use does not know. Each receipt
records which library the copy came from, and status says so. Formatting-only differences (see
``toolkit.snippets.stamp.normalise``) never count.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.snippets.library import Library
    >>> from toolkit.snippets.insert import add_snippet
    >>> lib_root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (lib_root / "hi.py").write_text("'''Say hi.'''\\nprint('hi')\\n")
    >>> lib = Library.from_roots([(lib_root, "personal")], use_cache=False)
    >>> project = pathlib.Path(tempfile.mkdtemp())
    >>> copy = add_snippet(lib.get("hi"), to=project)
    >>> [c.state for c in scan(project, lib)]
    ['untouched']
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ToolkitError, UsageError
from toolkit.snippets.library import Library
from toolkit.snippets.model import Snippet, validate_name
from toolkit.snippets.place import split_snippet
from toolkit.snippets.receipts import ReceiptStore, provenance
from toolkit.snippets.stamp import Block, content_hash, find_blocks, read_source, same_code

_SKIP_DIRS = {".git", ".toolkit", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


@dataclass(frozen=True)
class CopyStatus:
    """One stamped copy: where it is, its state, and the texts needed to diff or merge it."""

    path: Path
    block: Block
    state: str
    base: str | None
    library: Snippet | None
    origin: dict[str, object] | None = None
    cell: int | None = None

    @property
    def where(self) -> str:
        """``FILE:LINE``, or ``NOTEBOOK[cell N]:LINE`` for a copy in a notebook cell."""
        cell = f"[cell {self.cell + 1}]" if self.cell is not None else ""
        return f"{self.path}{cell}:{self.block.start + 1}"

    @property
    def modified(self) -> bool:
        """The copy differs from its base beyond formatting."""
        return self.base is not None and not same_code(self.view(self.base), self.block.body)

    @property
    def outdated(self) -> bool:
        """The library holds a different (non-formatting) version than the base."""
        if self.library is None:
            return False
        if content_hash(_with_newline(self.library.source)) == self.block.digest:
            return False
        return self.base is None or not same_code(self.base, self.library.source)

    @property
    def came_from(self) -> str | None:
        """The library the copy was taken from (``built-in``, ``~/snippets``), when recorded."""
        return str(self.origin["library"]) if self.origin and "library" in self.origin else None

    def view(self, text: str) -> str:
        """How ``text`` (a whole snippet) looks between this copy's markers."""
        return hoisted_body(text) if self.block.hoisted else text

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "path": str(self.path),
            "line": self.block.start + 1,
            "cell": self.cell + 1 if self.cell is not None else None,
            "name": self.block.name,
            "version": self.block.version,
            "library_version": self.library.version if self.library else None,
            "library": provenance(self.library)["library"] if self.library else None,
            "came_from": self.came_from,
            "state": self.state,
        }


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def hoisted_body(text: str) -> str:
    """The code of snippet ``text`` without its docstring and leading imports."""
    try:
        return split_snippet(text).body
    except SyntaxError:
        return text


def _unknown_to_library(block: Block, snippet: Snippet, origin: dict[str, object] | None) -> str:
    """``ahead``/``foreign`` when the library in use cannot be the source of the copy, else ''."""
    if block.version > snippet.version:
        return "ahead"
    recorded = origin.get("library") if origin else None
    if block.version == snippet.version or (
        recorded is not None and recorded != provenance(snippet)["library"]
    ):
        return "foreign"
    return ""


def classify(
    path: Path, block: Block, library: Library, store: ReceiptStore, *, cell: int | None = None
) -> CopyStatus:
    """The status of one stamped ``block`` in ``path``; UsageError for an invalid stamp."""
    try:
        validate_name(block.name)
    except ToolkitError as exc:
        where = f"{path}[cell {cell + 1}]" if cell is not None else str(path)
        raise UsageError(f"{where}:{block.start + 1}: bad stamp: {exc}") from None
    base = store.load(block.name, block.digest)
    origin = store.origin(block.name, block.digest)
    snippet = library.snippets.get(block.name)
    probe = CopyStatus(path, block, "", base, snippet, origin)
    unknown = ""
    if snippet is not None and base is not None and probe.outdated:
        unknown = _unknown_to_library(block, snippet, origin)
    if block.has_conflict_markers:
        state = "conflict"
    elif block.diverged:
        state = "diverged"
    elif base is None:
        state = "no-receipt"
    elif snippet is None:
        state = "orphan-modified" if probe.modified else "orphan"
    elif unknown:
        state = f"{unknown}-modified" if probe.modified else unknown
    elif probe.modified and probe.outdated:
        state = "both"
    elif probe.modified:
        state = "modified"
    elif probe.outdated:
        state = "outdated"
    else:
        state = "untouched"
    return CopyStatus(path, block, state, base, snippet, origin, cell)


def iter_python_files(path: Path) -> Iterator[Path]:
    """``path`` itself, or every ``.py`` and ``.ipynb`` file below it (skipping venvs, .git,
    .toolkit and notebook checkpoints)."""
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        raise UsageError(f"{path}: no such file or directory")
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for filename in sorted(filenames):
            if filename.endswith((".py", ".ipynb")):
                yield Path(dirpath) / filename


def stamped_texts(file: Path) -> list[tuple[int | None, str]]:
    """``(cell, text)`` of each part of ``file`` holding a stamp: the file, or notebook cells.

    An unreadable file gives nothing (it cannot hold a copy anyone could run).
    """
    if file.suffix != ".ipynb":
        try:
            text, _ = read_source(file)
        except ToolkitError:
            return []
        return [(None, text)] if "# >>> snippet " in text else []
    from toolkit.notebooks.io import cell_source, read_notebook

    try:
        nb, _ = read_notebook(file)
    except ToolkitError:
        return []
    cells = nb.get("cells", [])
    return [
        (index, cell_source(cell))
        for index, cell in enumerate(cells if isinstance(cells, list) else [])
        if isinstance(cell, dict)
        and cell.get("cell_type") == "code"
        and "# >>> snippet " in cell_source(cell)
    ]


def scan(
    path: Path, library: Library, *, errors: list[ToolkitError] | None = None
) -> list[CopyStatus]:
    """Every stamped copy under ``path`` with its state.

    A file with broken markers raises ToolkitError, or, when ``errors`` is a list, is recorded
    there and skipped so one bad file does not hide the other copies.
    """
    results: list[CopyStatus] = []
    stores: dict[Path, ReceiptStore] = {}
    for file in iter_python_files(path):
        for cell, text in stamped_texts(file):
            store = stores.setdefault(file.parent, ReceiptStore.for_path(file))
            where = f"{file}[cell {cell + 1}]" if cell is not None else str(file)
            try:
                blocks = find_blocks(text, where=where)
            except ToolkitError as exc:
                if errors is None:
                    raise
                errors.append(exc)
                continue
            for block in blocks:
                try:
                    results.append(classify(file, block, library, store, cell=cell))
                except ToolkitError as exc:
                    if errors is None:
                        raise
                    errors.append(exc)
    return results
