"""Tests of dedup.sketch.minhash: bulk signatures equal datasketch's, batch by batch, and estimate Jaccard honestly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.sketch import minhash
from dedup.sketch.minhash import EMPTY_VALUE, Permutations, reference_signatures, signatures

U32 = st.integers(0, 2**32 - 1)
SHINGLE_SETS = st.lists(st.sets(U32, max_size=40), max_size=12)


def as_set(values: set[int] | list[int]) -> np.ndarray:
    """A shingle set as the pipeline hands it over: sorted distinct uint64."""
    return np.unique(np.array(sorted(values), dtype=np.uint64))


def datasketch_signature(values: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """The slow reference: one datasketch MinHash fed the same integers."""
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
    if len(values):
        m.update_batch([int(v) for v in values])
    return np.asarray(m.hashvalues)


def assert_matches_datasketch(sets: list[np.ndarray], num_perm: int, seed: int) -> None:
    # signatures() is the compiled kernel where it is built; the numpy reference must match datasketch too.
    for compute in (signatures, reference_signatures):
        sigs = compute(sets, Permutations(num_perm, seed))
        assert sigs.shape == (len(sets), num_perm) and sigs.dtype == np.uint32
        for row, values in zip(sigs, sets, strict=True):
            np.testing.assert_array_equal(row, datasketch_signature(values, num_perm, seed))


@pytest.mark.parametrize(("num_perm", "seed"), [(16, 1), (128, 1), (128, 42), (256, 7), (97, 2**31 - 1)])
def test_permutations_are_datasketchs(num_perm: int, seed: int) -> None:
    perms = Permutations(num_perm, seed)
    a, b = MinHash(num_perm=num_perm, seed=seed, hashfunc=int).permutations
    np.testing.assert_array_equal(perms.a, a)
    np.testing.assert_array_equal(perms.b, b)
    assert (perms.a % 2 == 1).all()  # odd multipliers: each permutation is a bijection of 32-bit values


@pytest.mark.parametrize(("num_perm", "seed"), [(16, 1), (128, 1), (128, 42), (256, 7), (97, 2**31 - 1)])
def test_signatures_equal_datasketch(num_perm: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    sets = [
        as_set([]),
        as_set([0]),
        as_set([2**32 - 1]),
        as_set(list(range(50))),  # structured input: consecutive integers
        as_set(rng.integers(0, 2**32, size=1000).tolist()),
        as_set([]),
    ]
    assert_matches_datasketch(sets, num_perm, seed)


def test_empty_set_has_the_empty_signature() -> None:
    sigs = signatures([as_set([]), as_set([1])], Permutations(32, 1))
    assert (sigs[0] == EMPTY_VALUE).all()
    assert (sigs[1] != EMPTY_VALUE).any()
    assert signatures([], Permutations(32, 1)).shape == (0, 32)


@pytest.mark.parametrize("rows_per_batch", [1, 2, 5, 13])
def test_signatures_across_batch_boundaries(monkeypatch: pytest.MonkeyPatch, rows_per_batch: int) -> None:
    num_perm, seed = 64, 3
    monkeypatch.setattr(minhash, "_BATCH_CELLS", rows_per_batch * num_perm)
    rng = np.random.default_rng(rows_per_batch)
    # Empty sets at the start, middle and end; sets larger than a batch; sets that exactly fill one.
    sizes = [0, 3, 0, 7, 2, 2, 0, 0, 11, 1, 5, 5, 13, 0]
    sets = [as_set(rng.choice(2**32, size=n, replace=False).tolist()) for n in sizes]
    assert_matches_datasketch(sets, num_perm, seed)


@given(SHINGLE_SETS, st.integers(1, 20), st.sampled_from([16, 64]), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_signatures_equal_datasketch_property(
    raw_sets: list[set[int]], rows_per_batch: int, num_perm: int, seed: int
) -> None:
    sets = [as_set(s) for s in raw_sets]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(minhash, "_BATCH_CELLS", rows_per_batch * num_perm)
        assert_matches_datasketch(sets, num_perm, seed)


def test_batching_does_not_change_signatures(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    sets = [as_set(rng.integers(0, 2**32, size=int(n)).tolist()) for n in rng.integers(0, 30, size=40)]
    perms = Permutations(128, 1)
    whole = reference_signatures(sets, perms)
    monkeypatch.setattr(minhash, "_BATCH_CELLS", 3 * 128)
    np.testing.assert_array_equal(reference_signatures(sets, perms), whole)


# --- the Jaccard estimate -------------------------------------------------------------------------------

NUM_PERM = 256
# One-sided tail of 4.5 standard deviations of a normal variable: a false alarm about once in 300,000 pairs.
TAIL = 3.4e-6


def binomial_interval(n: int, p: float, tail: float) -> tuple[int, int]:
    """The smallest and largest counts of ``Binomial(n, p)`` not in a tail of probability ``tail``.

    The exact binomial, not its normal approximation, because for small ``p * n`` the distribution is skewed
    and ``p +- 4.5 sigma`` is too narrow on the high side.
    """
    pmf = [math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]
    low, cumulative = 0, 0.0
    while cumulative + pmf[low] <= tail:
        cumulative += pmf[low]
        low += 1
    high, cumulative = n, 0.0
    while cumulative + pmf[high] <= tail:
        cumulative += pmf[high]
        high -= 1
    return low, high


@pytest.mark.parametrize(("p", "sigmas"), [(0.5, 4.5), (0.2, 4.5), (0.8, 4.5)])
def test_binomial_interval_is_about_the_normal_one(p: float, sigmas: float) -> None:
    # The helper must agree with mean +- 4.5 sigma where the normal approximation is good.
    low, high = binomial_interval(NUM_PERM, p, TAIL)
    sigma = math.sqrt(NUM_PERM * p * (1 - p))
    assert abs(low - (NUM_PERM * p - sigmas * sigma)) <= 3
    assert abs(high - (NUM_PERM * p + sigmas * sigma)) <= 3


@given(
    universe=st.sets(U32, min_size=1, max_size=200),
    keep_a=st.floats(0.05, 1.0),
    keep_b=st.floats(0.05, 1.0),
    pick=st.integers(0, 2**32 - 1),
)
# A statistical property: derandomised, so every run checks the same examples and cannot flake.
@settings(max_examples=100, deadline=None, derandomize=True)
def test_jaccard_estimate_is_close_to_exact(universe: set[int], keep_a: float, keep_b: float, pick: int) -> None:
    values = np.array(sorted(universe), dtype=np.uint64)
    rng = np.random.default_rng(pick)
    a, b = values[rng.random(len(values)) < keep_a], values[rng.random(len(values)) < keep_b]
    if len(a) == 0 or len(b) == 0:
        a, b = values[:1], values
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    sigs = signatures([a, b], Permutations(NUM_PERM, 1))
    agree = int((sigs[0] == sigs[1]).sum())
    low, high = binomial_interval(NUM_PERM, exact, TAIL)
    assert low <= agree <= high, f"estimate {agree / NUM_PERM:.3f} vs exact {exact:.3f}"


@pytest.mark.parametrize(("a", "b", "expected"), [([1, 2, 3], [1, 2, 3], 1.0), ([1, 2, 3], [4, 5, 6], 0.0)])
def test_jaccard_estimate_is_exact_at_the_extremes(a: list[int], b: list[int], expected: float) -> None:
    # Each permutation is a bijection, so disjoint sets can never share a minimum.
    sigs = signatures([as_set(a), as_set(b)], Permutations(NUM_PERM, 1))
    assert (sigs[0] == sigs[1]).mean() == expected
