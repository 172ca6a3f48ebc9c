"""``toolkit reuse scan``: index, find clone classes, link them to the library, count the reuse.

The figures, per project and overall:

- *library lines*: lines of code inside stamped snippet copies (reuse that already pays back);
- *copies by state*: the stamped copies, untouched / modified / outdated …;
- *matched lines*: lines in clone classes that hold a library snippet or a stamped copy
  (copies of library code, with or without provenance);
- *repeated lines*: lines in clone classes that no library snippet holds (every copy counted):
  the work still done twice;
- *could save*: the lines one shared definition per class would save (all copies but one);
- *reuse share*: library lines / (library lines + repeated lines).

Lines are lines of code: blank lines, comments, docstrings and imports do not count.

Example:
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> body = "".join(f"    total = total + values[{i}] * {i}\\n" for i in range(8))
    >>> for name in ("a", "b"):
    ...     (root / name).mkdir()
    ...     _ = (root / name / "pyproject.toml").write_text("")
    ...     _ = (root / name / "m.py").write_text(f"def f(values):\\n    total = 0\\n{body}")
    >>> report = scan([root], cache_path=None, library=Library())
    >>> [(c.kind, len(c.members), c.lines) for c in report.classes]
    [('exact', 2, 10)]
    >>> report.overall.repeated_lines, report.overall.could_save
    (20, 10)
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.reuse.clones import ALGORITHM, CloneClass, Member, find_clones
from toolkit.reuse.index import Cache, Index, IndexedUnit, build_index, default_cache_path
from toolkit.reuse.provenance import (
    LIBRARY_PROJECT,
    Provenance,
    advice,
    find_stamped,
    library_units,
)
from toolkit.reuse.sources import Discovery, discover
from toolkit.snippets.library import Library

_STORE_VERSION = 1


@dataclass
class Figures:
    """Reuse figures of one project (or all of them)."""

    files: int = 0
    lines: int = 0
    library_lines: int = 0
    copies: Counter[str] = field(default_factory=Counter)
    matched_lines: int = 0
    repeated_lines: int = 0
    could_save: int = 0

    @property
    def reuse_share(self) -> float | None:
        """Library lines as a share of library plus repeated lines (None when both are 0)."""
        total = self.library_lines + self.repeated_lines
        return self.library_lines / total if total else None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready figures."""
        share = self.reuse_share
        return {
            "files": self.files,
            "lines": self.lines,
            "library_lines": self.library_lines,
            "copies": dict(sorted(self.copies.items())),
            "matched_lines": self.matched_lines,
            "repeated_lines": self.repeated_lines,
            "could_save": self.could_save,
            "reuse_share": None if share is None else round(share, 3),
        }


@dataclass
class ScanReport:
    """What a scan found: the index's counts, the classes with advice, and the figures."""

    index: Index
    classes: list[CloneClass]
    advice: list[list[str]]
    provenance: Provenance
    projects: dict[str, Figures]
    overall: Figures
    min_lines: int


def _kept_lines_between(unit: IndexedUnit, first: int, last: int) -> int:
    numbers = unit.numbers
    return bisect.bisect_right(numbers, last) - bisect.bisect_left(numbers, first)


def project_figures(
    units: Sequence[IndexedUnit], classes: Sequence[CloneClass], prov: Provenance
) -> dict[str, Figures]:
    """The figures of each project (see the module docstring) — the one place that decides
    which lines are reuse and which are repeated work; ``history`` counts its months with it.

    A class is reuse when a copy of it is a library snippet or a stamped copy: its other copies
    are *matched* lines (copies of library code, with or without provenance). Every copy of any
    other class is *repeated*, and all copies but the longest *could be saved*.
    """
    projects: dict[str, Figures] = {}
    seen_files: dict[str, set[Path]] = {}
    for unit in units:
        project = unit.file.project
        fig = projects.setdefault(project, Figures())
        seen_files.setdefault(project, set()).add(unit.file.path)
        fig.lines += len(unit.numbers)
        for copy in prov.copies.get((unit.file.path, unit.cell), []):
            fig.library_lines += _kept_lines_between(unit, copy.first_line, copy.last_line)
            fig.copies[copy.status.state] += 1
    for project, files in seen_files.items():
        projects[project].files = len(files)
    for cls in classes:
        held = [bool(prov.snippet_of(m)) for m in cls.members]
        if any(held) or any(prov.copies_in(m) for m in cls.members):
            for member, in_library in zip(cls.members, held, strict=True):
                if not in_library:
                    projects[member.unit.file.project].matched_lines += member.lines
            continue
        for member in cls.members:
            projects[member.unit.file.project].repeated_lines += member.lines
        longest = max(cls.members, key=lambda m: m.lines)
        for member in cls.members:
            if member is not longest:
                projects[member.unit.file.project].could_save += member.lines
    return projects


def _overall(projects: dict[str, Figures]) -> Figures:
    total = Figures()
    for fig in projects.values():
        total.files += fig.files
        total.lines += fig.lines
        total.library_lines += fig.library_lines
        total.copies.update(fig.copies)
        total.matched_lines += fig.matched_lines
        total.repeated_lines += fig.repeated_lines
        total.could_save += fig.could_save
    return total


def scan(
    paths: Sequence[Path],
    *,
    min_lines: int = 6,
    library: Library | None = None,
    cache_path: Path | None = default_cache_path(),  # noqa: B008 - a path, computed once
    progress: Callable[[int], None] | None = None,
    found: Discovery | None = None,
) -> ScanReport:
    """Scan ``paths`` (see the module docstring); ``library`` defaults to the one in use."""
    if library is None:
        from toolkit.snippets.library import load_library

        library = load_library()
    found = found if found is not None else discover(list(paths))
    cache = Cache(cache_path)
    index = build_index(found, cache, progress=progress)
    lib_files, lib_names = library_units(library)
    lib_index = build_index(Discovery(files=lib_files), cache)
    cache.save()
    units = [*index.units, *lib_index.units]
    key = search_key([index, lib_index], min_lines)
    classes = [c for c in _clones(units, key, min_lines, cache_path) if _user_code(c)]
    prov = find_stamped(index.units, library)
    prov.library_units = {(u.file.path, u.cell): lib_names[u.file.path] for u in lib_index.units}
    projects = project_figures(index.units, classes, prov)
    projects.pop(LIBRARY_PROJECT, None)
    return ScanReport(
        index=index,
        classes=classes,
        advice=[advice(c, prov) for c in classes],
        provenance=prov,
        projects=dict(sorted(projects.items())),
        overall=_overall(projects),
        min_lines=min_lines,
    )


_KEPT_SEARCHES = 4  # remembered clone searches (scanning a few different trees in turn)


def search_key(indexes: Sequence[Index], min_lines: int) -> str:
    """What a clone search depends on: the files in order (path, project, content digest) and
    the options. Units follow from the content, so equal keys mean equal searches."""
    digest = hashlib.blake2b(f"{ALGORITHM}:{min_lines}".encode(), digest_size=16)
    for index in indexes:
        for path, project, content in index.digests:
            digest.update(f"\0{path}\0{project}\0".encode())
            digest.update(content)
    return digest.hexdigest()


def _clones(
    units: Sequence[IndexedUnit], key: str, min_lines: int, cache_path: Path | None
) -> list[CloneClass]:
    """``find_clones``, remembered by ``search_key``: an unchanged rescan answers from the store
    without searching again (the search is most of what a scan of known files costs)."""
    if cache_path is None:
        return find_clones(units, min_lines=min_lines)
    store = cache_path.with_name("reuse-clones.pickle")
    saved: dict[str, list[tuple[str, float, list[tuple[int, int, int]]]]] = {}
    with contextlib.suppress(OSError, pickle.UnpicklingError, ValueError, EOFError, TypeError):
        loaded = pickle.loads(store.read_bytes())
        if isinstance(loaded, dict) and loaded.get("version") == _STORE_VERSION:
            saved = loaded["searches"]
    if key in saved:
        return [
            CloneClass(kind, similarity, tuple(Member(units[u], s, e) for u, s, e in members))
            for kind, similarity, members in saved[key]
        ]
    classes = find_clones(units, min_lines=min_lines)
    position = {id(unit): n for n, unit in enumerate(units)}
    saved[key] = [
        (c.kind, c.similarity, [(position[id(m.unit)], m.start, m.end) for m in c.members])
        for c in classes
    ]
    kept = dict(list(saved.items())[-_KEPT_SEARCHES:])
    with contextlib.suppress(OSError):
        from toolkit._io import atomic_write_bytes

        store.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": _STORE_VERSION, "searches": kept}
        atomic_write_bytes(store, pickle.dumps(payload, protocol=5))
    return classes


def _user_code(cls: CloneClass) -> bool:
    """A class of the user's: at least one copy outside the library itself."""
    return any(m.unit.file.project != LIBRARY_PROJECT for m in cls.members)
