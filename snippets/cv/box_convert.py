"""Convert bounding boxes between xyxy, xywh (COCO) and cxcywh (YOLO) formats in NumPy.

- ``xyxy``: corners ``[x1, y1, x2, y2]`` (Pascal VOC, torchvision)
- ``xywh``: top-left corner plus size ``[x, y, w, h]`` (COCO)
- ``cxcywh``: centre plus size ``[cx, cy, w, h]`` (YOLO; often normalised to ``[0, 1]``)

Works on any array whose last axis has length 4. Use ``normalize_boxes`` / ``denormalize_boxes``
to move YOLO labels between pixels and fractions of the image size.

tags: cv, detection, boxes, yolo, coco
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> xyxy = np.array([[10, 20, 50, 80]], dtype=float)
    >>> convert_boxes(xyxy, "xyxy", "xywh").tolist()
    [[10.0, 20.0, 40.0, 60.0]]
    >>> convert_boxes(xyxy, "xyxy", "cxcywh").tolist()
    [[30.0, 50.0, 40.0, 60.0]]
    >>> convert_boxes(convert_boxes(xyxy, "xyxy", "cxcywh"), "cxcywh", "xyxy").tolist()
    [[10.0, 20.0, 50.0, 80.0]]
    >>> normalize_boxes(np.array([[30.0, 50.0, 40.0, 60.0]]), width=100, height=200).tolist()
    [[0.3, 0.25, 0.4, 0.3]]
"""

from __future__ import annotations

import numpy as np

FORMATS = ("xyxy", "xywh", "cxcywh")


def _to_xyxy(boxes: np.ndarray, fmt: str) -> np.ndarray:
    a, b, c, d = np.moveaxis(boxes, -1, 0)
    if fmt == "xyxy":
        return boxes.copy()
    if fmt == "xywh":
        return np.stack([a, b, a + c, b + d], axis=-1)
    return np.stack([a - c / 2, b - d / 2, a + c / 2, b + d / 2], axis=-1)


def _from_xyxy(boxes: np.ndarray, fmt: str) -> np.ndarray:
    x1, y1, x2, y2 = np.moveaxis(boxes, -1, 0)
    if fmt == "xyxy":
        return boxes
    if fmt == "xywh":
        return np.stack([x1, y1, x2 - x1, y2 - y1], axis=-1)
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], axis=-1)


def convert_boxes(boxes: np.ndarray, src: str, dst: str) -> np.ndarray:
    """Convert ``boxes`` (last axis 4) from format ``src`` to format ``dst``."""
    for fmt, arg in ((src, "src"), (dst, "dst")):
        if fmt not in FORMATS:
            raise ValueError(f"{arg}={fmt!r} is not one of {FORMATS}")
    boxes = np.asarray(boxes, dtype=float)
    if boxes.shape[-1] != 4:
        raise ValueError(f"boxes must have 4 values on the last axis, got shape {boxes.shape}")
    return _from_xyxy(_to_xyxy(boxes, src), dst)


def normalize_boxes(boxes: np.ndarray, width: float, height: float) -> np.ndarray:
    """Divide x values by ``width`` and y values by ``height`` (any of the three formats)."""
    return np.asarray(boxes, dtype=float) / np.array([width, height, width, height], dtype=float)


def denormalize_boxes(boxes: np.ndarray, width: float, height: float) -> np.ndarray:
    """Inverse of :func:`normalize_boxes`: fractions of the image size back to pixels."""
    return np.asarray(boxes, dtype=float) * np.array([width, height, width, height], dtype=float)
