"""Objects written in one layout: an edit of their members without walking their bytes.

A file written by ``json.dumps(indent=...)`` (Jupyter, nbformat, most tools) spells every object
at one depth the same way: the same bytes after ``{``, between a key and its value, between
members and before ``}``. Given an object's members as msgspec read them (each value's raw
bytes, in order) and that :class:`Layout`, the object's bytes can be *rebuilt* by one join; when
the join equals the file's bytes, every byte is accounted for: the object is exactly those
members (no hidden duplicate key, no other spelling), and an edited object is the same join with
some members left out or some values replaced. That is what :func:`toolkit.notebooks.jsonspans
.rebuild` writes for the same edit (it reuses the same separators), without a Python step per
byte or per separator. A key whose JSON spelling is not its characters between quotes, or an
object in another layout, is not handled here (``None``): the caller walks it instead.

Example:
    >>> import msgspec
    >>> data = b'{\\n "a": 1,\\n "b": [2, 3]\\n}'
    >>> members = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
    >>> layout = Layout.of(data, members)
    >>> layout.is_written(data, 0, len(data), members), layout.close
    (True, b'\\n}')
    >>> hidden = data.replace(b'"a": 1,', b'"a": 1, "a": 0,')  # a duplicate key: not written so
    >>> read = msgspec.json.decode(hidden, type=dict[str, msgspec.Raw])
    >>> layout.is_written(hidden, 0, len(hidden), read)
    False
    >>> layout.join([("b", b"[]")])
    b'{\\n "b": []\\n}'
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Iterable

    from msgspec import Raw

_OPEN = re.compile(rb"\{[ \t\n\r]*")
_COLON = re.compile(rb"[ \t\n\r]*:[ \t\n\r]*")
_BETWEEN = re.compile(rb"[ \t\n\r]*,[ \t\n\r]*")
_WHITESPACE = frozenset(b" \t\n\r")


class Layout:
    """How the objects at one depth of a file are written: ``open`` (``{`` and the whitespace
    to the first key), ``colon`` (between a key and its value), ``between`` (between members),
    ``close`` (the whitespace after the last value, and ``}``)."""

    __slots__ = ("_prefixes", "between", "close", "colon", "open")

    def __init__(self, open: bytes, colon: bytes, between: bytes, close: bytes) -> None:
        self.open, self.colon, self.between, self.close = open, colon, between, close
        self._prefixes: dict[str, tuple[bytes, bytes] | None] = {}

    @classmethod
    def of(cls, written: bytes | Raw, members: dict[str, Raw]) -> Layout | None:
        """The layout of the object ``written`` (its bytes; its members as msgspec read them,
        not empty), read off its first two members and its end; ``None`` when its first key
        is spelled otherwise. (Whether the whole object is in it is :meth:`is_written`.)"""
        if not members:
            return None
        view = memoryview(written)
        opened = _OPEN.match(view)
        (key, value), *rest = members.items()
        token = _token(key)
        if opened is None or token is None:
            return None
        after_key = opened.end() + len(token)
        colon = _COLON.match(view, after_key)
        if view[opened.end() : after_key] != token or colon is None:
            return None
        between = b","
        if rest:
            found = _BETWEEN.match(view, colon.end() + len(value))
            if found is None:
                return None
            between = found.group()
        close = len(view) - 1
        while close > 0 and view[close - 1] in _WHITESPACE:
            close -= 1
        return cls(opened.group(), colon.group(), between, bytes(view[close:]))

    def prefixes(self, key: str) -> tuple[bytes, bytes] | None:
        """The bytes before ``key``'s value as the first member and as a later member, or
        ``None`` for a key JSON would spell with escapes (memoised: asked for every member)."""
        try:
            return self._prefixes[key]
        except KeyError:
            token = _token(key)
            found = None
            if token is not None:
                found = (token + self.colon, self.between + token + self.colon)
            self._prefixes[key] = found
            return found

    def join(self, members: Iterable[tuple[str, bytes | Raw]]) -> bytes | None:
        """The bytes of an object of ``members`` (keys and value bytes) in this layout; ``{}``
        when there are none; ``None`` when a key cannot be spelled plainly."""
        parts: list[bytes | Raw] = [self.open]
        for key, value in members:
            found = self.prefixes(key)
            if found is None:
                return None
            parts += (found[len(parts) > 1], value)
        if len(parts) == 1:
            return b"{}"
        parts.append(self.close)
        return b"".join(parts)

    def is_written(self, data: bytes, start: int, end: int, members: dict[str, Raw]) -> bool:
        """Whether ``data[start:end]`` is exactly the object of ``members`` in this layout:
        every byte compared, so nothing is hidden (a duplicate key, another spelling)."""
        joined = self.join(members.items()) if members else None
        return joined is not None and len(joined) == end - start and data.startswith(joined, start)


def _token(key: str) -> bytes | None:
    """``"key"`` as JSON spells it without escapes, or ``None`` when it needs them."""
    if '"' in key or "\\" in key or not key.isprintable():
        return None
    return b'"' + key.encode("utf-8") + b'"'
