"""The compounding curve: reuse figures of a git repository, month by month.

For each month, the last commit of that month (first-parent history) is read straight from git
(``git ls-tree`` + one ``git cat-file --batch`` process; nothing is checked out), and scanned
like the working tree, with the same rule for what is reuse (``scanner.project_figures``). The
index cache is keyed by content, so a file that did not change between months is normalised
once for the whole history. Stamp *states* need each commit's receipts and are not replayed:
the curve counts lines matching a library snippet and repeated lines.

Example:
    >>> month_ends([("a", "2026-01-03"), ("b", "2026-01-20"), ("c", "2026-03-01")])
    [('2026-01', 'b'), ('2026-03', 'c')]
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError
from toolkit.reuse.clones import find_clones
from toolkit.reuse.index import Cache, IndexedUnit, content_digest, normalise_files
from toolkit.reuse.provenance import Provenance
from toolkit.reuse.scanner import Figures, project_figures
from toolkit.reuse.sources import SUFFIXES, SourceFile


@dataclass(frozen=True)
class MonthFigures:
    """One point of the curve."""

    month: str
    commit: str
    lines: int
    library_lines: int
    repeated_lines: int


def _git(repo: Path, *args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise UsageError(f"--history {repo}: not a git repository with commits") from exc
    return out.stdout.decode("utf-8", "surrogateescape")


def month_ends(commits: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(month, commit)`` for the last of ``(commit, iso date)`` pairs (oldest first) per month."""
    last: dict[str, str] = {}
    for sha, date in commits:
        last[date[:7]] = sha
    return sorted(last.items())


def _blobs(repo: Path, commit: str) -> list[tuple[str, bytes]]:
    listing = _git(repo, "ls-tree", "-r", "-z", commit)
    wanted = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and path.endswith(SUFFIXES):
            wanted.append((path, sha))
    if not wanted:
        return []
    request = "".join(f"{sha}\n" for _, sha in wanted).encode()
    out = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input=request,
        capture_output=True,
        check=True,
    ).stdout
    blobs, pos = [], 0
    for path, _ in wanted:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        blobs.append((path, out[header_end + 1 : header_end + 1 + size]))
        pos = header_end + 1 + size + 1
    return blobs


def history(
    repo: Path,
    library_units: list[IndexedUnit],
    cache: Cache,
    *,
    min_lines: int = 6,
    months: int = 24,
) -> list[MonthFigures]:
    """Figures for the last ``months`` month ends of ``repo``'s first-parent history."""
    log = _git(repo, "log", "--first-parent", "--reverse", "--format=%H %cI")
    commits = [tuple(line.split(" ", 1)) for line in log.splitlines() if " " in line]
    held = Provenance(library_units={(u.file.path, u.cell): "library" for u in library_units})
    points = []
    for month, commit in month_ends(commits)[-months:]:  # type: ignore[arg-type]
        units = _commit_units(repo, commit, cache)
        classes = find_clones([*units, *library_units], min_lines=min_lines)
        fig = project_figures(units, classes, held).get(repo.name, Figures())
        points.append(
            MonthFigures(month, commit[:10], fig.lines, fig.matched_lines, fig.repeated_lines)
        )
    return points


def _commit_units(repo: Path, commit: str, cache: Cache) -> list[IndexedUnit]:
    """The units of one commit's files, normalised once per content for the whole history."""
    blobs = [(SourceFile(repo / rel, repo, repo.name), data) for rel, data in _blobs(repo, commit)]
    digests = [content_digest(data) for _, data in blobs]
    new = {d: job for d, job in zip(digests, blobs, strict=True) if d not in cache.by_hash}
    for digest, stored in zip(new, normalise_files(list(new.values())), strict=True):
        cache.by_hash[digest] = stored
        cache.dirty = True
    units: list[IndexedUnit] = []
    for (source, _), digest in zip(blobs, digests, strict=True):
        cache.used.add(digest)
        for cell, numbers, shapes, exacts, stamped in cache.by_hash[digest][0]:
            units.append(IndexedUnit(source, cell, numbers, shapes, exacts, stamped))
    return units


def plot_history(points: Sequence[MonthFigures], *, ax: Any = None) -> Any:
    """The compounding curve with ``toolkit.plotting.trend``: library vs repeated lines."""
    from toolkit.plotting import trend

    return trend(
        {
            "from the library": [p.library_lines for p in points],
            "repeated, not in the library": [p.repeated_lines for p in points],
        },
        x=[p.month for p in points],
        title="Reuse over time (lines of code)",
        ax=ax,
    )
