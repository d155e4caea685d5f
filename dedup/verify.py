"""Verification: exact set figures for a candidate pair, and the relation they support.

Every pair in a report passes through here; LSH only proposes. Shingle sets are sorted distinct uint64
arrays (see ``dedup.shingle``), so intersections are one merge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from dedup.config import ScanConfig
from dedup.model import Pair

if TYPE_CHECKING:
    from dedup.features import Features

__all__ = ["classify", "overlap", "verify_pair"]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``(jaccard, containment)`` of two sorted distinct shingle arrays.

    Containment is the share of the *smaller* set found in the other: 1.0 when one text holds all of the
    other, which is how trimmed and extended copies show (their Jaccard can be low).

    >>> overlap(np.array([1, 2, 3, 4]), np.array([3, 4]))
    (0.5, 1.0)
    """
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    if len(a) > len(b):
        a, b = b, a
    # Look each element of the smaller set up in the larger: cheaper than intersect1d's concatenate and sort.
    slots = np.searchsorted(b, a)
    slots[slots == len(b)] = 0
    inter = int(np.count_nonzero(b[slots] == a))
    union = len(a) + len(b) - inter
    return inter / union, inter / min(len(a), len(b))


# Two texts of which one holds most of the other are near-duplicates when their lengths are this close;
# when one is much shorter or longer, the copy is partial (trimmed or extended).
SIMILAR_LENGTH = 0.8


def classify(jaccard: float, containment: float, length_ratio: float, config: ScanConfig) -> str | None:
    """The shingle-based relation of two distinct texts, or None when the figures show no copy.

    ``length_ratio`` is the shorter text's length over the longer's.

    >>> classify(0.8, 0.9, 1.0, ScanConfig())
    'near_duplicate'
    >>> classify(0.3, 0.95, 0.4, ScanConfig())
    'partial'
    >>> classify(0.3, 0.9, 0.95, ScanConfig())  # noisy full copy (OCR): contained, same length
    'near_duplicate'
    >>> classify(0.65, 1.0, 0.65, ScanConfig())  # a third cut off: resembles, but is a trimmed copy
    'partial'
    """
    contained = containment >= config.partial_threshold
    if contained and length_ratio < SIMILAR_LENGTH:
        return "partial"
    if contained or jaccard >= config.near_threshold:
        return "near_duplicate"
    return None


def verify_pair(a: str, b: str, fa: Features, fb: Features, config: ScanConfig) -> Pair | None:
    """Check a candidate pair on its exact shingle sets; the verified pair, or None.

    The reported ``jaccard`` and ``containment`` are on the configured shingles (word 3-grams by default);
    the character containment, which OCR noise and small edits barely move, can also carry the verdict and
    is reported beside them with the character Jaccard (``char_containment``, ``char_jaccard``).
    """
    jaccard, containment = overlap(fa.words, fb.words)
    char_jaccard, char_containment = overlap(fa.chars, fb.chars)
    ratio = min(fa.length, fb.length) / max(fa.length, fb.length, 1)
    relation = classify(jaccard, max(containment, char_containment), ratio, config)
    if relation is None:
        return None
    details = {"char_jaccard": char_jaccard, "char_containment": char_containment}
    return Pair(a, b, relation, max(containment, char_containment), jaccard, containment, details)
