"""Save a figure in several formats at once (PNG for slides, PDF/SVG for papers), tightly cropped.

Creates the folder, uses ``bbox_inches="tight"`` so labels are not cut off, embeds TrueType fonts
in PDF (fonttype 42: editable text, and CJK glyphs that Type 3 fonts can mangle) and returns the
written paths.

tags: plotting, matplotlib, save, export, pdf, svg
requires: matplotlib
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import tempfile, pathlib
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "figures" / "roc"
    >>> [p.name for p in save_figure(fig, out, formats=("png", "pdf"))]
    ['roc.png', 'roc.pdf']
    >>> plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure


def save_figure(
    fig: Figure,
    path: str | Path,
    formats: Sequence[str] = ("png", "pdf"),
    dpi: int = 200,
    transparent: bool = False,
) -> list[Path]:
    """Write ``fig`` to ``path`` with each suffix in ``formats``; return the paths."""
    base = Path(path)
    if base.suffix.lstrip(".") in formats:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context({"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none"}):
        for fmt in formats:
            target = base.with_name(f"{base.name}.{fmt}")
            fig.savefig(target, dpi=dpi, bbox_inches="tight", transparent=transparent)
            written.append(target)
    return written
