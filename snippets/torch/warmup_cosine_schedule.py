"""Learning-rate schedule: linear warm-up, then cosine decay to a floor, as a LambdaLR.

Step the scheduler once per optimiser step (not per epoch). ``min_lr_ratio`` is the final learning
rate as a fraction of the base rate.

tags: torch, scheduler, learning-rate, warmup, cosine
requires: torch
version: 1

Example:
    >>> import torch
    >>> opt = torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=1.0)
    >>> sched = warmup_cosine_scheduler(opt, warmup_steps=2, total_steps=6, min_lr_ratio=0.0)
    >>> lrs = []
    >>> for _ in range(7):
    ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
    ...     opt.step()
    ...     sched.step()
    >>> lrs
    [0.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0]
"""

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LambdaLR


def warmup_cosine_factor(
    step: int, warmup_steps: int, total_steps: int, min_lr_ratio: float = 0.0
) -> float:
    """Multiplier of the base learning rate at ``step`` (0-based)."""
    if step < warmup_steps:
        return step / max(1, warmup_steps)
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return min_lr_ratio + (1 - min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def warmup_cosine_scheduler(
    optimizer: torch.optim.Optimizer,
    warmup_steps: int,
    total_steps: int,
    min_lr_ratio: float = 0.0,
) -> LambdaLR:
    """A ``LambdaLR`` following :func:`warmup_cosine_factor`."""
    if total_steps <= warmup_steps:
        raise ValueError(f"total_steps ({total_steps}) must exceed warmup_steps ({warmup_steps})")
    return LambdaLR(
        optimizer, lambda step: warmup_cosine_factor(step, warmup_steps, total_steps, min_lr_ratio)
    )
