"""Ranked, typo-tolerant search over snippet names, tags, summaries and code.

An inverted index maps words to the snippets that contain them, weighted by field (name >
tags > summary > description > code). A query word matches index words exactly, as a prefix,
within one edit (a "deletion neighbourhood": a typo, a missing or an extra letter, a swap of two
letters) or by shared trigrams (longer words). Scores add up per snippet; snippets matching every
query word rank first. Lookups are dictionary hits, so a query over 10,000 snippets takes a few
milliseconds (``benchmarks/snippets.py``); the built index is cached (``marshal``),
keyed by the library files' paths, mtimes and sizes, so the CLI does not rebuild it.

Example:
    >>> from toolkit.snippets.model import parse_snippet_text
    >>> docs = [parse_snippet_text("'''Non-maximum suppression.\\n\\ntags: cv\\n'''\\n", "cv/nms"),
    ...         parse_snippet_text("'''Seed everything.\\n\\ntags: torch\\n'''\\n", "torch/seed")]
    >>> [hit.name for hit in SearchIndex.build(docs).search("supresion")]
    ['cv/nms']
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import marshal
import os
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.snippets.model import Snippet

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[\u3400-\u9fff]+")
# Weights in half-points, so a posting list packs into bytes (one byte per weight).
_FIELD_WEIGHTS = {"name": 12, "tags": 10, "summary": 6, "description": 3, "code": 2}
_INDEX_VERSION = 2
_MAX_EXPANSIONS = 40
_RELATIVE_FLOOR = 0.2


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, splitting snake_case, camelCase and digits.

    >>> words("seed_everything AMPTraining v2")
    ['seed', 'everything', 'amp', 'training', 'v', '2']
    """
    return [w.lower() for w in _WORD.findall(text)]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) > 2 else set()


def _trigrams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Hit:
    """One search result."""

    name: str
    score: float
    summary: str
    tags: tuple[str, ...]
    origin: str


@dataclass
class SearchIndex:
    """The inverted index; build with ``SearchIndex.build(snippets)``."""

    docs: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)
    # word -> (doc ids packed as array('I') bytes, one weight byte per doc id)
    postings: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    vocab: list[str] = field(default_factory=list)
    deletes: dict[str, list[str]] = field(default_factory=dict)
    trigrams: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, snippets: Iterable[Snippet]) -> SearchIndex:
        """Index ``snippets`` (name, tags, summary, description and code identifiers)."""
        index = cls()
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for doc_id, s in enumerate(snippets):
            index.docs.append((s.name, s.summary, s.tags, s.origin))
            fields = {
                "name": words(s.name),
                "tags": [w for t in s.tags for w in [t.lower(), *words(t)]],
                "summary": words(s.summary),
                "description": words(s.description),
                "code": words(s.source),
            }
            for field_name, field_words in fields.items():
                weight = _FIELD_WEIGHTS[field_name]
                for w in set(field_words):
                    entry = postings[w]
                    # A word counts once per snippet, at its best field's weight.
                    if entry.get(doc_id, 0) < weight:
                        entry[doc_id] = weight
        index.postings = {
            w: (array("I", entry.keys()).tobytes(), bytes(entry.values()))
            for w, entry in postings.items()
        }
        index.vocab = sorted(postings)
        deletes: dict[str, list[str]] = defaultdict(list)
        trigrams: dict[str, list[str]] = defaultdict(list)
        for w in index.vocab:
            if len(w) > 2:
                for d in _deletes(w):
                    deletes[d].append(w)
            if len(w) >= 5:
                for t in _trigrams(w):
                    trigrams[t].append(w)
        index.deletes = dict(deletes)
        index.trigrams = dict(trigrams)
        return index

    def _expand(self, term: str) -> dict[str, float]:
        """Index words similar to ``term`` with a similarity in (0, 1]."""
        found: dict[str, float] = {}
        if term in self.postings:
            found[term] = 1.0
        if len(term) >= 2:
            start = bisect.bisect_left(self.vocab, term)
            for w in self.vocab[start : start + _MAX_EXPANSIONS]:
                if not w.startswith(term):
                    break
                found.setdefault(w, 0.8)
        if len(term) > 2:
            # One extra letter in the index word; for short terms nothing looser, or
            # "nms" would match every word sharing two letters with it.
            near: set[str] = set(self.deletes.get(term, ()))
            for d in _deletes(term):
                # Same length: a substituted letter or two swapped ones.
                near.update(w for w in self.deletes.get(d, ()) if len(w) == len(term))
                if len(term) >= 5 and d in self.postings:
                    near.add(d)  # one letter too many in the query
            for w in list(near)[: _MAX_EXPANSIONS * 2]:
                found.setdefault(w, 0.7)
        if len(term) >= 5 and len(found) < 3:
            grams = _trigrams(term)
            counts: dict[str, int] = defaultdict(int)
            for g in grams:
                for w in self.trigrams.get(g, ()):
                    counts[w] += 1
            for w, shared in counts.items():
                jaccard = shared / (len(grams) + len(_trigrams(w)) - shared)
                if jaccard >= 0.4:
                    found.setdefault(w, 0.6 * jaccard + 0.2)
        return found

    def search(self, query: str, *, limit: int = 20) -> list[Hit]:
        """The best ``limit`` snippets for ``query``, best first."""
        terms = list(dict.fromkeys(words(query)))
        if not terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for term in terms:
            best: dict[int, float] = {}
            for w, sim in self._expand(term).items():
                packed_ids, weights = self.postings[w]
                ids = array("I")
                ids.frombytes(packed_ids)
                for doc_id, weight in zip(ids, weights, strict=True):
                    value = sim * weight / 2
                    if value > best.get(doc_id, 0.0):
                        best[doc_id] = value
            for doc_id, value in best.items():
                scores[doc_id] += value
                matched[doc_id] += 1
        phrase = query.strip().lower()
        ranked: list[tuple[float, str, int]] = []
        for doc_id, score in scores.items():
            coverage = matched[doc_id] / len(terms)
            total = score * coverage * coverage
            if phrase and phrase in self.docs[doc_id][0].lower():
                total += 10.0
            ranked.append((-total, self.docs[doc_id][0], doc_id))
        ranked.sort()
        if ranked:
            # Drop the long tail of weak partial matches.
            floor = -ranked[0][0] * _RELATIVE_FLOOR
            ranked = [r for r in ranked if -r[0] >= floor]
        return [
            Hit(name, round(-neg, 3), *self.docs[doc_id][1:])
            for neg, name, doc_id in ranked[:limit]
        ]


def _as_builtins(index: SearchIndex) -> Any:
    return (index.docs, index.postings, index.vocab, index.deletes, index.trigrams)


def _stat_tree(directory: str, out: list[str]) -> None:
    """Append ``path mtime size`` for candidate snippet files (same rules as the library)."""
    from toolkit.snippets.library import SKIP_DIRS

    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.name not in SKIP_DIRS:
                _stat_tree(entry.path, out)
        elif entry.name.endswith(".py") and not entry.name.startswith("_"):
            with contextlib.suppress(OSError):
                st = entry.stat()
                out.append(f"{entry.path}\0{st.st_mtime_ns}\0{st.st_size}")


def index_for_roots(roots: list[tuple[Path, str]]) -> tuple[SearchIndex, list[str]]:
    """The search index over ``roots`` plus malformed-file messages, without parsing files.

    The fast path of ``toolkit snippet search``: a walk that only stats the files gives a
    fingerprint (paths, mtimes, sizes); when it matches the cached one, the index is loaded with
    ``marshal`` (several times faster than pickle for plain dicts and lists) and no snippet file
    is read. Otherwise the library is loaded and the index rebuilt and cached.
    """
    from toolkit.snippets.config import cache_dir
    from toolkit.snippets.library import Library

    parts: list[str] = [str(_INDEX_VERSION)]
    for root, origin in roots:
        parts.append(f"{root}\0{origin}")
        _stat_tree(str(root), parts)
    fp = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
    path = cache_dir() / "search-index.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        cached_fp, malformed, data = marshal.loads(path.read_bytes())
        if cached_fp == fp:
            docs, postings, vocab, deletes, trigrams = data
            return SearchIndex(docs, postings, vocab, deletes, trigrams), list(malformed)
    library = Library.from_roots(roots)
    index = SearchIndex.build(library)
    with contextlib.suppress(OSError, ValueError):
        from toolkit._io import atomic_write_bytes

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, marshal.dumps((fp, library.malformed, _as_builtins(index))))
    return index, library.malformed
