"""The snippet index: personal libraries and the built-in one, searched together.

A personal snippet with the same name as a built-in one shadows it (``Snippet.shadows`` says
which files it hides). Malformed files are collected in ``Library.malformed`` and skipped, so one
broken file never breaks the rest. Parsed metadata is cached on disk keyed by file mtime and size.

Example:
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "utils").mkdir()
    >>> _ = (root / "utils" / "hi.py").write_text("'''Say hi.'''\\n")
    >>> lib = Library.from_roots([(root, "personal")], use_cache=False)
    >>> [s.name for s in lib]
    ['utils/hi']
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError
from toolkit.snippets.config import cache_dir, personal_dirs
from toolkit.snippets.model import (
    MalformedSnippetError,
    Snippet,
    parse_snippet_file,
    validate_name,
)

_CACHE_VERSION = 1
SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints"}


def builtin_dir() -> Path:
    """The built-in library shipped with the toolkit."""
    from toolkit._resources import data_dir

    return data_dir("snippets")


def iter_snippet_files(root: Path) -> Iterator[tuple[str, Path]]:
    """``(name, path)`` of every candidate snippet file under ``root``, sorted."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for filename in sorted(filenames):
            if filename.endswith(".py") and not filename.startswith(("_", ".")):
                path = Path(dirpath) / filename
                yield path.relative_to(root).with_suffix("").as_posix(), path


def _cache_file(root: Path) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"snippet-index-{digest}.json"


def _load_root(root: Path, origin: str, use_cache: bool) -> tuple[list[Snippet], list[str]]:
    """Parse every snippet under ``root``, reusing cached entries whose mtime/size match."""
    cache: dict[str, Any] = {}
    cache_path = _cache_file(root)
    if use_cache:
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(cache_path.read_text(encoding="utf-8"))
            if loaded.get("version") == _CACHE_VERSION:
                cache = loaded["files"]
    snippets: list[Snippet] = []
    malformed: list[str] = []
    fresh: dict[str, Any] = {}
    for name, path in iter_snippet_files(root):
        try:
            st = path.stat()
            key = [st.st_mtime_ns, st.st_size]
            entry = cache.get(name)
            if entry is not None and entry["key"] == key and "error" not in entry:
                fields = entry["fields"]
                snippet = Snippet(
                    name=name,
                    summary=fields["summary"],
                    source=fields["source"],
                    tags=tuple(fields["tags"]),
                    requires=tuple(fields["requires"]),
                    version=fields["version"],
                    description=fields["description"],
                    path=path,
                    origin=origin,
                )
            else:
                validate_name(name)
                snippet = parse_snippet_file(path, name, origin=origin)
            fresh[name] = {
                "key": key,
                "fields": {
                    "summary": snippet.summary,
                    "source": snippet.source,
                    "tags": list(snippet.tags),
                    "requires": list(snippet.requires),
                    "version": snippet.version,
                    "description": snippet.description,
                },
            }
            snippets.append(snippet)
        except (MalformedSnippetError, UsageError, OSError) as exc:
            malformed.append(str(exc) if str(path) in str(exc) else f"{path}: {exc}")
    if use_cache and fresh != cache:
        # A cache that cannot be written only costs speed; never fail the command for it.
        with contextlib.suppress(OSError):
            from toolkit._io import atomic_write_text

            cache_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(cache_path, json.dumps({"version": _CACHE_VERSION, "files": fresh}))
    return snippets, malformed


@dataclass
class Library:
    """All visible snippets by name, plus the malformed files that were skipped."""

    snippets: dict[str, Snippet] = field(default_factory=dict)
    malformed: list[str] = field(default_factory=list)
    roots: list[tuple[Path, str]] = field(default_factory=list)

    @classmethod
    def from_roots(cls, roots: list[tuple[Path, str]], *, use_cache: bool = True) -> Library:
        """Index ``roots`` (``(directory, origin)``, highest priority first)."""
        lib = cls(roots=list(roots))
        for root, origin in roots:
            if not root.is_dir():
                continue
            found, bad = _load_root(root, origin, use_cache)
            lib.malformed += bad
            for snippet in found:
                existing = lib.snippets.get(snippet.name)
                if existing is None:
                    lib.snippets[snippet.name] = snippet
                else:
                    hidden = (*existing.shadows, f"{snippet.origin}:{snippet.path}")
                    lib.snippets[snippet.name] = Snippet(**{**existing.__dict__, "shadows": hidden})
        return lib

    def __iter__(self) -> Iterator[Snippet]:
        return iter(sorted(self.snippets.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self.snippets)

    def __contains__(self, name: object) -> bool:
        return name in self.snippets

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """Names close to ``name`` (for "did you mean")."""
        names = list(self.snippets)
        close = difflib.get_close_matches(name, names, n=n, cutoff=0.5)
        tail = name.rsplit("/", 1)[-1]
        close += [x for x in names if x.rsplit("/", 1)[-1] == tail and x not in close]
        if len(close) < n:
            tails = {x.rsplit("/", 1)[-1]: x for x in names}
            close += [
                tails[t]
                for t in difflib.get_close_matches(tail, list(tails), n=n, cutoff=0.6)
                if tails[t] not in close
            ]
        return close[:n]

    def get(self, name: str) -> Snippet:
        """The snippet called ``name``; UsageError with suggestions when it does not exist."""
        name = validate_name(name)
        if name in self.snippets:
            return self.snippets[name]
        hint = self.suggestions(name)
        more = f"; did you mean {', '.join(hint)}?" if hint else "; see `toolkit snippet list`"
        raise UsageError(f"no snippet named {name!r}{more}")


def default_roots() -> list[tuple[Path, str]]:
    """Personal directories first (they shadow), then the built-in library."""
    return [*((p, "personal") for p in personal_dirs()), (builtin_dir(), "built-in")]


def load_library(*, use_cache: bool = True) -> Library:
    """Load the personal and built-in libraries."""
    return Library.from_roots(default_roots(), use_cache=use_cache)
