"""Computer-vision figures: image grids with labels/predictions and detection boxes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.errors import UsageError
from toolkit.plotting._cjk import draws
from toolkit.plotting._validate import as_labels, as_numeric, get_ax, new_figure, same_length

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _as_image(img: Any, name: str) -> np.ndarray:
    """One image as (H, W) or (H, W, C) floats in [0, 1] (uint8 scaled, CHW transposed)."""
    raw = np.asarray(img.detach().cpu().numpy() if hasattr(img, "detach") else img)
    if raw.ndim == 3 and raw.shape[0] in (1, 3, 4) and raw.shape[-1] not in (1, 3, 4):
        raw = np.moveaxis(raw, 0, -1)  # CHW (PyTorch) -> HWC
    if raw.ndim == 3 and raw.shape[-1] == 1:
        raw = raw[..., 0]
    if raw.ndim not in (2, 3) or (raw.ndim == 3 and raw.shape[-1] not in (3, 4)):
        raise UsageError(
            f"{name}: expected an image (H, W), (H, W, C) or (C, H, W); got {raw.shape}"
        )
    is_int = np.issubdtype(raw.dtype, np.integer)
    arr = as_numeric(raw, name, ndim=None)
    if is_int or arr.max() > 1.0 or arr.min() < 0.0:
        if is_int and arr.min() >= 0 and arr.max() <= 255:
            arr = arr / 255.0
        else:  # arbitrary range (e.g. normalized tensors): rescale this image to [0, 1]
            lo, hi = arr.min(), arr.max()
            arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
    return arr


def _image_list(images: Any) -> list[Any]:
    if isinstance(images, np.ndarray) or hasattr(images, "shape"):
        arr = np.asarray(images.detach().cpu().numpy() if hasattr(images, "detach") else images)
        if arr.ndim in (3, 4):
            return list(arr)
        raise UsageError(
            f"images: expected a batch (N, H, W[, C]) or (N, C, H, W), got {arr.shape}"
        )
    return list(images)


@draws
def image_grid(
    images: Any,
    *,
    labels: Any = None,
    predictions: Any = None,
    class_names: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    max_images: int = 64,
    cmap: str = "gray",
    panel_size: float = 1.8,
) -> Figure:
    """A grid of images titled with their label, or "label / prediction" when predictions are
    given, wrong predictions in red with a red frame.

    Accepts a batch array (N, H, W), (N, H, W, C) or PyTorch-style (N, C, H, W), or a list of
    images of different sizes; uint8 and [0, 1] floats are shown as is, other ranges rescaled per
    image. Only the first ``max_images`` are drawn (the title says so).

    >>> fig = image_grid(np.zeros((4, 8, 8)), labels=[0, 1, 0, 1], predictions=[0, 1, 1, 1])
    >>> fig.axes[2].title.get_color()
    'tab:red'
    """
    items = _image_list(images)
    if not items:
        raise UsageError("images: is empty")
    n_total = len(items)
    lab = as_labels(labels, "labels") if labels is not None else None
    pred = as_labels(predictions, "predictions") if predictions is not None else None
    if lab is not None:
        same_length(images=items, labels=lab)
    if pred is not None:
        same_length(images=items, predictions=pred)
        if lab is None:
            raise UsageError("labels: required when predictions are given")
    if titles is not None:
        same_length(images=items, titles=titles)
    n = min(n_total, max_images)
    cols = ncols or min(n, math.ceil(math.sqrt(n * 1.5)))
    rows = math.ceil(n / cols)
    fig = new_figure((panel_size * cols, panel_size * rows + 0.3))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()

    def name(v: Any) -> str:
        if class_names is not None and np.issubdtype(np.asarray(v).dtype, np.integer):
            return str(class_names[int(v)])
        return str(v)

    wrong_count = 0
    for i, ax in enumerate(axes):
        ax.axis("off")
        if i >= n:
            continue
        img = _as_image(items[i], f"images[{i}]")
        ax.imshow(img, cmap=cmap if img.ndim == 2 else None, vmin=0, vmax=1)
        text, color = "", "black"
        if titles is not None:
            text = str(titles[i])
        elif lab is not None and pred is not None:
            wrong = lab[i] != pred[i]
            wrong_count += int(wrong)
            text = f"{name(lab[i])} / {name(pred[i])}"
            color = "tab:red" if wrong else "tab:green"
            if wrong:
                ax.axis("on")
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set(visible=True, color="tab:red", linewidth=2.5)
        elif lab is not None:
            text = name(lab[i])
        ax.set_title(text, color=color, fontsize="small")
    header = []
    if pred is not None:
        header.append(f"label / prediction: {wrong_count} of {n} wrong")
    if n < n_total:
        header.append(f"first {n} of {n_total} images")
    if header:
        fig.suptitle("; ".join(header), fontsize="small")
    return fig


def _boxes_xyxy(boxes: Any, fmt: str, shape: tuple[int, ...], normalized: bool) -> np.ndarray:
    arr = as_numeric(boxes, "boxes", ndim=None)
    if arr.ndim == 1 and arr.size == 4:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise UsageError(f"boxes: expected shape (n, 4), got {arr.shape}")
    out = arr.copy()
    if fmt == "xywh":
        out[:, 2:] = arr[:, :2] + arr[:, 2:]
    elif fmt == "cxcywh":
        out[:, :2] = arr[:, :2] - arr[:, 2:] / 2
        out[:, 2:] = arr[:, :2] + arr[:, 2:] / 2
    elif fmt != "xyxy":
        raise UsageError(f"box_format: expected 'xyxy', 'xywh' or 'cxcywh', got {fmt!r}")
    if normalized:
        out[:, [0, 2]] *= shape[1]
        out[:, [1, 3]] *= shape[0]
    if ((out[:, 2] < out[:, 0]) | (out[:, 3] < out[:, 1])).any():
        raise UsageError(f"boxes: some boxes have max < min; is box_format={fmt!r} right?")
    return out


@draws
def draw_boxes(
    image: Any,
    boxes: Any,
    *,
    labels: Any = None,
    scores: Any = None,
    class_names: Sequence[str] | None = None,
    box_format: str = "xyxy",
    normalized: bool = False,
    score_threshold: float = 0.0,
    linewidth: float = 2.0,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw detection boxes with "label score" tags on an image; one colour per class.

    ``box_format`` is ``"xyxy"`` (default, torchvision), ``"xywh"`` (COCO) or ``"cxcywh"`` (YOLO);
    ``normalized=True`` for coordinates in [0, 1]. Boxes under ``score_threshold`` are skipped.

    >>> ax = draw_boxes(np.zeros((10, 10)), [[1, 1, 5, 5]], labels=["cat"], scores=[0.9])
    >>> ax.texts[0].get_text()
    'cat 0.90'
    """
    img = _as_image(image, "image")
    xyxy = _boxes_xyxy(boxes, box_format, img.shape, normalized)
    lab = as_labels(labels, "labels") if labels is not None else None
    sc = as_numeric(scores, "scores") if scores is not None else None
    if lab is not None:
        same_length(boxes=xyxy, labels=lab)
    if sc is not None:
        same_length(boxes=xyxy, scores=sc)
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    ax = get_ax(ax, figsize=(6.0, 6.0 * img.shape[0] / img.shape[1]))
    ax.imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0, vmax=1)
    palette = mpl.colormaps["tab10"]
    classes = list(dict.fromkeys(lab.tolist())) if lab is not None else []
    shown = 0
    for i, (x0, y0, x1, y1) in enumerate(xyxy):
        if sc is not None and sc[i] < score_threshold:
            continue
        shown += 1
        cls = lab[i] if lab is not None else None
        color = palette(classes.index(cls) % 10) if cls is not None else palette(0)
        ax.add_patch(
            Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=color, linewidth=linewidth)
        )
        parts = []
        if cls is not None:
            is_int = np.issubdtype(np.asarray(cls).dtype, np.integer)
            parts.append(
                str(class_names[int(cls)]) if class_names is not None and is_int else str(cls)
            )
        if sc is not None:
            parts.append(f"{sc[i]:.2f}")
        if parts:
            ax.text(
                x0,
                y0,
                " ".join(parts),
                color="white",
                fontsize="small",
                va="bottom",
                bbox={"facecolor": color, "edgecolor": "none", "pad": 1.5, "alpha": 0.85},
            )
    ax.set_xlim(0, img.shape[1])
    ax.set_ylim(img.shape[0], 0)
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    elif sc is not None and shown < len(xyxy):
        ax.set_title(
            f"{shown} of {len(xyxy)} boxes (score ≥ {score_threshold:g})", fontsize="small"
        )
    return ax
