"""Locality-sensitive hashing over MinHash signatures: which documents are worth verifying together.

The bands and rows are the ones ``datasketch.MinHashLSH`` chooses for the threshold and number of
permutations (taken from datasketch itself), and two documents are candidates exactly when datasketch's
index would return one for the other: they agree on every row of at least one band. Instead of one
dictionary insert per document and band, the bands of all documents are hashed and sorted with numpy (the
band keys by the compiled kernel where it is built: ``dedup.kernels``; ``reference_band_keys`` is its twin).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from dedup import kernels
from dedup.engine.local import LocalEngine
from dedup.index.storage import MemoryStorage, SignatureStorage
from dedup.sketch.shingle import sorted_distinct

if TYPE_CHECKING:
    from dedup.engine.base import Engine
    from dedup.index.filters import PairFilter

__all__ = [
    "LSHIndex", "LSHParams", "band_keys", "bucket_pairs", "bucket_stars", "lsh_params", "reference_band_keys",
    "shared_key_pairs",
]


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

    datasketch takes the (bands, rows) that minimise the mean of two areas under the LSH S-curve
    ``1 - (1 - s**r)**b``: the false-positive area below the threshold and the false-negative area above it.
    The integrands are polynomials of degree at most ``num_perm``, so Gauss-Legendre quadrature with
    ``num_perm // 2 + 1`` nodes integrates them exactly; datasketch's own choice (scipy's adaptive quadrature,
    whose import costs a second of start-up) is held equal to this by a test.

    >>> lsh_params(0.5, 128)
    (25, 5)
    """
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    # Every split of the permutations, in datasketch's order: bands 1, 2, ..., and for each, rows 1, 2, ...
    bands = np.concatenate([np.full(num_perm // b, b) for b in range(1, num_perm + 1)])[:, None]
    rows = np.concatenate([np.arange(1, num_perm // b + 1) for b in range(1, num_perm + 1)])[:, None]

    def candidate_share(low: float, high: float) -> np.ndarray:
        """The integral over [low, high] of the chance to be a candidate, for every split."""
        s = (high - low) / 2 * nodes + (high + low) / 2  # the nodes moved from [-1, 1] to [low, high]
        return (1 - (1 - s**rows) ** bands) @ weights * (high - low) / 2

    false_positive = candidate_share(0.0, threshold)
    false_negative = (1.0 - threshold) - candidate_share(threshold, 1.0)
    best = int(np.argmin(0.5 * false_positive + 0.5 * false_negative))  # the first minimum, as datasketch keeps
    if bands[best, 0] < 2:
        raise ValueError(
            f"LSH threshold {threshold} with {num_perm} permutations leaves fewer than two bands;"
            " use more permutations or a lower threshold"
        )
    return LSHParams((int(bands[best, 0]), int(rows[best, 0])))


class LSHIndex:
    """MinHash signatures under keys (document numbers), banded as datasketch's ``MinHashLSH`` bands them.

    Like ``MinHashLSH``: ``insert`` (here a batch of keys and signatures at once), ``query`` one signature,
    every candidate pair at once, and ``merge`` another index of the same bands. Two keys are candidates
    exactly when they agree on every row of at least one band. The signatures live in a ``SignatureStorage``
    (in-memory numpy arrays by default).

    >>> index = LSHIndex(LSHParams((2, 2)))
    >>> index.insert(np.array([10, 11, 12]), np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], np.uint32))
    >>> index.candidate_pairs().tolist(), index.query(np.array([5, 5, 3, 4], np.uint32)).tolist()
    ([[10, 11]], [10])
    """

    def __init__(self, params: LSHParams, *, num_perm: int | None = None,
                 storage: SignatureStorage | None = None) -> None:
        self.params = params
        self.num_perm = num_perm if num_perm is not None else params.bands * params.rows
        if params.bands * params.rows > self.num_perm:
            raise ValueError(f"{params.bands} bands of {params.rows} rows need {params.bands * params.rows}"
                             f" permutations; the signatures have {self.num_perm}")
        self.storage = storage if storage is not None else MemoryStorage(self.num_perm)

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int, *, storage: SignatureStorage | None = None) -> LSHIndex:
        """The index datasketch's ``MinHashLSH(threshold, num_perm)`` would build (see ``lsh_params``)."""
        return cls(lsh_params(threshold, num_perm), num_perm=num_perm, storage=storage)

    def __len__(self) -> int:
        return len(self.storage)

    def insert(self, keys: np.ndarray, sigs: np.ndarray) -> None:
        """Add ``sigs`` (one row per key) under ``keys``."""
        keys = np.asarray(keys, dtype=np.int64)
        if sigs.ndim != 2 or sigs.shape != (len(keys), self.num_perm):
            raise ValueError(f"expected {len(keys)} signatures of {self.num_perm} values, got shape {sigs.shape}")
        self.storage.add(keys, sigs)

    def merge(self, other: LSHIndex) -> None:
        """Add every signature of ``other`` (an index of the same bands, with none of this one's keys)."""
        if other.params != self.params or other.num_perm != self.num_perm:
            raise ValueError(f"cannot merge an index of {other.params} bands and rows into one of {self.params}")
        if len(np.intersect1d(self.storage.keys(), other.storage.keys())):
            raise ValueError("cannot merge indexes that share keys")
        self.insert(other.storage.keys(), other.storage.signatures())

    def query(self, sig: np.ndarray) -> np.ndarray:
        """The keys whose signatures agree with ``sig`` on every row of at least one band, sorted."""
        sigs, rows = self.storage.signatures(), self.params.rows
        hit = np.zeros(len(sigs), dtype=bool)
        for band in range(self.params.bands):
            cols = slice(band * rows, (band + 1) * rows)
            hit |= (sigs[:, cols] == sig[cols]).all(axis=1)
        return np.sort(self.storage.keys()[hit])

    def candidate_pairs(self, *, engine: Engine | None = None, keep: PairFilter | None = None,
                        max_bucket: int = 0, touching: int | None = None) -> np.ndarray:
        """Every pair of keys ``(k, l)``, ``k < l``, that share a band; sorted and distinct.

        ``max_bucket`` > 0 skips buckets holding more documents than that; 0 keeps every bucket. With an
        ``engine`` of several workers the bands are shared out between them. ``keep`` (see
        ``dedup.index.filters``) runs where the pairs are found, on each worker's pairs, so only the kept
        pairs travel back. ``touching``: only the pairs with a key at least that (``l >= touching``), the
        others left out before ``keep`` is asked (a scan against an archive wants only the pairs of a new
        document; buckets are still formed, and sized, with every key).
        """
        keys, sigs = self.storage.keys(), self.storage.signatures()
        n = len(sigs)
        if n < 2:
            return np.empty((0, 2), dtype=np.int64)
        engine = engine if engine is not None else LocalEngine(workers=1)
        workers = engine.workers
        bands = self.params.bands
        # Two groups of bands per worker, so one slow group does not leave a core idle.
        tasks = min(bands, 2 * workers) if workers > 1 else 1
        groups = [list(range(k, bands, tasks)) for k in range(tasks)]
        wanted = None if touching is None else keys >= touching
        state = _BandState(sigs, self.params, max_bucket, keep, wanted)
        codes = sorted_distinct(np.concatenate(list(engine.map_with(_band_codes, state, groups))))
        pairs = keys[np.stack((codes // n, codes % n), axis=1)]
        if len(pairs) and not (np.diff(keys) > 0).all():  # keys not inserted in increasing order
            pairs = np.sort(pairs, axis=1)
            pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        return pairs


@dataclass(frozen=True, eq=False)
class _BandState:
    """What finding the pairs of a group of bands reads: the same for every group, sent once per worker."""

    sigs: np.ndarray
    params: LSHParams
    max_bucket: int
    keep: PairFilter | None
    wanted: np.ndarray | None = None  # rows whose pairs are wanted (a pair is if either row is); None: all


def _band_codes(state: _BandState, bands: list[int]) -> np.ndarray:
    """The pairs of rows sharing one of ``bands``, each as ``i * n + j`` (i < j)."""
    sigs, rows, max_bucket = state.sigs, state.params.rows, state.max_bucket
    n = len(sigs)
    found: list[np.ndarray] = [np.empty(0, dtype=np.int64)]
    for band in bands:
        # Band k reads columns k*rows .. (k+1)*rows-1, as datasketch's hashranges do.
        block = np.ascontiguousarray(sigs[:, band * rows : (band + 1) * rows])
        keys = band_keys(sigs, [band], rows)[0]  # one band at a time: n keys in memory, not n per band
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
        starts = np.concatenate(([0], boundaries))
        ends = np.concatenate((boundaries, [n]))
        sizes = ends - starts
        keep = sizes > 1
        if max_bucket:
            keep &= sizes <= max_bucket
        big = keep & (sizes > STAR_BUCKET)
        first, second = bucket_pairs(order, starts[keep & ~big], sizes[keep & ~big])
        if big.any():
            # Each member of a huge bucket with the bucket's first member only (see STAR_BUCKET).
            star_first, star_second = bucket_stars(order, starts[big], sizes[big])
            first, second = np.concatenate((first, star_first)), np.concatenate((second, star_second))
        if state.wanted is not None:
            asked = state.wanted[first] | state.wanted[second]
            first, second = first[asked], second[asked]
        # Equal keys almost surely mean equal rows; checking makes a key collision never a candidate.
        same = (block[first] == block[second]).all(axis=1)
        low, high = np.minimum(first, second)[same], np.maximum(first, second)[same]
        found.append(low.astype(np.int64) * n + high)
    codes = sorted_distinct(np.concatenate(found))
    if state.keep is not None:
        codes = codes[state.keep(np.stack((codes // n, codes % n), axis=1), sigs)]
    return codes


# A bucket of more documents than this proposes each member with its first member (the lowest index), not
# every pair: m documents sharing a band key would otherwise make m^2/2 candidates (200,000 texts of a few
# words held buckets of tens of thousands, and a worker ran out of memory). Such a bucket is a cluster of
# copies of one text, or texts too alike on this band to tell apart; verification decides each star pair, and
# a cluster of copies stays joined through its first member. No bucket of ordinary news comes near it.
STAR_BUCKET = 1000


def bucket_stars(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each member of each bucket paired with the bucket's first member (laid out as for ``bucket_pairs``).

    >>> f, s = bucket_stars(np.array([7, 8, 9, 5, 6]), np.array([0, 3]), np.array([3, 2]))
    >>> list(zip(f.tolist(), s.tolist()))
    [(7, 8), (7, 9), (5, 6)]
    """
    firsts = np.repeat(order[starts], sizes - 1)
    offsets = np.arange(int((sizes - 1).sum())) - np.repeat(np.cumsum(sizes - 1) - (sizes - 1), sizes - 1)
    seconds = order[np.repeat(starts, sizes - 1) + 1 + offsets]
    return firsts, seconds


def bucket_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of members of every bucket, without a Python loop over buckets.

    Bucket ``b`` holds ``order[starts[b] : starts[b] + sizes[b]]``; the result is two arrays of members,
    one pair per position.

    >>> f, s = bucket_pairs(np.array([7, 8, 9, 5, 6]), np.array([0, 3]), np.array([3, 2]))
    >>> list(zip(f.tolist(), s.tolist()))
    [(7, 8), (7, 9), (8, 9), (5, 6)]
    """
    if len(starts) == 0:
        return np.empty(0, dtype=order.dtype), np.empty(0, dtype=order.dtype)
    # Each member at offset i of a bucket of size m pairs with the m-1-i members after it.
    positions = np.repeat(starts, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    later = np.repeat(starts + sizes, sizes) - positions - 1
    firsts = np.repeat(positions, later)
    run_starts = np.cumsum(later) - later
    seconds = firsts + 1 + (np.arange(later.sum()) - np.repeat(run_starts, later))
    return order[firsts], order[seconds]


def band_keys(sigs: np.ndarray, bands: list[int], rows: int) -> np.ndarray:
    """The key of each band of ``bands`` (``rows`` columns each) of every signature: ``(len(bands), n)`` uint64.

    Signatures that agree on a band's rows share its key.

    >>> k = band_keys(np.array([[1, 2, 3, 4], [1, 2, 9, 9]], np.uint32), [0, 1], 2)
    >>> bool(k[0, 0] == k[0, 1]), bool(k[1, 0] == k[1, 1])
    (True, False)
    """
    if kernels.core is not None and sigs.dtype == np.uint32:  # signatures are uint32; anything else, the reference
        sigs = np.ascontiguousarray(sigs)
        return kernels.call(kernels.core.band_keys, sigs, np.asarray(bands, dtype=np.int64), rows)
    return reference_band_keys(sigs, bands, rows)


def reference_band_keys(sigs: np.ndarray, bands: list[int], rows: int) -> np.ndarray:
    """``band_keys`` in numpy: the compiled kernel's reference."""
    out = np.empty((len(bands), len(sigs)), dtype=np.uint64)
    for j, band in enumerate(bands):
        out[j] = _row_keys(np.ascontiguousarray(sigs[:, band * rows : (band + 1) * rows]))
    return out


def _row_keys(block: np.ndarray) -> np.ndarray:
    keys = np.zeros(len(block), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(block.shape[1]):
            keys = (keys ^ block[:, k].astype(np.uint64)) * np.uint64(0x100000001B3) + np.uint64(k + 1)
    return keys


def shared_key_pairs(
    keys: list[np.ndarray], *, min_share: float = 0.3, max_postings: int = 50, min_shared: int = 1,
    skip: np.ndarray | None = None, touching: int | None = None,
) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents whose key sets (e.g. sentence hashes) overlap enough.

    A pair qualifies when it shares at least ``min_shared`` keys and at least ``min_share`` of the smaller
    key set.
    Keys held by more than ``max_postings`` documents are furniture, not evidence of copying, and are
    passed over (so one common line cannot make a quadratic number of candidates), and so are the keys of
    ``skip`` (a scan against an archive: keys the archive holds in more than ``max_postings`` documents).
    ``touching``: only the pairs with ``j >= touching`` (a scan against an archive: those of a new document;
    a key's postings are still counted over every document).

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
    if skip is not None and len(skip):
        group &= ~np.isin(flat[starts], skip.astype(np.uint64))
    first, second = bucket_pairs(owner, starts[group], (ends - starts)[group])
    if touching is not None:  # owners ascend within a key's run: ``second`` is the later document
        asked = second >= touching
        first, second = first[asked], second[asked]
    found = [first * len(keys) + second]
    if len(found[0]) == 0:
        return np.empty((0, 2), dtype=np.int64)
    codes, shared = np.unique(np.concatenate(found), return_counts=True)
    i, j = codes // len(keys), codes % len(keys)
    ok = shared >= np.maximum(min_shared, min_share * np.minimum(sizes[i], sizes[j]))
    return np.stack((i[ok], j[ok]), axis=1)
