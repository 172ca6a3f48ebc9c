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


_TYPE_NAMES = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


# isinstance(x, str) as a C callable, so the checks of every line and output below run in C
# (a generator expression per cell was a tenth of a one-file hook run's stripping time).
_is_str = str.__instancecheck__
_is_dict = dict.__instancecheck__


def _kind(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def cell_shape_problem(cell: Any) -> str | None:
    """What makes ``cell`` unusable for the hooks (a wrongly typed member), or ``None``.

    The hooks read ``source``, ``metadata``, ``outputs`` and ``execution_count``; a value of
    another type is named instead of being reinterpreted (a string ``outputs`` is not a list
    of its letters) or crashing a comparison.

    Example:
        >>> cell_shape_problem({"cell_type": "code", "outputs": "oops"})
        "'outputs' is a string, not a list of outputs"
        >>> cell_shape_problem({"cell_type": "code", "execution_count": "1", "outputs": []})
        "'execution_count' is a string, not an integer or null"
    """
    if not isinstance(cell, dict):
        return f"is {_kind(cell)}, not a cell object"
    if not isinstance(cell.get("cell_type"), str):
        return "has no 'cell_type' string"
    source = cell.get("source", "")
    if not isinstance(source, str) and not (isinstance(source, list) and all(map(_is_str, source))):
        return f"'source' is {_kind(source)}, not a string or a list of strings"
    if not isinstance(cell.get("metadata", {}), dict):
        return f"'metadata' is {_kind(cell['metadata'])}, not an object"
    outputs = cell.get("outputs", [])
    if not isinstance(outputs, list) or not all(map(_is_dict, outputs)):
        kind = _kind(outputs) if not isinstance(outputs, list) else "a list of non-objects"
        return f"'outputs' is {kind}, not a list of outputs"
    count = cell.get("execution_count")
    if count is not None and (type(count) is not int):
        return f"'execution_count' is {_kind(count)}, not an integer or null"
    return None


def check_structure(nb: Any, name: str) -> Notebook:
    """Validation of what the hooks rely on; raises naming the file (and the cell, 1-based)."""
    if not isinstance(nb, dict):
        raise InvalidNotebookError(f"{name}: not a notebook (top-level JSON is not an object)")
    version = nb.get("nbformat")
    if version is None or ("cells" not in nb and "worksheets" not in nb):
        raise InvalidNotebookError(f"{name}: not a notebook (no 'nbformat' or 'cells' key)")
    if version != 4 or type(version) is not int:
        raise InvalidNotebookError(
            f"{name}: unsupported nbformat {version!r}; convert it with "
            "'jupyter nbconvert --to notebook --nbformat 4'"
        )
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise InvalidNotebookError(f"{name}: malformed notebook ('cells' must be a list of cells)")
    for index, cell in enumerate(cells, start=1):
        problem = cell_shape_problem(cell)
        if problem:
            raise InvalidNotebookError(f"{name}: malformed notebook: cell {index} {problem}")
    if not isinstance(nb.get("metadata", {}), dict):
        raise InvalidNotebookError(f"{name}: malformed notebook ('metadata' is not an object)")
    return nb


def too_deep_message(name: str) -> str:
    """The one line for JSON nested beyond what Python's parser (and Jupyter's) can read."""
    return f"{name}: nested too deeply to read safely (over ~1,000 levels); left untouched"


def invalid_json_error(text: str, name: str, *, too_deep: bool = False) -> InvalidNotebookError:
    """The error for ``text`` that the strict scanner refused, worded as ``json.loads`` words
    it (reason, line and column), or naming NaN/Infinity, which only ``json.loads`` accepts."""
    if too_deep:
        return InvalidNotebookError(too_deep_message(name))
    if not text.strip():
        return InvalidNotebookError(f"{name}: empty file, not a notebook")
    import json  # only to word the error

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return InvalidNotebookError(
            f"{name}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
    except RecursionError:
        return InvalidNotebookError(too_deep_message(name))
    return InvalidNotebookError(
        f"{name}: not strict JSON (NaN or Infinity, which JSON does not allow); left untouched"
    )


def parse_json(text: str, name: str) -> Any:
    """``json.loads(text)`` for strict JSON, by the same C scanner but without importing
    ``json`` (and ``re``); anything else raises :class:`InvalidNotebookError` naming ``name``,
    the reason and the line."""
    from toolkit.notebooks.jsonspans import NotSpliceable, TooDeep, scan_value, skip_whitespace

    start = 1 if text.startswith("\ufeff") else 0
    try:
        value, end = scan_value(text, skip_whitespace(text, start))
        if text[end:].strip(" \t\n\r"):
            raise NotSpliceable("extra data")
    except NotSpliceable as exc:
        raise invalid_json_error(text, name, too_deep=isinstance(exc, TooDeep)) from None
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


def load_notebook(path: str | os.PathLike[str], *, upgrade: bool = False) -> Notebook:
    """Read and check a notebook file: the one reading rule of the toolkit.

    Every reader (hooks, snippets, reports, harvest) comes here, so a file is a notebook for
    all of them or for none, and an unusable one is one :class:`InvalidNotebookError` naming
    the file. ``upgrade=True`` (for commands that only read, such as reports) converts an
    nbformat 1-3 notebook to version 4 with nbformat; without it such a file is refused, as
    the hooks must, since they would write it back. Cell sources may be lists of lines: read
    them with :func:`cell_source`.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "nb.ipynb")
        >>> with open(path, "w") as f:
        ...     _ = f.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        >>> load_notebook(path)["nbformat"]
        4
    """
    name = os.fspath(path)
    text = _read_text(path)
    nb = parse_json(text, name)
    if upgrade:
        nb = _upgraded(nb, name)
    return check_structure(nb, name)


def _upgraded(nb: Any, name: str) -> Any:
    """``nb`` converted to nbformat 4 when it is an older notebook; otherwise ``nb`` itself."""
    version = nb.get("nbformat") if isinstance(nb, dict) else None
    if type(version) is not int or not 1 <= version <= 3:
        return nb
    import warnings

    import nbformat  # only for old notebooks, on commands that only read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            minor = nb.get("nbformat_minor", 0)
            node = nbformat.versions[version].to_notebook_json(nb, minor=minor)
            return nbformat.convert(node, 4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat's converters raise key, type and value errors alike
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidNotebookError(
            f"{name}: nbformat {version} notebook that cannot be converted to 4 ({reason})"
        ) from None


def cell_source(cell: Any) -> str:
    """A cell's source as one string (nbformat allows a string or a list of lines).

    Example:
        >>> cell_source({"cell_type": "code", "source": ["x = 1\\n", "y = 2"]})
        'x = 1\\ny = 2'
    """
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source) if isinstance(source, list) else str(source)


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
