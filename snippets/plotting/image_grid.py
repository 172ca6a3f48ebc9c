"""Show a batch of images in a grid with titles (e.g. predictions vs labels), axes hidden.

Accepts ``(H, W)``, ``(H, W, 3)`` arrays or a ``(N, C, H, W)`` batch (PyTorch layout is moved to
channels-last). Float images are clipped to ``[0, 1]``; unused cells are hidden.

tags: plotting, matplotlib, images, grid, cv
requires: matplotlib, numpy
version: 1

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> batch = np.random.default_rng(0).random((5, 3, 8, 8))
    >>> fig = image_grid(batch, titles=[f"#{i}" for i in range(5)], ncols=3)
    >>> len(fig.axes), sum(ax.get_visible() for ax in fig.axes)
    (6, 5)
    >>> fig.axes[0].get_title()
    '#0'
    >>> plt.close(fig)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def _to_hwc(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[0] in (1, 3, 4) and image.shape[-1] not in (1, 3, 4):
        image = np.moveaxis(image, 0, -1)  # CHW -> HWC
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if np.issubdtype(image.dtype, np.floating):
        image = np.clip(image, 0, 1)
    return image


def image_grid(
    images: Sequence[np.ndarray] | np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 4,
    cell_size: float = 2.5,
    cmap: str = "gray",
) -> Figure:
    """Figure with one image per cell; ``titles`` (optional) above each image."""
    n = len(images)
    if n == 0:
        raise ValueError("images is empty")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(cell_size * ncols, cell_size * nrows), squeeze=False
    )
    for k, ax in enumerate(axes.ravel()):
        if k >= n:
            ax.set_visible(False)
            continue
        image = _to_hwc(images[k])
        ax.imshow(image, cmap=cmap if image.ndim == 2 else None)
        ax.set_axis_off()
        if titles is not None:
            ax.set_title(titles[k], fontsize=9)
    fig.tight_layout()
    return fig
