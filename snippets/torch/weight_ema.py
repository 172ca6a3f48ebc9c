"""Exponential moving average (EMA) of model weights for better evaluation checkpoints.

``ema = decay * ema + (1 - decay) * weights`` after each optimiser step; buffers (BatchNorm
running statistics) are copied. An optional warm-up (``decay * (1 - exp(-updates / tau))``, as
in YOLOv5) lets the average follow quickly early in training. Evaluate and save ``ema.module``.
``torch.optim.swa_utils.AveragedModel`` does the same with ``get_ema_multi_avg_fn``; this version
is easier to read and adds the warm-up.

tags: torch, ema, training, weights, averaging
requires: torch
version: 1

Example:
    >>> import torch
    >>> model = torch.nn.Linear(1, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(0.0)
    >>> ema = ModelEMA(model, decay=0.5, warmup_tau=None)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(1.0)
    >>> ema.update(model)
    >>> round(ema.module.weight.item(), 4)
    0.5
    >>> ema.update(model)
    >>> round(ema.module.weight.item(), 4)
    0.75
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn


class ModelEMA:
    """Keeps ``self.module``, an EMA copy of a model; call ``update(model)`` after each step."""

    def __init__(self, model: nn.Module, decay: float = 0.999, warmup_tau: float | None = 2000.0):
        self.module = copy.deepcopy(model).eval()
        for p in self.module.parameters():
            p.requires_grad_(False)
        self.decay = decay
        self.warmup_tau = warmup_tau
        self.updates = 0

    def current_decay(self) -> float:
        """Decay used for the next update (ramps up from 0 when ``warmup_tau`` is set)."""
        if self.warmup_tau is None:
            return self.decay
        return self.decay * (1 - math.exp(-self.updates / self.warmup_tau))

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        """Blend the current weights of ``model`` into the average."""
        self.updates += 1
        d = self.current_decay()
        model = getattr(model, "module", model)  # unwrap DataParallel/DDP
        model_state = model.state_dict()
        for name, ema_value in self.module.state_dict().items():
            value = model_state[name].detach()
            if ema_value.dtype.is_floating_point:
                ema_value.mul_(d).add_(value.to(ema_value.dtype), alpha=1 - d)
            else:
                ema_value.copy_(value)  # integer buffers, e.g. num_batches_tracked
