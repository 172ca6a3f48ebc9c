"""Make matplotlib render Chinese/Japanese/Korean text: find an installed CJK font and use it.

Without this, CJK labels show as empty boxes (tofu) and "Glyph missing" warnings. Searches the
fonts matplotlib knows for common CJK families (Noto Sans CJK, Source Han, Microsoft YaHei,
SimHei, PingFang, WenQuanYi, …), puts the first hit in front of ``font.sans-serif`` and fixes
the minus sign (CJK fonts often lack U+2212). Call ``rc_context`` for a scoped change.
If nothing is found, install one (Debian/Ubuntu: ``apt install fonts-noto-cjk``) and delete
matplotlib's font cache (``matplotlib.get_cachedir()``).

tags: plotting, matplotlib, fonts, cjk, chinese, 中文
requires: matplotlib
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> font = find_cjk_font()
    >>> font is None or isinstance(font, str)
    True
    >>> with matplotlib.rc_context(cjk_rc_params(font)):
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_title("训练损失")
    ...     matplotlib.rcParams["axes.unicode_minus"]
    False
    >>> plt.close("all")
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "AR PL UMing CN",
)


def find_cjk_font(candidates: tuple[str, ...] = CJK_FAMILIES) -> str | None:
    """Name of the first installed font family from ``candidates`` (None when none is)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in candidates if name in installed), None)


def cjk_rc_params(font: str | None = None) -> dict[str, Any]:
    """rcParams that put ``font`` (or the first CJK font found) first in the sans-serif list."""
    font = font or find_cjk_font()
    params: dict[str, Any] = {"axes.unicode_minus": False}
    if font is not None:
        params["font.family"] = "sans-serif"
        params["font.sans-serif"] = [font, *mpl.rcParams["font.sans-serif"]]
    return params


def use_cjk_font(font: str | None = None) -> str | None:
    """Apply :func:`cjk_rc_params` globally; return the font used (None: none installed)."""
    params = cjk_rc_params(font)
    mpl.rcParams.update(params)
    return params.get("font.sans-serif", [None])[0]
