"""Small statistics used by the report: Wilson intervals, entropy, a thread-clustered bootstrap.

Pure functions of numbers; no I/O, nothing about records or rendering.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: z for a two-sided 95% interval.
Z95 = 1.959963984540054


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share `count / total`; (0, 0) when there is nothing to count.

    Unlike the normal approximation it stays inside [0, 1] and behaves at 0% and 100%.
    """
    if total <= 0:
        return 0.0, 0.0
    if count < 0 or count > total:
        raise ValueError(f"count {count} is outside 0..{total}")
    p = count / total
    z2 = z * z
    denom = 1.0 + z2 / total
    centre = (p + z2 / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denom
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == total else min(1.0, centre + half)
    return low, high


def normalized_entropy(scores: Sequence[float]) -> float:
    """Shannon entropy of a score vector divided by its maximum: 0 = certain, 1 = flat.

    Scores are renormalised first, so slightly off probabilities do not matter.
    """
    positive = [s for s in scores if s > 0]
    total = sum(positive)
    if len(scores) < 2 or total <= 0:
        return 0.0
    h = -sum((s / total) * math.log(s / total) for s in positive)
    return max(0.0, min(1.0, h / math.log(len(scores))))


def cluster_bootstrap(counts: Sequence[Sequence[int]], reps: int = 400, seed: int = 0,
                      chunk: int = 50) -> list[tuple[float, float]] | None:
    """95% percentile intervals for each column's share, resampling whole threads.

    `counts[t][j]` is how many comments of thread t carry label j. Comments in one thread are
    not independent (they answer each other), so resampling threads instead of comments gives
    honest intervals for corpus-wide shares. Poisson(1) weights approximate resampling with
    replacement and work in chunks, so memory stays at `chunk x threads`. None with < 2 threads.
    """
    import numpy as np

    matrix = np.asarray(counts, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.sum() <= 0:
        return None
    rng = np.random.default_rng(seed)
    totals = matrix.sum(axis=1)
    draws: list[np.ndarray] = []
    done = 0
    while done < reps:
        size = min(chunk, reps - done)
        weights = rng.poisson(1.0, size=(size, matrix.shape[0])).astype(np.float64)
        denom = weights @ totals
        keep = denom > 0
        draws.append((weights[keep] @ matrix) / denom[keep, None])
        done += size
    shares = np.concatenate(draws, axis=0)
    low = np.percentile(shares, 2.5, axis=0)
    high = np.percentile(shares, 97.5, axis=0)
    return [(float(lo), float(hi)) for lo, hi in zip(low, high, strict=True)]
