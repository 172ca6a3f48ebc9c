"""Clone classes: every place that holds the same fragment, grouped, with a similarity figure.

The search works on the indexed lines (``toolkit.reuse.index``):

1. *Seeds*: every run of ``seed`` consecutive line shapes is a key; keys found in two or more
   places pair those places. Keys found in very many places (boilerplate such as
   ``self.x = x`` runs) are left out and counted.
2. *Runs*: seed pairs on the same diagonal (same offset between the two places) that follow each
   other join into one matched run.
3. *Near misses*: runs of the same two units separated by at most ``max_gap`` unmatched lines on
   both sides join into one fragment (a line added, removed or changed).
4. *Classes*: fragments of a unit that mostly overlap are one region; regions linked by a pair
   are one class (union-find), so N copies are one class, not N·(N-1)/2 pairs.

A class is ``exact`` when its copies are the same after comments and white space are dropped,
``renamed`` when only identifiers and literals differ, and ``near-miss`` otherwise; its
similarity is the lowest matched share of any link in it.

Example:
    >>> from array import array
    >>> from toolkit.reuse.index import IndexedUnit
    >>> from toolkit.reuse.sources import SourceFile
    >>> from pathlib import Path
    >>> def unit(name, shapes):
    ...     n = len(shapes)
    ...     f = SourceFile(Path("/p") / name, Path("/p"), "p")
    ...     return IndexedUnit(f, -1, array("I", range(1, n + 1)), array("Q", shapes),
    ...                        array("I", shapes))
    >>> code = list(range(10, 22))
    >>> edited = code[:6] + [99] + code[6:]  # a line added in the middle
    >>> units = [unit("a.py", code), unit("b.py", [1, 2] + code), unit("c.py", edited)]
    >>> [(c.kind, len(c.members), c.lines) for c in find_clones(units, min_lines=6)]
    [('near-miss', 3, 13)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.reuse.index import IndexedUnit

ALGORITHM = 3  # bump when a change here changes results: cached results are then not reused
_KIND_ORDER = {"exact": 0, "renamed": 1, "near-miss": 2}
MAX_PLACES = 40  # a seed found in more places than this is boilerplate, not a clone
MIN_SIMILARITY = 0.7  # a near miss must match at least this share of its longer side
COMMON_SHARE = 1 / 1000  # a line shape this frequent (``I=I,``, ``else:``) says little alone
MIN_DISTINCT_SHARE = 0.3  # of a copy's lines, at least this share must be uncommon shapes


@dataclass(frozen=True)
class Member:
    """One copy in a class: a unit and the range of its kept lines ``[start, end)``."""

    unit: IndexedUnit
    start: int
    end: int

    @property
    def first_line(self) -> int:
        """The copy's first line number in its file (or cell)."""
        return int(self.unit.numbers[self.start])

    @property
    def last_line(self) -> int:
        """The copy's last line number in its file (or cell)."""
        return int(self.unit.numbers[self.end - 1])

    @property
    def lines(self) -> int:
        """Lines of code in the copy (blank lines, comments and imports not counted)."""
        return self.end - self.start


@dataclass(frozen=True)
class CloneClass:
    """Copies of one fragment: its kind, similarity, and the lines merging them would save."""

    kind: str
    similarity: float
    members: tuple[Member, ...]

    @property
    def lines(self) -> int:
        """Lines of the longest copy."""
        return max(m.lines for m in self.members)

    @property
    def saved(self) -> int:
        """Lines that one shared definition would save: every copy but the longest."""
        return sum(m.lines for m in self.members) - self.lines

    @property
    def projects(self) -> list[str]:
        """The distinct projects holding a copy."""
        return sorted({m.unit.file.project for m in self.members})


@dataclass
class _Link:
    a: int  # unit index
    b: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int
    runs: list[tuple[int, int, int]]  # aligned stretches: (start in a, start in b, length)

    @property
    def gaps(self) -> bool:
        """True when the aligned stretches skip a line on either side (a near miss)."""
        return any(
            (s_a, s_b) != (p_a + n, p_b + n)
            for (p_a, p_b, n), (s_a, s_b, _) in zip(self.runs, self.runs[1:], strict=False)
        )


def _seed_runs(
    units: Sequence[IndexedUnit], seed: int, min_lines: int, max_gap: int
) -> list[_Link]:
    """Matching seeds, paired and joined into runs along each diagonal (vectorised).

    Every window of ``seed`` consecutive shapes gets a 64-bit key; equal keys found in 2 to
    ``MAX_PLACES`` places pair those places; pairs on one diagonal (same two units, same
    offset) at consecutive positions are one run.
    """
    import numpy as np

    lengths = np.array([len(u.shapes) for u in units], dtype=np.int64)
    if int(lengths.sum()) < seed:
        return []
    flat = np.concatenate(
        [np.frombuffer(u.shapes, dtype=np.uint64) for u in units if len(u.shapes)]
    )
    unit_of = np.repeat(np.arange(len(units), dtype=np.int64), lengths)
    first_pos = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    n = flat.size - seed + 1
    key = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(seed):
            key = key * np.uint64(0x9E3779B97F4A7C15) + flat[k : k + n]
    pos = np.flatnonzero(unit_of[:n] == unit_of[seed - 1 : seed - 1 + n])  # inside one unit
    order = np.argsort(key[pos], kind="stable")
    sorted_keys, sorted_pos = key[pos][order], pos[order]
    bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.concatenate([[0], bounds])
    sizes = np.diff(np.concatenate([starts, [sorted_keys.size]]))
    pa_parts, pb_parts = [], []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_PLACES)]).tolist():
        group = sorted_pos[starts[sizes == size][:, None] + np.arange(size)]
        i, j = np.triu_indices(size, 1)
        pa_parts.append(group[:, i].ravel())
        pb_parts.append(group[:, j].ravel())
    if not pa_parts:
        return []
    pa, pb = np.concatenate(pa_parts), np.concatenate(pb_parts)
    ua, ub = unit_of[pa], unit_of[pb]
    keep = ~((ua == ub) & (pb - pa < seed))  # a repeated pattern overlapping itself
    pa, pb, ua, ub = pa[keep], pb[keep], ua[keep], ub[keep]
    if not pa.size:
        return []
    offset = pb - pa
    order = np.lexsort((pa, offset, ub, ua))  # by unit pair, diagonal, position
    pa, pb, ua, ub, offset = pa[order], pb[order], ua[order], ub[order], offset[order]
    new_run = np.ones(pa.size, dtype=bool)
    new_run[1:] = (
        (ua[1:] != ua[:-1])
        | (ub[1:] != ub[:-1])
        | (offset[1:] != offset[:-1])
        | (pa[1:] != pa[:-1] + 1)
    )
    run_first = np.flatnonzero(new_run)
    run_last = np.concatenate([run_first[1:], [pa.size]]) - 1
    a_unit, b_unit = ua[run_first], ub[run_first]
    a_start = pa[run_first] - first_pos[a_unit]
    b_start = pb[run_first] - first_pos[b_unit]
    length = pa[run_last] - pa[run_first] + seed
    same = a_unit == b_unit
    # A repeated pattern matches itself shifted: keep the two copies apart.
    length[same] = np.minimum(length[same], (b_start - a_start)[same])
    # Most runs are one lone seed: too short to be a clone even with a tail, and no other run
    # of the same two units is near enough to join. Dropping them here saves most of the work.
    order = np.lexsort((b_start, a_start, b_unit, a_unit))
    a_unit, b_unit, a_start, b_start, length = (
        x[order] for x in (a_unit, b_unit, a_start, b_start, length)
    )
    near = (
        (a_unit[1:] == a_unit[:-1])
        & (b_unit[1:] == b_unit[:-1])
        & (np.abs(a_start[1:] - (a_start[:-1] + length[:-1])) <= max_gap)
        & (np.abs(b_start[1:] - (b_start[:-1] + length[:-1])) <= max_gap)
    )
    wanted = (length > 0) & (length >= min_lines - (seed - 1))
    wanted[1:] |= near
    wanted[:-1] |= near
    wanted &= length > 0
    links = []
    for a, b, sa, sb, n_ in zip(
        a_unit[wanted].tolist(),
        b_unit[wanted].tolist(),
        a_start[wanted].tolist(),
        b_start[wanted].tolist(),
        length[wanted].tolist(),
        strict=True,
    ):
        links.append(_Link(a, b, sa, sa + n_, sb, sb + n_, n_, [(sa, sb, n_)]))
    return links


def _join_near_misses(links: list[_Link], max_gap: int) -> list[_Link]:
    by_pair: dict[tuple[int, int], list[_Link]] = defaultdict(list)
    for link in links:
        by_pair[(link.a, link.b)].append(link)
    joined: list[_Link] = []
    for group in by_pair.values():
        group.sort(key=lambda k: (k.a_start, k.b_start))
        current = group[0]
        for nxt in group[1:]:
            gap_a = nxt.a_start - current.a_end
            gap_b = nxt.b_start - current.b_end
            if (
                -max_gap <= gap_a <= max_gap
                and -max_gap <= gap_b <= max_gap
                and (nxt.a_end > current.a_end and nxt.b_end > current.b_end)
            ):
                overlap = max(0, -gap_a, -gap_b)
                s_a, s_b, n = nxt.runs[0]
                runs = [*current.runs, (s_a + overlap, s_b + overlap, n - overlap), *nxt.runs[1:]]
                current = _Link(
                    current.a,
                    current.b,
                    current.a_start,
                    nxt.a_end,
                    current.b_start,
                    nxt.b_end,
                    current.matched + nxt.matched - overlap,
                    runs,
                )
            else:
                joined.append(current)
                current = nxt
        joined.append(current)
    return joined


def _overlaps(s1: int, e1: int, s2: int, e2: int) -> bool:
    return (min(e1, e2) - max(s1, s2)) * 2 > min(e1 - s1, e2 - s2)


def _drop_shadowed(links: list[_Link]) -> list[_Link]:
    """Of links between the same two places, keep the best: repetitive code also matches itself
    shifted by a line or two, and those weaker alignments are not further copies."""
    by_pair: dict[tuple[int, int], list[_Link]] = defaultdict(list)
    for link in links:
        by_pair[(link.a, link.b)].append(link)
    kept: list[_Link] = []
    for group in by_pair.values():
        group.sort(key=lambda k: -k.matched)
        chosen: list[_Link] = []
        for link in group:
            if not any(
                _overlaps(link.a_start, link.a_end, c.a_start, c.a_end)
                and _overlaps(link.b_start, link.b_end, c.b_start, c.b_end)
                for c in chosen
            ):
                chosen.append(link)
        kept += chosen
    return kept


def _common_shapes(units: Sequence[IndexedUnit]) -> set[int]:
    counts: Counter[int] = Counter()
    for unit in units:
        counts.update(unit.shapes)
    limit = max(50, int(sum(counts.values()) * COMMON_SHARE))
    return {shape for shape, n in counts.items() if n > limit}


def _distinctive(link: _Link, units: Sequence[IndexedUnit], common: set[int], need: int) -> bool:
    """Enough of the copy is uncommon code: argument lists and ``else:`` runs are not clones."""
    shapes = units[link.a].shapes[link.a_start : link.a_end]
    rare = sum(1 for s in shapes if s not in common)
    return rare >= need and rare >= MIN_DISTINCT_SHARE * len(shapes)


def _share(link: _Link) -> float:
    return link.matched / max(link.a_end - link.a_start, link.b_end - link.b_start)


def _next_match(
    sa: Sequence[int], sb: Sequence[int], i0: int, j0: int, max_gap: int, step: int, cap: int
) -> tuple[int, int, int] | None:
    """The nearest line pair after (``step`` 1) or before (-1) ``i0``/``j0`` that matches,
    skipping at most ``max_gap`` lines on each side, and how many lines (up to ``cap``) match
    from there."""
    best: tuple[int, int, int, int] | None = None
    len_a, len_b = len(sa), len(sb)
    for ga in range(max_gap + 1):
        i = i0 + step * ga
        if not 0 <= i < len_a:
            break
        x = sa[i]
        for gb in range(max_gap + 1):
            j = j0 + step * gb
            if not 0 <= j < len_b:
                break
            if x != sb[j] or (best is not None and ga + gb > best[0]):
                continue
            n = 1
            while (
                n < cap
                and 0 <= i + step * n < len_a
                and 0 <= j + step * n < len_b
                and (sa[i + step * n] == sb[j + step * n])
            ):
                n += 1
            if best is None or (ga + gb, -n) < (best[0], -best[3]):
                best = (ga + gb, i, j, n)
    return None if best is None else best[1:]


def _extend(
    link: _Link,
    units: Sequence[IndexedUnit],
    max_gap: int,
    seed: int,
    common: set[int],
    min_lines: int,
) -> _Link:
    """Grow a link past its seeds by a tail shorter than a seed, across at most one gap on each
    end: a line changed near the end of a copy leaves such a tail, and it belongs to the copy.
    The tail must be uncommon code (not ``else:``/``I=I,``), and longer stretches are found by
    seeds, so nothing longer is taken here."""
    if link.matched + seed - 1 < min_lines:
        return link  # one tail cannot make it a clone: not worth the search
    sa, sb = units[link.a].shapes, units[link.b].shapes
    limit_a = link.b_start if link.a == link.b else len(sa)  # a copy never runs into its twin
    runs, matched = list(link.runs), link.matched
    a_end, b_end = link.a_end, link.b_end
    hit = _next_match(sa, sb, a_end, b_end, max_gap, 1, seed - 1)
    if hit is not None:
        i, j, n = hit
        n = min(n, seed - 1, limit_a - i)
        if n > 0 and all(x not in common for x in sa[i : i + n]):
            runs.append((i, j, n))
            a_end, b_end, matched = i + n, j + n, matched + n
    a_start, b_start = link.a_start, link.b_start
    hit = _next_match(sa, sb, a_start - 1, b_start - 1, max_gap, -1, seed - 1)
    if hit is not None:
        i, j, n = hit
        n = min(n, seed - 1, (j + 1) - (a_end if link.a == link.b else 0))
        if n > 0 and all(x not in common for x in sa[i - n + 1 : i + 1]):
            runs.insert(0, (i - n + 1, j - n + 1, n))
            a_start, b_start, matched = i - n + 1, j - n + 1, matched + n
    return _Link(link.a, link.b, a_start, a_end, b_start, b_end, matched, runs)


def _kind(units: Sequence[IndexedUnit], link: _Link) -> str:
    ua, ub = units[link.a], units[link.b]
    if link.gaps or (link.a_end - link.a_start) != (link.b_end - link.b_start):
        return "near-miss"
    if ua.exacts[link.a_start : link.a_end] == ub.exacts[link.b_start : link.b_end]:
        return "exact"
    return "renamed"


class _Regions:
    """Fragments of one unit that mostly overlap are one region (one member of a class)."""

    def __init__(self) -> None:
        self.spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # unit → (s, e, id)

    def add(self, unit: int, start: int, end: int, fragment: int) -> None:
        self.spans[unit].append((start, end, fragment))

    def resolve(self) -> tuple[dict[int, int], list[tuple[int, int, int]]]:
        """fragment id → region id, and each region's ``(unit, start, end)``."""
        region_of: dict[int, int] = {}
        regions: list[tuple[int, int, int]] = []
        for unit, spans in self.spans.items():
            spans.sort()
            cur_s, cur_e, members = spans[0][0], spans[0][1], [spans[0][2]]
            for s, e, frag in spans[1:]:
                overlap = min(cur_e, e) - s
                # Same span give or take: a short clone inside a long one stays its own region,
                # so classes do not chain unrelated code through one big fragment.
                if overlap * 2 >= max(cur_e - cur_s, e - s):
                    cur_e = max(cur_e, e)
                    members.append(frag)
                    continue
                regions.append((unit, cur_s, cur_e))
                region_of.update(dict.fromkeys(members, len(regions) - 1))
                cur_s, cur_e, members = s, e, [frag]
            regions.append((unit, cur_s, cur_e))
            region_of.update(dict.fromkeys(members, len(regions) - 1))
        return region_of, regions


def _merge_overlapping(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """One member per stretch of a unit: of copies that overlap, the longest stands for them
    (a union would chain neighbouring fragments into one long, meaningless member)."""
    out: list[tuple[int, int, int]] = []
    for unit, start, end in sorted(spans, key=lambda s: (s[0], s[1] - s[2])):
        if not any(u == unit and start < e and s < end for u, s, e in out):
            out.append((unit, start, end))
    return sorted(out)


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def find_clones(
    units: Sequence[IndexedUnit], *, min_lines: int = 6, max_gap: int = 2
) -> list[CloneClass]:
    """Clone classes of at least ``min_lines`` lines, most lines saved first."""
    seed = max(2, (min_lines + 1) // 2)
    common = _common_shapes(units)
    links = _drop_shadowed(
        [
            k
            for k in (
                _extend(j, units, max_gap, seed, common, min_lines)
                for j in _join_near_misses(_seed_runs(units, seed, min_lines, max_gap), max_gap)
            )
            if k.matched >= min_lines
            and _share(k) >= MIN_SIMILARITY
            and _distinctive(k, units, common, seed)
        ]
    )
    regions = _Regions()
    for n, link in enumerate(links):
        regions.add(link.a, link.a_start, link.a_end, 2 * n)
        regions.add(link.b, link.b_start, link.b_end, 2 * n + 1)
    region_of, spans = regions.resolve()
    parent = list(range(len(spans)))
    for n in range(len(links)):
        ra, rb = _find(parent, region_of[2 * n]), _find(parent, region_of[2 * n + 1])
        if ra != rb:
            parent[rb] = ra
    groups: dict[int, list[int]] = defaultdict(list)
    for r in range(len(spans)):
        groups[_find(parent, r)].append(r)
    worst: dict[int, tuple[int, float]] = {}
    for n, link in enumerate(links):
        root = _find(parent, region_of[2 * n])
        kind = _KIND_ORDER[_kind(units, link)]
        share = _share(link)
        k0, s0 = worst.get(root, (0, 1.0))
        worst[root] = (max(k0, kind), min(s0, share))
    kinds = {v: k for k, v in _KIND_ORDER.items()}
    classes = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        kind, share = worst[root]
        merged = _merge_overlapping([spans[r] for r in members])
        if len(merged) < 2:
            continue
        classes.append(
            CloneClass(
                kinds[kind],
                round(share, 3),
                tuple(Member(units[u], start, end) for u, start, end in merged),
            )
        )
    # Most worth acting on first: lines saved, discounted by how loosely the copies match.
    classes.sort(key=lambda c: (-c.saved * c.similarity, -c.lines, c.members[0].unit.file.relpath))
    return classes
