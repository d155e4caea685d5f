"""Locality-sensitive hashing over MinHash signatures: which documents are worth verifying together.

The bands and rows are the ones ``datasketch.MinHashLSH`` chooses for the threshold and number of
permutations (taken from datasketch itself), and two documents are candidates exactly when datasketch's
index would return one for the other: they agree on every row of at least one band. Instead of one
dictionary insert per document and band, the bands of all documents are hashed and sorted with numpy.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHashLSH

__all__ = ["LSHParams", "candidate_pairs", "lsh_params", "shared_key_pairs"]


class LSHParams(tuple[int, int]):
    """``(bands, rows)`` of an LSH index."""

    @property
    def bands(self) -> int:
        return self[0]

    @property
    def rows(self) -> int:
        return self[1]


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> LSHParams:
    """The bands and rows datasketch's MinHashLSH uses for ``threshold`` and ``num_perm``.

    >>> lsh_params(0.5, 128)
    (25, 5)
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return LSHParams((lsh.b, lsh.r))


def candidate_pairs(sigs: np.ndarray, params: LSHParams, *, max_bucket: int = 0) -> np.ndarray:
    """All pairs ``(i, j)``, ``i < j``, of rows of ``sigs`` that share a band; sorted and distinct.

    ``max_bucket`` > 0 skips buckets holding more documents than that (they are reported by the caller,
    never silently: see ``oversized_buckets``); 0 keeps every bucket.

    >>> s = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    >>> candidate_pairs(s, LSHParams((2, 2))).tolist()
    [[0, 1]]
    """
    n = len(sigs)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    # Band k reads columns k*rows .. (k+1)*rows-1, as datasketch's hashranges do.
    bands, rows = params
    blocks = sigs[:, : bands * rows].reshape(n, bands, rows)
    found: list[np.ndarray] = []
    for band in range(bands):
        block = np.ascontiguousarray(blocks[:, band, :])
        keys = _row_keys(block)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
        starts = np.concatenate(([0], boundaries))
        ends = np.concatenate((boundaries, [n]))
        sizes = ends - starts
        # Most shared buckets hold two documents: take those in one vectorised step.
        two = starts[sizes == 2]
        if len(two) and max_bucket != 1:
            first, second = order[two], order[two + 1]
            same = (block[first] == block[second]).all(axis=1)  # a key collision never makes a candidate
            found.append(np.stack((np.minimum(first, second), np.maximum(first, second)), axis=1)[same])
        for s, e in zip(starts[sizes > 2], ends[sizes > 2], strict=True):
            if max_bucket and e - s > max_bucket:
                continue
            bucket = np.sort(order[s:e])
            rows_of = block[bucket]
            if (rows_of == rows_of[0]).all():
                group = np.zeros(len(bucket), dtype=np.int64)
            else:
                # Rows sharing a 64-bit key are almost always equal; split the bucket by its rows in case not.
                _, group = np.unique(rows_of, axis=0, return_inverse=True)
                group = group.ravel()
            for g in np.unique(group):
                members = bucket[group == g]
                if len(members) > 1:
                    ii, jj = np.triu_indices(len(members), k=1)
                    found.append(np.stack((members[ii], members[jj]), axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    codes = np.sort(pairs[:, 0] * n + pairs[:, 1])
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return np.stack((codes // n, codes % n), axis=1)


def _row_keys(block: np.ndarray) -> np.ndarray:
    keys = np.zeros(len(block), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(block.shape[1]):
            keys = (keys ^ block[:, k].astype(np.uint64)) * np.uint64(0x100000001B3) + np.uint64(k + 1)
    return keys


def shared_key_pairs(
    keys: list[np.ndarray], *, min_share: float = 0.3, max_postings: int = 50
) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents whose key sets (e.g. sentence hashes) overlap enough.

    A pair qualifies when it shares at least one key and at least ``min_share`` of the smaller key set.
    Keys held by more than ``max_postings`` documents are furniture, not evidence of copying, and are
    passed over (so one common line cannot make a quadratic number of candidates).

    >>> k = [np.array([1, 2, 3]), np.array([2, 3, 9]), np.array([7])]
    >>> shared_key_pairs(k).tolist()
    [[0, 1]]
    """
    sizes = np.array([len(k) for k in keys], dtype=np.int64)
    if len(keys) < 2 or sizes.sum() == 0:
        return np.empty((0, 2), dtype=np.int64)
    flat = np.concatenate([np.asarray(k, dtype=np.uint64) for k in keys])
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), sizes)
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    boundaries = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(flat)]))
    group = (ends - starts > 1) & (ends - starts <= max_postings)
    found = []
    for s, e in zip(starts[group], ends[group], strict=True):
        members = owner[s:e]
        ii, jj = np.triu_indices(len(members), k=1)
        found.append(members[ii] * len(keys) + members[jj])
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes, shared = np.unique(np.concatenate(found), return_counts=True)
    i, j = codes // len(keys), codes % len(keys)
    ok = shared >= np.maximum(1, min_share * np.minimum(sizes[i], sizes[j]))
    return np.stack((i[ok], j[ok]), axis=1)
