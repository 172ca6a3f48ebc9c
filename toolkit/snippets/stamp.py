"""Stamp markers around copied snippets, content hashes, and formatting-blind comparison.

A copy looks like::

    # >>> snippet cv/nms v3 sha256:0123456789abcdef
    ...the snippet's code...
    # <<< snippet cv/nms

The hash is the first 16 hex digits of the SHA-256 of the exact text that was copied (the base),
which is also the key of its receipt in ``.toolkit/snippets/``. A trailing ``diverged`` flag on
the start marker records that the copy intentionally departs from the library.

``normalise`` makes comparisons blind to formatting: it compares Python token streams, so
whitespace, blank lines, indentation width, quote style and the trailing commas ruff adds or
removes do not count; comments and code do.

Example:
    >>> normalise("x = {'a': 1,}\\n\\n\\n") == normalise('x = {"a": 1}\\n')
    True
    >>> normalise("x = 1  # keep\\n") == normalise("x = 1\\n")
    False
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import FileReadError, UsageError

if TYPE_CHECKING:
    from toolkit._io import FileState

_START = re.compile(
    r"^(?P<indent>[ \t]*)# >>> snippet (?P<name>\S+) v(?P<version>\d+) sha256:(?P<hash>[0-9a-f]+)"
    r"(?P<flags>(?: \w+)*)[ \t]*$"
)
_END = re.compile(r"^[ \t]*# <<< snippet (?P<name>\S+)[ \t]*$")
_CLOSERS = {")", "]", "}"}


def content_hash(text: str) -> str:
    """The 16-hex-digit hash of ``text`` used in stamps and receipt names.

    >>> content_hash("x = 1\\n")
    '9e26bf369911c45c'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def start_marker(
    name: str, version: int, digest: str, *, diverged: bool = False, flags: tuple[str, ...] = ()
) -> str:
    """The opening stamp line (without newline); ``flags`` like ``hoisted`` are kept in order.

    >>> start_marker("a/b", 2, "00", diverged=True, flags=("hoisted",))
    '# >>> snippet a/b v2 sha256:00 hoisted diverged'
    """
    kept = [f for f in flags if f != "diverged"] + (["diverged"] if diverged else [])
    return f"# >>> snippet {name} v{version} sha256:{digest}" + "".join(f" {f}" for f in kept)


def end_marker(name: str) -> str:
    """The closing stamp line (without newline)."""
    return f"# <<< snippet {name}"


def render_block(
    name: str,
    version: int,
    text: str,
    *,
    diverged: bool = False,
    digest: str | None = None,
    flags: tuple[str, ...] = (),
) -> str:
    """``text`` between stamp markers; ``digest`` names the base (default: hash of ``text``).

    The body gets the blank lines ``ruff format`` wants before the end marker (two after a
    trailing def or class), so a fresh copy passes the project's format check.
    """
    from toolkit.snippets.place import pad_body

    body = text if text.endswith("\n") or not text else text + "\n"
    digest = digest or content_hash(body)
    start = start_marker(name, version, digest, diverged=diverged, flags=flags)
    return f"{start}\n{pad_body(body)}{end_marker(name)}\n"


@dataclass(frozen=True)
class Block:
    """A stamped copy found in a file: lines ``start``..``end`` (0-based, markers included)."""

    name: str
    version: int
    digest: str
    diverged: bool
    start: int
    end: int
    body: str
    flags: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """The body without the blank lines kept before the end marker for ruff format."""
        core = self.body.rstrip("\n")
        return core + "\n" if core else ""

    @property
    def hoisted(self) -> bool:
        """True when the copy's imports were merged into the module (``add --into``)."""
        return "hoisted" in self.flags

    @property
    def has_conflict_markers(self) -> bool:
        """True while an update's conflict markers are still unresolved in the body."""
        return any(line.startswith(("<<<<<<< ", ">>>>>>> ")) for line in self.body.splitlines())


def _comment_lines(text: str) -> set[int] | None:
    """0-based lines that are whole-line comments, or None when ``text`` does not tokenize."""
    try:
        return {
            tok.start[0] - 1
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT and not tok.line[: tok.start[1]].strip()
        }
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None  # mid-edit or conflicted text: every marker-shaped line counts


def find_blocks(text: str, *, where: str = "<text>") -> list[Block]:
    """Every stamped block in ``text``; UsageError (exit 2) for an unterminated or nested marker.

    Only real comments count: a marker-shaped line inside a string (a docstring that shows a
    stamped copy, say) is text, not a copy.

    >>> doc = "'''Copies look like:\\n# >>> snippet a/b v1 sha256:00\\n'''\\n"
    >>> find_blocks(doc)
    []
    """
    lines = text.split("\n")
    blocks: list[Block] = []
    open_at: int | None = None
    match: re.Match[str] | None = None
    comments = _comment_lines(text) if "# >>> snippet " in text else set()
    for i, line in enumerate(lines):
        if comments is not None and i not in comments:
            continue
        start = _START.match(line)
        if start:
            if open_at is not None and match is not None:
                raise UsageError(
                    f"{where}:{i + 1}: snippet marker inside snippet {match['name']!r} "
                    f"(opened line {open_at + 1}); fix the markers by hand"
                )
            open_at, match = i, start
            continue
        end = _END.match(line)
        if end and open_at is not None and match is not None:
            if end["name"] != match["name"]:
                raise UsageError(
                    f"{where}:{i + 1}: end marker for {end['name']!r} closes snippet "
                    f"{match['name']!r} opened line {open_at + 1}"
                )
            body_lines = lines[open_at + 1 : i]
            blocks.append(
                Block(
                    name=match["name"],
                    version=int(match["version"]),
                    digest=match["hash"],
                    diverged="diverged" in match["flags"].split(),
                    start=open_at,
                    end=i,
                    body="\n".join(body_lines) + ("\n" if body_lines else ""),
                    flags=tuple(match["flags"].split()),
                )
            )
            open_at, match = None, None
    if open_at is not None and match is not None:
        raise UsageError(
            f"{where}:{open_at + 1}: snippet {match['name']!r} has no end marker "
            f"'{end_marker(match['name'])}'"
        )
    return blocks


def strip_markers(text: str) -> str:
    """``text`` without stamp marker lines (the code between them is kept).

    >>> strip_markers("# >>> snippet a/b v1 sha256:00\\nx = 1\\n# <<< snippet a/b\\n")
    'x = 1\\n'
    """
    lines = text.split("\n")
    return "\n".join(line for line in lines if not (_START.match(line) or _END.match(line)))


def replace_block(text: str, block: Block, new_block: str) -> str:
    """``text`` with ``block`` (markers included) replaced by ``new_block`` (ends with newline)."""
    lines = text.split("\n")
    replacement = new_block.removesuffix("\n").split("\n")
    return "\n".join(lines[: block.start] + replacement + lines[block.end + 1 :])


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    gen = tokenize.generate_tokens(io.StringIO(text).readline)
    toks = [t for t in gen if t.type not in (tokenize.NL, tokenize.ENCODING)]
    for i, tok in enumerate(toks):
        if tok.type == tokenize.STRING:
            try:
                # Quote style and escape spelling do not change the value.
                out.append("S" + repr(ast.literal_eval(tok.string)))
            except (ValueError, SyntaxError):
                out.append(tok.string)
        elif tok.type == tokenize.COMMENT:
            out.append("#" + tok.string.lstrip("#").strip())
        elif tok.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE):
            out.append(tokenize.tok_name[tok.type])
        elif tok.type == tokenize.ENDMARKER:
            continue
        elif tok.string == "," and i + 1 < len(toks):
            nxt = toks[i + 1]
            # A trailing comma before a closing bracket is formatting (ruff's magic comma).
            if nxt.string not in _CLOSERS:
                out.append(",")
        else:
            out.append(tok.string)
    return out


def normalise(text: str) -> tuple[str, ...]:
    """A formatting-blind fingerprint of Python ``text`` (see the module docstring)."""
    try:
        return tuple(_tokens(text))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # Not valid Python (mid-edit): fall back to whitespace-insensitive lines.
        return tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())


def same_code(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ at most in formatting."""
    return a == b or normalise(a) == normalise(b)


def read_source(path: Path) -> tuple[str, str]:
    """Read ``path`` as UTF-8 with ``\\n`` line ends; return ``(text, original_newline)``."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc}); left untouched") from exc
    except OSError as exc:
        raise FileReadError(f"{path}: cannot read ({exc.strerror})") from exc
    from toolkit._io import dominant_newline

    newline = dominant_newline(raw)
    return raw.replace("\r\n", "\n"), newline


def write_source(
    path: Path, text: str, newline: str = "\n", *, expect: FileState | None = None
) -> None:
    """Atomically write ``text`` to ``path`` with the file's original line ends; ``expect``
    (see :func:`toolkit._io.atomic_write_bytes`) refuses to overwrite a file changed since."""
    from toolkit._io import atomic_write_text

    atomic_write_text(path, text, newline=newline, expect=expect)
