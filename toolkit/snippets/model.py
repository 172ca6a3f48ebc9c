"""One snippet file: its metadata (summary, tags, requires, version) parsed from the docstring.

The format is a contract with the library's authors: the module docstring's first line is the
summary; lines ``tags:``, ``requires:`` and ``version:`` carry metadata. ``requires`` lists pip
distribution names (empty or ``none`` = stdlib only); ``version`` is an integer bumped on change.

Example:
    >>> text = "'''Box IoU.\\n\\ntags: cv, boxes\\nrequires: numpy\\n'''\\nx = 1\\n"
    >>> s = parse_snippet_text(text, "cv/iou")
    >>> (s.summary, s.tags, s.requires, s.version)
    ('Box IoU.', ('cv', 'boxes'), ('numpy',), 1)
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ToolkitError, UsageError

_META = re.compile(r"^\s*(tags|requires|version)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_NAME_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class MalformedSnippetError(ToolkitError):
    """A snippet file that cannot be parsed (no docstring, bad version, syntax error).

    Bad input, so the CLI exits 2; ``toolkit snippet list`` reports such files and goes on.
    """

    exit_code = 2


@dataclass(frozen=True)
class Snippet:
    """A snippet: ``name`` like ``cv/nms``, its metadata and its full ``source`` text."""

    name: str
    summary: str
    source: str
    tags: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    version: int = 1
    description: str = ""
    path: Path | None = None
    origin: str = "built-in"
    shadows: tuple[str, ...] = field(default=(), compare=False)

    @property
    def topic(self) -> str:
        """The first path component of the name (``cv`` for ``cv/nms``)."""
        return self.name.split("/", 1)[0] if "/" in self.name else ""


def validate_name(name: str) -> str:
    """Return ``name`` if it is a safe snippet name (``topic/name``), else raise UsageError.

    >>> validate_name("cv/nms")
    'cv/nms'
    """
    cleaned = name.strip().removesuffix(".py")
    parts = cleaned.split("/")
    if (
        not cleaned
        or "\\" in cleaned
        or cleaned.startswith("/")
        or any(p in {"", ".", ".."} or not _NAME_PART.match(p) for p in parts)
    ):
        raise UsageError(
            f"invalid snippet name {name!r}: use letters, digits, '_', '-' and '/' between "
            "parts (for example 'cv/nms'); absolute paths and '..' are refused"
        )
    return cleaned


def _split_list(value: str) -> tuple[str, ...]:
    items = [v.strip() for v in re.split(r"[,\s]+", value) if v.strip()]
    if len(items) == 1 and items[0].lower() in {"none", "-", "stdlib"}:
        return ()
    return tuple(items)


def parse_snippet_text(source: str, name: str, *, path: Path | None = None) -> Snippet:
    """Parse snippet ``source`` called ``name``; raise MalformedSnippetError when it is not one."""
    where = str(path) if path is not None else name
    try:
        module = ast.parse(source)
    except SyntaxError as exc:
        raise MalformedSnippetError(f"{where}: syntax error line {exc.lineno}: {exc.msg}") from exc
    doc = ast.get_docstring(module, clean=True)
    if not doc or not doc.strip():
        raise MalformedSnippetError(f"{where}: no module docstring (the first line is the summary)")
    lines = doc.splitlines()
    summary = lines[0].strip()
    if not summary:
        raise MalformedSnippetError(f"{where}: the docstring's first line (summary) is empty")
    meta: dict[str, str] = {}
    description: list[str] = []
    for line in lines[1:]:
        match = _META.match(line)
        if match and match.group(1).lower() not in meta:
            meta[match.group(1).lower()] = match.group(2)
        elif not meta and not line.lower().startswith("example"):
            description.append(line)
    version = 1
    if "version" in meta:
        try:
            version = int(meta["version"])
        except ValueError:
            raise MalformedSnippetError(
                f"{where}: 'version: {meta['version']}' is not an integer"
            ) from None
        if version < 1:
            raise MalformedSnippetError(f"{where}: version must be >= 1")
    return Snippet(
        name=name,
        summary=summary,
        source=source,
        tags=tuple(t.lower() for t in _split_list(meta.get("tags", ""))),
        requires=_split_list(meta.get("requires", "")),
        version=version,
        description="\n".join(description).strip(),
        path=path,
    )


def parse_snippet_file(path: Path, name: str, *, origin: str = "built-in") -> Snippet:
    """Read and parse the snippet file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedSnippetError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
    snippet = parse_snippet_text(text, name, path=path)
    return Snippet(**{**snippet.__dict__, "origin": origin})
