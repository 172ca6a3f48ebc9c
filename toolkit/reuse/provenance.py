"""Tie clone classes to the snippet library: stamped copies, copies without provenance, promotions.

Three things a class can say:

- it holds stamped snippet copies: their state (untouched / modified / outdated …) as
  ``toolkit snippet status`` decides it;
- it matches a library snippet but a copy carries no stamp: ``copy of cv/nms without provenance:
  toolkit snippet adopt FILE``;
- it stands in two or more projects and no snippet has it: the ``toolkit snippet new
  FILE:FUNCTION --name …`` command that would promote it.

Example:
    >>> suggest_name("src/churn/features.py", "add_calendar_features")
    'churn/add_calendar_features'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.reuse.clones import CloneClass, Member
from toolkit.reuse.index import IndexedUnit
from toolkit.reuse.sources import SourceFile, UnitTexts
from toolkit.snippets.library import Library
from toolkit.snippets.receipts import ReceiptStore
from toolkit.snippets.stamp import find_blocks
from toolkit.snippets.status import CopyStatus, classify

LIBRARY_PROJECT = "(snippet library)"


@dataclass(frozen=True)
class StampedCopy:
    """A stamped copy found in a scanned unit: its status and the unit lines it covers."""

    status: CopyStatus
    file: SourceFile
    cell: int
    first_line: int  # 1-based, body only (markers excluded)
    last_line: int


@dataclass
class Provenance:
    """Stamped copies by unit, library snippets by unit, and the skipped stamp errors."""

    copies: dict[tuple[Path, int], list[StampedCopy]] = field(default_factory=dict)
    library_units: dict[tuple[Path, int], str] = field(default_factory=dict)  # → snippet name
    errors: list[str] = field(default_factory=list)

    def copies_in(self, member: Member) -> list[StampedCopy]:
        """Stamped copies that cover at least half of ``member``."""
        key = (member.unit.file.path, member.unit.cell)
        out = []
        for copy in self.copies.get(key, []):
            overlap = min(copy.last_line, member.last_line) - max(
                copy.first_line, member.first_line
            )
            if overlap + 1 >= (member.last_line - member.first_line + 1) / 2:
                out.append(copy)
        return out

    def snippet_of(self, member: Member) -> str | None:
        """The library snippet ``member`` is part of, if it lies in the library itself."""
        return self.library_units.get((member.unit.file.path, member.unit.cell))


def library_units(library: Library) -> tuple[list[SourceFile], dict[Path, str]]:
    """The library's snippet files as sources of their own project, and path → snippet name."""
    files, names = [], {}
    for snippet in library:
        if snippet.path is None:
            continue
        path = Path(snippet.path).resolve()
        files.append(SourceFile(path, path.parent, LIBRARY_PROJECT))
        names[path] = snippet.name
    return files, names


def find_stamped(units: Sequence[IndexedUnit], library: Library) -> Provenance:
    """Every stamped copy in ``units`` with its state; a unit with broken markers is reported.

    Only units the index saw a stamp in are read again, so a rescan stays cheap.
    """
    found = Provenance()
    stores: dict[Path, ReceiptStore] = {}
    texts = UnitTexts()
    for unit in units:
        if not unit.stamped:
            continue
        path = unit.file.path
        text = texts.text(unit.file, unit.cell)
        where = unit.file.relpath + (f" cell {unit.cell}" if unit.cell >= 0 else "")
        try:
            blocks = find_blocks(text, where=where)
        except ToolkitError as exc:
            found.errors.append(str(exc))
            continue
        store = stores.setdefault(path.parent, ReceiptStore.for_path(path))
        for block in blocks:
            try:
                status = classify(path, block, library, store)
            except (ToolkitError, ValueError) as exc:
                found.errors.append(f"{where}:{block.start + 1}: {exc}")
                continue
            found.copies.setdefault((path, unit.cell), []).append(
                StampedCopy(status, unit.file, unit.cell, block.start + 2, block.end)
            )
    return found


_TOP_LEVEL_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)|class[ \t]+(\w+)")


def enclosing_function(path: Path, line: int) -> str | None:
    """The top-level function or class of a ``.py`` file that contains ``line``, if any.

    Read from the text, not parsed: walking up from ``line`` to the nearest line that starts in
    column 0 is enough, and parsing every large file a class touches would cost seconds.

    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "m.py"
    >>> code = "import os\\n\\n@cache\\ndef load(p):\\n    x = 1\\n\\n    return x\\n"
    >>> _ = f.write_text(code + "y = 2\\n")
    >>> enclosing_function(f, 7), enclosing_function(f, 8)
    ('load', None)
    """
    lines = _lines(path)
    for text in reversed(lines[:line]):
        if not text or text[0] in " \t#)]}" or text.startswith(("@", '"""', "'''")):
            continue
        match = _TOP_LEVEL_DEF.match(text)
        return (match.group(1) or match.group(2)) if match else None
    return None


@lru_cache(maxsize=64)
def _lines(path: Path) -> list[str]:
    if path.suffix != ".py":
        return []
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def suggest_name(relpath: str, function: str) -> str:
    """A library name for a promoted function: the file's package (or folder) and the function."""
    parts = [p for p in Path(relpath).parent.parts if p not in ("src", ".", "")]
    topic = parts[-1] if parts else Path(relpath).stem
    return f"{topic}/{function}"


def advice(cls: CloneClass, prov: Provenance) -> list[str]:
    """What to do about one class, one line each (empty when nothing is to be done)."""
    snippets = {n for m in cls.members if (n := prov.snippet_of(m))}
    stamped = {id(m): prov.copies_in(m) for m in cls.members}
    names = snippets | {c.status.block.name for cs in stamped.values() for c in cs}
    lines = []
    if names:
        name = sorted(names)[0]
        for member in cls.members:
            if prov.snippet_of(member) or stamped[id(member)]:
                continue
            lines.append(
                f"copy of {name} without provenance: `toolkit snippet adopt "
                f"{member.unit.file.path} --name {name}`"
            )
        return lines
    projects = cls.projects
    if len(projects) >= 2:
        for member in cls.members:
            function = enclosing_function(member.unit.file.path, member.first_line)
            if function:
                spec = f"{member.unit.file.path}:{function}"
                return [
                    f"in {len(projects)} projects, not in the library: `toolkit snippet new "
                    f"{spec} --name {suggest_name(member.unit.file.relpath, function)}`"
                ]
        first = cls.members[0]
        return [
            f"in {len(projects)} projects, not in the library: move lines "
            f"{first.first_line}-{first.last_line} of {first.unit.file.relpath} into a function, "
            "then `toolkit snippet new FILE:FUNCTION`"
        ]
    return lines
