"""Letterbox resize: scale an image to fit a target size keeping aspect ratio, pad the rest.

The YOLO-style pre-processing. Returns the padded image plus the scale and padding needed to map
predicted boxes back to the original image with ``unletterbox_boxes``. Uses Pillow for the resize
(bilinear) and NumPy arrays ``(H, W, C)`` in and out.

tags: cv, resize, letterbox, yolo, preprocessing
requires: numpy, pillow
version: 1

Example:
    >>> import numpy as np
    >>> image = np.full((100, 200, 3), 255, dtype=np.uint8)
    >>> out, scale, (pad_x, pad_y) = letterbox(image, (128, 128))
    >>> out.shape, scale, (pad_x, pad_y)
    ((128, 128, 3), 0.64, (0, 32))
    >>> int(out[0, 0, 0]), int(out[64, 64, 0])
    (114, 255)
    >>> unletterbox_boxes(np.array([[0, 32, 128, 96]]), scale, (pad_x, pad_y)).tolist()
    [[0.0, 0.0, 200.0, 100.0]]
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def letterbox(
    image: np.ndarray,
    new_shape: tuple[int, int],
    color: int = 114,
    allow_upscale: bool = True,
) -> tuple[np.ndarray, float, tuple[int, int]]:
    """Fit ``image`` (H, W[, C]) into ``new_shape`` (H, W); return image, scale, (pad_x, pad_y)."""
    height, width = image.shape[:2]
    target_h, target_w = new_shape
    scale = min(target_h / height, target_w / width)
    if not allow_upscale:
        scale = min(scale, 1.0)
    resized_w, resized_h = round(width * scale), round(height * scale)
    resized = np.asarray(
        Image.fromarray(image).resize((resized_w, resized_h), Image.Resampling.BILINEAR)
    )
    pad_x, pad_y = (target_w - resized_w) // 2, (target_h - resized_h) // 2
    out = np.full((target_h, target_w, *image.shape[2:]), color, dtype=image.dtype)
    out[pad_y : pad_y + resized_h, pad_x : pad_x + resized_w] = resized
    return out, scale, (pad_x, pad_y)


def unletterbox_boxes(boxes: np.ndarray, scale: float, pad: tuple[int, int]) -> np.ndarray:
    """Map xyxy boxes predicted on the letterboxed image back to original image pixels."""
    boxes = np.asarray(boxes, dtype=float).copy()
    boxes[..., [0, 2]] = (boxes[..., [0, 2]] - pad[0]) / scale
    boxes[..., [1, 3]] = (boxes[..., [1, 3]] - pad[1]) / scale
    return boxes
