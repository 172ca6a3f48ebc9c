"""Figures an ML engineer draws again and again, with one API.

Every function takes the data first and keyword options after, accepts ``ax=`` and returns the
``Axes`` (a ``Figure`` for multi-panel plots). Without ``ax=`` it draws where pyplot users
expect: pyplot's current Axes when nothing is drawn on it yet, else a new pyplot figure, so the
figure shows in Jupyter, with ``plt.show()`` and in ``toolkit report``. Chinese text renders when
a CJK font is installed, without opting in. Nothing here calls ``plt.show()`` or changes
rcParams, except ``use_style()``, ``use_cjk_font()`` and the ``style()`` context manager.
Large inputs are reduced (binning, sampling, LTTB curve downsampling) and the figure says so in
a small grey note under the x-axis.

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
from toolkit.plotting.metrics import (
    calibration,
    confusion_matrix,
    cumulative_gain,
    feature_importance,
    learning_curve,
    precision_recall,
    predicted_vs_actual,
    residuals,
    roc,
    threshold_metrics,
    validation_curve,
)
from toolkit.plotting.save import save_figure
from toolkit.plotting.styling import (
    CJKFontNotFoundError,
    find_cjk_font,
    style,
    use_cjk_font,
    use_style,
)
from toolkit.plotting.training import compare_runs, lr_schedule, training_curves
from toolkit.plotting.trends import trend
from toolkit.plotting.vision import draw_boxes, image_grid

__all__ = [
    "CJKFontNotFoundError",
    "calibration",
    "class_balance",
    "compare_runs",
    "confusion_matrix",
    "correlation_heatmap",
    "cumulative_gain",
    "distribution",
    "draw_boxes",
    "embedding_scatter",
    "feature_importance",
    "find_cjk_font",
    "image_grid",
    "learning_curve",
    "lr_schedule",
    "missing_matrix",
    "precision_recall",
    "predicted_vs_actual",
    "residuals",
    "roc",
    "save_figure",
    "scatter_matrix",
    "style",
    "threshold_metrics",
    "training_curves",
    "trend",
    "use_cjk_font",
    "use_style",
    "validation_curve",
]
