"""Array augmentation: mixup and additive noise. Seeded, and the inputs are never modified.

Example:
    >>> import numpy as np
    >>> from toolkit.preprocessing import add_noise
    >>> X = np.zeros((2, 3))
    >>> add_noise(X, scale=0.1, random_state=0).shape, X.sum()
    ((2, 3), np.float64(0.0))
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from toolkit.errors import UsageError

__all__ = ["add_noise", "mixup"]


def _float_array(X: Any, name: str) -> np.ndarray[Any, Any]:
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{name}: expected a numeric array ({exc})") from exc
    if arr.ndim == 0 or arr.shape[0] == 0:
        raise UsageError(f"{name}: is empty; need at least one sample")
    if np.isinf(arr).any():
        raise UsageError(f"{name}: contains infinite values; clip or drop them first")
    return arr


def mixup(
    X: Any,
    y: Any,
    *,
    alpha: float = 0.2,
    n_samples: int | None = None,
    random_state: int | np.random.Generator | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Mixup (Zhang et al., 2018): convex combinations of random pairs of samples.

    Each new sample is ``λ·x_i + (1-λ)·x_j`` with ``λ ~ Beta(alpha, alpha)``, and the same for the
    targets. ``y`` may be class labels (1-D ints, strings, bools; returned as soft labels over
    ``np.unique(y)``, shape ``(n, n_classes)``), one-hot/probabilities (2-D), or a float
    regression target (1-D, mixed linearly). ``X`` may have any number of trailing dimensions
    (images). Returns ``n_samples`` new rows (default: as many as ``X``).

    Example:
        >>> import numpy as np
        >>> Xm, ym = mixup(np.eye(4), [0, 1, 0, 1], random_state=0)
        >>> Xm.shape, ym.shape, bool(np.allclose(ym.sum(axis=1), 1.0))
        ((4, 4), (4, 2), True)
    """
    Xa = _float_array(X, "X")
    if np.isnan(Xa).any():
        raise UsageError("X: contains NaN; impute before mixing samples")
    y_arr = np.asarray(y)
    if y_arr.shape[:1] != Xa.shape[:1]:
        raise UsageError(f"y: has {y_arr.shape[:1]} rows but X has {Xa.shape[0]}")
    if not (isinstance(alpha, int | float) and alpha > 0):
        raise UsageError(f"alpha: must be > 0, got {alpha!r}")
    n = Xa.shape[0] if n_samples is None else n_samples
    if not isinstance(n, int | np.integer) or n < 1:
        raise UsageError(f"n_samples: must be a positive integer, got {n_samples!r}")
    if y_arr.ndim == 1 and y_arr.dtype.kind != "f":
        classes, codes = np.unique(y_arr, return_inverse=True)
        Y = np.eye(len(classes))[codes]
    else:
        Y = _float_array(y_arr, "y")
        if np.isnan(Y).any():
            raise UsageError("y: contains NaN; drop unlabeled rows before mixing")
    rng = np.random.default_rng(random_state)
    i = rng.integers(0, Xa.shape[0], size=n)
    j = rng.integers(0, Xa.shape[0], size=n)
    lam = rng.beta(alpha, alpha, size=n)
    lx = lam.reshape((n,) + (1,) * (Xa.ndim - 1))
    ly = lam.reshape((n,) + (1,) * (Y.ndim - 1))
    return lx * Xa[i] + (1 - lx) * Xa[j], ly * Y[i] + (1 - ly) * Y[j]


def add_noise(
    X: Any,
    *,
    scale: float = 0.01,
    kind: Literal["gaussian", "uniform"] = "gaussian",
    relative: bool = True,
    random_state: int | np.random.Generator | None = None,
) -> np.ndarray[Any, Any]:
    """Return ``X`` plus random noise (a new array; NaN stays NaN).

    With ``relative=True`` the noise of each feature (last axis) is ``scale`` times that feature's
    standard deviation, so features on different scales are perturbed alike; otherwise
    ``scale`` is absolute. ``kind="uniform"`` draws from ``[-scale, scale]`` instead of a normal.

    Example:
        >>> import numpy as np
        >>> X = np.array([[1.0, 100.0], [2.0, 200.0], [3.0, 300.0]])
        >>> noisy = add_noise(X, scale=0.01, random_state=0)
        >>> bool(np.all(np.abs(noisy - X) < 0.05 * X.std(axis=0)))
        True
    """
    Xa = _float_array(X, "X")
    if not (isinstance(scale, int | float) and np.isfinite(scale) and scale >= 0):
        raise UsageError(f"scale: must be a finite number >= 0, got {scale!r}")
    if kind not in ("gaussian", "uniform"):
        raise UsageError(f"kind: expected 'gaussian' or 'uniform', got {kind!r}")
    rng = np.random.default_rng(random_state)
    if kind == "gaussian":
        noise = rng.normal(0.0, 1.0, size=Xa.shape)
    else:
        noise = rng.uniform(-1.0, 1.0, size=Xa.shape)
    if relative:
        flat = Xa.reshape(-1, Xa.shape[-1]) if Xa.ndim > 1 else Xa.reshape(-1, 1)
        with np.errstate(all="ignore"):
            std = np.nanstd(flat, axis=0)
        std = np.where(np.isnan(std), 0.0, std)
        noise = noise * (std if Xa.ndim > 1 else std[0])
    out: np.ndarray[Any, Any] = Xa + scale * noise
    return out
