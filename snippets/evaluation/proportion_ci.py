"""Wilson score interval for a proportion (accuracy, click rate) from counts, no SciPy needed.

Better than the normal ("Wald") interval for small ``n`` or rates near 0 or 1: it never leaves
``[0, 1]`` and keeps close to nominal coverage. Also: the sample size needed for a target width.

tags: evaluation, statistics, confidence-interval, proportion, accuracy
requires: none
version: 1

Example:
    >>> tuple(round(x, 4) for x in wilson_interval(81, 100))
    (0.7222, 0.8749)
    >>> wilson_interval(0, 10)[0]
    0.0
    >>> sample_size_for_margin(0.02, p=0.5)
    2401
"""

from __future__ import annotations

import math
from statistics import NormalDist


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval ``(low, high)`` for ``successes`` out of ``n``."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # At 0 or n successes the bound is exactly 0 or 1; avoid 1e-17 rounding noise.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def sample_size_for_margin(margin: float, p: float = 0.5, confidence: float = 0.95) -> int:
    """Test-set size so that the normal-approximation CI half-width is at most ``margin``."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    return math.ceil(z**2 * p * (1 - p) / margin**2)
