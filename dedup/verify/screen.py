"""Screening candidate pairs in batches: the shared values of many pairs of sets in one call.

A scan's LSH proposes many more candidates than it verifies (34,546 candidates, 5,263 copies for the
50,000-document speed corpus with ``--no-spin``), and deciding each one in Python (its two ``Features``
built, two counts, a ``Pair`` made) cost as much as the rest of verifying. The verify stage counts the shared
word and character shingles of a whole chunk first (``pair_shared_counts``) and decides in full only the
pairs those counts leave open (``dedup.stages.verify``).

>>> part = np.array([1, 2, 3, 2, 3, 9], dtype=np.uint32), np.array([0, 3, 6])
>>> pair_shared_counts([part], 2, np.array([0, 0]), np.array([1, 0])).tolist()
[2, 3]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dedup import kernels
from dedup.verify.relations import shared_count

__all__ = ["Parts", "overlap_of_counts", "pair_shared_counts", "pair_shared_counts_reference"]


Parts = Sequence[tuple[np.ndarray, np.ndarray]]
"""Sets in parts: each part a ``(values, offsets)`` pair, its set ``k`` being ``values[offsets[k]:offsets[k + 1]]``
(uint32 values, int64 offsets from 0), every part but the last holding the same number of sets."""


def pair_shared_counts(parts: Parts, per_part: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """How many values the sets ``left[p]`` and ``right[p]`` share, for every pair ``p`` (uint64); set ``k`` is
    set ``k % per_part`` of part ``k // per_part`` (each sorted and distinct: a batch's packed features)."""
    left = np.ascontiguousarray(left, dtype=np.int64)
    right = np.ascontiguousarray(right, dtype=np.int64)
    if kernels.core is not None:
        return kernels.call(kernels.core.pair_shared_counts,
                            [np.ascontiguousarray(v, dtype=np.uint32) for v, _ in parts],
                            [np.ascontiguousarray(o, dtype=np.int64) for _, o in parts], per_part, left, right)
    # Without the kernels, verification's own count per pair (a search of the smaller set in the larger).
    return _per_pair(parts, per_part, left, right, shared_count)


def pair_shared_counts_reference(parts: Parts, per_part: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``pair_shared_counts`` in numpy, one intersection per pair: the reference of the kernel and of the
    numpy path."""
    return _per_pair(parts, per_part, left, right,
                     lambda a, b: len(np.intersect1d(a, b, assume_unique=True)))


def _per_pair(parts: Parts, per_part: int, left: np.ndarray, right: np.ndarray,
              count: Callable[[np.ndarray, np.ndarray], int]) -> np.ndarray:
    if len(left) != len(right):
        raise ValueError(f"left and right must have one length, not {len(left)} and {len(right)}")
    if per_part < 1:
        raise ValueError(f"per_part must be at least 1, not {per_part}")

    def one(k: int) -> np.ndarray:
        if k < 0 or k // per_part >= len(parts) or k % per_part + 1 >= len(parts[k // per_part][1]):
            raise ValueError(f"set {k} is not in the {len(parts)} parts of {per_part}")
        values, offsets = parts[k // per_part]
        return values[int(offsets[k % per_part]) : int(offsets[k % per_part + 1])]

    out = np.zeros(len(left), dtype=np.uint64)
    for p, (a, b) in enumerate(zip(np.asarray(left).tolist(), np.asarray(right).tolist(), strict=True)):
        out[p] = count(one(a), one(b))
    return out


def overlap_of_counts(shared: int, size_a: int, size_b: int) -> tuple[float, float]:
    """``(jaccard, containment)`` of two sets of ``size_a`` and ``size_b`` values sharing ``shared``: the same
    figures, bit for bit, as ``dedup.verify.relations.overlap`` of the two sets.

    >>> overlap_of_counts(2, 4, 2)
    (0.5, 1.0)
    """
    if size_a == 0 or size_b == 0:
        return 0.0, 0.0
    union = size_a + size_b - shared
    return shared / union, shared / min(size_a, size_b)
