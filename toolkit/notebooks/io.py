"""Format-preserving notebook I/O: what the user did not ask to change stays byte-for-byte.

A notebook is parsed by the C scanner behind ``json.loads`` (no nbformat import on the hook's
hot path; ``json`` itself, with ``re``, loads only to word an error or to write) and its JSON
style is remembered: indentation, whether non-ASCII text was written
as-is or as ``\\uXXXX`` escapes, line endings and the trailing newline. Key order is preserved
because dicts keep insertion order. Writing uses the same style, atomically.

Example:
    >>> nb, style = loads_notebook('{\\n "cells": [],\\n "metadata": {},\\n "nbformat": 4,\\n'
    ...                            ' "nbformat_minor": 5\\n}\\n')
    >>> style.indent, style.trailing_newline
    (1, True)
"""

from __future__ import annotations

import os

from toolkit._record import Record
from toolkit.errors import InvalidNotebookError

# Lean imports: the notebook hooks load this module on every start, and typing, pathlib,
# json and re each cost 7-10 ms to import on a slow machine.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Notebook = dict[str, Any]


# A \uXXXX escape of a non-ASCII character: the file was written with ensure_ascii.
_ESCAPED_NON_ASCII = (
    r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)


class JsonStyle(Record):
    """How a notebook file was written, so a rewrite looks the same."""

    __slots__ = ("ensure_ascii", "indent", "newline", "separators", "trailing_newline")

    def __init__(
        self,
        indent: int | str | None = 1,
        ensure_ascii: bool = False,
        newline: str = "\n",
        trailing_newline: bool = True,
        separators: tuple[str, str] = (",", ": "),
    ) -> None:
        self.indent, self.ensure_ascii, self.newline = indent, ensure_ascii, newline
        self.trailing_newline, self.separators = trailing_newline, separators


def detect_style(text: str) -> JsonStyle:
    """Infer the JSON style of ``text`` (a notebook file's content)."""
    import re  # only when a file is rewritten

    from toolkit._io import dominant_newline

    newline = dominant_newline(text)
    body = text.lstrip("\ufeff")
    # Look only at the start of the second line: slicing the whole text would copy megabytes.
    match = re.match(r"[^\n]*\n([ \t]*)", body)
    indent: int | str | None = None
    if match and match.group(1):
        whitespace = match.group(1)
        indent = "\t" if whitespace.startswith("\t") else len(whitespace)
    if indent is not None:
        separators = (",", ": ")
    else:  # one-line JSON: json.dumps' default (", ", ": ") or fully compact (",", ":")
        separators = (", ", ": ") if '": ' in body[:4096] else (",", ":")
    # str.isascii is C-speed; a per-character scan cost ~50 ms on a large notebook.
    ensure_ascii = body.isascii() and bool(re.search(_ESCAPED_NON_ASCII, body))
    return JsonStyle(indent, ensure_ascii, newline, text.endswith("\n"), separators)


def check_structure(nb: Any, name: str) -> Notebook:
    """Light validation of what the stripping code relies on; raises with the file's name."""
    if not isinstance(nb, dict):
        raise InvalidNotebookError(f"{name}: not a notebook (top-level JSON is not an object)")
    version = nb.get("nbformat")
    if version is None or ("cells" not in nb and "worksheets" not in nb):
        raise InvalidNotebookError(f"{name}: not a notebook (no 'nbformat' or 'cells' key)")
    if version != 4:
        raise InvalidNotebookError(
            f"{name}: unsupported nbformat {version!r}; convert it with "
            "'jupyter nbconvert --to notebook --nbformat 4'"
        )
    cells = nb.get("cells")
    if not isinstance(cells, list) or not all(
        isinstance(cell, dict) and "cell_type" in cell for cell in cells
    ):
        raise InvalidNotebookError(f"{name}: malformed notebook ('cells' must be a list of cells)")
    if not isinstance(nb.get("metadata", {}), dict):
        raise InvalidNotebookError(f"{name}: malformed notebook ('metadata' is not an object)")
    return nb


def parse_json(text: str, name: str) -> Any:
    """``json.loads(text)``, by the same C scanner but without importing ``json`` (and ``re``);
    invalid JSON raises :class:`InvalidNotebookError` naming ``name``, the reason and the line.
    """
    from toolkit.notebooks.jsonspans import NotSpliceable, scan_value, skip_whitespace

    if not text.strip():
        raise InvalidNotebookError(f"{name}: empty file, not a notebook")
    try:
        value, end = scan_value(text, skip_whitespace(text, 0))
        if text[end:].strip(" \t\n\r"):
            raise NotSpliceable("extra data")
    except NotSpliceable:
        import json  # to word the error exactly as json.loads does

        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidNotebookError(
                f"{name}: invalid JSON ({exc.msg} at line {exc.lineno})"
            ) from None
        raise InvalidNotebookError(f"{name}: invalid JSON") from None
    return value


def loads_notebook(text: str, name: str = "<notebook>") -> tuple[Notebook, JsonStyle]:
    """Parse notebook JSON text; return the notebook and its style."""
    return check_structure(parse_json(text, name), name), detect_style(text)


def _read_text(path: str | os.PathLike[str]) -> str:
    from toolkit._io import read_bytes  # a FIFO named *.ipynb is refused, never waited on
    from toolkit.errors import FileReadError

    name = os.fspath(path)
    try:
        return read_bytes(name)[0].decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidNotebookError(f"{name}: not UTF-8 text, so not a notebook") from None
    except FileReadError as exc:
        raise InvalidNotebookError(str(exc)) from None


def load_notebook(path: str | os.PathLike[str]) -> Notebook:
    """Read and check a notebook file (without its style: for checks that only read).

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "nb.ipynb")
        >>> with open(path, "w") as f:
        ...     _ = f.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        >>> load_notebook(path)["nbformat"]
        4
    """
    return check_structure(parse_json(_read_text(path), os.fspath(path)), os.fspath(path))


def read_notebook(path: str | os.PathLike[str]) -> tuple[Notebook, JsonStyle]:
    """Read a notebook file; a file that is not a usable notebook raises naming the file."""
    return loads_notebook(_read_text(path), os.fspath(path))


def dumps_notebook(nb: Notebook, style: JsonStyle = JsonStyle()) -> str:
    """Serialise ``nb`` in ``style`` (the inverse of :func:`loads_notebook` for unchanged data)."""
    import json

    text = json.dumps(
        nb, indent=style.indent, ensure_ascii=style.ensure_ascii, separators=style.separators
    )
    if style.trailing_newline:
        text += "\n"
    if style.newline != "\n":
        text = text.replace("\n", style.newline)
    return text


def write_notebook(
    path: str | os.PathLike[str], nb: Notebook, style: JsonStyle = JsonStyle()
) -> None:
    """Write ``nb`` to ``path`` atomically in ``style``."""
    from toolkit._io import atomic_write_bytes

    atomic_write_bytes(path, dumps_notebook(nb, style).encode("utf-8"))
