"""Strip a notebook by splicing edits into its text, so untouched bytes are never re-encoded.

The reference algorithm (:func:`toolkit.notebooks.strip.strip_notebook`) works on the parsed
notebook and rewrites the whole file. This path makes the same per-cell decisions with the
same functions, but only edits the text where something changes: an ``outputs`` value becomes
``[]``, an ``execution_count`` becomes ``null``, a volatile metadata member is cut out with its
separator. Each edited cell is parsed back and compared with the reference result, so the
output is verified rather than assumed. For a file written by Jupyter (``json.dumps`` with an
indent) the bytes equal the reference's; for hand-formatted files this path keeps even more
of the original. Any shape it does not handle returns ``None`` and the caller takes the
reference path, which also reports invalid files precisely.

Why: re-encoding megabytes of outputs only to delete them dominated the run time, and
``json`` (with ``re``) is not even imported here, which halves a hook's start-up.

Example:
    >>> import json
    >>> from toolkit.notebooks.strip import StripOptions
    >>> cell = {"cell_type": "code", "execution_count": 7, "metadata": {"scrolled": True},
    ...         "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}],
    ...         "source": "print('hi')"}
    >>> text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
    ...                    "nbformat_minor": 5}, indent=1)
    >>> stripped, removed = splice_strip(text, StripOptions())
    >>> removed, stripped.count("null"), '"outputs": []' in stripped, '"metadata": {}' in stripped
    (1, 1, True, True)
"""

from __future__ import annotations

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks.jsonspans import (
    Member,
    NotSpliceable,
    array_items,
    object_members,
    rebuild,
    scan_value,
    skip_whitespace,
)
from toolkit.notebooks.strip import (
    StripOptions,
    drop_cell,
    strip_cell,
    volatile_paths,
    without_key_path,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from typing import Any


# What a cut-out outputs array is replaced by: a value no real notebook has ("\u0000" cannot
# be typed), which the cell walk recognises and turns into [].
_CUT_MARKER = b'"\\u0000toolkit: outputs cut"'
CUT_MARKER_VALUE = ["\x00toolkit: outputs cut"]
_OUTPUTS_KEY = b'"outputs": ['


def _outputs_end(data: bytes, key: int) -> int:
    """Index of the ``]`` closing the outputs array whose key starts at ``key``, or -1.

    Only for the layout every notebook writer produces (``json.dumps`` with an indent of
    spaces): the key alone at the start of its line after ``k`` spaces, the first output's
    ``{`` on the next line at ``k+1``, and the array closed by a ``]`` alone at ``k``. Because
    JSON strings cannot hold raw newlines, that ``]`` is the first line at indent ``k`` that
    starts with ``]``; two C-speed counts then prove that no line in between is indented at
    ``k`` or less (so no cell member or cell boundary can hide inside), and the character
    before the ``]`` must close the last output object. Anything else returns -1 and the
    array is parsed normally.
    """
    line_start = data.rfind(b"\n", 0, key) + 1
    indent = key - line_start
    if indent == 0 or data.count(b" ", line_start, key) != indent:
        return -1
    newline = b"\r\n" if data[line_start - 2 : line_start] == b"\r\n" else b"\n"
    bracket = key + len(_OUTPUTS_KEY) - 1
    deeper = b"\n" + b" " * (indent + 1)
    if not data.startswith(newline + deeper[1:] + b"{", bracket + 1):
        return -1
    close = data.find(newline + b" " * indent + b"]", bracket)
    if close < 0 or data[close - 1 : close] != b"}":
        return -1
    if data.count(b"\n", bracket, close) != data.count(deeper, bracket, close):
        return -1
    return close + len(newline) + indent


def cut_outputs(data: bytes) -> tuple[bytes, int]:
    """``data`` with every non-empty, pretty-printed cell outputs array replaced by a marker
    (never parsed, never decoded: outputs are most of a notebook's bytes), and how many.

    Only the skeleton is parsed afterwards; the cell walk checks that every cut was a cell's
    ``outputs`` (else everything starts again from the uncut text). What was cut is checked
    for layout, not parsed: it is being deleted.
    """
    pieces, last, cuts = [], 0, 0
    key = data.find(_OUTPUTS_KEY)
    while key >= 0:
        close = _outputs_end(data, key)
        if close < 0:
            key = data.find(_OUTPUTS_KEY, key + 1)
            continue
        bracket = key + len(_OUTPUTS_KEY)
        pieces += [data[last:bracket], _CUT_MARKER]
        last, cuts = close, cuts + 1
        key = data.find(_OUTPUTS_KEY, close)
    if not cuts:
        return data, 0
    pieces.append(data[last:])
    return b"".join(pieces), cuts


def _parse_cell(text: str, index: int) -> tuple[object, int]:
    members, end = object_members(text, index)
    return members, end


def _parse_cells(text: str, index: int) -> tuple[object, int]:
    items, end = array_items(text, index, _parse_cell)
    return items, end


def _literal(old: object, new: object) -> str:
    """JSON text for the few values stripping writes (no json import for these)."""
    if new is None:
        return "null"
    if new == [] and isinstance(new, list):
        return "[]"
    if isinstance(new, str) and isinstance(old, str) and new.isdigit():
        return f'"{new}"'  # renumbered cell id: digits need no escaping
    raise NotSpliceable(f"cannot write {type(new).__name__} without re-encoding")


def edit_object(text: str, start: int, end: int, members: list[Member], old: Any, new: Any) -> str:
    """Text of the object ``text[start:end]`` (its ``members`` walked), edited from ``old`` to
    ``new``, where ``new`` only drops members or replaces values (never adds or reorders).
    """
    if [key for key in old if key in new] != list(new):
        raise NotSpliceable("edit adds or reorders members")
    keep, values = [], {}
    for index, member in enumerate(members):
        if member.key not in new:
            continue
        keep.append(index)
        before, after = old[member.key], new[member.key]
        if after is before or after == before:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            inner, inner_end = object_members(text, member.value_start)
            values[index] = edit_object(text, member.value_start, inner_end, inner, before, after)
        else:
            values[index] = _literal(before, after)
    return rebuild(text, start, end, members, keep, values)


def _verified(piece: str, expected: object) -> str:
    """``piece`` after checking that it parses to ``expected`` (else the reference path)."""
    if scan_value(piece, 0)[0] != expected:
        raise NotSpliceable("spliced text does not parse to the expected value")
    return piece


def _top_level(text: str) -> tuple[int, list[Member], int, dict[str, Any]]:
    start = skip_whitespace(text, 0)
    members, end = object_members(text, start, {"cells": _parse_cells}.get)
    if text[end:].strip(" \t\n\r"):
        raise NotSpliceable("extra data after the notebook object")
    top = {member.key: member.value for member in members}
    metadata = top.get("metadata", {})
    if top.get("nbformat") != 4 or "cells" not in top or not isinstance(metadata, dict):
        raise NotSpliceable("not an nbformat 4 notebook")
    return start, members, end, top


def _strip_cells(
    text: str,
    cells: Member,
    options: StripOptions,
    keep_output: bool,
    cell_paths: list[str],
    cuts: int,
) -> tuple[str | None, int]:
    """New text of the cells array (``None`` when unchanged) and how many cells lost outputs.

    A cell whose outputs were cut out beforehand (:func:`cut_outputs`) but must keep them
    raises :class:`NotSpliceable`, so the caller starts again from the uncut text.
    """
    items: list[Member] = cells.value  # type: ignore[assignment]
    keep: list[int] = []
    values: dict[int, str] = {}
    cleared, cuts_claimed, changed = 0, 0, False
    for index, item in enumerate(items):
        members: list[Member] = item.value  # type: ignore[assignment]
        cell = {member.key: member.value for member in members}
        if "cell_type" not in cell:
            raise NotSpliceable("a cell without cell_type")
        if drop_cell(cell, options):
            changed = True
            continue
        stripped = strip_cell(cell, len(keep), keep_output, cell_paths, options)
        if cell.get("outputs") == CUT_MARKER_VALUE:
            cuts_claimed += 1
            if stripped["outputs"]:
                raise NotSpliceable("a cell keeps outputs that were cut out")
        keep.append(index)
        if stripped == cell:
            continue
        changed = True
        if cell.get("outputs") and not stripped.get("outputs"):
            cleared += 1
        piece = edit_object(text, item.start, item.end, members, cell, stripped)
        values[index] = _verified(piece, stripped)
    if cuts_claimed != cuts:
        raise NotSpliceable("an outputs array was cut somewhere other than a cell")
    if not changed:
        return None, 0
    return rebuild(text, cells.value_start, cells.end, items, keep, values), cleared


def splice_strip(
    text: str, options: StripOptions = StripOptions(), cuts: int = 0
) -> tuple[str, int] | None:
    """Stripped ``text`` (``text`` itself when nothing changes) and the number of cells whose
    outputs were removed; ``None`` when the text is not in a shape this path handles (use the
    reference). ``cuts`` is the number of outputs arrays :func:`cut_outputs` replaced.
    """
    try:
        start, members, end, top = _top_level(text)
        keep_output = options.keep_output or bool(top.get("metadata", {}).get("keep_output"))
        cell_paths, notebook_paths = volatile_paths(options)
        values: dict[int, str] = {}
        cleared = 0
        for index, member in enumerate(members):
            if member.key == "cells":
                cells_text, cleared = _strip_cells(
                    text, member, options, keep_output, cell_paths, cuts
                )
                if cells_text is not None:
                    values[index] = cells_text
            elif member.key == "metadata":
                stripped: Any = top
                for path in notebook_paths:
                    stripped = without_key_path(stripped, f"metadata.{path}")
                if stripped["metadata"] != top["metadata"]:
                    inner, inner_end = object_members(text, member.value_start)
                    piece = edit_object(
                        text,
                        member.value_start,
                        inner_end,
                        inner,
                        top["metadata"],
                        stripped["metadata"],
                    )
                    values[index] = _verified(piece, stripped["metadata"])
        if not values:
            return text, 0
        body = rebuild(text, start, end, members, list(range(len(members))), values)
        return text[:start] + body + text[end:], cleared
    except (NotSpliceable, InvalidNotebookError, RecursionError):
        return None


def strip_bytes(
    data: bytes, options: StripOptions = StripOptions(), name: str = "<stdin>"
) -> tuple[bytes, int]:
    """Stripped notebook file content (``data`` itself when nothing changes) and the number of
    cells whose outputs were removed. Raises :class:`InvalidNotebookError` naming ``name``.

    Tries, in order: cutting outputs out unparsed and splicing the rest; splicing the whole
    text; the reference parse-and-rewrite (which also words the error for an invalid file).
    """
    if not options.keep_output:
        skeleton, cuts = cut_outputs(data)
        if cuts:
            try:
                text = skeleton.decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            spliced = splice_strip(text, options, cuts) if text else None
            if spliced is not None:
                return spliced[0].encode("utf-8"), spliced[1]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidNotebookError(f"{name}: not UTF-8 text, so not a notebook") from None
    spliced = splice_strip(text, options)
    if spliced is None:
        from toolkit.notebooks.strip import strip_parsed

        spliced = strip_parsed(text, options, name)
    stripped, cleared = spliced
    return (data if stripped is text else stripped.encode("utf-8")), cleared
