"""Tests of dedup.index.filters: the estimates against a direct count, the pairs each filter keeps, and that
filters survive pickling (they travel to the workers)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from dedup.engine.local import LocalEngine
from dedup.index.filters import ESTIMATE_MARGIN, EstimateFilter, SpunEstimateFilter, estimates
from dedup.index.lsh import LSHIndex

NUM_PERM = 32


def family_signatures(rng: np.random.Generator, n: int) -> np.ndarray:
    """Rows sharing a random share of their values with one of a few bases: estimates spread over [0, 1]."""
    bases = rng.integers(0, 50, size=(4, NUM_PERM), dtype=np.uint32)
    sigs = bases[rng.integers(0, 4, size=n)].copy()
    for row in sigs:
        changed = rng.random(NUM_PERM) < rng.choice([0.0, 0.1, 0.3, 0.6, 1.0])
        row[changed] = rng.integers(0, 50, size=int(changed.sum()), dtype=np.uint32)
    return sigs


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    sigs = family_signatures(rng, 40)
    sizes = rng.integers(0, 300, size=40)
    pairs = np.array([(i, j) for i in range(40) for j in range(i + 1, 40)], dtype=np.int64)
    return pairs, sigs, sizes


def direct(i: int, j: int, sigs: np.ndarray, sizes: np.ndarray) -> tuple[float, float]:
    """The estimates for one pair, written out: equal cells over all cells, and the containment the Jaccard
    implies, |A & B| = J (|A| + |B|) / (1 + J), over the smaller set (at least 1)."""
    jaccard = sum(1 for x, y in zip(sigs[i].tolist(), sigs[j].tolist(), strict=True) if x == y) / sigs.shape[1]
    inter = jaccard * (sizes[i] + sizes[j]) / (1 + jaccard)
    return jaccard, inter / max(min(sizes[i], sizes[j]), 1)


def test_estimates_equal_a_direct_computation(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    pairs, sigs, sizes = data
    jaccard, containment = estimates(pairs, sigs, sizes)
    assert len(jaccard) == len(containment) == len(pairs)
    for k, (i, j) in enumerate(pairs.tolist()):
        expected_j, expected_c = direct(i, j, sigs, sizes)
        assert jaccard[k] == pytest.approx(expected_j, abs=1e-12)
        assert containment[k] == pytest.approx(expected_c, rel=1e-12)
    assert np.count_nonzero(jaccard > 0.9) > 0 and np.count_nonzero(jaccard < 0.3) > 0  # the data spread out


def test_estimates_of_no_pair_are_empty() -> None:
    sigs = np.zeros((3, NUM_PERM), dtype=np.uint32)
    jaccard, containment = estimates(np.empty((0, 2), dtype=np.int64), sigs, np.ones(3, dtype=np.int64))
    assert jaccard.shape == containment.shape == (0,)


def test_estimates_in_chunks_equal_one_by_one() -> None:
    # More pairs than the 20,000 counted per chunk.
    rng = np.random.default_rng(5)
    sigs = family_signatures(rng, 300)
    pairs = rng.integers(0, 300, size=(45_000, 2))
    sizes = rng.integers(1, 100, size=300)
    jaccard, _ = estimates(pairs, sigs, sizes)
    assert jaccard.tolist() == (np.count_nonzero(sigs[pairs[:, 0]] == sigs[pairs[:, 1]], axis=1) / NUM_PERM).tolist()


@pytest.mark.parametrize(("near", "partial"), [(0.5, 0.6), (0.9, 0.95), (0.3, 1.0)])
def test_estimate_filter_keeps_pairs_near_either_threshold(data: tuple[np.ndarray, np.ndarray, np.ndarray],
                                                          near: float, partial: float) -> None:
    pairs, sigs, sizes = data
    kept = EstimateFilter(sizes, near, partial)(pairs, sigs)
    expected = []
    for i, j in pairs.tolist():
        jaccard, containment = direct(i, j, sigs, sizes)
        expected.append(jaccard >= near - ESTIMATE_MARGIN or containment >= partial - ESTIMATE_MARGIN)
    assert kept.dtype == bool
    assert kept.tolist() == expected
    assert 0 < kept.sum() < len(pairs)  # the thresholds cut through the data


@pytest.mark.parametrize(("anchors", "containment"), [(0.3, 0.35), (0.6, 0.5), (0.9, 0.9)])
def test_spun_estimate_filter_needs_both_overlaps(data: tuple[np.ndarray, np.ndarray, np.ndarray], anchors: float,
                                                 containment: float) -> None:
    pairs, char_sigs, char_sizes = data
    anchor_sigs = family_signatures(np.random.default_rng(12), len(char_sigs))
    kept = SpunEstimateFilter(char_sigs, char_sizes, anchors, containment)(pairs, anchor_sigs)
    expected = []
    for i, j in pairs.tolist():
        anchor_jaccard = direct(i, j, anchor_sigs, np.ones(len(anchor_sigs), dtype=np.int64))[0]
        char_containment = direct(i, j, char_sigs, char_sizes)[1]
        near_enough = char_containment >= containment - ESTIMATE_MARGIN
        expected.append(anchor_jaccard >= anchors - ESTIMATE_MARGIN and near_enough)
    assert kept.tolist() == expected
    assert 0 < kept.sum() < len(pairs)


def test_filters_pickle_and_keep_the_same_pairs(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    pairs, sigs, sizes = data
    for keep in (EstimateFilter(sizes, 0.5, 0.6), SpunEstimateFilter(sigs, sizes, 0.3, 0.35)):
        again = pickle.loads(pickle.dumps(keep))
        assert type(again) is type(keep)
        assert again(pairs, sigs).tolist() == keep(pairs, sigs).tolist()


@pytest.mark.parametrize("workers", [1, 2])
def test_an_index_keeps_only_the_pairs_its_filter_keeps(data: tuple[np.ndarray, np.ndarray, np.ndarray],
                                                       workers: int) -> None:
    _, sigs, sizes = data
    index = LSHIndex.for_threshold(0.3, NUM_PERM)
    index.insert(np.arange(len(sigs)), sigs)
    every = index.candidate_pairs(engine=LocalEngine(1))
    keep = EstimateFilter(sizes, 0.7, 0.8)
    kept = index.candidate_pairs(engine=LocalEngine(workers), keep=keep)
    assert kept.tolist() == every[keep(every, sigs)].tolist()
    assert 0 < len(kept) < len(every)
