"""Turning an executed (or saved) notebook into the report page, and the index of reports.

nbconvert's ``HTMLExporter`` renders the notebook through ``report_templates/toolkit_report``
(an nbconvert template: run-metadata header, no CDN scripts, so the page works offline); the
table of contents and the index page are Jinja2 templates in ``toolkit/html_templates`` rendered
by :func:`toolkit._html.render`. Markdown images are embedded only when the file, links
resolved, lies inside the notebook's folder.

Example:
    >>> toc_items([(1, "Intro", "Intro"), (2, "Data", "Data"), (1, "End", "End")])[0]["children"]
    [{'level': 2, 'text': 'Data', 'anchor': 'Data', 'children': []}]
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from toolkit._html import render
from toolkit._io import atomic_write_bytes, atomic_write_text
from toolkit.notebooks.reporting.running import tags

__all__ = ["IndexEntry", "apply_tags", "has_saved_outputs", "render_html", "write_index"]

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "report_templates"
_HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)</h\1>', re.S)
_INDEX_DATA = re.compile(
    r'<script type="application/json" id="toolkit-report-index">(.*?)</script>', re.S
)
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$\w])\$[^\s$][^$\n]*?(?<=[^\s\\])\$(?!\w)|\\begin\{", re.S)
# `<matplotlib.lines.Line2D at 0x7f..>` lists, and matplotlib's `<Axes: title=...>` and
# `<Figure size 640x480 with 1 Axes>` (what a plotting call as a cell's last line returns).
_OBJECT_REPR = re.compile(
    r"^[\[(]?<(?:[\w.]+(?: object)? at 0x[0-9a-fA-F]+>|(?:Axes|Figure)\b[^\n]*>)"
)


def has_saved_outputs(nb: NotebookNode) -> bool:
    """False for a notebook with code but no outputs anywhere (stripped, or never run)."""
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    return not code or any(c.get("outputs") for c in code)


def apply_tags(nb: NotebookNode, show_code: bool) -> None:
    """Results-only: drop ``hide-cell`` cells, empty ``hide-output`` ones, hide code by default."""
    kept = []
    for cell in nb.cells:
        cell_tags = tags(cell)
        if "hide-cell" in cell_tags or "remove-cell" in cell_tags:
            continue
        if cell.cell_type == "code":
            if "hide-output" in cell_tags or "remove-output" in cell_tags:
                cell.outputs = []
            cell.outputs = _results_only(cell.outputs)
            visible = (show_code or "show-code" in cell_tags) and "hide-code" not in cell_tags
            if "injected-parameters" in cell_tags:
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
    shown = any(
        o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for o in outputs
    )
    return [
        out for out in outputs if not _is_object_repr(out) and not (shown and _is_figure_value(out))
    ]


def _is_figure_value(out: NotebookNode) -> bool:
    return out.get("output_type") == "execute_result" and "image/png" in out.get("data", {})


def _is_object_repr(out: NotebookNode) -> bool:
    """``[<matplotlib.lines.Line2D at 0x7f..>]`` and the like: noise for a reader of results."""
    if out.get("output_type") != "execute_result":
        return False
    data = out.get("data", {})
    return set(data) == {"text/plain"} and bool(_OBJECT_REPR.match(str(data["text/plain"])))


def _has_math(nb: NotebookNode) -> bool:
    """Load MathJax (from a CDN) only for TeX; a lone ``$`` in prose or shell does not count."""
    return any(c.cell_type == "markdown" and _MATH.search(c.source) for c in nb.cells)


def inside_folder(folder: str | Path, src: str) -> bool:
    """Whether ``src`` (relative to ``folder``, or absolute) is inside ``folder`` once every
    symbolic link is resolved.

    >>> inside_folder("/srv/nb", "img/a.png"), inside_folder("/srv/nb", "../a.png")
    (True, False)
    """
    base = Path(folder).resolve()
    target = Path(os.path.join(base, src)).resolve()
    return target == base or base in target.parents


def render_html(nb: NotebookNode, meta: dict[str, Any], source: Path) -> tuple[str, list[str]]:
    """The report page, and one warning per markdown image refused (outside the folder)."""
    exporter = _exporter_class()(
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
    refused = [
        f"{source}: image {src!r} resolves outside the notebook's folder (a link?); not embedded"
        for src in dict.fromkeys(exporter.refused_images)
    ]
    return body.replace("<!--toolkit-toc-->", toc(body), 1), refused


def _exporter_class() -> Any:
    """nbconvert's HTMLExporter whose markdown images are embedded only from inside the
    notebook's folder *after resolving links* (nbconvert checks the unresolved path, so a
    ``chart.png -> ~/.ssh/id_rsa`` link would be embedded)."""
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class _Renderer(IPythonRenderer):
        refused: list[str]

        def _src_to_base64(self, src: str) -> str | None:
            if os.path.exists(os.path.join(self.path, src)) and not inside_folder(self.path, src):
                self.refused.append(src)
                return None
            result: str | None = super()._src_to_base64(src)
            return result

    class _Exporter(HTMLExporter):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)  # type: ignore[no-untyped-call]
            self.refused_images: list[str] = []

        @pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            cell = context.get("cell", {})
            renderer = _Renderer(
                escape=False,
                attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            renderer.refused = self.refused_images
            text: str = MarkdownWithMath(renderer=renderer).render(source)
            return text

    return _Exporter


def toc_items(headings: Sequence[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Nest ``(level, text, anchor)`` headings into ``{text, anchor, children}`` trees."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for level, text, anchor in headings:
        item = {"level": level, "text": text, "anchor": anchor, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(item)
        stack.append(item)
    return roots


def toc(body: str) -> str:
    """A nested list of the h1-h3 headings, linking to the anchors nbconvert gives them."""
    headings = []
    for level, anchor, inner in _HEADING.findall(body):
        text = re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip()
        headings.append((int(level), html.unescape(text), html.unescape(anchor)))
    if len(headings) < 2:
        return ""
    return render("report_toc.html.j2", items=toc_items(headings))


def write_markdown(nb: NotebookNode, meta: dict[str, Any], output: Path) -> None:
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


IndexEntry = dict[str, Any]  # link, name, notebook, status, failed, duration_s, built


def write_index(entries: Sequence[IndexEntry], output_dir: Path) -> tuple[Path | None, list[str]]:
    """Write ``output_dir/index.html`` listing ``entries`` merged with the reports an earlier
    index there listed (same report file: the new entry wins; a report file that is gone is
    dropped). An ``index.html`` the toolkit did not write is left alone: no path, a warning."""
    target = output_dir / "index.html"
    previous, warnings = _read_index(target)
    if previous is None:
        return None, warnings
    merged = {e["link"]: e for e in previous if (output_dir / e["link"]).is_file()}
    merged |= {e["link"]: e for e in entries}
    rows = sorted(merged.values(), key=lambda e: str(e["link"]).lower())
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    atomic_write_text(target, render("report_index.html.j2", title="Reports", rows=rows, when=when))
    return target, warnings


def _read_index(target: Path) -> tuple[list[IndexEntry] | None, list[str]]:
    """Entries of an existing index (``[]`` when there is none); None when ``target`` is not
    an index this toolkit wrote, so it must not be replaced."""
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError):
        text = ""
    match = _INDEX_DATA.search(text)
    try:
        data = json.loads(match.group(1)) if match else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, list) or not all(isinstance(e, dict) and "link" in e for e in data):
        return None, [
            f"{target}: not an index written by toolkit report; left as it was (the reports "
            "were written; move that file away to get an index)"
        ]
    return data, []
