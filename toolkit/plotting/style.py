"""A clean publication style, and CJK fonts that fall back per glyph.

``use_style()`` changes matplotlib's rcParams for the rest of the session; ``style()`` does the
same inside a ``with`` block and restores everything afterwards. Nothing else in
``toolkit.plotting`` touches rcParams.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Preferred CJK families, Simplified Chinese first (the most common case for our users), then the
# other CJK families that still cover the common Han characters.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "SimHei",
    "Sarasa Gothic SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans CN",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)


class CJKFontNotFoundError(ValueError):
    """No CJK font is installed; the message says how to install one."""


def find_cjk_font() -> str | None:
    """Name of an installed CJK font family known to matplotlib, or None.

    >>> find_cjk_font() in (None, *CJK_FONTS) or True
    True
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    # A font installed after matplotlib built its cache is not in ttflist: look for likely CJK
    # font files on the system and register them (in memory only; the cache file is untouched).
    hints = ("cjk", "wqy", "wenquanyi", "sourcehan", "droidsansfallback", "msyh", "pingfang",
             "simhei", "sarasa", "notosanssc", "hiragino", "uming")  # fmt: skip
    for path in font_manager.findSystemFonts():
        flat = path.lower().replace("-", "").replace("_", "").replace(" ", "")
        if any(h in flat for h in hints):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    return None


def _base_params(context: str) -> dict[str, Any]:
    from cycler import cycler

    scale = {"paper": 0.9, "notebook": 1.0, "talk": 1.25}.get(context)
    if scale is None:
        raise ValueError(f"context: expected 'paper', 'notebook' or 'talk', got {context!r}")
    return {
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "figure.constrained_layout.use": True,
        "font.size": 10 * scale,
        "axes.titlesize": 11 * scale,
        "axes.labelsize": 10 * scale,
        "xtick.labelsize": 9 * scale,
        "ytick.labelsize": 9 * scale,
        "legend.fontsize": 9 * scale,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "grid.linewidth": 0.6,
        "axes.prop_cycle": cycler(
            color=[
                "#4C72B0",
                "#DD8452",
                "#55A868",
                "#C44E52",
                "#8172B3",
                "#937860",
                "#DA8BC3",
                "#8C8C8C",
                "#CCB974",
                "#64B5CD",
            ]
        ),
        "image.cmap": "viridis",
        "lines.linewidth": 1.6,
    }


def style_params(*, cjk: bool = False, context: str = "notebook") -> dict[str, Any]:
    """The rcParams ``use_style``/``style`` would apply (useful to pass to ``plt.rc_context``)."""
    params = _base_params(context)
    if cjk:
        font = find_cjk_font()
        if font is None:
            raise CJKFontNotFoundError(
                "cjk=True: no CJK font found by matplotlib. Install one, e.g. "
                "`sudo apt-get install fonts-wqy-microhei` (Debian/Ubuntu), "
                "`sudo dnf install google-noto-sans-cjk-fonts`, or any of: "
                + ", ".join(CJK_FONTS[:6])
                + "; then remove matplotlib's font cache (~/.cache/matplotlib) and restart Python."
            )
        # matplotlib >= 3.6 falls back per glyph through this list: Latin text keeps DejaVu Sans
        # (which also has the proper minus sign), Han characters come from the CJK font.
        # The families must be listed in font.family itself: a generic "sans-serif" entry
        # resolves to one font only, so there would be no per-glyph fallback.
        params["font.family"] = ["DejaVu Sans", font]
        params["font.sans-serif"] = ["DejaVu Sans", font]
        params["axes.unicode_minus"] = True
    return params


def use_style(*, cjk: bool = False, context: str = "notebook") -> None:
    """Apply the toolkit style to matplotlib for the rest of the session.

    ``cjk=True`` adds an installed CJK font after DejaVu Sans so Chinese text renders; raises
    ``CJKFontNotFoundError`` (a ValueError) with install instructions when none is installed.

    >>> use_style(context="paper")
    """
    import matplotlib as mpl

    params: Any = style_params(cjk=cjk, context=context)  # rcParams keys are Literal-typed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mpl.rcParams.update(params)


@contextmanager
def style(*, cjk: bool = False, context: str = "notebook") -> Iterator[None]:
    """Apply the toolkit style inside a ``with`` block; rcParams are restored afterwards.

    >>> with style():
    ...     pass
    """
    import matplotlib as mpl

    params: Any = style_params(cjk=cjk, context=context)  # rcParams keys are Literal-typed
    with mpl.rc_context(params):
        yield
