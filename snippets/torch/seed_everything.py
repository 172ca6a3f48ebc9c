"""Seed Python, NumPy and PyTorch (CPU and CUDA) for reproducible runs.

``deterministic=True`` also asks cuDNN and PyTorch for deterministic kernels (slower; some ops then
raise an error instead of running non-deterministically). DataLoader workers need their own
seeding: pass ``worker_init_fn=seed_worker`` and a seeded ``torch.Generator``.

tags: torch, reproducibility, seed, random
requires: torch, numpy
version: 2

Example:
    >>> import torch
    >>> _ = seed_everything(42)
    >>> a = torch.rand(3)
    >>> _ = seed_everything(42)
    >>> torch.equal(a, torch.rand(3))
    True
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def seed_everything(seed: int = 42, deterministic: bool = False) -> int:
    """Seed all random number generators; return the seed (handy for logging)."""
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the legacy global RNG is what old code draws from
    torch.manual_seed(seed)  # also seeds every CUDA device
    os.environ["PYTHONHASHSEED"] = str(seed)  # only affects subprocesses started later
    if deterministic:
        # Needed by cuBLAS for deterministic matmuls on CUDA >= 10.2.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True, warn_only=True)
    return seed


def seed_worker(worker_id: int) -> None:
    """``DataLoader(worker_init_fn=seed_worker)``: derive NumPy/random seeds from torch's."""
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)  # noqa: NPY002
    random.seed(worker_seed)
