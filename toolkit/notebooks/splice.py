"""Strip a notebook by splicing edits into its text: the one way the toolkit writes a strip.

The decisions are the reference algorithm's (:func:`toolkit.notebooks.strip.strip_notebook`,
on the parsed notebook); this module turns the difference between the notebook and its
stripped form into a few edits of the text: an ``outputs`` value becomes ``[]``, an
``execution_count`` becomes ``null``, a volatile metadata member is cut out with its
separator, a dropped cell is cut out of the cells array. Nothing else is re-encoded, so the
layout, escapes (``\\/``, ``\\u00e9``, lone surrogates), number spellings (``1.50``, ``1E5``,
``1e400``), line ends (CRLF, CR, mixed) and trailing bytes stay as written. Duplicate keys are
read as every JSON reader does (the last wins); in an object that is edited, the dead earlier
occurrences are dropped, so nothing hidden in them reaches a commit.

The result is verified, not assumed: it is parsed again (strict JSON) and must equal the
reference result, else the file is left untouched with one line saying why. So a hook either
writes a file that parses, means what the options asked and differs only where they asked,
or writes nothing.

Example:
    >>> import json
    >>> from toolkit.notebooks.strip import StripOptions
    >>> cell = {"cell_type": "code", "execution_count": 7, "metadata": {"scrolled": True},
    ...         "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}],
    ...         "source": "print('hi')"}
    >>> text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
    ...                    "nbformat_minor": 5}, indent=1)
    >>> stripped, removed = strip_text(text, StripOptions())
    >>> removed, stripped.count("null"), '"outputs": []' in stripped, '"metadata": {}' in stripped
    (1, 1, True, True)
"""

from __future__ import annotations

import sys

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks.jsonspans import (
    Member,
    NotSpliceable,
    TooDeep,
    array_items,
    last_wins,
    object_members,
    rebuild,
    scan_value,
    skip_whitespace,
)
from toolkit.notebooks.strip import StripOptions, drop_cell, strip_notebook

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable
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


def edit_value(text: str, start: int, end: int, old: Any, new: Any) -> str:
    """Text of the value ``text[start:end]`` (which parses to ``old``) edited to mean ``new``,
    where ``new`` only drops object members or replaces values with literals."""
    if isinstance(old, dict) and isinstance(new, dict):
        members, _ = object_members(text, start)
        return edit_members(text, start, end, members, new)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and new:
        items, _ = array_items(text, start)
        values = {
            index: edit_value(text, item.value_start, item.end, item.value, after)
            for index, (item, after) in enumerate(zip(items, new, strict=True))
            if not (after is item.value or after == item.value)
        }
        return rebuild(text, start, end, items, list(range(len(items))), values)
    return _literal(old, new)


def edit_members(
    text: str, start: int, end: int, members: list[Member], new: dict[str, Any]
) -> str:
    """Text of the object ``text[start:end]`` (its ``members`` walked) edited to mean ``new``.

    Members absent from ``new`` are cut out with their separator; so are dead duplicates
    (earlier occurrences of a key, which no reader sees) of this edited object.
    """
    last = {member.key: index for index, member in enumerate(members)}
    keep: list[int] = []
    values: dict[int, str] = {}
    for index, member in enumerate(members):
        if last[member.key] != index or member.key not in new:
            continue
        keep.append(index)
        after = new[member.key]
        if not (after is member.value or after == member.value):
            values[index] = edit_value(text, member.value_start, member.end, member.value, after)
    if {members[index].key for index in keep} != set(new):
        raise NotSpliceable("the edit would add members")
    return rebuild(text, start, end, members, keep, values)


def _edit_cells(
    text: str,
    member: Member,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    options: StripOptions,
    guess: bool,
) -> tuple[str, int]:
    """New text of the cells array and how many cells lost their outputs (``guess``: see
    :func:`_edit_cell`)."""
    items: list[Member] = member.value  # type: ignore[assignment]
    keep = [index for index, cell in enumerate(old) if not drop_cell(cell, options)]
    values: dict[int, str] = {}
    cleared = 0
    for index, after in zip(keep, new, strict=True):
        before = old[index]
        if after is before or after == before:
            continue
        if before.get("outputs") and not after.get("outputs"):
            cleared += 1
        values[index] = _edit_cell(text, items[index], before, after, guess)
    return rebuild(text, member.value_start, member.end, items, keep, values), cleared


def _edit_cell(
    text: str, item: Member, before: dict[str, Any], after: dict[str, Any], guess: bool
) -> str:
    """Text of one edited cell. With ``guess``, outputs that are replaced are not parsed a
    second time: their end is taken to be where the next member begins (the last ``"key"`` of
    that name in the cell: in nbformat's order only ``source``, a string, follows ``outputs``).
    A wrong guess cannot pass unseen: the whole result is parsed back and compared with the
    reference result, and :func:`_edit` then walks every cell exactly (``guess=False``)."""
    start, end = item.value_start, item.end
    if guess and "outputs" in after and after["outputs"] != before["outputs"]:
        skip = _outputs_skipper(text, end, before)
        members, walked_to = object_members(text, start, {"outputs": skip}.get)
        if walked_to != end:  # the guessed end did not lead to the cell's closing brace
            raise NotSpliceable("the guessed end of the outputs was wrong")
        return edit_members(text, start, end, members, after)
    members, _ = object_members(text, start)
    return edit_members(text, start, end, members, after)


def _outputs_skipper(
    text: str, cell_end: int, cell: dict[str, Any]
) -> Callable[[str, int], tuple[object, int]]:
    keys = list(cell)
    following = keys[keys.index("outputs") + 1] if keys[-1] != "outputs" else None

    def skip(_: str, value_start: int) -> tuple[object, int]:
        stop = cell_end - 1  # the closing brace
        if following is not None:
            stop = text.rfind(f'"{following}"', value_start, cell_end) - 1
            while stop > value_start and text[stop] in " \t\n\r":
                stop -= 1
            if stop <= value_start or text[stop] != ",":
                raise NotSpliceable("no separator before the member after outputs")
        while stop > value_start and text[stop - 1] in " \t\n\r":
            stop -= 1
        return cell["outputs"], stop

    return skip


def _cells_items(text: str, index: int) -> tuple[object, int]:
    """The cells array as items with positions (any other value, such as a dead duplicate
    ``"cells"`` member, is parsed as it is and rejected later if it is the one that counts)."""
    return array_items(text, index) if text[index] == "[" else scan_value(text, index)


def _parse(text: str, name: str) -> tuple[int, list[Member], int, dict[str, Any]]:
    """The top-level members (the cells as items, each parsed whole), the span of the
    notebook object, and the notebook it means (checked: a usable nbformat 4 notebook)."""
    from toolkit.notebooks.io import check_structure, invalid_json_error, parse_json

    start = 1 if text.startswith("\ufeff") else 0  # a byte-order mark stays where it is
    try:
        start = skip_whitespace(text, start)
        members, end = object_members(text, start, {"cells": _cells_items}.get)
        if text[end:].strip(" \t\n\r"):
            raise NotSpliceable("extra data after the notebook object")
    except TooDeep:
        raise invalid_json_error(text, name, too_deep=True) from None
    except NotSpliceable:
        # Invalid JSON (parse_json words it as json.loads does), or JSON that is no notebook.
        check_structure(parse_json(text, name), name)
        raise invalid_json_error(text, name) from None
    nb: dict[str, Any] = last_wins(members)
    for member in members:
        if member.key == "cells" and isinstance(member.value, list):
            nb["cells"] = [item.value for item in member.value]
        elif member.key == "cells":
            nb["cells"] = member.value
    return start, members, end, check_structure(nb, name)


def _edit(text: str, options: StripOptions, name: str) -> tuple[str, int]:
    start, members, end, nb = _parse(text, name)
    expected = strip_notebook(nb, options)
    if expected == nb:
        return text, 0
    try:
        result, cleared = _splice(text, start, members, end, nb, expected, options, True)
        value, result_end = scan_value(result, start)
        if value == expected and not result[result_end:].strip(" \t\n\r"):
            return result, cleared
    except NotSpliceable:
        pass  # a guessed end of outputs was wrong: every cell is walked exactly below
    result, cleared = _splice(text, start, members, end, nb, expected, options, False)
    value, result_end = scan_value(result, start)
    if value != expected or result[result_end:].strip(" \t\n\r"):
        raise NotSpliceable("the edited text does not mean the stripped notebook")
    return result, cleared


def _splice(
    text: str,
    start: int,
    members: list[Member],
    end: int,
    nb: dict[str, Any],
    expected: dict[str, Any],
    options: StripOptions,
    guess: bool,
) -> tuple[str, int]:
    """The notebook text with the edits that turn ``nb`` into ``expected`` spliced in, and
    how many cells lost their outputs (not yet verified: :func:`_edit` does that)."""
    last = {member.key: index for index, member in enumerate(members)}
    keep, values, cleared = [], {}, 0
    for index, member in enumerate(members):
        if last[member.key] != index:
            continue  # a dead duplicate of the edited notebook object
        keep.append(index)
        key = member.key
        if expected[key] is nb[key] or expected[key] == nb[key]:
            continue
        if key == "cells":
            values[index], cleared = _edit_cells(
                text, member, nb[key], expected[key], options, guess
            )
        else:
            values[index] = edit_value(text, member.value_start, member.end, nb[key], expected[key])
    body = rebuild(text, start, end, members, keep, values)
    return text[:start] + body + text[end:], cleared


def strip_text(
    text: str, options: StripOptions = StripOptions(), name: str = "<stdin>"
) -> tuple[str, int]:
    """Stripped notebook text (``text`` itself when nothing changes) and the number of cells
    whose outputs were removed. Raises :class:`InvalidNotebookError` naming ``name`` for a
    file that is not a usable notebook or that cannot be stripped by splicing."""
    try:
        return _edit(text, options, name)
    except (TooDeep, RecursionError):
        from toolkit.notebooks.io import too_deep_message

        raise InvalidNotebookError(too_deep_message(name)) from None
    except NotSpliceable as exc:  # a shape these edits cannot express: write nothing
        raise InvalidNotebookError(
            f"{name}: left untouched: the stripped text failed its check ({exc}); "
            "please report this notebook"
        ) from None


# From this many bytes in one run (one file, or a batch counted up front by
# :func:`toolkit.notebooks.strip.strip_files`) stripping takes the fast path
# (:mod:`toolkit.notebooks.fastsplice`). Its import (msgspec with typing, re, datetime...) costs
# ~120 M instructions (~30 ms), paid once per process; it then saves ~3 ms per MB of real
# notebooks, and holds outputs as raw bytes (the standard path's peak memory is ~3x the file).
# Measured with callgrind: one 1.75 MB corpus notebook costs 84 M instructions in a fresh
# process on the standard path, 194 M on the fast one; the 134-file corpus (28 MB) gains.
FAST_PATH_MIN_BYTES = 8 << 20


def use_fast_path(size: int) -> bool:
    """Whether a run stripping ``size`` bytes takes the fast path: once it is loaded (a large
    batch or file), every later file does; before, only from :data:`FAST_PATH_MIN_BYTES`."""
    if "toolkit.notebooks.fastsplice" in sys.modules:
        return True
    if size < FAST_PATH_MIN_BYTES:
        return False
    try:
        import toolkit.notebooks.fastsplice  # noqa: F401
    except ImportError:  # msgspec is a core dependency; without it the standard path serves
        return False
    return True


def strip_bytes(
    data: bytes,
    options: StripOptions = StripOptions(),
    name: str = "<stdin>",
    *,
    fast: bool | None = None,
) -> tuple[bytes, int]:
    """Stripped notebook file content (``data`` itself when nothing changes) and the number of
    cells whose outputs were removed. Raises :class:`InvalidNotebookError` naming ``name``.

    ``fast`` picks the path (default: :func:`use_fast_path`); the fast path hands every file
    it declines to the standard one, so the result is the same either way.
    """
    if use_fast_path(len(data)) if fast is None else fast:
        from toolkit.notebooks.fastsplice import strip_fast

        result = strip_fast(data, options)
        if result is not None:
            return result
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidNotebookError(f"{name}: not UTF-8 text, so not a notebook") from None
    stripped, cleared = strip_text(text, options, name)
    return (data if stripped is text else stripped.encode("utf-8")), cleared
