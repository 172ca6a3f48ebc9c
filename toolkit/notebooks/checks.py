"""Notebook checks for hooks and CI: execution order and error outputs.

Example:
    >>> code = [{"cell_type": "code", "execution_count": n, "source": "x", "outputs": []}
    ...         for n in (1, 3, 2)]
    >>> nb = {"cells": code, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> for problem in execution_order_problems(nb):
    ...     print(problem.message.split(":")[0])
    cell 2 has execution count 3, expected 2
    cell 3 ran before cell 2 (execution count 2, then 3)
"""

from __future__ import annotations

from toolkit._record import Record
from toolkit.notebooks.io import cell_source

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the hooks import this; typing costs ~10 ms
if TYPE_CHECKING:
    from typing import Any

    from toolkit.notebooks.io import Notebook


class CellProblem(Record):
    """A problem in one cell; ``cell`` is 1-based, as people count cells.

    A plain class: NamedTuple and dataclass import typing or inspect, more than a hook's work.
    """

    __slots__ = ("cell", "first_line", "message")

    def __init__(self, cell: int, message: str, first_line: str = "") -> None:
        self.cell, self.message, self.first_line = cell, message, first_line


def _first_line(cell: dict[str, Any]) -> str:
    text = cell_source(cell)
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:60]


def _is_blank(cell: dict[str, Any]) -> bool:
    return not _first_line(cell)


def execution_order_problems(
    nb: Notebook, *, allow_gaps: bool = False, allow_unexecuted: bool = False
) -> list[CellProblem]:
    """Cells showing the notebook was not run top to bottom in one fresh run.

    A notebook with no execution counts at all (stripped, or never run) passes. Otherwise the
    counts must increase down the notebook, start at 1 and have no gaps (``allow_gaps``), and no
    non-empty code cell may sit unexecuted among executed ones (``allow_unexecuted``).
    """
    code = [
        (index, cell)
        for index, cell in enumerate(nb.get("cells", []), start=1)
        if cell.get("cell_type") == "code"
    ]
    counts = [(i, c, c.get("execution_count")) for i, c in code]
    if all(count is None for _, _, count in counts):
        return []
    problems: list[CellProblem] = []
    previous: tuple[int, int] | None = None
    for index, cell, count in counts:
        if count is None:
            if not allow_unexecuted and not _is_blank(cell):
                problems.append(
                    CellProblem(index, f"cell {index} was not executed", _first_line(cell))
                )
            continue
        if isinstance(count, bool) or not isinstance(count, int):
            # A count written as "1" or 1.0 (hand-edited or a broken tool) is not a count.
            problems.append(
                CellProblem(
                    index,
                    f"cell {index} has an invalid execution count {count!r} (expected a whole "
                    "number or null): re-run the notebook top to bottom",
                    _first_line(cell),
                )
            )
            continue
        expected = 1 if previous is None else previous[1] + 1
        if previous is not None and count <= previous[1]:
            problems.append(
                CellProblem(
                    index,
                    f"cell {index} ran before cell {previous[0]} (execution count {count}, "
                    f"then {previous[1]}): re-run the notebook top to bottom",
                    _first_line(cell),
                )
            )
        elif count != expected and not allow_gaps:
            problems.append(
                CellProblem(
                    index,
                    f"cell {index} has execution count {count}, expected {expected}: cells were "
                    "re-run or run elsewhere; re-run the notebook top to bottom",
                    _first_line(cell),
                )
            )
        previous = (index, count)
    return problems


def error_output_problems(nb: Notebook) -> list[CellProblem]:
    """Cells whose kept outputs include an error (a traceback committed by accident)."""
    problems = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        for output in cell.get("outputs", []) or []:
            if isinstance(output, dict) and output.get("output_type") == "error":
                name = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
                problems.append(
                    CellProblem(
                        index, f"cell {index} has an error output ({name})", _first_line(cell)
                    )
                )
                break
    return problems
