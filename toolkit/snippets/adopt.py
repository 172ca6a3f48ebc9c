"""``toolkit snippet adopt``: stamp an existing copy of a library snippet, so it has provenance.

``toolkit reuse scan`` finds code that matches a library snippet but carries no stamp (copied by
hand, or before the library existed). Adopting it wraps the matching top-level statements in
stamp markers and stores the library's current text as the copy's base, so ``status``, ``diff``
and ``update`` treat it like a copy made by ``snippet add``: what differs from the library shows
as a local modification and is kept by every update. The code itself is not changed.

Example:
    >>> import pathlib, tempfile
    >>> from toolkit.snippets.library import Library
    >>> lib_root = pathlib.Path(tempfile.mkdtemp())
    >>> code = "def area(w, h):\\n    a = w * h\\n    b = a + 0\\n    c = b * 1\\n    return c\\n"
    >>> _ = (lib_root / "area.py").write_text("'''Area.'''\\n\\n\\n" + code)
    >>> lib = Library.from_roots([(lib_root, "personal")], use_cache=False)
    >>> project = pathlib.Path(tempfile.mkdtemp())
    >>> mine = project / "geometry.py"
    >>> _ = mine.write_text("import math\\n\\n\\n" + code)
    >>> adopt(mine, lib).snippet
    'area'
    >>> print(mine.read_text().splitlines()[3])
    # >>> snippet area v1 sha256:...
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UsageError
from toolkit.snippets.library import Library
from toolkit.snippets.model import Snippet
from toolkit.snippets.receipts import ReceiptStore
from toolkit.snippets.stamp import find_blocks, read_source, render_block, write_source


@dataclass(frozen=True)
class Adopted:
    """What ``adopt`` stamped: the snippet, its version and the file lines now inside markers."""

    path: Path
    snippet: str
    version: int
    first_line: int
    last_line: int


def _best_match(path: Path, candidates: list[Snippet], min_lines: int) -> tuple[Snippet, int, int]:
    """The snippet whose code the file holds most of, and the file lines that hold it."""
    from toolkit.reuse.clones import find_clones
    from toolkit.reuse.index import Cache, build_index
    from toolkit.reuse.sources import Discovery, SourceFile

    files = [SourceFile(path.resolve(), path.resolve().parent, "project")]
    for s in candidates:
        if s.path is not None:
            files.append(SourceFile(Path(s.path).resolve(), Path(s.path).resolve().parent, s.name))
    index = build_index(Discovery(files=files), Cache(None))
    best: tuple[int, Snippet, int, int] | None = None
    by_name = {s.name: s for s in candidates}
    for cls in find_clones(index.units, min_lines=min_lines):
        mine = [m for m in cls.members if m.unit.file.project == "project"]
        theirs = [m for m in cls.members if m.unit.file.project in by_name]
        for m in mine:
            for t in theirs:
                if best is None or m.lines > best[0]:
                    best = (m.lines, by_name[t.unit.file.project], m.first_line, m.last_line)
    if best is None:
        names = ", ".join(s.name for s in candidates[:3])
        raise UsageError(f"{path}: holds no copy of {names}{'…' if len(candidates) > 3 else ''}")
    return best[1], best[2], best[3]


def _statement_span(text: str, first: int, last: int, where: Path) -> tuple[int, int]:
    """Widen lines ``first``-``last`` to whole top-level statements (decorators included)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise UsageError(f"{where}:{exc.lineno}: not valid Python; fix it, then adopt") from exc
    spans = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        start = min([node.lineno, *(d.lineno for d in decorators)])
        end = node.end_lineno or node.lineno
        if start <= last and end >= first:
            spans.append((start, end))
    if not spans:
        return first, last
    return min(s for s, _ in spans), max(e for _, e in spans)


def adopt(path: Path, library: Library, *, name: str | None = None, min_lines: int = 4) -> Adopted:
    """Stamp the copy of ``name`` (default: the best-matching snippet) found in ``path``."""
    if path.suffix != ".py" or not path.is_file():
        raise UsageError(f"FILE {path}: give an existing .py file")
    text, newline = read_source(path)
    if find_blocks(text, where=str(path)) and name is None:
        raise UsageError(f"{path}: already holds stamped copies; name the snippet with --name")
    candidates = [library.get(name)] if name else list(library)
    snippet, first, last = _best_match(path, candidates, min_lines)
    first, last = _statement_span(text, first, last, path)
    lines = text.split("\n")
    for block in find_blocks(text, where=str(path)):
        if block.start + 1 <= last and block.end + 1 >= first:
            raise UsageError(
                f"{path}:{block.start + 1}: that code is already stamped as {block.name!r}"
            )
    body = "\n".join(lines[first - 1 : last]) + "\n"
    base = snippet.source if snippet.source.endswith("\n") else snippet.source + "\n"
    digest = ReceiptStore.for_path(path).save(snippet.name, base, source=snippet)
    stamped = render_block(snippet.name, snippet.version, body, digest=digest)
    new_text = "\n".join([*lines[: first - 1], stamped.removesuffix("\n"), *lines[last:]])
    write_source(path, new_text, newline)
    return Adopted(path, snippet.name, snippet.version, first, last)
