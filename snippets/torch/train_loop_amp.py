"""Training loop with mixed precision (AMP), gradient clipping and gradient accumulation.

On CUDA it uses float16 autocast with a ``GradScaler`` (needed so small float16 gradients do not
underflow); on CPU bfloat16 autocast, which needs no scaler. Gradients are unscaled before
clipping, otherwise the clip threshold would apply to scaled gradients.

tags: torch, training, amp, mixed-precision, gradient-clipping
requires: torch
version: 1

Example:
    >>> import torch
    >>> from torch import nn
    >>> _ = torch.manual_seed(0)
    >>> x = torch.randn(256, 4)
    >>> y = x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]])
    >>> loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32)
    >>> model = nn.Linear(4, 1)
    >>> opt = torch.optim.AdamW(model.parameters(), lr=0.1)
    >>> losses = [train_one_epoch(model, loader, opt, nn.MSELoss(), max_grad_norm=1.0)
    ...           for _ in range(30)]
    >>> losses[-1] < losses[0] / 10
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn


def train_one_epoch(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    optimizer: torch.optim.Optimizer,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    device: str | torch.device = "cpu",
    scaler: torch.amp.GradScaler | None = None,
    max_grad_norm: float | None = 1.0,
    accumulation_steps: int = 1,
    use_amp: bool = True,
) -> float:
    """Train for one pass over ``loader``; return the mean loss per batch."""
    device = torch.device(device)
    amp_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
    if scaler is None:
        scaler = torch.amp.GradScaler(device.type, enabled=use_amp and device.type == "cuda")
    model.train()
    total, batches = 0.0, 0
    optimizer.zero_grad(set_to_none=True)
    for step, (inputs, targets) in enumerate(loader, start=1):
        inputs = inputs.to(device, non_blocking=True)
        targets = targets.to(device, non_blocking=True)
        with torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=use_amp):
            outputs = model(inputs)
        # Loss in float32: reductions in half precision lose accuracy.
        loss = loss_fn(outputs.float(), targets)
        scaler.scale(loss / accumulation_steps).backward()
        if step % accumulation_steps == 0:
            if max_grad_norm is not None:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad(set_to_none=True)
        total += float(loss.detach())
        batches += 1
    return total / max(batches, 1)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    device: str | torch.device = "cpu",
) -> float:
    """Mean loss per batch in eval mode, without gradients."""
    model.eval()
    losses = [float(loss_fn(model(x.to(device)).float(), y.to(device))) for x, y in loader]
    return sum(losses) / max(len(losses), 1)
