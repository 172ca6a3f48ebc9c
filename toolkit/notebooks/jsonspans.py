"""JSON text with positions: where each object member and array item sits in the text.

``json.loads`` parses values but forgets where they were. Stripping a notebook by splicing
small edits into the original text (so everything untouched stays byte-for-byte and is never
re-encoded) needs those positions. Values are parsed by the C scanner behind ``json.loads``
(``_json.make_scanner``); this module only walks the punctuation between them. It imports
nothing but ``_json``: importing ``json`` pulls in ``re`` and costs a hook ~8 ms per start.

Anything unexpected raises :class:`NotSpliceable`; callers then take the plain
parse-and-rewrite path, which also produces the precise error message for invalid JSON.

Example:
    >>> text = '{"a": 1, "b": [true, null]}'
    >>> members, end = object_members(text, 0)
    >>> [(m.key, m.value, text[m.value_start:m.end]) for m in members], end
    ([('a', 1, '1'), ('b', [True, None], '[true, null]')], 27)
    >>> rebuild(text, 0, end, members, keep=[1], values={})
    '{"b": [true, null]}'
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    Parser = Callable[[str, int], tuple[object, int]]

_WHITESPACE = " \t\n\r"


class NotSpliceable(Exception):
    """The text is not in a shape the splicing path handles; use the parse-and-rewrite path."""


class _DecoderContext:
    """The attributes ``_json.make_scanner`` reads from a ``json.JSONDecoder``."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {  # what json.loads accepts beyond strict JSON
        "NaN": float("nan"),
        "Infinity": float("inf"),
        "-Infinity": float("-inf"),
    }.__getitem__


def _make_scan_once() -> Callable[[str, int], tuple[object, int]]:
    scan: Callable[[str, int], tuple[object, int]]
    try:
        from _json import make_scanner
    except ImportError:  # a Python without the C accelerator: the pure-Python scanner
        from json import JSONDecoder

        scan = JSONDecoder().scan_once  # type: ignore[attr-defined]
        return scan
    scan = make_scanner(_DecoderContext())  # type: ignore[arg-type]
    return scan


_scan = _make_scan_once()


def scan_value(text: str, index: int) -> tuple[object, int]:
    """Parse the JSON value starting exactly at ``index``; return it and the index after it."""
    try:
        return _scan(text, index)
    except Exception:  # StopIteration (no value here), JSONDecodeError, RecursionError
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
        self.key, self.start, self.value_start, self.end, self.value = (
            key,
            start,
            value_start,
            end,
            value,
        )


def _expect(text: str, index: int, char: str) -> None:
    if text[index : index + 1] != char:
        raise NotSpliceable(f"expected {char!r} at offset {index}")


def _container(
    text: str, index: int, brackets: str, read_item: Callable[[int], Member]
) -> tuple[list[Member], int]:
    """Items of the object or array opening at ``text[index] == brackets[0]``, each read by
    ``read_item(start)``, and the index after the closing ``brackets[1]``."""
    _expect(text, index, brackets[0])
    items: list[Member] = []
    index = skip_whitespace(text, index + 1)
    if text[index] == brackets[1]:
        return items, index + 1
    while True:
        item = read_item(index)
        items.append(item)
        index = skip_whitespace(text, item.end)
        if text[index] == brackets[1]:
            return items, index + 1
        _expect(text, index, ",")
        index = skip_whitespace(text, index + 1)


def object_members(
    text: str, index: int, parser_for: Callable[[str], Parser | None] | None = None
) -> tuple[list[Member], int]:
    """Members of the object starting at ``text[index] == '{'`` and the index after its ``}``.

    Values are parsed by the C scanner, or by ``parser_for(key)`` when that returns a parser
    (to walk into a member with positions). Duplicate keys raise :class:`NotSpliceable`:
    ``json.loads`` keeps only the last, and an edit could not say which.
    """

    def member(start: int) -> Member:
        _expect(text, start, '"')
        key, after_key = scan_value(text, start)
        colon = skip_whitespace(text, after_key)
        _expect(text, colon, ":")
        value_start = skip_whitespace(text, colon + 1)
        parse = (parser_for(str(key)) if parser_for else None) or scan_value
        value, end = parse(text, value_start)
        return Member(str(key), start, value_start, end, value)

    members, end = _container(text, index, "{}", member)
    if len({member.key for member in members}) != len(members):
        raise NotSpliceable("duplicate keys in an object")
    return members, end


def array_items(text: str, index: int, parse: Parser = scan_value) -> tuple[list[Member], int]:
    """Items of the array starting at ``text[index] == '['`` and the index after its ``]``."""

    def item(start: int) -> Member:
        value, end = parse(text, start)
        return Member("", start, start, end, value)

    return _container(text, index, "[]", item)


def rebuild(
    text: str,
    start: int,
    end: int,
    members: Sequence[Member],
    keep: Sequence[int],
    values: dict[int, str],
) -> str:
    """Text of the container ``text[start:end]`` keeping only members ``keep`` (in order), with
    the value text of member ``i`` replaced by ``values[i]`` where given.

    Whitespace and separators are reused from the original, so for a file written by
    ``json.dumps(indent=...)`` the result is exactly what ``json.dumps`` writes for the edited
    container; an emptied container becomes ``{}``/``[]``, as ``json.dumps`` writes it.
    """
    if not keep:
        return text[start] + text[end - 1]
    if not members:
        raise NotSpliceable("nothing to rebuild")
    pieces = [text[start : members[0].start]]
    for position, index in enumerate(keep):
        member = members[index]
        if index in values:
            pieces.append(text[member.start : member.value_start])
            pieces.append(values[index])
        else:
            pieces.append(text[member.start : member.end])
        if position + 1 < len(keep):  # the separator that followed it in the original
            pieces.append(text[member.end : members[index + 1].start])
    pieces.append(text[members[-1].end : end])
    return "".join(pieces)
