"""Decide, file by file, what an update does: base -> project (yours) and base -> new (template).

Pure decisions on three :class:`~toolkit.scaffold.snapshot.Snapshot` s and a rename map; nothing
here touches the disk. The rules, for a file at base path B that the template now has at N (the
same path, a declared or detected rename, or a path named after a changed answer):

=====================  ==========================  ==========================================
yours                  template                    result
=====================  ==========================  ==========================================
unchanged              changed / renamed           take the template's (at N)
changed                unchanged / renamed         keep yours (moved to N: edits follow it)
changed                changed                     3-way merge; overlapping edits -> markers
deleted                unchanged                   stays deleted
deleted                changed                     conflict: stays deleted, reported
changed                deleted                     conflict: yours kept, reported
unchanged              deleted                     deleted
binary, both changed   -                           conflict: yours kept, reported
absent in base, both added, different              merge with an empty base -> markers
=====================  ==========================  ==========================================

The executable bit follows the same rule: yours if you changed it, else the template's.

Example:
    >>> from toolkit.scaffold.snapshot import FileEntry as F, Snapshot as S
    >>> base, new = S({"a.py": F(b"x = 1\\n")}), S({"a.py": F(b"x = 2\\n")})
    >>> [(c.path, c.kind) for c in plan_update(base, base, new).changes]
    [('a.py', 'update')]
"""

from __future__ import annotations

import difflib
import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.scaffold.snapshot import FileEntry, Snapshot

# Undeclared renames: a base-only and a new-only file at least this similar are one file moved.
SIMILARITY = 0.6


@dataclass(frozen=True)
class Change:
    """One planned change: write ``entry`` at ``path`` (``None``: delete), or report only."""

    path: str
    kind: str  # add, update, merge, delete, rename, conflict, keep
    entry: FileEntry | None = None
    old_path: str | None = None  # a rename's former path (removed when written)
    conflict: bool = False
    message: str = ""
    writes: bool = True  # False: reported only, the file stays as it is

    def to_dict(self) -> dict[str, object]:
        """JSON form for ``--json``."""
        return {
            "path": self.path,
            "kind": self.kind,
            "old_path": self.old_path,
            "conflict": self.conflict,
            "message": self.message,
        }


@dataclass
class Plan:
    """Every change of an update, and the renames it followed."""

    changes: list[Change] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[Change]:
        """The changes that need a person."""
        return [c for c in self.changes if c.conflict]


def find_renames(
    base: Snapshot, new: Snapshot, declared: Mapping[str, str], threshold: float = SIMILARITY
) -> dict[str, str]:
    """Base path -> new path: the declared renames, then similar base-only/new-only text files.

    >>> from toolkit.scaffold.snapshot import FileEntry as F, Snapshot as S
    >>> body = b"".join(b"line %d\\n" % i for i in range(20))
    >>> find_renames(S({"a.py": F(body)}), S({"b.py": F(body + b"more\\n")}), {})
    {'a.py': 'b.py'}
    """
    renames = {
        old: target
        for old, target in declared.items()
        if old in base.files and target in new.files and old != target
    }
    gone = [p for p in base.files if p not in new.files and p not in renames]
    claimed = set(renames.values())
    arrived = [p for p in new.files if p not in base.files and p not in claimed]
    scored = []
    for old in gone:
        if not base.files[old].is_text:
            continue
        for target in arrived:
            if not new.files[target].is_text:
                continue
            matcher = difflib.SequenceMatcher(
                None,
                base.files[old].data.decode().splitlines(),
                new.files[target].data.decode().splitlines(),
                autojunk=False,
            )
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    scored.append((ratio, old, target))
    for _ratio, old, target in sorted(scored, reverse=True):
        if old not in renames and target not in claimed:
            renames[old] = target
            claimed.add(target)
    return renames


def merge_file(mine: bytes, base: bytes, theirs: bytes, *, path: str) -> tuple[bytes, int]:
    """``git merge-file --diff3`` of three texts: (merged bytes, number of conflict regions)."""
    with tempfile.TemporaryDirectory(prefix="toolkit-merge-") as scratch:
        names = []
        for label, data in (("yours", mine), ("base", base), ("template", theirs)):
            name = os.path.join(scratch, label)
            Path(name).write_bytes(data)
            names.append(name)
        labels = [f"yours:{path}", "base (last template version)", f"template:{path}"]
        command = ["git", "merge-file", "-p", "--diff3"]
        for label in labels:
            command += ["-L", label]
        result = subprocess.run([*command, *names], capture_output=True)
    if result.returncode < 0 or result.returncode > 127:
        raise RuntimeError(f"git merge-file failed on {path}: {result.stderr.decode()}")
    return result.stdout, result.returncode


def _executable(ours: FileEntry, base: FileEntry | None, new: FileEntry) -> bool:
    if base is not None and ours.executable != base.executable:
        return ours.executable
    return new.executable


def _both_changed(
    path: str, ours: FileEntry, base: FileEntry | None, new: FileEntry, old_path: str | None
) -> Change:
    """A file that differs from the base on both sides (or was added on both)."""
    executable = _executable(ours, base, new)
    if not (ours.is_text and new.is_text and (base is None or base.is_text)):
        return Change(
            path,
            "conflict",
            None,
            old_path,
            True,
            "binary file changed by you and by the template; yours is kept, the template's "
            "version is in .toolkit/template-base.json",
            writes=False,
        )
    merged, conflicts = merge_file(ours.data, base.data if base else b"", new.data, path=path)
    what = "added by you and by the template" if base is None else "changed by you and the template"
    if conflicts:
        message = f"{what}: {conflicts} conflicting region(s) marked inline"
        return Change(path, "merge", FileEntry(merged, executable), old_path, True, message)
    return Change(path, "merge", FileEntry(merged, executable), old_path, False, "merged cleanly")


def _plan_tracked(
    path: str, new_path: str | None, base: FileEntry, ours: Mapping[str, FileEntry], new: Snapshot
) -> Change | None:
    """A file of the base: kept, updated, merged, moved or deleted."""
    mine = ours.get(path)
    theirs = new.files.get(new_path) if new_path else None
    moved = new_path is not None and new_path != path
    old = path if moved else None
    where = new_path or path
    if theirs is None:  # the template deleted it
        if mine is None:
            return None
        if mine == base:
            return Change(path, "delete", None, message="deleted by the template")
        return Change(
            path,
            "conflict",
            conflict=True,
            writes=False,
            message="the template deleted this file, which you changed; yours is kept",
        )
    if mine is None:  # you deleted it
        if theirs.data == base.data:
            return None
        return Change(
            where,
            "conflict",
            conflict=True,
            writes=False,
            message="you deleted this file, which the template changed; it stays deleted "
            "(the template's version is in .toolkit/template-base.json)",
        )
    if moved and new_path in ours:
        return Change(
            where,
            "conflict",
            conflict=True,
            writes=False,
            old_path=path,
            message=f"the template renamed {path} to {new_path}, which you already have; "
            "both kept as they are",
        )
    if mine == base:
        if theirs == base and not moved:
            return None
        return Change(where, "rename" if moved else "update", theirs, old, message="from template")
    if theirs in (base, mine):
        if not moved:
            return None
        return Change(where, "rename", mine, old, message=f"renamed from {path}, your edits kept")
    change = _both_changed(where, mine, base, theirs, old)
    return change


def plan_update(
    base: Snapshot,
    ours: Snapshot,
    new: Snapshot,
    renames: Mapping[str, str] | None = None,
) -> Plan:
    """The plan that takes the project ``ours`` from template ``base`` to template ``new``."""
    renames = dict(renames or {})
    plan = Plan(renames=renames)
    for path, entry in sorted(base.files.items()):
        target = renames.get(path, path if path in new.files else None)
        change = _plan_tracked(path, target, entry, ours.files, new)
        if change is not None:
            plan.changes.append(change)
    targets = set(renames.values())
    for path, theirs in sorted(new.files.items()):
        if path in base.files or path in targets:
            continue
        mine = ours.files.get(path)
        if mine is None:
            plan.changes.append(Change(path, "add", theirs, message="new in the template"))
        elif mine.data != theirs.data:
            plan.changes.append(_both_changed(path, mine, None, theirs, None))
    return plan
