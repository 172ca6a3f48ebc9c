"""Count a model's parameters (total / trainable) and print a per-module summary.

Shared (tied) parameters are counted once. ``format_count`` renders 11_689_512 as ``11.7M``.

tags: torch, model, parameters, summary
requires: torch
version: 1

Example:
    >>> import torch
    >>> model = torch.nn.Sequential(torch.nn.Linear(10, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    >>> count_parameters(model)
    {'total': 67, 'trainable': 67, 'frozen': 0}
    >>> model[0].requires_grad_(False)  # doctest: +ELLIPSIS
    Linear(...)
    >>> count_parameters(model)
    {'total': 67, 'trainable': 12, 'frozen': 55}
    >>> format_count(11_689_512)
    '11.7M'
    >>> print(parameter_table(model))
    module  type    params  trainable
    0       Linear  55      0
    2       Linear  12      12
"""

from __future__ import annotations

from torch import nn


def count_parameters(model: nn.Module) -> dict[str, int]:
    """Total, trainable and frozen parameter counts (tied weights counted once)."""
    total = trainable = 0
    # model.parameters() already de-duplicates shared tensors.
    for p in model.parameters():
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return {"total": total, "trainable": trainable, "frozen": total - trainable}


def format_count(n: int) -> str:
    """Human-readable count: 950, 12.3K, 11.7M, 1.2B."""
    for unit, size in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def parameter_table(model: nn.Module) -> str:
    """Leaf modules with parameters: name, type, parameter count, trainable count."""
    rows = [("module", "type", "params", "trainable")]
    for name, module in model.named_modules():
        params = list(module.parameters(recurse=False))
        if params:
            n = sum(p.numel() for p in params)
            t = sum(p.numel() for p in params if p.requires_grad)
            rows.append((name, type(module).__name__, str(n), str(t)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
