"""Format-preserving notebook I/O: what the user did not ask to change stays byte-for-byte.

A notebook is read with the standard ``json`` module (fast; no nbformat import on the hook's
hot path) and its JSON style is remembered: indentation, whether non-ASCII text was written
as-is or as ``\\uXXXX`` escapes, line endings and the trailing newline. Key order is preserved
because dicts keep insertion order. Writing uses the same style, atomically.

Example:
    >>> nb, style = loads_notebook('{\\n "cells": [],\\n "metadata": {},\\n "nbformat": 4,\\n'
    ...                            ' "nbformat_minor": 5\\n}\\n')
    >>> style.indent, style.trailing_newline
    (1, True)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from toolkit.errors import InvalidNotebookError

Notebook = dict[str, Any]
_ESCAPED_NON_ASCII = re.compile(
    r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})"
)

_SECOND_LINE_INDENT = re.compile(r"[^\n]*\n([ \t]*)")


# NamedTuple, not dataclass: dataclasses imports inspect/dis/ast, ~10 ms of every hook start.
class JsonStyle(NamedTuple):
    """How a notebook file was written, so a rewrite looks the same."""

    indent: int | str | None = 1
    ensure_ascii: bool = False
    newline: str = "\n"
    trailing_newline: bool = True
    separators: tuple[str, str] = (",", ": ")


def detect_style(text: str) -> JsonStyle:
    """Infer the JSON style of ``text`` (a notebook file's content)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.lstrip("\ufeff")
    # Look only at the start of the second line: slicing the whole text would copy megabytes.
    match = _SECOND_LINE_INDENT.match(body)
    indent: int | str | None = None
    if match and match.group(1):
        whitespace = match.group(1)
        indent = "\t" if whitespace.startswith("\t") else len(whitespace)
    if indent is not None:
        separators = (",", ": ")
    else:  # one-line JSON: json.dumps' default (", ", ": ") or fully compact (",", ":")
        separators = (", ", ": ") if '": ' in body[:4096] else (",", ":")
    # str.isascii is C-speed; a per-character scan cost ~50 ms on a large notebook.
    ensure_ascii = body.isascii() and bool(_ESCAPED_NON_ASCII.search(body))
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


def loads_notebook(text: str, name: str = "<notebook>") -> tuple[Notebook, JsonStyle]:
    """Parse notebook JSON text; return the notebook and its style."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidNotebookError(
            f"{name}: invalid JSON ({exc.msg} at line {exc.lineno})"
        ) from None
    return check_structure(nb, name), detect_style(text)


def read_notebook(path: str | Path) -> tuple[Notebook, JsonStyle]:
    """Read a notebook file; a file that is not a usable notebook raises naming the file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidNotebookError(f"{path}: not UTF-8 text, so not a notebook") from None
    except OSError as exc:
        raise InvalidNotebookError(f"{path}: cannot read ({exc.strerror})") from None
    return loads_notebook(text, str(path))


def dumps_notebook(nb: Notebook, style: JsonStyle = JsonStyle()) -> str:
    """Serialise ``nb`` in ``style`` (the inverse of :func:`loads_notebook` for unchanged data)."""
    text = json.dumps(
        nb, indent=style.indent, ensure_ascii=style.ensure_ascii, separators=style.separators
    )
    if style.trailing_newline:
        text += "\n"
    if style.newline != "\n":
        text = text.replace("\n", style.newline)
    return text


def write_notebook(path: str | Path, nb: Notebook, style: JsonStyle = JsonStyle()) -> None:
    """Write ``nb`` to ``path`` atomically in ``style``."""
    # Imported here: tempfile (random, hashlib, shutil) costs start-up time that a hook run over
    # already-clean notebooks, the common case, never needs.
    from toolkit._io import atomic_write_bytes

    atomic_write_bytes(path, dumps_notebook(nb, style).encode("utf-8"))
