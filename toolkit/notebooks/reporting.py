"""Results-only reports from notebooks: optional execution, then one self-contained HTML file.

The pieces are the well-kept libraries: nbclient runs the notebook in an ipykernel started from
*this* interpreter (not whatever ``python3`` kernelspec happens to be installed), parameters are
injected papermill-style after the cell tagged ``parameters``, and nbconvert's ``HTMLExporter``
renders through a small template (``report_templates/toolkit_report``) that adds a run-metadata
header and a table of contents and drops CDN scripts, so the page works offline. Code is hidden
by default; cell tags ``show-code``, ``hide-output`` and ``hide-cell`` control single cells.

The source notebook is never modified; the report is written atomically.

Example:
    >>> from toolkit.notebooks.reporting import report
    >>> result = report("analysis.ipynb", "reports", execute=True,
    ...                 parameters={"n_estimators": 200})  # doctest: +SKIP
    >>> result.output, result.failed  # doctest: +SKIP
    (PosixPath('reports/analysis.html'), False)
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import html
import importlib.metadata
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import nbformat
from nbformat import NotebookNode

from toolkit._io import atomic_write_bytes, atomic_write_text
from toolkit.errors import InvalidNotebookError, ToolkitError, UsageError

__all__ = ["CellFailure", "ReportResult", "parse_parameter", "report", "write_index"]

FORMATS = ("html", "markdown")
# Packages whose versions matter for reading ML results; only those installed are listed.
KEY_PACKAGES = (
    "numpy",
    "pandas",
    "polars",
    "scikit-learn",
    "matplotlib",
    "torch",
    "compound-toolkit",
)
TEMPLATE_DIR = Path(__file__).with_name("report_templates")
_KERNEL_NAME = "toolkit-python"
_HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)</h\1>', re.S)


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


@dataclass
class ReportResult:
    """What :func:`report` produced: where, how long, and which cell failed if any."""

    notebook: Path
    output: Path
    parameters: dict[str, Any]
    executed: bool
    duration: float
    failures: list[CellFailure] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when a cell raised (the report still shows the error in place)."""
        return bool(self.failures)

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
        }


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
    try:
        value: Any = ast.literal_eval(raw)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = raw
    return name, value


def report(
    path: str | os.PathLike[str],
    output_dir: str | os.PathLike[str] | None = None,
    *,
    execute: bool = False,
    parameters: Mapping[str, Any] | None = None,
    fmt: str = "html",
    show_code: bool = False,
    timeout: float | None = 600,
) -> ReportResult:
    """Render ``path`` as a results-only report in ``output_dir`` (default: next to the notebook).

    With ``execute=True`` the notebook runs top to bottom in an ipykernel of this interpreter,
    with ``parameters`` injected after the cell tagged ``parameters``; execution stops at the
    first failing cell, whose error stays in the report (``result.failures`` names it).
    Raises :class:`InvalidNotebookError` (nothing written) when ``path`` is not a notebook.

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
    nb = _read(source)
    out_dir = Path(output_dir) if output_dir is not None else source.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    params = dict(parameters or {})
    origin = list(range(len(nb.cells)))  # source index of each cell (injection shifts positions)
    started = time.monotonic()
    when = dt.datetime.now().astimezone()
    failures: list[CellFailure] = []
    if execute:
        _require_python(nb, source)
        origin = _inject_parameters(nb, params)
        failures = _execute(nb, source, origin, timeout)
    duration = time.monotonic() - started
    result = ReportResult(
        notebook=source,
        output=out_dir / (source.stem + (".html" if fmt == "html" else ".md")),
        parameters=params,
        executed=execute,
        duration=duration,
        failures=failures,
    )
    meta = _metadata(source, result, when)
    _apply_tags(nb, show_code)
    if fmt == "html":
        atomic_write_text(result.output, _render_html(nb, meta, source))
    else:
        _write_markdown(nb, meta, result.output)
    return result


def _read(source: Path) -> NotebookNode:
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidNotebookError(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidNotebookError(f"{source}: cannot read ({exc})") from None
    try:
        # No strict schema validation: Jupyter opens notebooks with small schema slips (cell
        # ids in a 4.4 file, ...) and so should we; what the report needs is checked below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
        cells = nb["cells"]
        if not isinstance(cells, list) or not all(
            isinstance(c, dict) and c.get("cell_type") and "source" in c for c in cells
        ):
            raise ValueError("'cells' must be a list of cells with cell_type and source")
    except Exception as exc:  # nbformat raises JSON, conversion and key errors alike
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidNotebookError(f"{source}: not a valid notebook ({reason})") from None
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
        nbformat.validate(nb, relax_add_props=True)
    except nbformat.ValidationError as exc:
        where = ".".join(str(part) for part in exc.path) or "the notebook"
        raise InvalidNotebookError(
            f"{source}: not a valid notebook ({where}: {exc.message}); re-save it in Jupyter "
            "or fix that field"
        ) from None


def _require_python(nb: NotebookNode, source: Path) -> None:
    """The kernel is this Python: refuse an R/Julia notebook instead of failing on cell 1."""
    meta = nb.get("metadata", {})
    language = meta.get("kernelspec", {}).get("language") or meta.get("language_info", {}).get(
        "name"
    )
    if language and str(language).lower() not in {"python", "python3", "ipython"}:
        raise ToolkitError(
            f"{source}: a {language} notebook; --execute runs Python only "
            "(render it without --execute, with its saved outputs)"
        )


def _tags(cell: NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _inject_parameters(nb: NotebookNode, params: Mapping[str, Any]) -> list[int]:
    """Insert the ``injected-parameters`` cell (papermill convention); return source indices."""
    origin = list(range(len(nb.cells)))
    if not params:
        return origin
    # A notebook saved from an earlier papermill run carries an injected cell: replace it.
    for i in reversed(range(len(nb.cells))):
        if "injected-parameters" in _tags(nb.cells[i]):
            del nb.cells[i]
            del origin[i]
    lines = ["# Parameters injected by `toolkit report`"]
    lines += [f"{name} = {value!r}" for name, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})  # type: ignore[no-untyped-call]
    where = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in _tags(c)), 0)
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


def _execute(
    nb: NotebookNode, source: Path, origin: list[int], timeout: float | None
) -> list[CellFailure]:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    for cell in nb.cells:  # stale outputs must not pass for results of this run
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    with _kernel_spec_dir() as kernels:
        # nbclient drives the kernel with asyncio: a blocking KernelManager here would make the
        # timeout's interrupt silently do nothing.
        km = AsyncKernelManager(
            kernel_name=_KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels])
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=None if timeout is None or timeout <= 0 else int(max(1, timeout)),
            interrupt_on_timeout=True,  # a timed-out cell becomes an error shown in place
            allow_errors=False,  # stop at the first failure, like papermill: later cells would
            # only add follow-on errors
            resources={"metadata": {"path": str(source.parent.resolve())}},
        )
        client.owns_km = True  # we made the manager for it: shut the kernel down afterwards
        try:
            # The kernel's own stderr (ZMQ transport warnings) is noise here: everything the
            # notebook prints arrives through the kernel protocol into the outputs.
            client.execute(stderr=subprocess.DEVNULL, env=_kernel_env())
        except CellExecutionError:
            pass  # the error output is already in the failing cell; found below
        except (DeadKernelError, CellTimeoutError) as exc:
            # The kernel died (e.g. out of memory) or ignored the interrupt: put the error on
            # the cell that was running so the report shows where it happened.
            where = _first_unexecuted(nb)
            if where < len(nb.cells):
                nb.cells[where].outputs = [
                    nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                        "error", ename=type(exc).__name__, evalue=str(exc), traceback=[]
                    )
                ]
    failures = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error" and "raises-exception" not in _tags(cell):
                failures.append(
                    CellFailure(
                        index=origin[i],
                        first_line=_first_line(cell.source),
                        ename=str(out.get("ename", "")),
                        evalue=_strip_ansi(str(out.get("evalue", ""))),
                    )
                )
                break
    if failures:
        _mark_not_run(nb)
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


def _first_line(src: str) -> str:
    for line in src.splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= 60 else text[:57] + "..."
    return ""


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _apply_tags(nb: NotebookNode, show_code: bool) -> None:
    """Results-only: drop ``hide-cell`` cells, empty ``hide-output`` ones, hide code by default."""
    kept = []
    for cell in nb.cells:
        tags = _tags(cell)
        if "hide-cell" in tags or "remove-cell" in tags:
            continue
        if cell.cell_type == "code":
            if "hide-output" in tags or "remove-output" in tags:
                cell.outputs = []
            cell.outputs = _results_only(cell.outputs)
            visible = (show_code or "show-code" in tags) and "hide-code" not in tags
            if "injected-parameters" in tags:
                visible = show_code  # the header lists the parameters already
            if any(out.get("output_type") == "error" for out in cell.outputs):
                visible = True  # the failing code is the first thing a reader needs to see
            if not visible:
                # nbconvert's templates honour this flag (TagRemovePreprocessor sets it too).
                cell.metadata["transient"] = {"remove_source": True}
                if not cell.outputs:
                    continue  # nothing left to show: no empty boxes in the report
        kept.append(cell)
    nb.cells = kept


def _results_only(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """Drop object reprs, and a figure returned as the cell's value when the inline backend
    showed it already (Jupyter displays a returned pyplot Figure twice)."""
    shown = any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
                for o in outputs)  # fmt: skip
    return [
        out
        for out in outputs
        if not _is_object_repr(out)
        and not (
            shown
            and out.get("output_type") == "execute_result"
            and "image/png" in out.get("data", {})
        )
    ]


# `<matplotlib.lines.Line2D at 0x7f..>` lists, and matplotlib's `<Axes: title=...>` and
# `<Figure size 640x480 with 1 Axes>` (what a plotting call as a cell's last line returns).
_OBJECT_REPR = re.compile(
    r"^[\[(]?<(?:[\w.]+(?: object)? at 0x[0-9a-fA-F]+>|(?:Axes|Figure)\b[^\n]*>)"
)


def _is_object_repr(out: NotebookNode) -> bool:
    """``[<matplotlib.lines.Line2D at 0x7f..>]`` and the like: noise for a reader of results."""
    if out.get("output_type") != "execute_result":
        return False
    data = out.get("data", {})
    return set(data) == {"text/plain"} and bool(_OBJECT_REPR.match(str(data["text/plain"])))


def _versions() -> str:
    found = []
    for name in KEY_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    return ", ".join(found)


def _git_commit(where: Path) -> str:
    try:
        run = subprocess.run(
            ["git", "-C", str(where.resolve().parent), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown (git not available)"
    if run.returncode != 0:
        return "not a git repository"
    commit = run.stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(where.resolve().parent), "status", "--porcelain", "--", where.name],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return commit + (" (notebook has uncommitted changes)" if dirty.stdout.strip() else "")


def _metadata(source: Path, result: ReportResult, when: dt.datetime) -> dict[str, Any]:
    params = ", ".join(f"{k} = {v!r}" for k, v in result.parameters.items()) or "(defaults)"
    if result.executed:
        run = f"executed by toolkit report in {result.duration:.1f} s"
    else:
        run = "not executed (outputs as saved in the notebook)"
    rows = [
        ("Notebook", str(source)),
        ("Parameters", params if result.executed else "(not executed)"),
        ("Date", when.strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("Run", run),
        ("Git commit", _git_commit(source)),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Packages", _versions()),
    ]
    if result.failures:
        status = "FAILED at " + result.failures[0].describe()
    else:
        status = "ok" if result.executed else "not executed"
    return {"title": source.stem, "rows": rows, "status": status, "failed": result.failed}


_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$\w])\$[^\s$][^$\n]*?(?<=[^\s\\])\$(?!\w)|\\begin\{", re.S)


def _has_math(nb: NotebookNode) -> bool:
    """Load MathJax (from a CDN) only for TeX; a lone ``$`` in prose or shell does not count."""
    return any(c.cell_type == "markdown" and _MATH.search(c.source) for c in nb.cells)


def _render_html(nb: NotebookNode, meta: dict[str, Any], source: Path) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(  # type: ignore[no-untyped-call]
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        template_name="toolkit_report",
        embed_images=True,  # markdown images become data: URIs too
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "toolkit": meta | {"has_math": _has_math(nb)},
        # Where markdown images like ![](images/x.png) are found, to embed them.
        "metadata": {"path": str(source.parent), "name": source.stem},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body.replace("<!--toolkit-toc-->", _toc(body), 1)


def _toc(body: str) -> str:
    """A nested list of the h1-h3 headings, linking to the anchors nbconvert gives them."""
    items = []
    for level, anchor, inner in _HEADING.findall(body):
        text = re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip()
        items.append((int(level), anchor, html.unescape(text)))
    if len(items) < 2:
        return ""
    top = min(level for level, _, _ in items)
    parts = ['<nav class="tk-toc" aria-label="Contents"><strong>Contents</strong><ul>']
    depth = 0
    for level, anchor, text in items:
        target = level - top
        while depth < target:
            parts.append("<ul>")
            depth += 1
        while depth > target:
            parts.append("</ul>")
            depth -= 1
        parts.append(f'<li><a href="#{html.escape(anchor)}">{html.escape(text)}</a></li>')
    parts.append("</ul>" * depth + "</ul></nav>")
    return "".join(parts)


def _write_markdown(nb: NotebookNode, meta: dict[str, Any], output: Path) -> None:
    """Markdown report; figures go to ``<stem>_files/`` next to it (markdown cannot embed well)."""
    from nbconvert import MarkdownExporter

    files_dir = output.with_name(output.stem + "_files")
    exporter = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True)  # type: ignore[no-untyped-call]
    body, resources = exporter.from_notebook_node(
        nb, resources={"output_files_dir": files_dir.name}
    )
    head = [f"# {meta['title']}", ""]
    head += [f"- **{key}:** {value}" for key, value in meta["rows"]]
    head += [f"- **Status:** {meta['status']}", "", "---", ""]
    outputs: dict[str, bytes] = resources.get("outputs", {})
    if outputs:
        files_dir.mkdir(exist_ok=True)
    for name, data in outputs.items():
        atomic_write_bytes(output.parent / name, data)
    atomic_write_text(output, "\n".join(head) + body)


def write_index(results: Sequence[ReportResult], output_dir: str | os.PathLike[str]) -> Path:
    """Write ``index.html`` in ``output_dir`` linking every report, with its status.

    Example:
        >>> write_index([res1, res2], "reports")  # doctest: +SKIP
        PosixPath('reports/index.html')
    """
    out = Path(output_dir)
    rows = []
    for res in results:
        link = os.path.relpath(res.output, out)
        status = "failed: " + res.failures[0].describe() if res.failed else "ok"
        css = "bad" if res.failed else "ok"
        rows.append(
            f'<tr><td><a href="{html.escape(link)}">{html.escape(res.notebook.stem)}</a></td>'
            f"<td>{html.escape(str(res.notebook))}</td>"
            f'<td class="{css}">{html.escape(status)}</td>'
            f"<td>{res.duration:.1f} s</td></tr>"
        )
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1000px; margin: 32px auto; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 6px 10px; border-bottom: 1px solid #d0d7de; }}
.ok {{ color: #1a7f37; }} .bad {{ color: #cf222e; }}
</style></head><body>
<h1>Reports</h1><p>{len(results)} notebook(s), built {html.escape(when)}.</p>
<table><tr><th>Report</th><th>Notebook</th><th>Status</th><th>Time</th></tr>
{"".join(rows)}
</table></body></html>
"""
    target = out / "index.html"
    atomic_write_text(target, page)
    return target
