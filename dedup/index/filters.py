"""Filters on an index's candidate pairs: what the whole signature estimates, before any exact check.

Sharing one band is weak evidence; the whole signature estimates the Jaccard, and with the set sizes the
containment. A filter is a frozen dataclass called with the candidate pairs (rows of the index) and the
index's signatures, and says which to keep. Being plain data, it travels to the worker (or executor) that
finds the pairs, so only the kept pairs travel back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = ["ESTIMATE_MARGIN", "EstimateFilter", "PairFilter", "SpunEstimateFilter", "estimates"]

# How far below the thresholds a signature estimate may fall and still be checked exactly: about four
# standard errors of a 128-permutation estimate.
ESTIMATE_MARGIN = 0.2


class PairFilter(Protocol):
    def __call__(self, pairs: np.ndarray, sigs: np.ndarray) -> np.ndarray:
        """A boolean mask over the ``(m, 2)`` row pairs, given the index's signatures."""
        ...


def estimates(candidates: np.ndarray, sigs: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MinHash estimates of each candidate pair's Jaccard and, with the set sizes, containment.

    >>> s = np.array([[1, 2, 3, 4], [1, 2, 9, 9]], dtype=np.uint32)
    >>> [x.tolist() for x in estimates(np.array([[0, 1]]), s, np.array([10, 10]))]
    [[0.5], [0.6666666666666666]]
    """
    # In chunks that stay in the cache; counting equal cells beats averaging booleans as floats.
    jaccard = np.empty(len(candidates))
    for start in range(0, len(candidates), 20_000):
        x, y = candidates[start : start + 20_000, 0], candidates[start : start + 20_000, 1]
        jaccard[start : start + 20_000] = np.count_nonzero(sigs[x] == sigs[y], axis=1)
    jaccard /= sigs.shape[1]
    x, y = candidates[:, 0], candidates[:, 1]
    small = np.maximum(np.minimum(sizes[x], sizes[y]), 1)
    return jaccard, jaccard * (sizes[x] + sizes[y]) / ((1 + jaccard) * small)


@dataclass(frozen=True, eq=False)
class EstimateFilter:
    """Keep pairs whose estimated Jaccard or containment comes within ``ESTIMATE_MARGIN`` of the thresholds
    (``sizes``: each row's set size). Pairs far below both are passed over without the exact check, which
    keeps verification in proportion to real copies on corpora full of look-alike stories."""

    sizes: np.ndarray
    near_threshold: float
    partial_threshold: float

    def __call__(self, pairs: np.ndarray, sigs: np.ndarray) -> np.ndarray:
        jaccard, containment = estimates(pairs, sigs, self.sizes)
        return (jaccard >= self.near_threshold - ESTIMATE_MARGIN) | (
            containment >= self.partial_threshold - ESTIMATE_MARGIN
        )


@dataclass(frozen=True, eq=False)
class SpunEstimateFilter:
    """For an index of anchor signatures: keep pairs whose anchor sets and character samples (``char_sigs``,
    ``char_sizes``, row for row) both overlap nearly enough to be aligned as possibly spun."""

    char_sigs: np.ndarray
    char_sizes: np.ndarray
    min_anchors: float
    min_containment: float

    def __call__(self, pairs: np.ndarray, sigs: np.ndarray) -> np.ndarray:
        anchor_jaccard, _ = estimates(pairs, sigs, np.ones(len(sigs), dtype=np.int64))
        _, containment = estimates(pairs, self.char_sigs, self.char_sizes)
        return (anchor_jaccard >= self.min_anchors - ESTIMATE_MARGIN) & (
            containment >= self.min_containment - ESTIMATE_MARGIN
        )
