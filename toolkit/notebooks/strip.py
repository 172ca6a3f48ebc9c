"""Strip outputs, execution counts and volatile metadata from notebooks, losslessly.

Defaults match nbstripout (same volatile keys, same ``keep_output`` tag/metadata rules), with
two deliberate differences: cell ids are kept as they are (nbstripout renumbers them "0", "1", …,
so inserting a cell churns every later id in the diff), and ``drop_tagged_cells`` honours every
tag given (nbstripout's filter closes over the loop variable and applies only the last tag).
Sources are kept in the representation they were written in (nbformat turns strings into line
lists); everything the options do not remove is preserved exactly.

Example:
    >>> nb = {"cells": [{"cell_type": "code", "id": "a1", "metadata": {"scrolled": True},
    ...        "execution_count": 3, "outputs": [{"output_type": "stream"}], "source": "x"}],
    ...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> stripped = strip_notebook(nb)
    >>> cell = stripped["cells"][0]
    >>> cell["id"], cell["metadata"], cell["execution_count"], cell["outputs"]
    ('a1', {}, None, [])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from toolkit.errors import InvalidNotebookError
from toolkit.notebooks.io import (
    Notebook,
    dumps_notebook,
    loads_notebook,
    read_notebook,
    write_notebook,
)

# nbstripout's default volatile keys: widget state, signatures, UI state, execution timings.
DEFAULT_EXTRA_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
)


# NamedTuple, not dataclass: dataclasses imports inspect/dis/ast, ~10 ms of every hook start.
class StripOptions(NamedTuple):
    """What to remove. The defaults are nbstripout's, except that cell ids are kept."""

    keep_output: bool = False
    keep_count: bool = False
    keep_id: bool = True
    extra_keys: tuple[str, ...] = ()
    keep_metadata: tuple[str, ...] = ()
    drop_empty_cells: bool = False
    drop_tagged_cells: tuple[str, ...] = ()
    strip_init_cells: bool = False

    def volatile_keys(self) -> list[str]:
        """Default plus extra keys, minus the ones the user keeps (``--keep-metadata``)."""
        keys = [*DEFAULT_EXTRA_KEYS, *self.extra_keys]
        kept = {key if "." in key else f"metadata.{key}" for key in self.keep_metadata}
        kept |= {f"cell.metadata.{key}" for key in self.keep_metadata if "." not in key}
        return [key for key in keys if key not in kept]


class StripResult(NamedTuple):
    """What happened to one file: ``changed`` (or would change, with check), or an ``error``."""

    path: Path
    changed: bool = False
    error: str | None = None
    removed_outputs: int = 0


def _without(container: Any, dotted: str) -> Any:
    """``container`` without the key path ``"a.b"``: a copy along that path, else itself.

    Copy-on-write instead of a deep copy: outputs can be megabytes of images, and copying
    them only to drop them dominated the run time.
    """
    if not isinstance(container, dict):
        return container
    if dotted in container:
        return {k: v for k, v in container.items() if k != dotted}
    head, _, tail = dotted.partition(".")
    if tail and head in container:
        inner = _without(container[head], tail)
        if inner is not container[head]:
            return {**container, head: inner}
    return container


def _tags(cell: dict[str, Any]) -> list[Any]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return tags if isinstance(tags, list) else []


def keep_cell_output(cell: dict[str, Any], default: bool, strip_init_cells: bool) -> bool:
    """nbstripout's rule: ``init_cell`` metadata, ``keep_output`` metadata or tag, else default."""
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return default
    if "init_cell" in metadata:
        return bool(metadata["init_cell"]) and not strip_init_cells
    has_tag = "keep_output" in _tags(cell)
    if "keep_output" in metadata and has_tag and not metadata["keep_output"]:
        raise InvalidNotebookError("cell metadata contradicts tags: keep_output is false")
    if "keep_output" in metadata or has_tag:
        return bool(metadata.get("keep_output", False)) or has_tag
    return default


def _is_empty(cell: dict[str, Any]) -> bool:
    source = cell.get("source", [])
    lines = [source] if isinstance(source, str) else source
    return not any(str(line).strip() for line in lines)


def _strip_cell(
    cell: dict[str, Any],
    index: int,
    keep_output: bool,
    cell_keys: list[str],
    options: StripOptions,
) -> dict[str, Any]:
    cell = dict(cell)
    if "outputs" in cell:
        if not keep_cell_output(cell, keep_output, options.strip_init_cells):
            cell["outputs"] = []
        elif not options.keep_count:
            cell["outputs"] = [
                {**output, "execution_count": None}
                if isinstance(output, dict) and "execution_count" in output
                else output
                for output in cell["outputs"]
            ]
    if "execution_count" in cell and not options.keep_count:
        cell["execution_count"] = None
    if "id" in cell and not options.keep_id:
        cell["id"] = str(index)
    for key in cell_keys:
        cell = _without(cell, key)
    return cell


def strip_notebook(nb: Notebook, options: StripOptions = StripOptions()) -> Notebook:
    """Return a stripped copy of ``nb``; the input is not modified (unchanged parts are shared)."""
    keep_output = options.keep_output or bool(nb.get("metadata", {}).get("keep_output", False))
    cell_keys, notebook_keys = [], []
    for key in options.volatile_keys():
        namespace, _, rest = key.partition(".")
        if namespace == "cell" and rest:
            cell_keys.append(rest)
        elif namespace == "metadata" and rest:
            notebook_keys.append(rest)
    stripped = dict(nb)
    for key in notebook_keys:
        stripped = _without(stripped, f"metadata.{key}")
    drop_tags = set(options.drop_tagged_cells)
    cells = [
        cell
        for cell in nb["cells"]
        if not (options.drop_empty_cells and _is_empty(cell))
        and not (drop_tags and drop_tags.intersection(map(str, _tags(cell))))
    ]
    stripped["cells"] = [
        _strip_cell(cell, index, keep_output, cell_keys, options)
        for index, cell in enumerate(cells)
    ]
    return stripped


def strip_text(text: str, options: StripOptions = StripOptions(), name: str = "<stdin>") -> str:
    """Strip notebook JSON text; returns ``text`` itself when nothing changes."""
    nb, style = loads_notebook(text, name)
    stripped = strip_notebook(nb, options)
    return text if stripped == nb else dumps_notebook(stripped, style)


def count_outputs(nb: Notebook) -> int:
    """Number of outputs in all cells (for reporting what stripping removed)."""
    return sum(len(cell.get("outputs", []) or []) for cell in nb.get("cells", []))


def strip_file(
    path: str | Path, options: StripOptions = StripOptions(), *, check: bool = False
) -> StripResult:
    """Strip one file in place (atomically); a clean file is not touched (same bytes, mtime).

    With ``check``, nothing is written; ``changed`` says whether it would be.
    """
    path = Path(path)
    try:
        nb, style = read_notebook(path)
        stripped = strip_notebook(nb, options)
    except InvalidNotebookError as exc:
        return StripResult(path, error=str(exc) if str(path) in str(exc) else f"{path}: {exc}")
    if stripped == nb:
        return StripResult(path)
    removed = count_outputs(nb) - count_outputs(stripped)
    if not check:
        write_notebook(path, stripped, style)
    return StripResult(path, changed=True, removed_outputs=removed)


def strip_files(
    paths: Iterable[str | Path], options: StripOptions = StripOptions(), *, check: bool = False
) -> list[StripResult]:
    """Strip many files; a bad file is reported in its result and the others still processed.

    Files are handled by a few threads: the JSON work holds the GIL, but the ``fsync`` of each
    atomic write does not, and waiting for the disk one file at a time dominated the run time.
    Results come back in the order of ``paths``.
    """
    paths = list(paths)
    if len(paths) < 2:
        return [strip_file(path, options, check=check) for path in paths]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, len(paths))) as pool:
        return list(pool.map(lambda path: strip_file(path, options, check=check), paths))
