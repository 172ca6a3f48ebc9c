"""The fast splice: the edits of :mod:`toolkit.notebooks.splice`, located by msgspec.

:mod:`~toolkit.notebooks.splice` finds where each value sits by parsing the whole file with the
standard library's scanner, outputs included: most of the bytes, and most of the time. Here
msgspec (a core dependency, a compiled parser) reads the file once with every cell member kept
as :class:`msgspec.Raw` (its bytes, validated but not turned into Python objects), and once
more to check that each ``outputs`` value that would be removed is a list of objects. A short
walk over the punctuation between members turns the lengths of those bytes into positions, and
the same decisions (:func:`~toolkit.notebooks.strip.strip_cell`, on every member but the outputs
decoded) become the same edits of the same bytes, so the result equals the standard path's.

This path works on the file's bytes and declines (returns ``None``) rather than guess: for a
byte-order mark, duplicate keys, escaped keys, lone surrogate escapes, numbers msgspec will not
read (``1e400``) outside the outputs, invalid UTF-8, nesting beyond msgspec's limit, a file
that is not a usable notebook, and kept outputs whose counts would change. The caller then
uses the standard path, which handles (or refuses, in one line) each of those. Its result is
verified like the standard one: it is parsed again and every member must be the input's bytes or
the intended edit.

msgspec's import costs ~20 ms, so this path is for batches and large files
(:func:`toolkit.notebooks.splice.use_fast_path` decides).

Example:
    >>> from toolkit.notebooks.strip import StripOptions
    >>> data = (b'{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {},'
    ...         b' "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}],'
    ...         b' "source": "1"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    >>> stripped, cleared = strip_fast(data, StripOptions())
    >>> cleared, b'"execution_count": null' in stripped, b'"outputs": []' in stripped
    (1, True, True)
    >>> strip_fast(b"\\xef\\xbb\\xbf" + data, StripOptions()) is None  # a BOM: the standard path
    True
"""

from __future__ import annotations

import codecs
import re  # loaded by msgspec's own imports anyway

import msgspec
from msgspec import UNSET, Raw, Struct, UnsetType

from toolkit.errors import ToolkitError
from toolkit.notebooks.io import cell_shape_problem, check_structure
from toolkit.notebooks.jsonspans import Member, NotSpliceable, rebuild
from toolkit.notebooks.layouts import Layout
from toolkit.notebooks.strip import (
    StripOptions,
    drop_cell,
    keep_cell_output,
    strip_cell,
    volatile_paths,
    without_key_paths,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class _Notebook(Struct):
    """The top level as msgspec reads it: each cell and each other member as raw bytes."""

    cells: list[Raw]
    metadata: Raw | UnsetType = UNSET
    nbformat: Raw | UnsetType = UNSET
    nbformat_minor: Raw | UnsetType = UNSET


_read_notebook = msgspec.json.Decoder(_Notebook)
_read_members = msgspec.json.Decoder(dict[str, Raw])
_read_outputs = msgspec.json.Decoder(list[dict[str, Raw]])
_read_value = msgspec.json.Decoder()


class _Output(Struct):
    """An output that is removed: only checked to be an object (its members are skipped)."""


_check_outputs = msgspec.json.Decoder(list[_Output])

_WHITESPACE = frozenset(b" \t\n\r")
# From an object's "{" (or after a member's value): the separator, the next key (unescaped:
# an escaped key does not match, and declines), the colon, up to the next value.
_NEXT_MEMBER = re.compile(rb'[ \t\n\r]*([{,])[ \t\n\r]*"([^"\\]*)"[ \t\n\r]*:[ \t\n\r]*')
_CLOSE = re.compile(rb"[ \t\n\r]*}")
_UTF8_CHUNK = 1 << 16  # validate UTF-8 in pieces: no decoded copy of a large file in memory


class _Decline(Exception):
    """This file is for the standard path."""


def _skip(data: bytes, index: int) -> int:
    try:
        while data[index] in _WHITESPACE:
            index += 1
    except IndexError:
        raise _Decline from None
    return index


def _walk_object(
    data: bytes, index: int, value_of: Callable[[str], object], cells: list[Raw] | None = None
) -> tuple[list[Member], int]:
    """Members of the object at ``data[index] == '{'`` with positions (their values: the raw
    bytes msgspec read for each key; with ``cells``, the member ``cells`` is walked into its
    items) and the index after the ``}``. A key seen twice or spelled
    with an escape declines: msgspec kept one occurrence, and the walk would have to guess.
    """
    members: list[Member] = []
    seen: set[bytes] = set()
    match = _NEXT_MEMBER.match(data, index)
    if match is None or match.group(1) != b"{":
        close = _CLOSE.match(data, index + 1)  # {} (or not an object: declines)
        if data[index] != 0x7B or close is None:
            raise _Decline
        return members, close.end()
    while True:
        key_bytes = match.group(2)
        if key_bytes in seen:
            raise _Decline
        seen.add(key_bytes)
        key = key_bytes.decode("utf-8")
        value = value_of(key)
        value_start = match.end()
        if cells is not None and key == "cells":
            value, index = _walk_cells(data, value_start, cells)
        elif isinstance(value, Raw) and data[value_start] == memoryview(value)[0]:
            index = value_start + len(value)
        else:
            raise _Decline
        members.append(Member(key, match.start(2) - 1, value_start, index, value))
        close = _CLOSE.match(data, index)
        if close is not None:
            return members, close.end()
        match = _NEXT_MEMBER.match(data, index)
        if match is None or match.group(1) != b",":
            raise _Decline


def _walk_cells(data: bytes, index: int, cells: list[Raw]) -> tuple[list[Member], int]:
    """The items of the cells array at ``data[index] == '['`` and the index after its ``]``."""
    if data[index] != 0x5B:  # [
        raise _Decline
    items: list[Member] = []
    index = _skip(data, index + 1)
    for position, raw in enumerate(cells):
        if position:
            if data[index] != 0x2C:  # ,
                raise _Decline
            index = _skip(data, index + 1)
        if data[index] != 0x7B:  # {
            raise _Decline
        items.append(Member("", index, index, index + len(raw), raw))
        index = _skip(data, index + len(raw))
    if data[index] != 0x5D:  # ]
        raise _Decline
    return items, index + 1


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 (msgspec does not check the strings it skips)."""
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _UTF8_CHUNK):
            chunk = view[start : start + _UTF8_CHUNK]
            if not chunk.tobytes().isascii() or decoder.getstate()[0]:
                decoder.decode(chunk)
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return True


def _decoded(members: dict[str, Raw]) -> dict[str, Any]:
    """What a cell's members mean, every value decoded except non-empty ``outputs``: those
    become their list of output objects with raw values (validated, never decoded)."""
    view: dict[str, Any] = {}
    for key, raw in members.items():
        if key == "outputs" and len(raw) > 2:
            try:
                view["outputs"] = _read_outputs.decode(raw)
            except msgspec.ValidationError:  # not a list of objects: the standard path says so
                raise _Decline from None
        else:
            view[key] = _read_value.decode(raw)
    return view


def _stripped_literal(before: Any, after: Any) -> bytes | None:
    """The bytes of the literals stripping writes (``null``, ``[]``, a renumbered cell id),
    or ``None`` when ``after`` is none of them."""
    if after is None:
        return b"null"
    if after == [] and isinstance(after, list):
        return b"[]"
    if isinstance(after, str) and isinstance(before, str) and after.isdigit():
        return b'"' + after.encode("ascii") + b'"'  # a renumbered cell id
    return None


def _replacement(data: bytes, member: Member, before: Any, after: Any) -> bytes:
    """The bytes of an edited member value: the literals stripping writes, or an object with
    members cut (walked where it sits, recursively). Anything else declines (kept outputs
    whose counts change): the standard path edits those."""
    literal = _stripped_literal(before, after)
    if literal is not None:
        return literal
    if isinstance(before, dict) and isinstance(after, dict):
        raws = _read_members.decode(member.value)  # type: ignore[arg-type]
        return _edit_object(data, member.value_start, member.end, raws, before, after, None)
    raise _Decline


def _edit_object(
    data: bytes,
    start: int,
    end: int,
    raws: dict[str, Raw],
    before: dict[str, Any],
    after: dict[str, Any],
    new_members: dict[str, Raw | bytes] | None,
) -> bytes:
    """The object ``data[start:end]`` (``raws``: its members as msgspec read them, meaning
    ``before``) with members cut or replaced to mean ``after``; the value bytes of each kept
    member go to ``new_members`` when given (for the verification)."""
    members, walked_to = _walk_object(data, start, raws.get)
    if walked_to != end or len(members) != len(raws):
        raise _Decline
    keep: list[int] = []
    values: dict[int, bytes] = {}
    for index, member in enumerate(members):
        key = member.key
        if key not in after:
            continue
        keep.append(index)
        value: Raw | bytes = member.value  # type: ignore[assignment]
        if not (after[key] is before[key] or after[key] == before[key]):
            value = values[index] = _replacement(data, member, before[key], after[key])
        if new_members is not None:
            new_members[key] = value
    if len(keep) != len(after):
        raise _Decline  # the edit would add members
    return rebuild(data, start, end, members, keep, values)


class _Cell:
    """One cell's fate: ``after`` is ``None`` for a dropped cell; an edited cell has its new
    bytes in ``text`` and the new bytes of each member in ``members`` (for the verification)."""

    __slots__ = ("after", "item", "members", "text")

    def __init__(self, item: Member, after: dict[str, Any] | None) -> None:
        self.item, self.after = item, after
        self.text: bytes | None = None
        # None: ``text`` was joined from the input's own bytes (see _LeanCells), so it is
        # compared whole; else each member's new bytes, compared one by one.
        self.members: dict[str, Raw | bytes] | None = {}


class _LeanCells:
    """The common cell edits without walking a cell: the decisions are the reference
    functions', on a view with only the members they read decoded (outputs that are removed
    are only checked to be objects), and the edited cell is joined from the input's bytes in
    the file's :class:`~toolkit.notebooks.layouts.Layout` after the unedited join was found
    to equal the cell's bytes exactly. A cell this cannot do (another layout, an escaped key,
    kept outputs whose counts change, a nested edit) is left to the walk (``None``)."""

    def __init__(self, options: StripOptions, cell_paths: list[str]) -> None:
        self.options, self.cell_paths = options, cell_paths
        # What the decisions read; a volatile path into a member needs that member decoded.
        self.decoded = {"cell_type", "execution_count", "id", "metadata", "source"}
        self.decoded |= {path.partition(".")[0] for path in cell_paths if "." in path}
        self.layouts: dict[str, Layout | None] = {}
        # Edited objects by member and bytes: the edit follows from the bytes (the cell paths
        # are fixed), and Jupyter writes the same metadata in most cells of a notebook (the
        # corpus: 1,029 edited metadata objects, 54 distinct ones per file).
        self.edited: dict[tuple[str, bytes], bytes | None] = {}

    def layout(self, depth: str, written: bytes | Raw, members: dict[str, Raw]) -> Layout | None:
        layout = self.layouts.get(depth)
        if layout is None:
            layout = self.layouts[depth] = Layout.of(written, members)
        return layout

    def written(
        self, depth: str, data: bytes, start: int, written: bytes | Raw, members: dict[str, Raw]
    ) -> Layout | None:
        """The layout the object ``written`` (at ``data[start]``) is exactly written in: the
        file's layout at this depth, else its own (which becomes the depth's)."""
        end = start + len(written)
        layout = self.layout(depth, written, members)
        if layout is not None and layout.is_written(data, start, end, members):
            return layout
        own = Layout.of(written, members)
        if own is None or not own.is_written(data, start, end, members):
            return None
        self.layouts[depth] = own
        return own

    def plan(
        self, data: bytes, item: Member, raws: dict[str, Raw], index: int, keep_output: bool
    ) -> tuple[_Cell, bool] | None:
        """The cell's fate and whether its outputs were removed, or ``None`` for the walk."""
        options = self.options
        view: dict[str, Any] = {}
        for key, raw in raws.items():
            view[key] = _read_value.decode(raw) if key in self.decoded else raw
        outputs: Any = None
        if "outputs" in raws:
            raw = raws["outputs"]
            try:
                outputs = _check_outputs.decode(raw) if len(raw) > 2 else _read_value.decode(raw)
            except msgspec.ValidationError:  # not a list of objects: the standard path says so
                raise _Decline from None
            view["outputs"] = [] if isinstance(outputs, list) else outputs
        if cell_shape_problem(view):
            raise _Decline  # the standard path names the cell and the problem
        if drop_cell(view, options):
            return _Cell(item, None), False
        if outputs:
            view["outputs"] = outputs
            if not options.keep_count and keep_cell_output(
                view, keep_output, options.strip_init_cells
            ):
                return None  # kept outputs whose counts change: decoded and walked
        after = strip_cell(view, index, keep_output, self.cell_paths, options)
        cell = _Cell(item, after)
        members: list[tuple[str, bytes | Raw]] = []
        edited = False
        for key, raw in raws.items():
            if key not in after:
                edited = True
                continue
            new, old = after[key], view[key]
            if new is old or new == old:
                members.append((key, raw))
                continue
            value = self._value(key, raw, old, new)
            if value is None:
                return None
            members.append((key, value))
            edited = True
        if len(members) != len(after):
            return None  # the edit would add members
        if edited:
            layout = self.written("cell", data, item.start, item.value, raws)  # type: ignore[arg-type]
            cell.text = layout.join(members) if layout is not None else None
            if cell.text is None:
                return None
            cell.members = None
        return cell, bool(outputs) and not after.get("outputs")

    def _value(self, key: str, raw: Raw, old: Any, new: Any) -> bytes | None:
        """The bytes of an edited member: a literal stripping writes, or an object with members
        left out (joined in its own layout); ``None`` for anything else."""
        literal = _stripped_literal(old, new)
        if literal is not None:
            return literal
        if not (isinstance(old, dict) and isinstance(new, dict)):
            return None
        written = bytes(raw)
        try:
            return self.edited[key, written]
        except KeyError:
            joined = self.edited[key, written] = self._joined(key, written, old, new)
            return joined

    def _joined(
        self, key: str, written: bytes, old: dict[str, Any], new: dict[str, Any]
    ) -> bytes | None:
        """The object ``written`` (meaning ``old``) with the members ``new`` leaves out, joined
        in its own layout; ``None`` when that is not the whole edit."""
        members = _read_members.decode(written)
        if list(members) != list(old) or any(k not in old or new[k] is not old[k] for k in new):
            return None  # a hidden duplicate, or an edit below this object: walked
        layout = self.written(key, written, 0, written, members)
        joined = (
            None if layout is None else layout.join((k, v) for k, v in members.items() if k in new)
        )
        if joined is None or _read_value.decode(joined) != new:
            return None  # verified, not assumed: the edited object means what was asked
        return joined


def _plan_cells(
    data: bytes, items: list[Member], options: StripOptions, keep_output: bool
) -> tuple[list[_Cell], int]:
    """Each cell stripped by the reference functions, and how many lost their outputs."""
    cell_paths, _ = volatile_paths(options)
    lean = _LeanCells(options, cell_paths)
    plan: list[_Cell] = []
    kept = cleared = 0
    for item in items:
        raws = _read_members.decode(item.value)  # type: ignore[arg-type]
        planned = lean.plan(data, item, raws, kept, keep_output)
        if planned is not None:
            plan.append(planned[0])
            kept += planned[0].after is not None
            cleared += planned[1]
            continue
        before = _decoded(raws)
        if cell_shape_problem(before):
            raise _Decline  # the standard path names the cell and the problem
        if drop_cell(before, options):
            plan.append(_Cell(item, None))
            continue
        after = strip_cell(before, kept, keep_output, cell_paths, options)
        kept += 1
        cell = _Cell(item, after)
        if after != before:
            if before.get("outputs") and not after.get("outputs"):
                cleared += 1
            cell.text = _edit_object(data, item.start, item.end, raws, before, after, cell.members)
        plan.append(cell)
    return plan, cleared


def _top_level(data: bytes) -> tuple[int, int, list[Member], _Notebook]:
    """The notebook object's span, its members (the value of ``cells``: its items) and
    msgspec's reading of it."""
    try:
        nb = _read_notebook.decode(data)
    except (msgspec.DecodeError, RecursionError):
        raise _Decline from None  # invalid, or a shape msgspec will not read: the standard path
    start = _skip(data, 0)
    if data[start] != 0x7B:
        raise _Decline
    fields = _Notebook.__struct_fields__
    members, end = _walk_object(
        data, start, lambda key: getattr(nb, key) if key in fields else None, cells=nb.cells
    )
    return start, end, members, nb


def _edit_top(
    data: bytes, members: list[Member], plan: list[_Cell], options: StripOptions
) -> tuple[dict[int, bytes], dict[str, bytes]]:
    """Replacement bytes of the edited top-level members (the cells array, the metadata)."""
    values: dict[int, bytes] = {}
    edits: dict[str, bytes] = {}
    _, notebook_paths = volatile_paths(options)
    for index, member in enumerate(members):
        if member.key == "cells":
            if any(cell.after is None or cell.text is not None for cell in plan):
                keep = [n for n, cell in enumerate(plan) if cell.after is not None]
                texts = {n: cell.text for n, cell in enumerate(plan) if cell.text is not None}
                values[index] = rebuild(
                    data,
                    member.value_start,
                    member.end,
                    [cell.item for cell in plan],
                    keep,
                    texts,
                )
        elif member.key == "metadata":
            raw: Raw = member.value  # type: ignore[assignment]
            metadata = _read_value.decode(raw)
            stripped = without_key_paths({"metadata": metadata}, notebook_paths)["metadata"]
            if stripped is not metadata:
                values[index] = edits["metadata"] = _replacement(data, member, metadata, stripped)
                if _read_value.decode(edits["metadata"]) != stripped:
                    raise _Decline
    return values, edits


def _verify(
    before: _Notebook, result: bytes, plan: list[_Cell], top_edits: dict[str, bytes]
) -> None:
    """``result`` parses, and every member is the input's bytes or the intended edit. (It is
    UTF-8: pieces of the checked input cut at JSON tokens, and ASCII or encoded edits.)"""
    try:
        nb = _read_notebook.decode(result)
    except (msgspec.DecodeError, RecursionError):
        raise _Decline from None
    for key in ("metadata", "nbformat", "nbformat_minor"):
        got, had = getattr(nb, key), getattr(before, key)
        want = top_edits.get(key, had)
        if isinstance(got, Raw) != isinstance(want, Raw | bytes) or (
            isinstance(got, Raw) and got != (want if isinstance(want, Raw) else Raw(want))
        ):
            raise _Decline
    kept = [cell for cell in plan if cell.after is not None]
    if len(nb.cells) != len(kept):
        raise _Decline
    for raw, cell in zip(nb.cells, kept, strict=True):
        if cell.text is None:
            if raw != cell.item.value:  # Raw == Raw compares the bytes (memoryviews: 10x slower)
                raise _Decline
            continue
        if cell.members is None:  # joined from the input's bytes: the whole cell must match
            if raw != Raw(cell.text):
                raise _Decline
            continue
        read = _read_members.decode(raw)
        if list(read) != list(cell.members):  # the same keys, in the same order
            raise _Decline
        for key, value in read.items():
            want = cell.members[key]
            if value != (want if isinstance(want, Raw) else Raw(want)):
                raise _Decline
            meant = (cell.after or {})[key]
            if (
                isinstance(want, bytes)
                and isinstance(meant, dict)
                and _read_value.decode(want) != meant
            ):
                raise _Decline  # an edited object must mean what was asked


def strip_fast(data: bytes, options: StripOptions = StripOptions()) -> tuple[bytes, int] | None:
    """Stripped notebook bytes (``data`` itself when nothing changes) and the number of cells
    whose outputs were removed, or ``None`` when this file is for the standard path
    (:mod:`toolkit.notebooks.splice`), which also words every error."""
    try:
        if not _valid_utf8(data):
            return None
        start, end, members, nb = _top_level(data)
        check_structure(_top_view(members, nb), "<notebook>")
        metadata = _read_value.decode(nb.metadata) if isinstance(nb.metadata, Raw) else {}
        keep_output = options.keep_output or bool(metadata.get("keep_output", False))
        cells = next(m for m in members if m.key == "cells").value
        plan, cleared = _plan_cells(data, cells, options, keep_output)  # type: ignore[arg-type]
        values, top_edits = _edit_top(data, members, plan, options)
        if not values:
            return data, 0
        keep = list(range(len(members)))
        result = data[:start] + rebuild(data, start, end, members, keep, values) + data[end:]
        _verify(nb, result, plan, top_edits)
    except (_Decline, NotSpliceable, ToolkitError, msgspec.DecodeError, RecursionError):
        return None
    return result, cleared


def _top_view(members: list[Member], nb: _Notebook) -> dict[str, Any]:
    """The top level as :func:`~toolkit.notebooks.io.check_structure` reads it (cells are
    checked one by one later)."""
    view: dict[str, Any] = {}
    for member in members:
        if member.key == "cells":
            view["cells"] = []
        else:
            view[member.key] = _read_value.decode(member.value)  # type: ignore[arg-type]
    return view
