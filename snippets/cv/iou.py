"""Pairwise IoU (intersection over union) between two sets of xyxy boxes in NumPy.

Boxes are ``[x1, y1, x2, y2]`` with ``x2 >= x1`` and ``y2 >= y1`` (continuous coordinates, no
``+1`` pixel convention). Boxes with zero area get IoU 0 rather than NaN.

tags: cv, detection, boxes, iou
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> a = np.array([[0, 0, 2, 2]], dtype=float)
    >>> b = np.array([[1, 1, 3, 3], [0, 0, 2, 2], [5, 5, 6, 6]], dtype=float)
    >>> box_iou(a, b).round(4).tolist()
    [[0.1429, 1.0, 0.0]]
"""

from __future__ import annotations

import numpy as np


def box_area(boxes: np.ndarray) -> np.ndarray:
    """Area of each xyxy box, shape ``(N,)``."""
    boxes = np.asarray(boxes, dtype=float)
    return np.clip(boxes[:, 2] - boxes[:, 0], 0, None) * np.clip(boxes[:, 3] - boxes[:, 1], 0, None)


def box_iou(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU matrix of shape ``(len(boxes_a), len(boxes_b))`` for xyxy boxes."""
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = np.clip(bottom_right - top_left, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    # Zero-area pairs would divide 0 by 0: define their IoU as 0.
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
