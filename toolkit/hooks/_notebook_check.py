"""Run a per-notebook check over files and print one line per problem."""

from __future__ import annotations

from toolkit.errors import InvalidNotebookError
from toolkit.hooks import problem
from toolkit.notebooks.io import load_notebook

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from collections.abc import Callable

    from toolkit.notebooks.checks import CellProblem
    from toolkit.notebooks.io import Notebook


def run_check(paths: list[str], check: Callable[[Notebook], list[CellProblem]]) -> int:
    """0 when every notebook passes; 1 when any has a problem; 2 when any cannot be read as a
    notebook (bad input wins, see :mod:`toolkit.errors`)."""
    status = 0
    for path in paths:
        try:
            nb = load_notebook(path)
        except InvalidNotebookError as exc:
            problem(str(exc))
            status = max(status, exc.exit_code)
            continue
        for found in check(nb):
            hint = f"  [{found.first_line}]" if found.first_line else ""
            problem(f"{path}: {found.message}{hint}")
            status = max(status, 1)
    return status
