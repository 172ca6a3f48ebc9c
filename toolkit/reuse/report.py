"""Show a scan: a terminal summary (rich), JSON for machines, a self-contained HTML page.

Example:
    >>> split_code("run `toolkit snippet adopt x.py` now")
    [('run ', False), ('toolkit snippet adopt x.py', True), (' now', False)]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.reuse.clones import CloneClass, Member
from toolkit.reuse.provenance import Provenance
from toolkit.reuse.scanner import Figures, ScanReport
from toolkit.reuse.sources import UnitTexts

HTML_CLASSES = 200  # the page stays readable; --json has every class
_CONTEXT_CAP = 60  # lines of code shown per copy


def member_label(member: Member) -> str:
    """``path:first-last`` (with the cell for notebooks), relative to the scanned root."""
    cell = f" cell {member.unit.cell}" if member.unit.cell >= 0 else ""
    return f"{member.unit.file.relpath}{cell}:{member.first_line}-{member.last_line}"


def _state(member: Member, prov: Provenance) -> str | None:
    copies = prov.copies_in(member)
    if copies:
        c = copies[0].status
        return f"snippet {c.block.name} v{c.block.version}: {c.state}"
    name = prov.snippet_of(member)
    return f"library snippet {name}" if name else None


def as_json(report: ScanReport) -> dict[str, Any]:
    """Everything the scan found, JSON-ready."""
    return {
        "files": report.index.files,
        "lines": report.index.lines,
        "skipped": dict(sorted(report.index.skipped.items())),
        "min_lines": report.min_lines,
        "overall": report.overall.as_dict(),
        "projects": {name: fig.as_dict() for name, fig in report.projects.items()},
        "stamp_errors": report.provenance.errors,
        "classes": [
            {
                "kind": c.kind,
                "similarity": c.similarity,
                "lines": c.lines,
                "saved": c.saved,
                "projects": c.projects,
                "advice": advice,
                "members": [
                    {
                        "path": str(m.unit.file.path),
                        "project": m.unit.file.project,
                        "cell": m.unit.cell if m.unit.cell >= 0 else None,
                        "first_line": m.first_line,
                        "last_line": m.last_line,
                        "lines": m.lines,
                        "state": _state(m, report.provenance),
                    }
                    for m in c.members
                ],
            }
            for c, advice in zip(report.classes, report.advice, strict=True)
        ],
    }


def split_code(line: str) -> list[tuple[str, bool]]:
    """Split advice text into plain and `code` parts."""
    parts = re.split(r"`([^`]*)`", line)
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


def _share(fig: Figures) -> str:
    share = fig.reuse_share
    return "–" if share is None else f"{share:.0%}"


def _copies(fig: Figures) -> str:
    return ", ".join(f"{n} {state}" for state, n in sorted(fig.copies.items())) or "–"


def _figure_rows(report: ScanReport) -> list[dict[str, Any]]:
    rows = [
        {"name": name, **fig.as_dict(), "copies": _copies(fig), "share": _share(fig)}
        for name, fig in report.projects.items()
    ]
    if len(rows) > 1:
        fig = report.overall
        rows.append({"name": "all", **fig.as_dict(), "copies": _copies(fig), "share": _share(fig)})
    return rows


def _copy_lines(member: Member, texts: UnitTexts) -> list[str]:
    lines = texts.lines(member.unit.file, member.unit.cell)
    return lines[member.first_line - 1 : member.last_line][:_CONTEXT_CAP]


def _shown(cls: CloneClass, prov: Provenance, texts: UnitTexts) -> list[dict[str, Any]]:
    pair = cls.members[:2]
    a, b = (_copy_lines(m, texts) for m in pair)
    same_a: set[int] = set()
    same_b: set[int] = set()
    matcher = difflib.SequenceMatcher(None, [x.strip() for x in a], [x.strip() for x in b])
    for block in matcher.get_matching_blocks():
        same_a.update(range(block.a, block.a + block.size))
        same_b.update(range(block.b, block.b + block.size))
    shown = []
    for member, lines, same in ((pair[0], a, same_a), (pair[1], b, same_b)):
        shown.append(
            {
                "label": member_label(member),
                "href": member.unit.file.path.as_uri(),
                "state": _state(member, prov),
                "lines": [
                    {"text": text, "diff": i not in same and bool(text.strip())}
                    for i, text in enumerate(lines)
                ],
            }
        )
    return shown


def to_html(report: ScanReport, roots: Sequence[Path], history_png: str | None = None) -> str:
    """The self-contained HTML report (classes side by side, changed lines highlighted)."""
    from toolkit._html import render

    texts = UnitTexts()
    classes = []
    for cls, advice in list(zip(report.classes, report.advice, strict=True))[:HTML_CLASSES]:
        classes.append(
            {
                "kind": cls.kind,
                "similarity": f"{cls.similarity:.0%}",
                "lines": cls.lines,
                "saved": cls.saved,
                "members": cls.members,
                "advice": [split_code(line) for line in advice],
                "shown": _shown(cls, report.provenance, texts),
                "others": [
                    {"label": member_label(m), "href": m.unit.file.path.as_uri()}
                    for m in cls.members[2:]
                ],
            }
        )
    return render(
        "reuse.html.j2",
        title="Reuse report",
        files=report.index.files,
        files_with_code=report.overall.files,
        lines=report.index.lines,
        roots=[str(r) for r in roots],
        min_lines=report.min_lines,
        skipped=sorted(report.index.skipped.items()),
        figures=_figure_rows(report),
        classes=classes,
        hidden=max(0, len(report.classes) - HTML_CLASSES),
        history_png=history_png,
    )


def print_summary(report: ScanReport, *, top: int = 10) -> None:
    """The terminal summary: figures per project, then the classes worth acting on first."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Reuse figures (lines of code)")
    for col in (
        "project",
        "files",
        "lines",
        "from library",
        "stamped copies",
        "repeated",
        "could save",
        "reuse share",
    ):
        table.add_column(col, justify="left" if col in ("project", "stamped copies") else "right")
    for row in _figure_rows(report):
        table.add_row(
            row["name"],
            str(row["files"]),
            str(row["lines"]),
            str(row["library_lines"]),
            row["copies"],
            str(row["repeated_lines"]),
            str(row["could_save"]),
            row["share"],
        )
    console.print(table)
    skipped = ", ".join(f"{n} {r}" for r, n in sorted(report.index.skipped.items()))
    console.print(
        f"{len(report.classes)} clone classes of ≥ {report.min_lines} lines"
        + (f"; skipped: {skipped}" if skipped else "")
    )
    for n, (cls, advice) in enumerate(zip(report.classes[:top], report.advice, strict=False), 1):
        where = ", ".join(member_label(m) for m in cls.members[:3])
        more = f" (+{len(cls.members) - 3} more)" if len(cls.members) > 3 else ""
        console.print(
            f"[bold]#{n}[/] {cls.kind} ×{len(cls.members)}, {cls.lines} lines, "
            f"similarity {cls.similarity:.0%}, could save {cls.saved}: {where}{more}",
            highlight=False,
        )
        for line in advice:
            console.print(f"    → {line}", highlight=False, markup=False)
    for error in report.provenance.errors:
        console.print(f"[yellow]stamp skipped:[/] {error}", highlight=False)
