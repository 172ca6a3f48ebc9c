"""Pick the best available torch device (CUDA, Apple MPS, CPU) and move nested batches to it.

``to_device`` walks tensors inside dicts, lists, tuples and dataclass-like namedtuples, so a
collate function may return any structure.

tags: torch, device, cuda, mps, gpu
requires: torch
version: 1

Example:
    >>> import torch
    >>> pick_device(prefer="cpu")
    device(type='cpu')
    >>> batch = {"x": torch.zeros(2), "meta": [torch.ones(1), "id-7"]}
    >>> moved = to_device(batch, torch.device("cpu"))
    >>> moved["x"].device.type, moved["meta"][1]
    ('cpu', 'id-7')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    """``prefer`` if given, else CUDA if available, else Apple MPS, else CPU."""
    if prefer is not None:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def to_device(batch: Any, device: torch.device, non_blocking: bool = True) -> Any:
    """Move every tensor inside ``batch`` to ``device``; other values are returned unchanged."""
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=non_blocking)
    if isinstance(batch, Mapping):
        return type(batch)({k: to_device(v, device, non_blocking) for k, v in batch.items()})
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):  # namedtuple
        return type(batch)(*(to_device(v, device, non_blocking) for v in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(v, device, non_blocking) for v in batch)
    return batch
