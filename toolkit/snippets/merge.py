"""Pure-Python 3-way merge (diff3) of base, your copy and the library version, line by line.

Regions changed on one side only take that side; regions changed identically on both sides are
taken once; regions changed differently on both sides become a conflict, written with markers
(base included, diff3 style) so no local line is ever dropped silently. Pure Python so it works
without git; the algorithm is the classic one from bzr's ``merge3``.

Example:
    >>> base = ["a\\n", "b\\n", "c\\n"]
    >>> mine = ["a\\n", "B\\n", "c\\n"]
    >>> theirs = ["a\\n", "b\\n", "c\\n", "d\\n"]
    >>> result = merge3(base, mine, theirs)
    >>> ("".join(result.lines), result.conflicts)
    ('a\\nB\\nc\\nd\\n', 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class MergeResult:
    """Merged lines and the number of conflict regions written with markers."""

    lines: list[str]
    conflicts: int

    @property
    def text(self) -> str:
        """The merged text."""
        return "".join(self.lines)


def _sync_regions(
    base: list[str], a: list[str], b: list[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """Regions of ``base`` matched unchanged in both ``a`` and ``b`` (plus an end sentinel)."""
    amatches = SequenceMatcher(None, base, a, autojunk=False).get_matching_blocks()
    bmatches = SequenceMatcher(None, base, b, autojunk=False).get_matching_blocks()
    ia = ib = 0
    regions: list[tuple[int, int, int, int, int, int]] = []
    while ia < len(amatches) and ib < len(bmatches):
        abase, amatch, alen = amatches[ia]
        bbase, bmatch, blen = bmatches[ib]
        lo, hi = max(abase, bbase), min(abase + alen, bbase + blen)
        if lo < hi:
            asub = amatch + (lo - abase)
            bsub = bmatch + (lo - bbase)
            regions.append((lo, hi, asub, asub + hi - lo, bsub, bsub + hi - lo))
        if abase + alen < bbase + blen:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return regions


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def merge3(
    base: list[str],
    mine: list[str],
    theirs: list[str],
    *,
    mine_label: str = "your copy",
    base_label: str = "base",
    theirs_label: str = "library",
) -> MergeResult:
    """Merge ``mine`` and ``theirs`` (both derived from ``base``); lines keep their newlines."""
    out: list[str] = []
    conflicts = 0
    iz = ia = ib = 0
    for zmatch, zend, amatch, aend, bmatch, bend in _sync_regions(base, mine, theirs):
        a_chunk, b_chunk, z_chunk = mine[ia:amatch], theirs[ib:bmatch], base[iz:zmatch]
        if a_chunk or b_chunk or z_chunk:
            if a_chunk == b_chunk or b_chunk == z_chunk:
                out += a_chunk
            elif a_chunk == z_chunk:
                out += b_chunk
            else:
                conflicts += 1
                out.append(f"<<<<<<< {mine_label}\n")
                out += [_line(x) for x in a_chunk]
                out.append(f"||||||| {base_label}\n")
                out += [_line(x) for x in z_chunk]
                out.append("=======\n")
                out += [_line(x) for x in b_chunk]
                out.append(f">>>>>>> {theirs_label}\n")
        out += base[zmatch:zend]
        iz, ia, ib = zend, aend, bend
    return MergeResult(out, conflicts)


def merge_text(base: str, mine: str, theirs: str, **labels: str) -> MergeResult:
    """``merge3`` on whole texts.

    >>> merge_text("x\\n", "y\\n", "z\\n").conflicts
    1
    """
    return merge3(
        base.splitlines(keepends=True),
        mine.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
        **labels,
    )
