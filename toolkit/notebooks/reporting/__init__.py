"""Results-only reports from notebooks: optional execution, then one self-contained HTML file.

Three parts, one module each: :mod:`.running` reads the notebook and runs it (parameters,
kernel, timeouts, failures), :mod:`.metadata` says how it ran (date, git commit, versions), and
:mod:`.rendering` turns it into the page and the index of reports. Code is hidden by default;
cell tags ``show-code``, ``hide-output`` and ``hide-cell`` control single cells.

The source notebook is never modified; reports are written atomically.

Example:
    >>> from toolkit.notebooks.reporting import report
    >>> result = report("analysis.ipynb", "reports", execute=True,
    ...                 parameters={"n_estimators": 200})  # doctest: +SKIP
    >>> result.output, result.failed  # doctest: +SKIP
    (PosixPath('reports/analysis.html'), False)
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._io import atomic_write_text
from toolkit.errors import ToolkitError, UsageError
from toolkit.notebooks.reporting import rendering, running
from toolkit.notebooks.reporting.metadata import header_rows
from toolkit.notebooks.reporting.running import CellFailure, parse_parameter

__all__ = [
    "CellFailure",
    "NothingToReportError",
    "ReportResult",
    "check_parameters",
    "parse_parameter",
    "report",
    "write_index",
]

FORMATS = ("html", "markdown")


class NothingToReportError(ToolkitError):
    """A notebook without saved outputs (stripped, or never run) reported without
    ``--execute``: the report would be empty. Exit 2: the call needs ``--execute``."""

    exit_code = 2


@dataclass
class ReportResult:
    """What :func:`report` produced: where, how long, which cell failed, what was refused."""

    notebook: Path
    output: Path
    parameters: dict[str, Any]
    executed: bool
    duration: float
    failures: list[CellFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when a cell raised (the report still shows the error in place)."""
        return bool(self.failures)

    @property
    def status(self) -> str:
        """``ok``, ``not executed`` or ``failed at cell ...`` (one line)."""
        if self.failures:
            return "failed at " + self.failures[0].describe()
        return "ok" if self.executed else "not executed"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "notebook": str(self.notebook),
            "output": str(self.output),
            "parameters": self.parameters,
            "executed": self.executed,
            "duration_s": round(self.duration, 3),
            "failed": self.failed,
            "failures": [f.__dict__ | {"message": f.describe()} for f in self.failures],
            "warnings": self.warnings,
        }


def check_parameters(
    path: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    *,
    allow_undeclared: bool = False,
) -> None:
    """Raise :class:`UsageError` when ``parameters`` name something the notebook's
    ``parameters`` cell does not assign (before any work; ``report`` checks this too).

    Example:
        >>> check_parameters("nb.ipynb", {"alpah": 1})  # doctest: +SKIP
        Traceback (most recent call last):
        UsageError: nb.ipynb: parameter 'alpah' is not assigned in the cell tagged ...
    """
    source = Path(path)
    running.check_parameters(
        running.read_notebook(source), source, parameters, allow_undeclared=allow_undeclared
    )


def report(
    path: str | os.PathLike[str],
    output_dir: str | os.PathLike[str] | None = None,
    *,
    execute: bool = False,
    parameters: Mapping[str, Any] | None = None,
    fmt: str = "html",
    show_code: bool = False,
    timeout: float | None = 600,
    allow_undeclared: bool = False,
) -> ReportResult:
    """Render ``path`` as a results-only report in ``output_dir`` (default: next to the notebook).

    With ``execute=True`` the notebook runs top to bottom in an ipykernel of this interpreter,
    with ``parameters`` injected after the cell tagged ``parameters`` (names it does not assign
    are a :class:`UsageError` unless ``allow_undeclared``); execution stops at the first failing
    cell, whose error stays in the report (``result.failures`` names it). A cell running longer
    than ``timeout`` seconds has its kernel killed and counts as failed. Raises
    :class:`InvalidNotebookError` (nothing written) when ``path`` is not a notebook, and
    :class:`NothingToReportError` without ``execute`` for a notebook with no saved outputs.

    Example:
        >>> res = report("nb.ipynb", "out", execute=True, parameters={"seed": 1})  # doctest: +SKIP
        >>> res.output.name  # doctest: +SKIP
        'nb.html'
    """
    if fmt not in FORMATS:
        raise UsageError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if parameters and not execute:
        raise UsageError("parameters need --execute: they take effect only when the notebook runs")
    source = Path(path)
    nb = running.read_notebook(source)
    params = dict(parameters or {})
    running.check_parameters(nb, source, params, allow_undeclared=allow_undeclared)
    if not execute and not rendering.has_saved_outputs(nb):
        raise NothingToReportError(
            f"{source}: has no saved outputs (stripped, or never run), so its report would be "
            "empty; add --execute to run it first"
        )
    out_dir = Path(output_dir) if output_dir is not None else source.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    origin = list(range(len(nb.cells)))  # source index of each cell (injection shifts positions)
    started = time.monotonic()
    when = dt.datetime.now().astimezone()
    failures: list[CellFailure] = []
    if execute:
        running.require_python(nb, source)
        origin = running.inject_parameters(nb, params)
        failures = running.execute(nb, source, origin, timeout)
    result = ReportResult(
        notebook=source,
        output=out_dir / (source.stem + (".html" if fmt == "html" else ".md")),
        parameters=params,
        executed=execute,
        duration=time.monotonic() - started,
        failures=failures,
    )
    rows = header_rows(source, params, executed=execute, duration=result.duration, when=when)
    meta = {"title": source.stem, "rows": rows, "status": _status(result), "failed": result.failed}
    rendering.apply_tags(nb, show_code)
    if fmt == "html":
        page, result.warnings = rendering.render_html(nb, meta, source)
        atomic_write_text(result.output, page)
    else:
        rendering.write_markdown(nb, meta, result.output)
    return result


def _status(result: ReportResult) -> str:
    """The header's status line (upper-case FAILED: the first thing a reader looks for)."""
    return "FAILED at " + result.failures[0].describe() if result.failed else result.status


def write_index(
    results: Sequence[ReportResult], output_dir: str | os.PathLike[str]
) -> tuple[Path | None, list[str]]:
    """Write ``index.html`` in ``output_dir`` linking every report with its status, merged with
    the reports an earlier index there listed; returns its path (None when an ``index.html``
    not written by the toolkit is in the way: left alone) and any warnings.

    Example:
        >>> write_index([res1, res2], "reports")  # doctest: +SKIP
        (PosixPath('reports/index.html'), [])
    """
    out = Path(output_dir)
    built = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M").strip()
    entries = [
        {
            "link": Path(os.path.relpath(res.output, out)).as_posix(),
            "name": res.notebook.stem,
            "notebook": str(res.notebook),
            "status": res.status,
            "failed": res.failed,
            "duration_s": round(res.duration, 1),
            "built": built,
        }
        for res in results
    ]
    return rendering.write_index(entries, out)
