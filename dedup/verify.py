"""Verification: exact set figures for a candidate pair, and the relation they support.

Every pair in a report passes through here; LSH only proposes. Shingle sets are sorted distinct uint64
arrays (see ``dedup.shingle``), so intersections are one merge.
"""

from __future__ import annotations

import numpy as np

from dedup.config import ScanConfig

__all__ = ["classify", "overlap"]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``(jaccard, containment)`` of two sorted distinct shingle arrays.

    Containment is the share of the *smaller* set found in the other: 1.0 when one text holds all of the
    other, which is how trimmed and extended copies show (their Jaccard can be low).

    >>> overlap(np.array([1, 2, 3, 4]), np.array([3, 4]))
    (0.5, 1.0)
    """
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    return inter / union, inter / min(len(a), len(b))


def classify(exact: bool, jaccard: float, containment: float, config: ScanConfig) -> str | None:
    """The shingle-based relation of a pair, or None when the figures show no copy.

    >>> classify(False, 0.8, 0.9, ScanConfig())
    'near_duplicate'
    >>> classify(False, 0.3, 0.95, ScanConfig())
    'partial'
    """
    if exact:
        return "exact"
    if jaccard >= config.near_threshold:
        return "near_duplicate"
    if containment >= config.partial_threshold:
        return "partial"
    return None
