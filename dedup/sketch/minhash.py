"""MinHash signatures in bulk, equal to what ``datasketch.MinHash`` computes for the same seed and shingles.

datasketch (2.x, default ``affine32`` scheme) pre-mixes each 32-bit input hash with the MurmurHash3 finaliser
and applies ``num_perm`` permutations ``a * h + b mod 2**32``, keeping the minimum per permutation. We do the
same arithmetic for many documents at once: all shingles of a batch go through one numpy expression and
``np.minimum.reduceat`` takes each document's minima. Our shingle hashes are already 32-bit integers, so the
matching datasketch object is ``MinHash(num_perm, seed, hashfunc=int)`` fed the same integers.

Where the compiled kernels are built (``dedup.kernels``) the same arithmetic runs in Rust, one document's row
of minima kept in cache while its shingles update it; ``reference_signatures`` is the numpy form, which tests
hold the kernel equal to.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup import kernels

__all__ = ["EMPTY_VALUE", "Permutations", "reference_signatures", "signatures"]

EMPTY_VALUE = np.uint32(0xFFFFFFFF)
# Cells of the (permutations x shingles) matrix worked on at once: small enough to stay in the CPU cache,
# which measured several times faster than one large matrix.
_BATCH_CELLS = 2_000_000


class Permutations:
    """The permutation parameters datasketch draws for ``num_perm`` and ``seed``.

    >>> p = Permutations(num_perm=16, seed=1)
    >>> p.a.shape, p.a.dtype.name
    ((16,), 'uint32')
    """

    def __init__(self, num_perm: int, seed: int) -> None:
        # datasketch's draws for affine32: odd multipliers, then offsets, from one RandomState(seed). Drawn
        # here rather than through datasketch, whose import pulls in scipy (a second of start-up); a test
        # holds them equal to the library's.
        gen = np.random.RandomState(seed)
        self.num_perm = num_perm
        self.seed = seed
        self.a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self.b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signatures(shingle_sets: Sequence[np.ndarray], perms: Permutations) -> np.ndarray:
    """MinHash signatures of many shingle sets: a ``(len(shingle_sets), num_perm)`` uint32 array.

    An empty set gets the all-``EMPTY_VALUE`` signature, as an empty datasketch MinHash has.

    >>> p = Permutations(16, 1)
    >>> s = signatures([np.array([1, 2, 3], dtype=np.uint64)], p)
    >>> from datasketch import MinHash
    >>> m = MinHash(num_perm=16, seed=1, hashfunc=int); m.update_batch([1, 2, 3])
    >>> bool((s[0] == m.hashvalues).all())
    True
    """
    if kernels.core is not None:
        lengths = np.fromiter(map(len, shingle_sets), dtype=np.int64, count=len(shingle_sets))
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        # As the numpy form: the values taken as 32-bit (the low 32 bits of wider ones).
        filled = [s for s in shingle_sets if len(s)]
        values = np.concatenate(filled).astype(np.uint32) if filled else np.empty(0, dtype=np.uint32)
        return kernels.call(kernels.core.minhash_signatures, values, offsets, perms.a, perms.b)
    return reference_signatures(shingle_sets, perms)


def reference_signatures(shingle_sets: Sequence[np.ndarray], perms: Permutations) -> np.ndarray:
    """``signatures`` in numpy, permutations by shingles in cache-sized blocks: the kernel's reference.

    >>> reference_signatures([np.array([], dtype=np.uint64)], Permutations(4, 1)).tolist()
    [[4294967295, 4294967295, 4294967295, 4294967295]]
    """
    out = np.full((len(shingle_sets), perms.num_perm), EMPTY_VALUE, dtype=np.uint32)
    rows_per_batch = max(1, _BATCH_CELLS // perms.num_perm)
    start = 0
    while start < len(shingle_sets):
        # Gather documents until the batch holds about rows_per_batch shingles.
        stop, rows = start, 0
        while stop < len(shingle_sets) and (rows == 0 or rows + len(shingle_sets[stop]) <= rows_per_batch):
            rows += len(shingle_sets[stop])
            stop += 1
        _fill(out, shingle_sets, start, stop, perms)
        start = stop
    return out


def _fill(out: np.ndarray, sets: Sequence[np.ndarray], start: int, stop: int, perms: Permutations) -> None:
    chunk = [np.asarray(s) for s in sets[start:stop]]
    lengths = np.array([len(s) for s in chunk], dtype=np.int64)
    nonempty = np.flatnonzero(lengths)
    if len(nonempty) == 0:
        return
    hv = _fmix32(np.concatenate([chunk[i] for i in nonempty]).astype(np.uint32))
    # Permutations along rows, shingles along columns: reduceat along the contiguous axis is the fast one.
    permuted = np.multiply.outer(perms.a, hv)
    permuted += perms.b[:, None]
    offsets = np.concatenate(([0], np.cumsum(lengths[nonempty])[:-1]))
    out[start + nonempty] = np.minimum.reduceat(permuted, offsets, axis=1).T
