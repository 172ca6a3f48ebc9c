"""Index files into comparable lines, with a cache so a rescan reads only what changed.

The cache has two levels. A file whose size, modification time and inode are as last seen is not
read at all; otherwise its bytes are read and hashed (BLAKE2b), and a known hash reuses the stored
lines (a file touched but not changed, or the same file in another project or an older commit).
Only new content is normalised, in two processes when there is enough of it and a core is idle.
The cache is one pickle of compact integer arrays under ``$XDG_CACHE_HOME/compound-toolkit/``,
written atomically; a damaged or foreign cache is ignored, never an error.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.reuse.sources import discover
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.py").write_text("def f(x):\\n    return x\\n")
    >>> cache = Cache(root / "cache.pickle")
    >>> index = build_index(discover([root]), cache)
    >>> [(u.file.relpath, list(u.numbers)) for u in index.units], index.normalised
    ([('a.py', [1, 2])], 1)
    >>> again = build_index(discover([root]), cache)  # unchanged: nothing normalised again
    >>> again.normalised, again.digests == index.digests
    (0, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.reuse.sources import Discovery, Signature, SourceFile, file_signature, read_units

if TYPE_CHECKING:
    import numpy as np

    from toolkit.reuse.normalize import Lines

_CACHE_VERSION = 4
_RACY_NS = 2_000_000_000  # a file modified this recently may change again within its mtime tick
_PARALLEL_FROM = 400  # files to normalise before a second process pays for its start-up
_BATCH_BYTES = 1 << 20  # text normalised per call: amortises numpy's per-call cost, bounds memory

# One file's content as stored: per unit (cell, line numbers, shape hashes, exact hashes,
# whether it holds a snippet stamp), or the reason it was skipped.
Stored = tuple[list[tuple[int, "array[int]", "array[int]", "array[int]", bool]], str | None]
STAMP = b"# >>> snippet "


@dataclass(frozen=True)
class IndexedUnit:
    """A unit's kept lines: original line numbers, shape hashes and exact hashes (64-bit)."""

    file: SourceFile
    cell: int
    numbers: array[int]
    shapes: array[int]
    exacts: array[int]
    stamped: bool = False


@dataclass
class Index:
    """Everything a clone search needs, and how the files were obtained."""

    units: list[IndexedUnit] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    digests: list[tuple[str, str, bytes]] = field(default_factory=list)  # path, project, digest
    files: int = 0
    lines: int = 0
    read: int = 0
    normalised: int = 0


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/compound-toolkit/reuse-index.pickle`` (default ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compound-toolkit" / "reuse-index.pickle"


class Cache:
    """File signature → content hash, and content hash → stored lines; saved atomically, and
    only when a scan learned something new."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.by_stat: dict[str, tuple[Signature, bytes]] = {}
        self.by_hash: dict[bytes, Stored] = {}
        self.used: set[bytes] = set()
        self.dirty = False
        if path is not None:
            with contextlib.suppress(
                OSError,
                pickle.UnpicklingError,
                ValueError,
                EOFError,
                TypeError,
                AttributeError,
                ImportError,
            ):
                data = pickle.loads(path.read_bytes())
                if isinstance(data, dict) and data.get("version") == _CACHE_VERSION:
                    self.by_stat, self.by_hash = data["by_stat"], data["by_hash"]

    def save(self) -> None:
        """Keep what this scan used plus older entries up to a bound; never fail the scan."""
        if self.path is None or not self.dirty:
            return
        keep = {h: v for h, v in self.by_hash.items() if h in self.used}
        for h, v in self.by_hash.items():
            if len(keep) >= max(50_000, 2 * len(self.used)):
                break
            keep.setdefault(h, v)
        stats = {k: v for k, v in self.by_stat.items() if v[1] in keep}
        payload = pickle.dumps(
            {"version": _CACHE_VERSION, "by_stat": stats, "by_hash": keep}, protocol=5
        )
        with contextlib.suppress(OSError):
            from toolkit._io import atomic_write_bytes

            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, payload)
            self.dirty = False


def content_digest(data: bytes) -> bytes:
    """The cache key of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _as_array(typecode: str, values: np.ndarray) -> array[int]:
    import numpy as np

    out = array(typecode)
    out.frombytes(values.astype(np.dtype(typecode)).tobytes())
    return out


def normalise_files(jobs: Sequence[tuple[SourceFile, bytes]]) -> list[Stored]:
    """The stored form of each file's bytes: its units' kept lines, or why it is skipped.

    The units of many files go through ``normalize_units`` together (a few MB at a time), so
    its fixed cost per call is paid per batch, not per file.
    """
    from toolkit.reuse.normalize import normalize_units

    read = [read_units(source, data) for source, data in jobs]
    texts = [[u.text.encode() for u in units] for units, _ in read]
    lines: list[Lines] = []  # numpy (imported here: an unchanged rescan never needs it)
    batch: list[bytes] = []
    for unit_texts in texts:
        batch += unit_texts
        if sum(map(len, batch)) >= _BATCH_BYTES:
            lines += normalize_units(batch)
            batch = []
    lines += normalize_units(batch) if batch else []
    out: list[Stored] = []
    position = 0
    for (units, reason), unit_texts in zip(read, texts, strict=True):
        stored = []
        for unit, text in zip(units, unit_texts, strict=True):
            numbers, shapes, exacts = lines[position]
            position += 1
            stored.append(
                (
                    unit.cell,
                    _as_array("I", numbers),
                    _as_array("Q", shapes),
                    _as_array("Q", exacts),
                    STAMP in text,
                )
            )
        out.append((stored, reason))
    return out


def _chunks(
    items: list[tuple[SourceFile, bytes]], n: int
) -> Iterable[list[tuple[SourceFile, bytes]]]:
    size = max(1, len(items) // (n * 8))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def build_index(
    found: Discovery, cache: Cache, *, progress: Callable[[int], None] | None = None
) -> Index:
    """Read, normalise (or reuse) every discovered file; ``progress(n)`` after each n files.

    A file whose signature (size, modification time, inode) is as last seen is not opened: its
    content hash comes from the cache. One modified within the last two seconds is read again
    next time too, because a same-size edit in the same clock tick would leave its signature
    unchanged (git's "racy" rule).
    """
    index = Index(skipped=Counter(found.skipped))
    pending: list[tuple[SourceFile, bytes, bytes]] = []
    stored: dict[Path, tuple[Stored, bytes]] = {}
    racy_after = time.time_ns() - _RACY_NS
    for source in found.files:
        key = str(source.path)
        signature = source.signature or file_signature(source.path)
        seen = cache.by_stat.get(key)
        if seen is not None and seen[0] == signature and seen[1] in cache.by_hash:
            stored[source.path] = (cache.by_hash[seen[1]], seen[1])
            cache.used.add(seen[1])
            if progress:
                progress(1)
            continue
        try:
            data = source.path.read_bytes()
        except OSError:
            index.skipped["unreadable"] += 1
            continue
        index.read += 1
        digest = content_digest(data)
        if signature is not None and signature[1] < racy_after:
            cache.by_stat[key] = (signature, digest)
            cache.dirty = True
        cache.used.add(digest)
        if digest in cache.by_hash:
            stored[source.path] = (cache.by_hash[digest], digest)
            if progress:
                progress(1)
        else:
            pending.append((source, data, digest))
    for (source, _, digest), result in zip(pending, _normalise(pending, progress), strict=True):
        cache.by_hash[digest] = result
        cache.dirty = True
        stored[source.path] = (result, digest)
    index.normalised = len(pending)
    for source in found.files:
        if source.path not in stored:
            continue
        (units, reason), digest = stored[source.path]
        if reason:
            index.skipped[reason] += 1
            continue
        index.files += 1
        index.digests.append((key_of(source), source.project, digest))
        for cell, numbers, shapes, exacts, stamped in units:
            index.lines += len(numbers)
            index.units.append(IndexedUnit(source, cell, numbers, shapes, exacts, stamped))
    return index


def key_of(source: SourceFile) -> str:
    """The cache's name for a file: its absolute path."""
    return str(source.path)


def _workers(jobs: int) -> int:
    """Two processes for many new files, but only while a core is idle: on a saturated machine
    the second process gets no CPU of its own, and moving the bytes to it and the lines back
    cost more than it saves (measured on the benchmark corpus at load 17: 11-13 s and 2.9-3.4
    CPU s in two processes, 9-11 s and 2.3-2.7 CPU s in one)."""
    cores = os.cpu_count() or 1
    if jobs < _PARALLEL_FROM or cores < 2:
        return 1
    with contextlib.suppress(OSError):
        if os.getloadavg()[0] > cores - 1:
            return 1
    return 2


def _normalise(
    pending: list[tuple[SourceFile, bytes, bytes]], progress: Callable[[int], None] | None
) -> list[Stored]:
    jobs = [(source, data) for source, data, _ in pending]
    workers = _workers(len(jobs))
    if workers < 2:
        out = []
        for chunk in _chunks(jobs, 1):
            out += normalise_files(chunk)
            if progress:
                progress(len(chunk))
        return out
    results: list[Stored] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk_result in pool.map(normalise_files, _chunks(jobs, workers)):
            results += chunk_result
            if progress:
                progress(len(chunk_result))
    return results
