"""The CJK font as a per-glyph fallback on every text of a toolkit figure, without opting in
and without changing rcParams for good.

Text artists keep the font families they were created with, and a notebook draws a figure after
the cell's code ran (so a ``rc_context`` around the function would not help; it would also undo
what importing pyplot sets, such as IPython's interactive mode). So :func:`draws` gives every
text of the figure the fallback when the plotting function returns, which also covers titles and
axis labels set afterwards (their text objects exist already) and tick labels (new ticks copy the
first one); an invisible artist drawn first does the same for text added later (``ax.text``, a
new legend), whose first layout pass may still measure it without the CJK font.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

P = ParamSpec("P")
R = TypeVar("R")
GID = "toolkit-cjk-fallback"


def draws(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a public plotting function so its Chinese text renders (when a CJK font is
    installed; otherwise the function runs unchanged)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = func(*args, **kwargs)
        family = _installed_font()
        fig: Any = result if hasattr(result, "savefig") else getattr(result, "figure", None)
        if family is not None and fig is not None:
            attach(fig, family)
        return result

    return wrapper


def _installed_font() -> str | None:
    # Looked up at each call (not bound at import), so a patched find_cjk_font is honoured.
    from toolkit.plotting.styling import find_cjk_font

    return find_cjk_font()


def add_fallback(fig: Figure | SubFigure, family: str) -> None:
    """Append ``family`` to the font families of every text in ``fig`` that lacks it."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        families = text.get_fontfamily()
        if family not in families:
            text.set_fontfamily([*families, family])


def attach(fig: Figure | SubFigure, family: str) -> None:
    """Give every text of ``fig`` the fallback now, and at each draw (once per figure)."""
    root: Any = fig.get_figure(root=True) if hasattr(fig, "get_figure") else fig
    add_fallback(root, family)
    if not any(a.get_gid() == GID for a in root.artists):
        root.add_artist(_fallback_artist(family))


def _fallback_artist(family: str) -> Any:
    from matplotlib.artist import Artist

    class _CJKFallback(Artist):
        """Invisible, first in the drawing order, outside any layout or tight bbox."""

        def draw(self, renderer: Any) -> None:
            if self.figure is not None:
                add_fallback(self.figure, family)

    artist = _CJKFallback()
    artist.set_gid(GID)
    artist.set_zorder(float("-inf"))
    artist.set_in_layout(False)
    return artist
