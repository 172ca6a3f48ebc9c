"""Optimizer parameter groups: no weight decay on biases and norm layers, lower LR for a backbone.

Weight decay on biases and LayerNorm/BatchNorm weights hurts more than it helps (the usual
recipe for AdamW); fine-tuning often wants a smaller learning rate for pretrained layers.
Frozen parameters (``requires_grad=False``) are left out.

tags: torch, optimizer, weight-decay, fine-tuning, adamw
requires: torch
version: 1

Example:
    >>> import torch
    >>> from torch import nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8), nn.Linear(8, 2))
    >>> groups = param_groups(model, weight_decay=0.05, lr=1e-3, backbone=("0.",), backbone_lr=1e-4)
    >>> [(g["lr"], g["weight_decay"], sum(p.numel() for p in g["params"])) for g in groups]
    [(0.0001, 0.05, 32), (0.0001, 0.0, 8), (0.001, 0.05, 16), (0.001, 0.0, 18)]
    >>> opt = torch.optim.AdamW(groups)
    >>> len(opt.param_groups)
    4
"""

from __future__ import annotations

from typing import Any

from torch import nn

NO_DECAY_TYPES = (nn.LayerNorm, nn.GroupNorm, nn.Embedding, nn.modules.batchnorm._BatchNorm)


def param_groups(
    model: nn.Module,
    weight_decay: float = 0.01,
    lr: float = 1e-3,
    backbone: tuple[str, ...] = (),
    backbone_lr: float | None = None,
) -> list[dict[str, Any]]:
    """Groups for ``torch.optim``: (backbone|head) x (decay|no decay); empty groups dropped.

    ``backbone`` holds parameter-name prefixes (``"encoder."``) that get ``backbone_lr``.
    """
    buckets: dict[tuple[bool, bool], list[nn.Parameter]] = {
        (b, d): [] for b in (True, False) for d in (True, False)
    }
    seen: set[int] = set()
    for module_name, module in model.named_modules():
        for name, param in module.named_parameters(recurse=False):
            if not param.requires_grad or id(param) in seen:
                continue
            seen.add(id(param))  # tied weights belong to one group only
            full = f"{module_name}.{name}" if module_name else name
            decay = not (
                name.endswith("bias") or isinstance(module, NO_DECAY_TYPES) or param.ndim < 2
            )
            buckets[(full.startswith(backbone) if backbone else False, decay)].append(param)
    groups = []
    for (is_backbone, decay), params in buckets.items():
        if params:
            group_lr = backbone_lr if is_backbone and backbone_lr is not None else lr
            groups.append(
                {"params": params, "lr": group_lr, "weight_decay": weight_decay if decay else 0.0}
            )
    return groups
