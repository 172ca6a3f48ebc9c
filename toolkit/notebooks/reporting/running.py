"""Reading a notebook for a report and running it: parameters, the kernel, timeouts, failures.

nbclient runs the notebook in an ipykernel started from *this* interpreter (not whatever
``python3`` kernelspec happens to be installed); parameters are injected papermill-style after
the cell tagged ``parameters``, and only names that cell assigns are accepted. A cell that runs
past the timeout has its kernel killed (an interrupt can be ignored) and is reported as failed.

Example:
    >>> parse_parameter("alpha=0.5")
    ('alpha', 0.5)
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
import keyword
import os
import re
import signal
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import nbformat
from nbformat import NotebookNode

from toolkit.errors import InvalidNotebookError, ToolkitError, UsageError
from toolkit.notebooks.io import load_notebook

__all__ = [
    "CellFailure",
    "ReportTerminated",
    "check_parameters",
    "declared_parameters",
    "execute",
    "inject_parameters",
    "parse_parameter",
    "read_notebook",
    "require_python",
    "tags",
]

_KERNEL_NAME = "toolkit-python"


@dataclass(frozen=True)
class CellFailure:
    """A cell that raised during execution: ``index`` counts cells of the source notebook from 0."""

    index: int
    first_line: str
    ename: str
    evalue: str

    def describe(self) -> str:
        """One line naming the cell, e.g. ``cell 4 (`model.fit(X)`): ValueError: bad shape``."""
        return f"cell {self.index} (`{self.first_line}`): {self.ename}: {self.evalue}"


def parse_parameter(text: str) -> tuple[str, Any]:
    """Parse ``NAME=VALUE``; the value is a Python literal when it parses as one, else a string.

    Example:
        >>> parse_parameter("alpha=0.5"), parse_parameter("name=run 1")
        (('alpha', 0.5), ('name', 'run 1'))
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise UsageError(f"parameter {text!r}: expected NAME=VALUE with NAME a Python identifier")
    if keyword.iskeyword(name):
        raise UsageError(
            f"parameter {text!r}: {name!r} is a Python keyword and cannot be a variable; "
            "rename the parameter in the notebook (e.g. class_)"
        )
    try:
        value: Any = ast.literal_eval(raw)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = raw
    return name, value


def read_notebook(source: Path) -> NotebookNode:
    """The notebook at ``source`` (read by :func:`toolkit.notebooks.io.load_notebook`, older
    nbformat versions converted), checked to be renderable; :class:`InvalidNotebookError` (one
    line naming the file and the field) otherwise."""
    # No strict schema validation: Jupyter opens notebooks with small schema slips (cell ids
    # in a 4.4 file, ...) and so should we; what nbconvert rejects is checked below.
    read = load_notebook(source, upgrade=True)
    nb = nbformat.v4.to_notebook(read)  # type: ignore[no-untyped-call]  # joins line lists
    # Widgets need JavaScript from a CDN, so a self-contained report cannot run them; their
    # text fallback is shown. (Partial widget metadata also crashes nbconvert's filter.)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.setdefault("metadata", {})
        if cell.cell_type == "code":
            cell.setdefault("outputs", [])
    _check_renderable(nb, source)
    return cast(NotebookNode, nb)


def _check_renderable(nb: NotebookNode, source: Path) -> None:
    """Fail now, in one line, on what nbconvert's exporter would reject after the work (its
    validation, which tolerates extra properties): say which field and how to repair it."""
    try:
        with warnings.catch_warnings():  # a missing cell id is added, as Jupyter does
            warnings.simplefilter("ignore")
            nbformat.validate(nb, relax_add_props=True)
    except nbformat.ValidationError as exc:
        where = ".".join(str(part) for part in exc.path) or "the notebook"
        raise InvalidNotebookError(
            f"{source}: not a valid notebook ({where}: {exc.message}); re-save it in Jupyter "
            "or fix that field"
        ) from None


class NotPythonNotebookError(ToolkitError):
    """``--execute`` on an R/Julia/... notebook: bad input for this command (exit 2); the
    other notebooks of the call are still reported."""

    exit_code = 2


def require_python(nb: NotebookNode, source: Path) -> None:
    """The kernel is this Python: refuse an R/Julia notebook instead of failing on cell 1."""
    meta = nb.get("metadata", {})
    language = meta.get("kernelspec", {}).get("language") or meta.get("language_info", {}).get(
        "name"
    )
    if language and str(language).lower() not in {"python", "python3", "ipython"}:
        raise NotPythonNotebookError(
            f"{source}: a {language} notebook; --execute runs Python only "
            "(render it without --execute, with its saved outputs)"
        )


def tags(cell: NotebookNode) -> set[str]:
    """The cell's tags (``metadata.tags``)."""
    return set(cell.get("metadata", {}).get("tags", []))


_ASSIGNED = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)", re.M)


def declared_parameters(nb: NotebookNode) -> set[str] | None:
    """Names assigned at top level by the cells tagged ``parameters``; None without such a cell.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "alpha = 1\\nx, y = 2, 3\\nname: str = 'a'", metadata={"tags": ["parameters"]})])
    >>> sorted(declared_parameters(nb))
    ['alpha', 'name', 'x', 'y']
    """
    cells = [c for c in nb.cells if "parameters" in tags(c) and c.cell_type == "code"]
    if not cells:
        return None
    names: set[str] = set()
    for cell in cells:
        # IPython magics and shell lines are not Python: blank them before parsing.
        source = "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line
            for line in cell.source.splitlines()
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            names |= set(_ASSIGNED.findall(source))
            continue
        for node in tree.body:
            targets = (
                node.targets if isinstance(node, ast.Assign)
                else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign)
                else []
            )  # fmt: skip
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def check_parameters(
    nb: NotebookNode, source: Path, params: Mapping[str, Any], *, allow_undeclared: bool
) -> None:
    """Refuse (``UsageError``, exit 2) a parameter the ``parameters`` cell does not assign: a
    misspelt name would otherwise run with the default silently."""
    if not params or allow_undeclared:
        return
    declared = declared_parameters(nb)
    if declared is None:
        raise UsageError(
            f"{source}: has no cell tagged `parameters`, so -p {', '.join(params)} would set "
            "nothing the notebook declares; tag the cell that sets the defaults, or pass "
            "--allow-undeclared to inject anyway"
        )
    unknown = [name for name in params if name not in declared]
    if unknown:
        raise UsageError(
            f"{source}: parameter {', '.join(map(repr, unknown))} is not assigned in the cell "
            f"tagged `parameters` (it assigns: {', '.join(sorted(declared)) or 'nothing'}); "
            "check the spelling, or pass --allow-undeclared to inject it anyway"
        )


def inject_parameters(nb: NotebookNode, params: Mapping[str, Any]) -> list[int]:
    """Insert the ``injected-parameters`` cell (papermill convention); return source indices."""
    origin = list(range(len(nb.cells)))
    if not params:
        return origin
    # A notebook saved from an earlier papermill run carries an injected cell: replace it.
    for i in reversed(range(len(nb.cells))):
        if "injected-parameters" in tags(nb.cells[i]):
            del nb.cells[i]
            del origin[i]
    lines = ["# Parameters injected by `toolkit report`"]
    lines += [f"{name} = {value!r}" for name, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})  # type: ignore[no-untyped-call]
    where = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in tags(c)), 0)
    nb.cells.insert(where, cell)
    origin.insert(where, -1)
    return origin


@contextlib.contextmanager
def _kernel_spec_dir() -> Iterator[str]:
    """A throw-away kernelspec that starts ipykernel with ``sys.executable`` (this environment)."""
    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-") as tmp:
        spec = Path(tmp) / _KERNEL_NAME
        spec.mkdir()
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        doc = {"argv": argv, "display_name": "Python (toolkit report)", "language": "python"}
        (spec / "kernel.json").write_text(json.dumps(doc), encoding="utf-8")
        yield tmp


def execute(
    nb: NotebookNode, source: Path, origin: list[int], timeout: float | None
) -> list[CellFailure]:
    """Run ``nb`` in place top to bottom, stopping at the first failing cell; return failures
    (cell indices of the source notebook, via ``origin``)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    for cell in nb.cells:  # stale outputs must not pass for results of this run
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    limit = None if timeout is None or timeout <= 0 else int(max(1, timeout))
    terminated: list[int] = []  # SIGTERM received while running
    with _kernel_spec_dir() as kernels:
        # nbclient drives the kernel with asyncio: a blocking KernelManager here would not mix.
        km = AsyncKernelManager(
            kernel_name=_KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels])
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=limit,
            # No interrupt on timeout: a cell can ignore SIGINT (a C extension, a handler), and
            # nbclient would then wait forever. The run stops at the first failure anyway, so
            # the kernel is killed and the cell reported as timed out.
            interrupt_on_timeout=False,
            shutdown_kernel="immediate",
            allow_errors=False,  # stop at the first failure, like papermill: later cells would
            # only add follow-on errors
            resources={"metadata": {"path": str(source.parent.resolve())}},
            on_notebook_start=_sigterm_kills_kernel(km, terminated),
        )
        client.owns_km = True  # we made the manager for it: shut the kernel down afterwards
        try:
            # The kernel's own stderr (ZMQ transport warnings) is noise here: everything the
            # notebook prints arrives through the kernel protocol into the outputs.
            try:
                client.execute(stderr=subprocess.DEVNULL, env=_kernel_env())
            except Exception:
                if not terminated:
                    raise
                # Killed on purpose: whatever nbclient raised about the dead kernel is moot.
        except CellExecutionError:
            pass  # the error output is already in the failing cell; found below
        except (DeadKernelError, CellTimeoutError) as exc:
            # The kernel died (e.g. out of memory) or ran past the timeout and was killed: put
            # the error on the cell that was running so the report shows where it happened.
            where = _first_unexecuted(nb)
            if where < len(nb.cells):
                ename, evalue = type(exc).__name__, str(exc).strip().splitlines()[0]
                if isinstance(exc, CellTimeoutError):
                    ename = "TimeoutError"
                    evalue = f"the cell ran longer than --timeout {limit} s; its kernel was killed"
                nb.cells[where].outputs = [
                    nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                        "error", ename=ename, evalue=evalue, traceback=[]
                    )
                ]
    if terminated:
        raise ReportTerminated(
            f"{source}: stopped by SIGTERM while running; its kernel was killed and no report "
            "was written"
        )
    failures = _failures(nb, origin)
    if failures:
        _mark_not_run(nb)
    return failures


class ReportTerminated(ToolkitError):
    """``toolkit report`` received SIGTERM while a notebook ran (exit 143, like the signal)."""

    exit_code = 143


def _sigterm_kills_kernel(km: Any, received: list[int]) -> Any:
    """An nbclient ``on_notebook_start`` hook: from then on SIGTERM kills the kernel (nbclient
    then ends the run as a dead kernel and cleans up once) and is recorded in ``received``.
    nbclient's own SIGTERM handler cleans up too, but the run then trips over the second
    clean-up with tracebacks."""

    def on_sigterm() -> None:
        received.append(signal.SIGTERM)
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                process.kill()

    def hook(**_: Any) -> None:
        # Not in the main thread (or on Windows) there are no loop signal handlers: no change.
        with contextlib.suppress(RuntimeError, NotImplementedError, ValueError):
            asyncio.get_event_loop().add_signal_handler(signal.SIGTERM, on_sigterm)

    return hook


def _failures(nb: NotebookNode, origin: list[int]) -> list[CellFailure]:
    failures = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error" and "raises-exception" not in tags(cell):
                failures.append(
                    CellFailure(
                        index=origin[i],
                        first_line=first_line(cell.source),
                        ename=str(out.get("ename", "")),
                        evalue=_strip_ansi(str(out.get("evalue", ""))),
                    )
                )
                break
    return failures


def _kernel_env() -> dict[str, str]:
    """The caller's environment, but figures always inline: ``MPLBACKEND=Agg`` (common in CI
    and test set-ups) would otherwise make ``plt.show()`` draw nothing into the report."""
    env = dict(os.environ)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return env


def _first_unexecuted(nb: NotebookNode) -> int:
    """The cell that was running: the first code cell without a recorded execute reply."""
    for i, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" not in timing:
            return i
    return len(nb.cells)


def _mark_not_run(nb: NotebookNode) -> None:
    """After the failing cell, say plainly that the rest did not run (no stale outputs)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.outputs):
            note = nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
                '<div class="tk-not-run">Execution stopped at the error above: '
                "the cells below did not run, their results are missing.</div>"
            )
            nb.cells.insert(i + 1, note)
            return


def first_line(src: str) -> str:
    """The first non-blank line of ``src``, shortened to 60 characters."""
    for line in src.splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= 60 else text[:57] + "..."
    return ""


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
