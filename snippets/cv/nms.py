"""Non-maximum suppression (greedy NMS) for xyxy boxes in NumPy.

Keeps the highest-scoring box, drops every remaining box whose IoU with it exceeds
``iou_threshold``, and repeats. Returns indices into the input, sorted by descending score.
For several classes, run it per class (or offset boxes by ``class_id * large_number``).

tags: cv, detection, boxes, nms
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], dtype=float)
    >>> scores = np.array([0.9, 0.8, 0.7])
    >>> nms(boxes, scores, iou_threshold=0.5).tolist()
    [0, 2]
    >>> nms(boxes, scores, iou_threshold=0.7).tolist()
    [0, 1, 2]
"""

from __future__ import annotations

import numpy as np


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float = 0.5) -> np.ndarray:
    """Indices of the boxes kept by greedy NMS, highest score first."""
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    if len(boxes) != len(scores):
        raise ValueError(f"boxes ({len(boxes)}) and scores ({len(scores)}) differ in length")
    x1, y1, x2, y2 = boxes.T
    areas = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    order = np.argsort(-scores, kind="stable")
    keep: list[int] = []
    while order.size > 0:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        union = areas[i] + areas[rest] - inter
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        order = rest[iou <= iou_threshold]
    return np.array(keep, dtype=np.int64)
