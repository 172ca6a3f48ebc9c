"""Mean average precision (mAP) of detections at one IoU threshold, VOC/COCO style, in NumPy.

For each class, detections are sorted by score and greedily matched to the unmatched ground-truth
box of the same image with the highest IoU >= ``iou_threshold``; AP is the area under the
precision-recall curve with monotone (all-point) interpolation, as in Pascal VOC 2010+ and
``mAP@0.5`` of COCO-style tools (COCO itself samples 101 recall points, so values differ slightly).
Classes without ground truth are skipped.

tags: cv, detection, evaluation, map, metrics
requires: numpy
version: 1

Example:
    >>> import numpy as np
    >>> gts = [{"boxes": np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), "labels": np.array([0, 0])}]
    >>> dets = [{"boxes": np.array([[0, 0, 10, 10], [50, 50, 60, 60], [20, 20, 30, 31]]),
    ...          "scores": np.array([0.9, 0.8, 0.7]), "labels": np.array([0, 0, 0])}]
    >>> round(mean_average_precision(dets, gts, iou_threshold=0.5), 4)
    0.8333
    >>> precision, recall = np.array([1.0, 0.5, 2 / 3]), np.array([0.5, 0.5, 1.0])
    >>> round(average_precision(precision, recall), 4)
    0.8333
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def _iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    w = np.clip(np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1]), 0, None)
    inter = w * h
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area + areas - inter
    return np.divide(inter, union, out=np.zeros_like(inter, dtype=float), where=union > 0)


def average_precision(precision: np.ndarray, recall: np.ndarray) -> float:
    """All-point interpolated AP from precision and recall after each ranked detection."""
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[1.0], precision, [0.0]])
    # Precision envelope: make precision monotonically decreasing from the right.
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    steps = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[steps + 1] - mrec[steps]) * mpre[steps + 1]))


def _class_ap(
    detections: Sequence[Mapping[str, np.ndarray]],
    ground_truths: Sequence[Mapping[str, np.ndarray]],
    label: int,
    iou_threshold: float,
) -> float | None:
    gt_boxes = [
        np.asarray(g["boxes"], float)[np.asarray(g["labels"]) == label] for g in ground_truths
    ]
    n_gt = sum(len(b) for b in gt_boxes)
    if n_gt == 0:
        return None
    records = []  # (score, image index, box)
    for image, det in enumerate(detections):
        mask = np.asarray(det["labels"]) == label
        scores = np.asarray(det["scores"], float)[mask]
        boxes = np.asarray(det["boxes"], float).reshape(-1, 4)[mask]
        records.extend((float(s), image, b) for s, b in zip(scores, boxes, strict=True))
    records.sort(key=lambda r: -r[0])
    matched = [np.zeros(len(b), dtype=bool) for b in gt_boxes]
    tp = np.zeros(len(records))
    for k, (_, image, box) in enumerate(records):
        candidates = gt_boxes[image]
        if len(candidates) == 0:
            continue
        ious = np.where(matched[image], -1.0, _iou(box, candidates))
        best = int(np.argmax(ious))
        if ious[best] >= iou_threshold:
            matched[image][best] = True
            tp[k] = 1
    cum_tp = np.cumsum(tp)
    precision = cum_tp / np.arange(1, len(records) + 1)
    return average_precision(precision, cum_tp / n_gt)


def mean_average_precision(
    detections: Sequence[Mapping[str, np.ndarray]],
    ground_truths: Sequence[Mapping[str, np.ndarray]],
    iou_threshold: float = 0.5,
) -> float:
    """mAP over classes; one dict per image with ``boxes`` (xyxy), ``labels`` (+ ``scores``)."""
    if len(detections) != len(ground_truths):
        raise ValueError("detections and ground_truths need one entry per image, in the same order")
    labels = {int(x) for g in ground_truths for x in np.asarray(g["labels"]).ravel()}
    aps = [_class_ap(detections, ground_truths, c, iou_threshold) for c in sorted(labels)]
    valid = [ap for ap in aps if ap is not None]
    return float(np.mean(valid)) if valid else 0.0
