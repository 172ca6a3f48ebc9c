"""The rule every notebook hook keeps, as an assertion, and a JSON writer of unusual layouts.

The rule (issue 15): a hook either writes a file that parses as strict JSON, means what the
options asked, and differs from the input only where they asked; or it leaves the file
untouched, says why in one line, and processes the other files.

"Differs only where asked" is checked independently of the code under test: both texts are
cut into JSON tokens as spelled (strings with their escapes, numbers as written, whitespace
runs with their line ends), and every token of the result must be a token of the input,
except the few the edits write (``null``, ``[]``, a renumbered id). A whole-file re-encoding
respells strings, numbers or whitespace, and fails that.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from typing import Any

from toolkit.notebooks.strip import StripOptions, strip_notebook

_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}\[\]:,]|[ \t\r\n]+',
    re.S,
)
# What stripping writes: null counts, [] outputs, "0", "1", … ids, {} for an emptied object.
_WRITTEN = re.compile(r'null|\[|\]|\{|\}|,|:|"\d+"|[ \t\r\n]+')


def tokens(text: str) -> list[str]:
    """``text`` as JSON tokens, each spelled as in the text (the text must be fully lexed)."""
    found = _TOKEN.findall(text.lstrip("\ufeff"))
    assert "".join(found) == text.lstrip("\ufeff"), "text is not made of JSON tokens"
    return found


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not strict JSON")


def strict_loads(data: bytes) -> Any:
    """Parse as strict JSON (UTF-8, no NaN/Infinity), as a careful reader would."""
    return json.loads(data.decode("utf-8").lstrip("\ufeff"), parse_constant=_refuse)


def assert_stripped_per_rule(before: bytes, after: bytes, options: StripOptions) -> None:
    """``after`` is ``before`` stripped as ``options`` ask, and only that."""
    expected = strip_notebook(json.loads(before.decode("utf-8").lstrip("\ufeff")), options)
    assert strict_loads(after) == expected, "the result does not mean the stripped notebook"
    extra = Counter(tokens(after.decode("utf-8"))) - Counter(tokens(before.decode("utf-8")))
    respelled = sorted(token for token in extra if not _WRITTEN.fullmatch(token))
    assert not respelled, f"re-encoded outside the edits: {respelled[:5]}"
    assert before.startswith(b"\xef\xbb\xbf") == after.startswith(b"\xef\xbb\xbf")


def assert_refused_per_rule(name: str, before: bytes, after: bytes, message: str) -> None:
    """Untouched, and one line that names the file."""
    assert after == before, "a refused file must be left untouched"
    assert name in message and "\n" not in message.strip(), message
    assert "Traceback" not in message


# --- a JSON writer of the layouts people and tools produce --------------------------------


class Layout:
    """How to write JSON text: indentation, separators (whitespace before colons too), key
    order, escapes, number spellings, line ends, and duplicate keys to inject."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.indent: str | None = rng.choice([None, "", " ", "  ", "    ", "\t"])
        self.colon = rng.choice([": ", ":", " : ", " :"])
        self.comma = rng.choice([",", ", "]) if self.indent is None else ","
        self.newline = rng.choice(["\n", "\n", "\r\n", "\r", "mixed"])
        self.ensure_ascii = rng.random() < 0.3
        self.escape_slash = rng.random() < 0.2
        self.shuffle = rng.random() < 0.3
        self.duplicates = rng.random() < 0.25
        self.trailing = rng.choice(["", "\n", "\n\n", " \n", "\r\n"])

    def _eol(self) -> str:
        if self.newline == "mixed":
            return self.rng.choice(["\n", "\r\n", "\r"])
        return self.newline

    def string(self, value: str) -> str:
        text = json.dumps(value, ensure_ascii=self.ensure_ascii)
        if not self.ensure_ascii:  # a lone surrogate cannot be UTF-8: always an escape
            text = "".join(f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
        return text.replace("/", "\\/") if self.escape_slash else text

    def number(self, value: int | float | str) -> str:
        return value if isinstance(value, str) else json.dumps(value)

    def dump(self, value: Any, depth: int = 0) -> str:
        pad = None if self.indent is None else self._eol() + self.indent * (depth + 1)
        close = "" if self.indent is None else self._eol() + self.indent * depth
        if isinstance(value, Spelled):
            return value.text
        if isinstance(value, dict):
            items = list(value.items())
            if self.shuffle:
                self.rng.shuffle(items)
            if not items:
                return "{}"
            members = [f"{self.string(k)}{self.colon}{self.dump(v, depth + 1)}" for k, v in items]
            if self.duplicates and self.rng.random() < 0.3:
                # An earlier occurrence that readers never see (the last wins).
                key = self.rng.choice([k for k, _ in items])
                dead = self.rng.choice(['"dead"', "[1, 2]", '{"q": 1}', "null"])
                members.insert(0, f"{self.string(key)}{self.colon}{dead}")
            return self._join("{", members, "}", pad, close)
        if isinstance(value, list):
            if not value:
                return "[]"
            return self._join("[", [self.dump(v, depth + 1) for v in value], "]", pad, close)
        if isinstance(value, str):
            return self.string(value)
        if value is None or isinstance(value, bool):
            return json.dumps(value)
        return self.number(value)

    def _join(self, open_: str, parts: list[str], end: str, pad: str | None, close: str) -> str:
        if pad is None:
            return open_ + self.comma.join(parts) + end
        return open_ + pad + (self.comma + pad).join(parts) + close + end

    def document(self, value: Any) -> bytes:
        return (self.dump(value) + self.trailing).encode("utf-8")


class Spelled:
    """A number written exactly so (``1.50``, ``1E5``, ``1e400``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:  # pragma: no cover - never compared
        return NotImplemented
