"""Figures an ML engineer draws again and again, with one API.

Every function takes the data first and keyword options after, accepts ``ax=`` and returns the
``Axes`` (a ``Figure`` for multi-panel plots). Nothing here calls ``plt.show()`` or changes
rcParams, except ``use_style()`` and the ``style()`` context manager.

>>> from toolkit import plotting as tp
>>> ax = tp.class_balance(["a", "b", "b"])
"""

from __future__ import annotations

from toolkit.plotting.data import (
    class_balance,
    correlation_heatmap,
    distribution,
    embedding_scatter,
    missing_matrix,
    scatter_matrix,
)
from toolkit.plotting.save import save_figure
from toolkit.plotting.style import CJKFontNotFoundError, find_cjk_font, style, use_style

__all__ = [
    "CJKFontNotFoundError",
    "class_balance",
    "correlation_heatmap",
    "distribution",
    "embedding_scatter",
    "find_cjk_font",
    "missing_matrix",
    "save_figure",
    "scatter_matrix",
    "style",
    "use_style",
]
