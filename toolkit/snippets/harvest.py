"""``toolkit snippet harvest NOTEBOOK``: notebook cells become snippets.

A code cell is harvested when it is tagged ``snippet`` (cell metadata tags) or its first line is
``# snippet: name``. The imports it needs come from earlier cells; names it uses that no earlier
import and no definition provides are reported (the snippet would fail on its own). A tagged cell
without a name line is named after its first function or class (``--prefix``/name).

Example:
    >>> import nbformat, pathlib, tempfile
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("import numpy as np"),
    ...             nbformat.v4.new_code_cell("# snippet: cv/area\\ndef area(b):\\n"
    ...                                       "    return np.prod(b) * scale")]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.ipynb"
    >>> nbformat.write(nb, str(path))
    >>> [(c.name, sorted(c.undefined)) for c in find_candidates(path)]
    [('cv/area', ['scale'])]
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidNotebookError, ToolkitError, UsageError
from toolkit.snippets.extract import imports_in
from toolkit.snippets.model import validate_name
from toolkit.snippets.personal import _destination, build_snippet_text
from toolkit.snippets.stamp import write_source

_NAME_LINE = re.compile(r"^\s*#\s*snippet\s*:\s*(\S+)\s*$")
_MAGIC = re.compile(r"^\s*[%!]")


@dataclass(frozen=True)
class Candidate:
    """A cell to harvest: its snippet name, text, and the names nothing defines."""

    name: str
    cell_index: int
    text: str
    undefined: frozenset[str]


def _clean(source: str) -> str:
    # IPython magics and shell escapes are not Python; drop them from the analysed code.
    return "\n".join(line for line in source.splitlines() if not _MAGIC.match(line))


def _read_notebook(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    except FileNotFoundError:
        raise UsageError(f"{path}: no such notebook") from None
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise InvalidNotebookError(f"{path}: not a readable notebook ({exc})") from exc


def find_candidates(notebook: Path, *, prefix: str = "harvested") -> list[Candidate]:
    """The harvestable cells of ``notebook`` as snippet candidates (nothing is written)."""
    nb = _read_notebook(notebook)
    earlier_imports: list[str] = []
    found: list[Candidate] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        source = _clean(cell.get("source", ""))
        lines = source.splitlines()
        name_match = _NAME_LINE.match(lines[0]) if lines else None
        tagged = "snippet" in cell.get("metadata", {}).get("tags", [])
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            if name_match or tagged:
                raise ToolkitError(
                    f"{notebook}: cell {index + 1} is marked as a snippet but is not valid "
                    f"Python (line {exc.lineno}: {exc.msg})"
                ) from exc
            continue
        if name_match or tagged:
            if name_match:
                name = name_match.group(1)
                code = "\n".join(lines[1:]).strip("\n") + "\n"
            else:
                defs = [
                    n.name
                    for n in tree.body
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                ]
                if not defs:
                    raise UsageError(
                        f"{notebook}: cell {index + 1} is tagged 'snippet' but defines no function "
                        "or class to name it after; start it with '# snippet: topic/name'"
                    )
                name = f"{prefix}/{defs[0]}"
                code = source.strip("\n") + "\n"
            name = validate_name(name)
            text, missing = build_snippet_text(
                code, context_imports=earlier_imports, summary=None, tags=[name.split("/")[0]]
            )
            found.append(Candidate(name, index, text, frozenset(missing)))
        earlier_imports += imports_in(source)
    return found


def harvest(
    notebook: Path,
    *,
    directory: Path | None = None,
    prefix: str = "harvested",
    force: bool = False,
    dry_run: bool = False,
) -> list[tuple[Candidate, Path]]:
    """Write every candidate of ``notebook`` into the personal library (or ``directory``)."""
    candidates = find_candidates(notebook, prefix=prefix)
    # Check every destination before writing anything: all or nothing.
    planned = [(c, _destination(c.name, directory, force)) for c in candidates]
    if not dry_run:
        for candidate, path in planned:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_source(path, candidate.text)
    return planned
