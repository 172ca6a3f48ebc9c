"""Save and load a training checkpoint (model, optimizer, scheduler, epoch, RNG state) safely.

Writes to a temporary file and renames it, so a crash mid-save never leaves a corrupt checkpoint.
Loads with ``weights_only=True`` (no arbitrary pickle code execution) and ``map_location`` so a
GPU checkpoint opens on a CPU-only machine. Unwraps ``DataParallel``/``DDP``/``torch.compile``
prefixes so the state dict loads into a plain model.

tags: torch, checkpoint, training, serialization
requires: torch
version: 1

Example:
    >>> import tempfile, pathlib, torch
    >>> model = torch.nn.Linear(3, 2)
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ckpt.pt"
    >>> save_checkpoint(path, model, opt, epoch=7, extra={"val_loss": 0.25})
    >>> fresh = torch.nn.Linear(3, 2)
    >>> fresh_opt = torch.optim.SGD(fresh.parameters(), lr=0.1)
    >>> info = load_checkpoint(path, fresh, fresh_opt)
    >>> info["epoch"], info["extra"]["val_loss"], torch.equal(fresh.weight, model.weight)
    (7, 0.25, True)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn


def _unwrap(model: nn.Module) -> nn.Module:
    model = getattr(model, "_orig_mod", model)  # torch.compile
    return getattr(model, "module", model)  # DataParallel / DistributedDataParallel


def save_checkpoint(
    path: str | Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any | None = None,
    epoch: int = 0,
    extra: dict[str, Any] | None = None,
) -> None:
    """Atomically save model/optimizer/scheduler state plus ``epoch`` and ``extra`` values."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "model": _unwrap(model).state_dict(),
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "epoch": epoch,
        "extra": extra or {},
        "torch_rng": torch.get_rng_state(),
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        torch.save(state, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_checkpoint(
    path: str | Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any | None = None,
    map_location: str | torch.device = "cpu",
    strict: bool = True,
) -> dict[str, Any]:
    """Load a checkpoint written by :func:`save_checkpoint`; return ``{"epoch", "extra"}``."""
    state = torch.load(path, map_location=map_location, weights_only=True)
    weights = {
        k.removeprefix("module.").removeprefix("_orig_mod."): v for k, v in state["model"].items()
    }
    _unwrap(model).load_state_dict(weights, strict=strict)
    if optimizer is not None and state.get("optimizer") is not None:
        optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None and state.get("scheduler") is not None:
        scheduler.load_state_dict(state["scheduler"])
    if state.get("torch_rng") is not None:
        torch.set_rng_state(state["torch_rng"])
    return {"epoch": state.get("epoch", 0), "extra": state.get("extra", {})}
