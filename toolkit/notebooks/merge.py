"""Three-way merge of notebooks, cell by cell: the git merge driver that never drops a cell.

Cells are matched by cell id (where ids are missing: by content similarity to a base cell, then
by place between matched cells). A cell added on one side is kept; one deleted on one side and
unchanged on the other is deleted; edited on one side and deleted on the other, or edited on
both with overlapping lines, is a conflict written inside the cell's source with git's standard
markers, so the notebook stays valid JSON and opens in Jupyter, and git is told the file is
conflicted. Sources are merged line by line by ``git merge-file``; metadata key by key; outputs
by policy (``strip``, the default, or ``ours``/``theirs``). The result is written in the
current side's format (indentation, key order, line endings, escapes).

Example:
    >>> def nb(*sources):
    ...     cells = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": s,
    ...               "execution_count": None, "outputs": []} for i, s in enumerate(sources)]
    ...     return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> merged, conflicts = merge_notebooks(nb("a", "b"), nb("a2", "b"), nb("a", "b2"))
    >>> [c["source"] for c in merged["cells"]], conflicts
    (['a2', 'b2'], 0)
"""

from __future__ import annotations

import os

from toolkit.errors import UsageError
from toolkit.notebooks.io import cell_source

# Lean imports: git starts this driver once per conflicting notebook (goal: the whole process
# under 100 ms). difflib loads only for id-less cells, subprocess and tempfile only for a
# source edited on both sides; typing (~10 ms) not at all.
TYPE_CHECKING = False  # not typing.TYPE_CHECKING, for the same reason
if TYPE_CHECKING:
    from typing import Any

OUTPUT_POLICIES = ("strip", "ours", "theirs")
_EMPTY_CELL: dict[str, Any] = {"source": "", "metadata": {}}
_SIMILAR = 0.6  # difflib ratio above which an id-less cell is "the same cell" as a base cell


def _keys(
    cells: list[dict[str, Any]], base: list[dict[str, Any]], base_keys: list[str], side: str
) -> list[str]:
    """A matching key per cell: its id, else the id-less base cell it most resembles, else the
    id-less base cell in the same place (see :func:`_align_by_position`)."""
    base_free = {
        index: cell_source(cell)
        for index, cell in enumerate(base)
        if not isinstance(cell.get("id"), str)
    }
    keys = []
    for index, cell in enumerate(cells):
        if isinstance(cell.get("id"), str):
            keys.append(f"id:{cell['id']}")
            continue
        import difflib

        text = cell_source(cell)
        best, score = None, _SIMILAR
        for base_index, base_text in base_free.items():
            ratio = (
                difflib.SequenceMatcher(None, text, base_text).ratio() if text != base_text else 1.0
            )
            if ratio >= score:
                best, score = base_index, ratio
        if best is None:
            keys.append(f"new:{side}:{index}")
        else:
            base_free.pop(best)
            keys.append(f"base:{best}")
    if base_free:
        _align_by_position(keys, cells, base, base_keys, base_free)
    return keys


def _align_by_position(
    keys: list[str],
    cells: list[dict[str, Any]],
    base: list[dict[str, Any]],
    base_keys: list[str],
    free: dict[int, str],
) -> None:
    """Pair unmatched cells with unmatched id-less base cells by place, like diff3: a run of
    unmatched cells between two matched ones is, one for one, the unmatched base cells between
    the same two, when there are as many and of the same types. A short cell whose edit changed
    most of its text (``L = list(range(10))`` -> ``x = 1``) is then still that cell, so an edit
    on both sides is a conflict, not two cells."""
    at = {key: index for index, key in enumerate(base_keys)}
    start = 0
    while start < len(keys):
        if keys[start] in at:
            start += 1
            continue
        end = start
        while end < len(keys) and keys[end] not in at:
            end += 1
        low = at[keys[start - 1]] if start > 0 else -1
        high = at[keys[end]] if end < len(keys) else len(base)
        gap = [b for b in range(low + 1, high) if b in free]
        if len(gap) == end - start:
            pairs = list(zip(range(start, end), gap, strict=True))
            if all(cells[r].get("cell_type") == base[b].get("cell_type") for r, b in pairs):
                for r, b in pairs:
                    keys[r] = f"base:{b}"
                    free.pop(b)
        start = end


def _base_keys(base: list[dict[str, Any]]) -> list[str]:
    return [
        f"id:{cell['id']}" if isinstance(cell.get("id"), str) else f"base:{index}"
        for index, cell in enumerate(base)
    ]


def merge_text(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """Line-level 3-way merge by ``git merge-file``: the text and whether it has conflicts."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="toolkit-merge-") as folder:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = os.path.join(folder, name)
            # A final newline, so the last line merges like the others; removed below.
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text + "\n")
            paths.append(path)
        result = subprocess.run(
            ["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", *paths],
            capture_output=True,
        )
    if result.returncode < 0 or result.returncode > 127:
        raise UsageError(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    merged = result.stdout.decode("utf-8")
    return (merged[:-1] if merged.endswith("\n") else merged), result.returncode > 0


def _as_source(text: str, like: Any) -> Any:
    """``text`` in the representation the current side used (a string or a list of lines)."""
    return text.splitlines(keepends=True) if isinstance(like, list) else text


def _merge_metadata(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """Key by key: a change on one side wins; both changed differently keeps ours (conflict)."""
    if not all(isinstance(m, dict) for m in (base, ours, theirs)):
        if ours == theirs or theirs == base:
            return ours, False
        return (theirs, False) if ours == base else (ours, True)
    merged, conflict = dict(ours), False
    for key in [*ours, *(k for k in theirs if k not in ours)]:
        b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if o == t or t == b:
            continue
        if o == b:
            if t is _MISSING:
                merged.pop(key, None)
            else:
                merged[key] = t
        else:
            conflict = True
    for key in [k for k in ours if k in base and k not in theirs and ours[k] == base[k]]:
        merged.pop(key, None)  # deleted on their side, unchanged on ours
    return merged, conflict


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _with_outputs(cell: dict[str, Any], source_of: dict[str, Any] | None, policy: str) -> None:
    if cell.get("cell_type") != "code":
        return
    if policy == "strip" or source_of is None:
        cell["outputs"], cell["execution_count"] = [], None
    else:
        cell["outputs"] = source_of.get("outputs", [])
        cell["execution_count"] = source_of.get("execution_count")


def _merge_cell(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], policy: str
) -> tuple[dict[str, Any], bool]:
    merged = dict(ours)
    text, conflict = merge_text(cell_source(base), cell_source(ours), cell_source(theirs))
    merged["source"] = _as_source(text, ours.get("source"))
    metadata, metadata_conflict = _merge_metadata(
        base.get("metadata", {}), ours.get("metadata", {}), theirs.get("metadata", {})
    )
    merged["metadata"] = metadata
    if ours.get("cell_type") != theirs.get("cell_type") and ours.get("cell_type") == base.get(
        "cell_type"
    ):
        merged["cell_type"] = theirs.get("cell_type")
    _with_outputs(merged, {"ours": ours, "theirs": theirs}.get(policy), policy)
    return merged, conflict or metadata_conflict


def _conflict_cell(kept: dict[str, Any], side: str, policy: str) -> dict[str, Any]:
    """Edited on ``side``, deleted on the other: kept, its whole source between markers."""
    cell = dict(kept)
    text = cell_source(kept)
    if side == "ours":
        marked = f"<<<<<<< ours\n{text}\n=======\n>>>>>>> theirs (deleted this cell)"
    else:
        marked = f"<<<<<<< ours (deleted this cell)\n=======\n{text}\n>>>>>>> theirs"
    cell["source"] = _as_source(marked, kept.get("source"))
    _with_outputs(cell, kept if policy == side else None, policy if policy == side else "strip")
    return cell


def merge_notebooks(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], *, outputs: str = "strip"
) -> tuple[dict[str, Any], int]:
    """The merged notebook (built on ours) and the number of conflicts written into it."""
    if outputs not in OUTPUT_POLICIES:
        raise UsageError(f"--outputs must be one of {', '.join(OUTPUT_POLICIES)}, not {outputs!r}")
    base_cells, ours_cells, theirs_cells = base["cells"], ours["cells"], theirs["cells"]
    base_keys = _base_keys(base_cells)
    base_by = dict(zip(base_keys, base_cells, strict=True))
    ours_keys = _keys(ours_cells, base_cells, base_keys, "ours")
    theirs_keys = _keys(theirs_cells, base_cells, base_keys, "theirs")
    ours_by = dict(zip(ours_keys, ours_cells, strict=True))
    theirs_by = dict(zip(theirs_keys, theirs_cells, strict=True))
    order = _merged_order(ours_keys, theirs_keys, set(base_by))
    cells, conflicts = [], 0
    for key in order:
        b, o, t = base_by.get(key), ours_by.get(key), theirs_by.get(key)
        if o is not None and t is not None:  # on both sides (added on both: an empty base)
            cell, conflict = _merge_cell(b if b is not None else _EMPTY_CELL, o, t, outputs)
        elif o is None and t is None:
            continue  # deleted on both sides
        else:
            one, side = (o, "ours") if o is not None else (t, "theirs")
            assert one is not None
            if b is None:  # added on one side: kept as it is (outputs unless stripping)
                cell, conflict = _merge_cell(one, one, one, outputs)[0], False
            elif _same_cell(one, b):
                continue  # deleted on the other side, unchanged on this one
            else:  # edited on this side, deleted on the other
                cell, conflict = _conflict_cell(one, side, outputs), True
        cells.append(cell)
        conflicts += conflict
    merged = dict(ours)
    merged["cells"] = cells
    metadata, metadata_conflict = _merge_metadata(
        base.get("metadata", {}), ours.get("metadata", {}), theirs.get("metadata", {})
    )
    merged["metadata"] = metadata
    return merged, conflicts + metadata_conflict


def _same_cell(cell: dict[str, Any], base: dict[str, Any]) -> bool:
    """Unchanged apart from outputs and counts (which a run, not an edit, changes)."""
    return cell_source(cell) == cell_source(base) and cell.get("cell_type") == base.get("cell_type")


def _merged_order(ours: list[str], theirs: list[str], base: set[str]) -> list[str]:
    """Ours' order, with each cell only theirs has inserted after its predecessor there."""
    order = list(ours)
    present = set(order)
    for index, key in enumerate(theirs):
        if key in present:
            continue
        anchor = next((k for k in reversed(theirs[:index]) if k in present), None)
        position = order.index(anchor) + 1 if anchor is not None else 0
        order.insert(position, key)
        present.add(key)
    return order


def merge_files(
    base: str, ours: str, theirs: str, *, outputs: str = "strip", name: str = ""
) -> int:
    """The merge driver: merge into ``ours`` (atomically); the number of conflicts.

    A side that is not a notebook leaves ``ours`` as it is and counts as one conflict, so git
    reports the file as conflicted instead of writing invalid JSON.
    """
    from toolkit._io import atomic_write_bytes
    from toolkit.errors import InvalidNotebookError
    from toolkit.notebooks.io import check_structure, detect_style, dumps_notebook, parse_json

    texts = []
    try:  # the style is detected once below, of the side whose format the result keeps
        for path in (base, ours, theirs):
            with open(path, "rb") as handle:
                texts.append(handle.read().decode("utf-8"))
        sides = [
            check_structure(parse_json(text, name or path), name or path) if text.strip() else None
            for text, path in zip(texts, (base, ours, theirs), strict=True)
        ]
    except (InvalidNotebookError, UnicodeDecodeError):
        return 1
    base_nb, ours_nb, theirs_nb = sides
    if ours_nb is None or theirs_nb is None:
        return 1
    if base_nb is None:  # added on both branches: an empty base
        base_nb = {**ours_nb, "cells": [], "metadata": {}}
    merged, conflicts = merge_notebooks(base_nb, ours_nb, theirs_nb, outputs=outputs)
    atomic_write_bytes(ours, dumps_notebook(merged, detect_style(texts[1])).encode("utf-8"))
    return conflicts


DRIVER_NAME = "toolkit-nbmerge"
MERGE_ATTRIBUTE_LINE = f"*.ipynb merge={DRIVER_NAME}"


def install_merge_driver(
    path: str | os.PathLike[str] = ".", *, scope: str = "local", outputs: str = "strip"
) -> Any:
    """Register ``toolkit nb merge-driver`` in git config (``local``/``global``) and the
    scope's attributes file, like the filter; returns the attributes file."""
    import shlex
    import sys
    from pathlib import Path

    from toolkit.notebooks.gitconfig import add_attribute, attributes_file, set_config

    if outputs not in OUTPUT_POLICIES:
        raise UsageError(f"--outputs must be one of {', '.join(OUTPUT_POLICIES)}, not {outputs!r}")
    command = (
        f"{shlex.quote(sys.executable)} -m toolkit nb merge-driver %O %A %B "
        f"--outputs {outputs} --path %P"
    )
    attributes = attributes_file(scope, Path(path))
    set_config(
        scope,
        {
            f"merge.{DRIVER_NAME}.name": "toolkit notebook merge (cell by cell)",
            f"merge.{DRIVER_NAME}.driver": command,
        },
        Path(path),
    )
    add_attribute(attributes, MERGE_ATTRIBUTE_LINE)
    return attributes
