"""Save one figure in several formats at once, atomically."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit._io import atomic_write_bytes
from toolkit.errors import FileWriteError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_KNOWN = {"png", "pdf", "svg", "jpg", "jpeg", "eps", "ps", "tif", "tiff", "webp"}


def save_figure(
    fig: Figure | Axes,
    path: str | Path,
    *,
    formats: Iterable[str] = ("png", "pdf", "svg"),
    dpi: int = 200,
    transparent: bool = False,
) -> list[Path]:
    """Save ``fig`` as ``path`` with each suffix in ``formats``; returns the written paths.

    The suffix of ``path`` is replaced (``out/roc.png`` with the defaults writes roc.png, roc.pdf
    and roc.svg). Parent folders are created; each file is written atomically, so a failure never
    leaves a half-written figure behind.

    >>> # save_figure(ax.figure, "figures/roc", formats=("png",), dpi=150)
    """
    figure = getattr(fig, "figure", fig) if not hasattr(fig, "savefig") else fig
    if not hasattr(figure, "savefig"):
        raise ValueError(f"fig: expected a matplotlib Figure or Axes, got {type(fig).__name__}")
    fmts = [f.lower().lstrip(".") for f in ([formats] if isinstance(formats, str) else formats)]
    if not fmts:
        raise ValueError("formats: pass at least one format, e.g. ('png',)")
    unknown = [f for f in fmts if f not in _KNOWN]
    if unknown:
        raise ValueError(f"formats: unknown format(s) {unknown}; use any of {sorted(_KNOWN)}")
    if dpi <= 0:
        raise ValueError(f"dpi: must be positive, got {dpi}")
    base = Path(path)
    if base.suffix.lower().lstrip(".") in _KNOWN:
        base = base.with_suffix("")
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(
            f"{path}: cannot create its folder {base.parent} ({exc.strerror}); nothing written"
        ) from None
    written = []
    for fmt in fmts:
        buf = io.BytesIO()
        figure.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", transparent=transparent)
        target = base.with_name(f"{base.name}.{fmt}")
        atomic_write_bytes(target, buf.getvalue())
        written.append(target)
    return written
