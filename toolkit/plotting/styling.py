"""A clean publication style, and CJK fonts that fall back per glyph — the two apart.

Chinese text renders without opting in: every figure drawn by ``toolkit.plotting`` gets an
installed CJK font as a per-glyph fallback (Latin text keeps its font). For figures drawn
without the toolkit, ``use_cjk_font()`` adds the font to matplotlib's defaults, and nothing else.
``use_style()`` changes matplotlib's rcParams for the rest of the session (theme, and the CJK
font when one is installed); ``style()`` does the same inside a ``with`` block and restores
everything afterwards. Nothing else in ``toolkit.plotting`` touches rcParams.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from toolkit.errors import UsageError

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


class CJKFontNotFoundError(UsageError):
    """A CJK font was required (``cjk=True``) but none is installed; the message says how to
    install one. A :class:`~toolkit.errors.UsageError`, so also a ``ValueError``."""


def find_cjk_font() -> str | None:
    """Name of an installed CJK font family known to matplotlib, or None.

    >>> find_cjk_font() in (None, *CJK_FONTS)
    True
    """
    return _installed_cjk_font()


@functools.cache  # the system font scan below takes ~0.1 s; fonts rarely appear mid-session
def _installed_cjk_font() -> str | None:
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
        raise UsageError(f"context: expected 'paper', 'notebook' or 'talk', got {context!r}")
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


def _no_cjk_font(where: str) -> CJKFontNotFoundError:
    return CJKFontNotFoundError(
        f"{where}: no CJK font found by matplotlib. Install one, e.g. "
        "`sudo apt-get install fonts-wqy-microhei` (Debian/Ubuntu), "
        "`sudo dnf install google-noto-sans-cjk-fonts`, or any of: "
        + ", ".join(CJK_FONTS[:6])
        + "; then remove matplotlib's font cache (~/.cache/matplotlib) and restart Python."
    )


def cjk_font_params(*, required: bool = True, base: Any = None) -> dict[str, Any]:
    """The rcParams that add the installed CJK font after the current font families (``base``,
    default: ``rcParams["font.family"]``) — fonts only, no theme. ``{}`` when no CJK font is
    installed and ``required=False``; :class:`CJKFontNotFoundError` when ``required=True``.

    >>> params = cjk_font_params(required=False)
    >>> not params or params["font.family"][-1] in CJK_FONTS
    True
    """
    font = find_cjk_font()
    if font is None:
        if required:
            raise _no_cjk_font("cjk=True")
        return {}
    if base is None:
        import matplotlib as mpl

        base = mpl.rcParams["font.family"]
    families = [base] if isinstance(base, str) else list(base)
    # matplotlib >= 3.6 falls back per glyph through font.family: Latin text keeps the first
    # family (DejaVu Sans has the proper minus sign), Han characters come from the CJK font. The
    # family must be listed in font.family itself: font.sans-serif resolves to one font only.
    return {"font.family": [*(f for f in families if f != font), font]}


def style_params(*, cjk: bool | None = None, context: str = "notebook") -> dict[str, Any]:
    """The rcParams ``use_style``/``style`` would apply (useful to pass to ``plt.rc_context``).

    ``cjk=None`` (default) adds the CJK font when one is installed; ``True`` requires one;
    ``False`` leaves fonts alone.

    >>> style_params(cjk=False)["axes.spines.top"]
    False
    """
    params = _base_params(context)
    if cjk is not False:
        params |= cjk_font_params(required=bool(cjk), base=["DejaVu Sans"])
    return params


def use_cjk_font() -> str:
    """Add the installed CJK font to matplotlib's font families for the rest of the session,
    without any other style change; returns its name. For figures drawn without the toolkit
    (``toolkit.plotting`` figures get the font anyway). Raises :class:`CJKFontNotFoundError`
    with install instructions when no CJK font is installed.

    >>> use_cjk_font() in CJK_FONTS  # doctest: +SKIP
    True
    """
    import matplotlib as mpl

    params = cjk_font_params(required=True)
    mpl.rcParams["font.family"] = params["font.family"]
    return str(params["font.family"][-1])


def use_style(*, cjk: bool | None = None, context: str = "notebook") -> None:
    """Apply the toolkit style to matplotlib for the rest of the session.

    The installed CJK font comes after DejaVu Sans so Chinese text renders; ``cjk=True`` makes
    it a requirement (:class:`CJKFontNotFoundError`, with install instructions, when none is
    installed), ``cjk=False`` leaves fonts alone. For the font without the theme, see
    :func:`use_cjk_font`.

    >>> use_style(context="paper")
    """
    import matplotlib as mpl

    params: Any = style_params(cjk=cjk, context=context)  # rcParams keys are Literal-typed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mpl.rcParams.update(params)


@contextmanager
def style(*, cjk: bool | None = None, context: str = "notebook") -> Iterator[None]:
    """Apply the toolkit style inside a ``with`` block; rcParams are restored afterwards.
    ``cjk`` as in :func:`use_style`.

    >>> with style():
    ...     pass
    """
    import matplotlib as mpl

    params: Any = style_params(cjk=cjk, context=context)  # rcParams keys are Literal-typed
    with mpl.rc_context(params):
        yield
