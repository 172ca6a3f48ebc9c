"""Jinja filters that escape an answer for the file type it lands in.

Answers are free text (a description with quotes, an author like ``C:\\Users\\me``, a newline):
each filter turns one into a valid literal of its language, so every generated file parses.
cookiecutter loads this module from the template folder (``_extensions`` in cookiecutter.json),
so plain ``cookiecutter`` renders the same as ``toolkit new``.

- ``toml_str``: a TOML basic string, quotes included: ``Jane "JJ" Doe`` -> ``"Jane \\"JJ\\" Doe"``
- ``yaml_str``: a YAML double-quoted scalar, quotes included (JSON escapes are valid YAML)
- ``py_docstring``: one line safe between triple quotes (backslashes, quotes, controls escaped)
- ``md_text``: one line of Markdown text, whitespace collapsed, markup characters escaped
- ``one_line``: plain text on one line (LICENSE), whitespace runs collapsed to one space
"""

import json
import re

from jinja2.ext import Extension

_TOML_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
# Markup anywhere in a line (`#` too: a trailing " #" closes an ATX heading), and what starts a
# block only at the start of one.
_MARKDOWN_INLINE = re.compile(r"([\\`*\[\]<>|&~#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_MARKDOWN_BLOCK_START = re.compile(r"^([#>+=-])")
_MARKDOWN_ORDERED_ITEM = re.compile(r"^(\d+)([.)])")


def _control_escape(char: str) -> str:
    return f"\\u{ord(char):04X}"


def toml_str(value: object) -> str:
    text = str(value)
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(_control_escape(char))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def yaml_str(value: object) -> str:
    # json.dumps escapes quotes, backslashes and C0 controls; ensure_ascii escapes what YAML 1.1
    # readers reject (C1 controls, U+FEFF, U+2028, ...) as \\uXXXX, which YAML reads back.
    return json.dumps(str(value), ensure_ascii=True)


def py_docstring(value: object) -> str:
    text = one_line(value).replace("\\", "\\\\").replace('"', '\\"')
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif code in (0x2028, 0x2029, 0x85, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def one_line(value: object) -> str:
    return " ".join(str(value).split())


def md_text(value: object) -> str:
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", one_line(value))
    escaped = _MARKDOWN_ORDERED_ITEM.sub(r"\1\\\2", escaped)
    return _MARKDOWN_BLOCK_START.sub(r"\\\1", escaped)


class EscapeFilters(Extension):
    """Registers the filters above on cookiecutter's Jinja environment."""

    def __init__(self, environment):  # type: ignore[no-untyped-def]
        super().__init__(environment)
        environment.filters.update(
            toml_str=toml_str,
            yaml_str=yaml_str,
            py_docstring=py_docstring,
            one_line=one_line,
            md_text=md_text,
        )
