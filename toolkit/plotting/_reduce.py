"""Curve downsampling that keeps the shape: Largest-Triangle-Three-Buckets (Steinarsson, 2013)."""

from __future__ import annotations

import numpy as np


def lttb(x: np.ndarray, y: np.ndarray, n_out: int) -> np.ndarray:
    """Indices of ``n_out`` points of the curve (x, y) chosen by LTTB; all indices if shorter.

    Unlike every-k-th-point decimation, LTTB keeps spikes (e.g. a loss blow-up) visible. The first
    and last points are always kept.

    >>> lttb(np.arange(10.0), np.arange(10.0), 4).tolist()[0]
    0
    """
    n = x.size
    if n_out >= n or n_out < 3:
        return np.arange(n)
    edges = np.linspace(1, n - 1, n_out - 1).astype(int)
    chosen = np.empty(n_out, dtype=np.int64)
    chosen[0], chosen[-1] = 0, n - 1
    a = 0
    for i in range(n_out - 2):
        start, end = edges[i], max(edges[i + 1], edges[i] + 1)
        nxt_start, nxt_end = end, (edges[i + 2] if i + 2 < edges.size else n)
        if nxt_end <= nxt_start:
            nxt_end = nxt_start + 1
        avg_x = x[nxt_start:nxt_end].mean()
        avg_y = y[nxt_start:nxt_end].mean()
        xs, ys = x[start:end], y[start:end]
        area = np.abs((x[a] - avg_x) * (ys - y[a]) - (x[a] - xs) * (avg_y - y[a]))
        a = start + int(np.argmax(area))
        chosen[i + 1] = a
    return chosen
