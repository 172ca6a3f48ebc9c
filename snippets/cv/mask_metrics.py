"""Segmentation metrics from label masks: per-class IoU (Jaccard), Dice, and mean IoU in NumPy.

Builds a confusion matrix with one ``bincount`` (fast even for large masks) and derives the
metrics from it; ``ignore_index`` (e.g. 255 for "void" pixels) is excluded. Classes absent from
both prediction and target get NaN and are skipped by the mean.

tags: cv, segmentation, iou, dice, metrics
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> target = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [255, 2, 2, 2]])
    >>> pred = np.array([[0, 1, 1, 1], [0, 0, 1, 1], [0, 2, 2, 0]])
    >>> m = segmentation_metrics(pred, target, num_classes=3, ignore_index=255)
    >>> m["iou"].round(3).tolist(), m["dice"].round(3).tolist()
    ([0.6, 0.8, 0.667], [0.75, 0.889, 0.8])
    >>> round(m["mean_iou"], 3), round(m["pixel_accuracy"], 3)
    (0.689, 0.818)
"""

from __future__ import annotations

from typing import Any

import numpy as np


def confusion_matrix(
    pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int | None = None
) -> np.ndarray:
    """``(num_classes, num_classes)`` counts; rows are target classes, columns predictions."""
    pred = np.asarray(pred).ravel()
    target = np.asarray(target).ravel()
    if pred.shape != target.shape:
        raise ValueError(f"pred and target differ in size: {pred.size} vs {target.size}")
    valid = (target >= 0) & (target < num_classes)
    if ignore_index is not None:
        valid &= target != ignore_index
    index = num_classes * target[valid].astype(np.int64) + pred[valid].astype(np.int64)
    return np.bincount(index, minlength=num_classes**2).reshape(num_classes, num_classes)


def segmentation_metrics(
    pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int | None = None
) -> dict[str, Any]:
    """Per-class ``iou`` and ``dice`` arrays plus ``mean_iou`` and ``pixel_accuracy``."""
    cm = confusion_matrix(pred, target, num_classes, ignore_index).astype(float)
    tp = np.diag(cm)
    fp = cm.sum(axis=0) - tp
    fn = cm.sum(axis=1) - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = np.where(tp + fp + fn > 0, tp / (tp + fp + fn), np.nan)
        dice = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    total = cm.sum()
    return {
        "iou": iou,
        "dice": dice,
        "mean_iou": float(np.nanmean(iou)) if np.any(~np.isnan(iou)) else float("nan"),
        "pixel_accuracy": float(tp.sum() / total) if total else float("nan"),
    }
