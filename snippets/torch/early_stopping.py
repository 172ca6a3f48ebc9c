"""Early stopping on a validation metric with patience, min_delta and best-weights restore.

Framework-agnostic core (works for any metric); with PyTorch, pass ``model`` to keep a copy of the
best ``state_dict`` in memory and call ``restore`` at the end.

tags: torch, training, early-stopping, callbacks
requires: torch
version: 1

Example:
    >>> stopper = EarlyStopping(patience=2, mode="min")
    >>> [stopper.step(v) for v in [1.0, 0.8, 0.81, 0.79, 0.80, 0.82]]
    [False, False, False, False, False, True]
    >>> stopper.best, stopper.best_epoch
    (0.79, 3)
    >>> import torch
    >>> model = torch.nn.Linear(2, 1)
    >>> stopper = EarlyStopping(patience=1, mode="max")
    >>> _ = stopper.step(0.9, model)
    >>> best = model.weight.detach().clone()
    >>> with torch.no_grad():
    ...     _ = model.weight.add_(1.0)
    >>> stopper.step(0.5, model)
    True
    >>> stopper.restore(model)
    >>> torch.equal(model.weight, best)
    True
"""

from __future__ import annotations

import copy
import math
from typing import Any

import torch


class EarlyStopping:
    """Call ``step(metric)`` once per epoch; it returns True when training should stop."""

    def __init__(self, patience: int = 5, mode: str = "min", min_delta: float = 0.0) -> None:
        if mode not in {"min", "max"}:
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience = patience
        self.mode = mode
        self.min_delta = min_delta
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = -1
        self.epoch = -1
        self.bad_epochs = 0
        self.best_state: dict[str, Any] | None = None

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def step(self, value: float, model: torch.nn.Module | None = None) -> bool:
        """Record this epoch's metric; return True after ``patience`` epochs without improvement."""
        self.epoch += 1
        if math.isnan(value):
            self.bad_epochs += 1
        elif self._improved(value):
            self.best, self.best_epoch, self.bad_epochs = value, self.epoch, 0
            if model is not None:
                # Deep copy: state_dict tensors share storage with the live parameters.
                self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience

    def restore(self, model: torch.nn.Module) -> None:
        """Load the best weights seen so far into ``model``."""
        if self.best_state is None:
            raise RuntimeError("no best weights stored: pass model= to step()")
        model.load_state_dict(self.best_state)
