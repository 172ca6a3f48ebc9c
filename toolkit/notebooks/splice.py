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

Why: rewriting the whole file (encoding every output again only for most of it to be
deleted, and detecting the file's JSON style first) cost more than parsing it, and this
module imports neither ``json`` nor ``re``, which a hook pays ~8 ms per start for. Every
value is still parsed by the C scanner, so invalid JSON anywhere in the file is still caught.

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
    without_key_paths,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from typing import Any


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


def edit_cell(text: str, start: int, end: int, old: dict[str, Any], new: dict[str, Any]) -> str:
    """Text of the cell ``text[start:end]`` edited from ``old`` to ``new``.

    The common edits only replace values (``execution_count``, ``outputs``, ``metadata``), so
    just those values are located, in document order, instead of walking every member; a
    member that disappears needs the separators and takes the full walk. The caller parses
    the result back, so a value found in the wrong place can only cost the slower path.
    """
    if len(new) != len(old):
        members, _ = object_members(text, start)
        return edit_object(text, start, end, members, old, new)
    keys = list(old)
    pieces, position = [], start
    for index, (key, before) in enumerate(old.items()):
        after = new[key]
        if after is before or after == before:
            continue
        found = text.find(f'"{key}":', position, end)
        if found < 0:
            raise NotSpliceable(f"member {key!r} not found in the cell text")
        value_start = skip_whitespace(text, found + len(key) + 3)
        if isinstance(before, dict) and isinstance(after, dict):
            inner, value_end = object_members(text, value_start)
            replacement = edit_object(text, value_start, value_end, inner, before, after)
        elif isinstance(before, list):
            # Outputs, the bulk of a notebook, are replaced whole: only their end is needed,
            # where the next member begins (or the cell closes). Not parsing them a second
            # time halves the work on them.
            following = keys[index + 1] if index + 1 < len(keys) else None
            value_end = _value_end(text, value_start, end, following)
            replacement = _literal(before, after)
        else:
            value, value_end = scan_value(text, value_start)
            if value != before:
                raise NotSpliceable(f"member {key!r} found in the wrong place")
            replacement = _literal(before, after)
        pieces += [text[position:value_start], replacement]
        position = value_end
    pieces.append(text[position:end])
    return "".join(pieces)


def _value_end(text: str, value_start: int, cell_end: int, following: str | None) -> int:
    """End of the member value starting at ``value_start``: before the comma in front of the
    ``following`` member's key (its last occurrence in the cell: nothing after it can hold
    one), or before the cell's closing brace. A wrong guess fails the caller's parse-back."""
    if following is None:
        stop = cell_end - 1  # the closing brace
    else:
        stop = text.rfind(f'"{following}":', value_start, cell_end) - 1
        while stop > value_start and text[stop] in " \t\n\r":
            stop -= 1
        if stop <= value_start or text[stop] != ",":
            raise NotSpliceable(f"no separator before member {following!r}")
    while stop > value_start and text[stop - 1] in " \t\n\r":
        stop -= 1
    return stop


def _verified(piece: str, expected: object) -> str:
    """``piece`` after checking that it parses to ``expected`` (else the reference path)."""
    if scan_value(piece, 0)[0] != expected:
        raise NotSpliceable("spliced text does not parse to the expected value")
    return piece


def _top_level(text: str) -> tuple[int, list[Member], int, dict[str, Any]]:
    start = skip_whitespace(text, 0)
    # The cells as items with positions, each cell parsed whole by the C scanner.
    members, end = object_members(text, start, {"cells": array_items}.get)
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
) -> tuple[str | None, int]:
    """New text of the cells array (``None`` when unchanged) and how many cells lost outputs."""
    items: list[Member] = cells.value  # type: ignore[assignment]
    keep: list[int] = []
    values: dict[int, str] = {}
    cleared, changed = 0, False
    for index, item in enumerate(items):
        cell: Any = item.value
        if not isinstance(cell, dict) or "cell_type" not in cell:
            raise NotSpliceable("a cell without cell_type")
        if drop_cell(cell, options):
            changed = True
            continue
        stripped = strip_cell(cell, len(keep), keep_output, cell_paths, options)
        keep.append(index)
        if stripped == cell:
            continue
        changed = True
        if cell.get("outputs") and not stripped.get("outputs"):
            cleared += 1
        piece = edit_cell(text, item.start, item.end, cell, stripped)
        values[index] = _verified(piece, stripped)
    if not changed:
        return None, 0
    return rebuild(text, cells.value_start, cells.end, items, keep, values), cleared


def splice_strip(text: str, options: StripOptions = StripOptions()) -> tuple[str, int] | None:
    """Stripped ``text`` (``text`` itself when nothing changes) and the number of cells whose
    outputs were removed; ``None`` when the text is not in a shape this path handles (use the
    reference).
    """
    try:
        start, members, end, top = _top_level(text)
        keep_output = options.keep_output or bool(top.get("metadata", {}).get("keep_output"))
        cell_paths, notebook_paths = volatile_paths(options)
        values: dict[int, str] = {}
        cleared = 0
        for index, member in enumerate(members):
            if member.key == "cells":
                cells_text, cleared = _strip_cells(text, member, options, keep_output, cell_paths)
                if cells_text is not None:
                    values[index] = cells_text
            elif member.key == "metadata":
                stripped: Any = without_key_paths(top, notebook_paths)
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

    Splices when the text allows, else parses and rewrites (which also words the error for an
    invalid file).
    """
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
