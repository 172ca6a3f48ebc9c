"""Split data into stratified train / validation / test sets in one call, reproducibly.

Two chained ``train_test_split`` calls with the right relative sizes; stratifies on ``y`` (for
classification) or on a given ``stratify`` array; ``groups`` keeps all rows of a group (patient,
user, image source) in one split to avoid leakage.

tags: preprocessing, split, validation, stratified, sklearn, leakage
requires: scikit-learn, numpy
version: 1

Example:
    >>> import numpy as np
    >>> X = np.arange(200).reshape(100, 2)
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> parts = train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    >>> [len(p) for p in parts]
    [60, 20, 20, 60, 20, 20]
    >>> [int(part.sum()) for part in parts[3:]]
    [12, 4, 4]
    >>> groups = np.repeat(np.arange(25), 4)
    >>> X_tr, X_va, X_te, *_ = train_val_test_split(X, y, groups=groups, seed=0)
    >>> g = lambda part: set(groups[part[:, 0] // 2])
    >>> g(X_tr) & g(X_va), g(X_tr) & g(X_te), g(X_va) & g(X_te)
    (set(), set(), set())
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, train_test_split


def _index(data: Any, idx: np.ndarray) -> Any:
    return data.iloc[idx] if hasattr(data, "iloc") else np.asarray(data)[idx]


def train_val_test_split(
    X: Any,
    y: Any,
    val_size: float = 0.15,
    test_size: float = 0.15,
    stratify: Any | None = "y",
    groups: Any | None = None,
    seed: int = 0,
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """Return ``X_train, X_val, X_test, y_train, y_val, y_test``.

    ``stratify="y"`` stratifies on the labels, ``None`` disables it; with ``groups`` the split is
    by group (no stratification) using ``GroupShuffleSplit``.
    """
    n = len(y)
    idx = np.arange(n)
    if groups is not None:
        groups = np.asarray(groups)
        outer = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
        rest, test = next(outer.split(idx, groups=groups))
        inner = GroupShuffleSplit(
            n_splits=1, test_size=val_size / (1 - test_size), random_state=seed
        )
        tr, va = next(inner.split(rest, groups=groups[rest]))
        train, val = rest[tr], rest[va]
    else:
        strat = np.asarray(y) if isinstance(stratify, str) and stratify == "y" else stratify
        rest, test = train_test_split(idx, test_size=test_size, random_state=seed, stratify=strat)
        strat_rest = None if strat is None else np.asarray(strat)[rest]
        train, val = train_test_split(
            rest, test_size=val_size / (1 - test_size), random_state=seed, stratify=strat_rest
        )
    return (
        _index(X, train),
        _index(X, val),
        _index(X, test),
        _index(y, train),
        _index(y, val),
        _index(y, test),
    )
