"""Save a figure as the file named (or in formats asked for explicitly), atomically, with
fonts embedded as TrueType so PDFs and EPS files are paper-ready and editable."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit._io import atomic_write_bytes
from toolkit.errors import FileWriteError, UsageError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_KNOWN = {"png", "pdf", "svg", "jpg", "jpeg", "eps", "ps", "tif", "tiff", "webp"}


# TrueType (Type 42) embedding instead of Type 3 bitmaps-as-glyphs: what journals ask for, and
# text stays selectable and editable. Applied only while saving, never to the session.
_SAVE_PARAMS: Any = {"pdf.fonttype": 42, "ps.fonttype": 42}  # rcParams keys are Literal-typed


def save_figure(
    fig: Figure | Axes,
    path: str | Path,
    *,
    formats: Iterable[str] | None = None,
    dpi: int = 200,
    transparent: bool = False,
) -> list[Path]:
    """Save ``fig`` (a Figure or Axes) as ``path``, in the format its extension names; returns
    the written paths.

    ``save_figure(ax, "out/roc.png")`` writes ``out/roc.png`` only. To write several formats at
    once, ask for them: ``formats=("png", "pdf")`` writes ``out/roc.png`` and ``out/roc.pdf``
    (the extension of ``path``, if any, is replaced). Parent folders are created; each file is
    written atomically, so a failure never leaves a half-written figure behind. PDF/PS/EPS embed
    TrueType fonts (``pdf.fonttype`` 42), set for the save only.

    >>> # save_figure(ax, "figures/roc.png", dpi=150)
    >>> # save_figure(ax, "figures/roc", formats=("png", "pdf"))
    """
    figure = getattr(fig, "figure", fig) if not hasattr(fig, "savefig") else fig
    if not hasattr(figure, "savefig"):
        raise UsageError(f"fig: expected a matplotlib Figure or Axes, got {type(fig).__name__}")
    base = Path(path)
    suffix = base.suffix.lower().lstrip(".")
    if formats is None:
        if suffix not in _KNOWN:
            raise UsageError(
                f"path {str(path)!r}: name the format by its extension (e.g. roc.png, roc.pdf) "
                f"or pass formats=; known: {', '.join(sorted(_KNOWN))}"
            )
        targets = [base]
    else:
        fmts = [f.lower().lstrip(".") for f in ([formats] if isinstance(formats, str) else formats)]
        if not fmts:
            raise UsageError("formats: pass at least one format, e.g. ('png',)")
        unknown = [f for f in fmts if f not in _KNOWN]
        if unknown:
            raise UsageError(f"formats: unknown format(s) {unknown}; use any of {sorted(_KNOWN)}")
        stem = base.with_suffix("") if suffix in _KNOWN else base
        targets = [stem.with_name(f"{stem.name}.{fmt}") for fmt in dict.fromkeys(fmts)]
    if dpi <= 0:
        raise UsageError(f"dpi: must be positive, got {dpi}")
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(
            f"{path}: cannot create its folder {base.parent} ({exc.strerror}); nothing written"
        ) from None
    import matplotlib as mpl

    written = []
    for target in targets:
        buf = io.BytesIO()
        fmt = target.suffix.lstrip(".").lower()
        with mpl.rc_context(_SAVE_PARAMS):
            figure.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", transparent=transparent)
        atomic_write_bytes(target, buf.getvalue())
        written.append(target)
    return written
