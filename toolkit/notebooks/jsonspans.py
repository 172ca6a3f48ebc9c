"""JSON text with positions: where each object member and array item sits in the text.

``json.loads`` parses values but forgets where they were. Stripping a notebook by splicing
small edits into the original text (so everything untouched stays byte-for-byte and is never
re-encoded) needs those positions. Values are parsed by the C scanner behind ``json.loads``
(``_json.make_scanner``); this module only walks the punctuation between them. It imports
nothing but ``_json``: importing ``json`` pulls in ``re`` and costs a hook ~8 ms per start.

The scanner is strict JSON: ``NaN``/``Infinity`` (which ``json.loads`` accepts) and control
characters in strings are refused, so a text this module accepts can be written back as
strict JSON. Duplicate keys are legal JSON: every occurrence is listed, in order, and readers
(``json.loads``, nbformat, Jupyter) use the last. Anything unexpected raises
:class:`NotSpliceable` (:class:`TooDeep` for nesting beyond the C scanner's recursion limit).

Example:
    >>> text = '{"a": 1, "b": [true, null], "a" : 2}'
    >>> members, end = object_members(text, 0)
    >>> [(m.key, text[m.value_start:m.end]) for m in members], end
    ([('a', '1'), ('b', '[true, null]'), ('a', '2')], 36)
    >>> rebuild(text, 0, end, members, keep=[1, 2], values={2: "3"})
    '{"b": [true, null], "a" : 3}'
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import AnyStr

    Parser = Callable[[str, int], tuple[object, int]]

_WHITESPACE = " \t\n\r"


class NotSpliceable(Exception):
    """The text is not strict JSON in a shape this module walks."""


class TooDeep(NotSpliceable):
    """Nesting deeper than the C scanner's recursion limit (about 1,000 levels)."""


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not strict JSON")


class _DecoderContext:
    """The attributes ``_json.make_scanner`` reads from a ``json.JSONDecoder``."""

    strict = True  # control characters inside strings are invalid JSON
    object_hook = None
    object_pairs_hook = None
    parse_float = float  # 1e400 becomes inf in memory only: the text is never re-encoded
    parse_int = int
    parse_constant = staticmethod(_refuse_constant)


def _make_scan_once() -> Callable[[str, int], tuple[object, int]]:
    scan: Callable[[str, int], tuple[object, int]]
    try:
        from _json import make_scanner
    except ImportError:  # a Python without the C accelerator: the pure-Python scanner
        from json import JSONDecoder

        scan = JSONDecoder(parse_constant=_refuse_constant).scan_once  # type: ignore[attr-defined]
        return scan
    scan = make_scanner(_DecoderContext())  # type: ignore[arg-type]
    return scan


_scan = _make_scan_once()


def scan_value(text: str, index: int) -> tuple[object, int]:
    """Parse the JSON value starting exactly at ``index``; return it and the index after it."""
    try:
        return _scan(text, index)
    except RecursionError:
        raise TooDeep(f"nesting too deep at offset {index}") from None
    except Exception:  # StopIteration (no value here), JSONDecodeError, a refused constant
        raise NotSpliceable(f"no valid JSON value at offset {index}") from None


def skip_whitespace(text: str, index: int) -> int:
    """Index of the first non-whitespace character at or after ``index``."""
    try:
        while text[index] in _WHITESPACE:
            index += 1
    except IndexError:
        raise NotSpliceable("unexpected end of text") from None
    return index


class Member:
    """One object member or array item: its parsed value and where it sits in the text.

    ``start`` is where the member begins (its key, or the value for array items),
    ``value_start``/``end`` delimit the value's text.
    """

    __slots__ = ("end", "key", "start", "value", "value_start")

    def __init__(self, key: str, start: int, value_start: int, end: int, value: object) -> None:
        self.key, self.start, self.value_start, self.end = key, start, value_start, end
        self.value = value


def object_members(
    text: str, index: int, parser_for: Callable[[str], Parser | None] | None = None
) -> tuple[list[Member], int]:
    """Members of the object starting at ``text[index] == '{'`` (every occurrence of a
    duplicated key, in order) and the index after its ``}``.

    Values are parsed by the C scanner, or by ``parser_for(key)`` when that returns a parser
    (to walk into a member with positions). One loop with the whitespace skips inline: this
    walk runs for every member of every edited cell, and a function call per separator was
    most of a one-file hook run's stripping time.
    """
    scan = _scan
    members: list[Member] = []
    try:
        if text[index] != "{":
            raise NotSpliceable(f"expected '{{' at offset {index}")
        index += 1
        while text[index] in _WHITESPACE:
            index += 1
        if text[index] == "}":
            return members, index + 1
        while True:
            start = index
            if text[index] != '"':
                raise NotSpliceable(f"expected a key at offset {index}")
            close = text.find('"', index + 1)
            key = text[index + 1 : close]
            if close < 0 or "\\" in key or not key.isprintable():  # escapes, control bytes
                scanned, index = scan(text, index)
                key = str(scanned)
            else:  # a plain key is its characters between the quotes: no scanner call
                index = close + 1
            while text[index] in _WHITESPACE:
                index += 1
            if text[index] != ":":
                raise NotSpliceable(f"expected ':' at offset {index}")
            index += 1
            while text[index] in _WHITESPACE:
                index += 1
            value_start = index
            parse = parser_for(key) if parser_for is not None else None
            value, index = scan(text, index) if parse is None else parse(text, index)
            members.append(Member(key, start, value_start, index, value))
            while text[index] in _WHITESPACE:
                index += 1
            if text[index] == "}":
                return members, index + 1
            if text[index] != ",":
                raise NotSpliceable(f"expected ',' or '}}' at offset {index}")
            index += 1
            while text[index] in _WHITESPACE:
                index += 1
    except NotSpliceable:
        raise
    except RecursionError:
        raise TooDeep(f"nesting too deep at offset {index}") from None
    except Exception:  # the end, no value, invalid JSON, a constant; deep nesting in a thread
        raise NotSpliceable(f"no valid JSON at offset {index}") from None  # (a SystemError)


def array_items(text: str, index: int, parse: Parser | None = None) -> tuple[list[Member], int]:
    """Items of the array starting at ``text[index] == '['`` and the index after its ``]``
    (each parsed by ``parse``, default the C scanner)."""
    scan = parse or _scan
    items: list[Member] = []
    try:
        if text[index] != "[":
            raise NotSpliceable(f"expected '[' at offset {index}")
        index += 1
        while text[index] in _WHITESPACE:
            index += 1
        if text[index] == "]":
            return items, index + 1
        while True:
            start = index
            value, index = scan(text, index)
            items.append(Member("", start, start, index, value))
            while text[index] in _WHITESPACE:
                index += 1
            if text[index] == "]":
                return items, index + 1
            if text[index] != ",":
                raise NotSpliceable(f"expected ',' or ']' at offset {index}")
            index += 1
            while text[index] in _WHITESPACE:
                index += 1
    except NotSpliceable:
        raise
    except RecursionError:
        raise TooDeep(f"nesting too deep at offset {index}") from None
    except Exception:  # as in object_members
        raise NotSpliceable(f"no valid JSON at offset {index}") from None


def last_wins(members: Sequence[Member]) -> dict[str, object]:
    """The object the members mean: the last occurrence of a duplicated key wins (at the
    first occurrence's place in the order, as ``json.loads`` builds it)."""
    return {member.key: member.value for member in members}


def rebuild(
    text: AnyStr,
    start: int,
    end: int,
    members: Sequence[Member],
    keep: Sequence[int],
    values: dict[int, AnyStr],
) -> AnyStr:
    """Text of the container ``text[start:end]`` keeping only members ``keep`` (in order), with
    the value text of member ``i`` replaced by ``values[i]`` where given. Works on ``str`` and,
    for the fast path (:mod:`toolkit.notebooks.fastsplice`), on the file's ``bytes``.

    Whitespace and separators are reused from the original, so for a file written by
    ``json.dumps(indent=...)`` the result is exactly what ``json.dumps`` writes for the edited
    container; an emptied container becomes ``{}``/``[]``, as ``json.dumps`` writes it.
    """
    if not keep:
        return text[start : start + 1] + text[end - 1 : end]
    if not members:
        raise NotSpliceable("nothing to rebuild")
    # Original text is copied in runs: from ``run`` up to ``to`` is still to be copied, and a
    # kept member that starts where the run ends (with the separator before it) extends it.
    pieces = []
    run, to = start, members[0].start
    last = len(keep) - 1
    for position, index in enumerate(keep):
        member = members[index]
        if member.start != to:  # members were left out before this one
            pieces.append(text[run:to])
            run = member.start
        if index in values:
            pieces.append(text[run : member.value_start])
            pieces.append(values[index])
            run = member.end
        # the separator that followed it in the original, unless it is the last one kept
        to = members[index + 1].start if position < last else member.end
    if to != members[-1].end:  # the last member was left out
        pieces.append(text[run:to])
        run = members[-1].end
    pieces.append(text[run:end])
    return text[:0].join(pieces)
