"""Tests of dedup.verify.screen: the shared values of many pairs of sets, compiled and in numpy, equal one
count per pair, and ``overlap_of_counts`` equals ``overlap`` of the sets themselves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import kernels
from dedup.errors import KernelError
from dedup.verify.relations import overlap
from dedup.verify.screen import overlap_of_counts, pair_shared_counts, pair_shared_counts_reference

needs_core = pytest.mark.skipif(
    kernels.core is None,
    reason="the compiled kernels are not built here (pip install -e . with a Rust toolchain builds them)",
)

# Sets of uint32 values, drawn from a small range (many shared values) or the whole one (few), empty ones included.
SETS = st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=40), min_size=1, max_size=25)


def _distinct(values: list[int], small: bool) -> np.ndarray:
    return np.unique(np.array([v % 53 if small else v for v in values], dtype=np.uint32))


def _parts(sets: list[np.ndarray], per_part: int) -> list[tuple[np.ndarray, np.ndarray]]:
    parts = []
    for start in range(0, len(sets), per_part):
        chunk = sets[start : start + per_part]
        values = np.concatenate([np.zeros(0, np.uint32), *chunk])
        parts.append((values, np.concatenate(([0], np.cumsum([len(s) for s in chunk]))).astype(np.int64)))
    return parts


@given(SETS, st.booleans(), st.integers(1, 30), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
                                                          max_size=60))
@settings(max_examples=150, deadline=None)
def test_counts_equal_one_intersection_per_pair(raw: list[list[int]], small: bool, per_part: int,
                                                picks: list[tuple[int, int]]) -> None:
    sets = [_distinct(s, small) for s in raw]
    left = np.array([a % len(sets) for a, _ in picks], dtype=np.int64)
    right = np.array([b % len(sets) for _, b in picks], dtype=np.int64)
    want = [len(set(sets[a].tolist()) & set(sets[b].tolist())) for a, b in zip(left.tolist(), right.tolist(),
                                                                              strict=True)]
    parts = _parts(sets, per_part)
    assert pair_shared_counts_reference(parts, per_part, left, right).tolist() == want
    assert pair_shared_counts(parts, per_part, left, right).tolist() == want
    with pytest.MonkeyPatch.context() as mp:  # the numpy path, where the kernels are not built
        mp.setattr(kernels, "core", None)
        assert pair_shared_counts(parts, per_part, left, right).tolist() == want
    for a, b, count in zip(left.tolist(), right.tolist(), want, strict=True):
        assert overlap_of_counts(count, len(sets[a]), len(sets[b])) == overlap(sets[a], sets[b])


def test_no_pairs_and_empty_sets() -> None:
    parts = _parts([np.zeros(0, np.uint32), np.array([3, 5], np.uint32)], 2)
    none = np.zeros(0, np.int64)
    assert pair_shared_counts(parts, 2, none, none).tolist() == []
    assert pair_shared_counts(parts, 2, np.array([0, 1]), np.array([1, 1])).tolist() == [0, 2]
    assert overlap_of_counts(0, 0, 2) == (0.0, 0.0)


@needs_core
@pytest.mark.parametrize("pick", [2, -1, 10**9])
def test_a_set_outside_the_parts_is_an_error_not_a_crash(pick: int) -> None:
    parts = _parts([np.array([1], np.uint32), np.array([1, 2], np.uint32)], 2)
    with pytest.raises(KernelError, match="not in the 1 parts of 2"):
        pair_shared_counts(parts, 2, np.array([0]), np.array([pick]))
    with pytest.raises(ValueError, match="not in the 1 parts of 2"):
        pair_shared_counts_reference(parts, 2, np.array([0]), np.array([pick]))


@needs_core
def test_bad_offsets_are_an_error() -> None:
    parts = [(np.array([1, 2], np.uint32), np.array([0, 3], np.int64))]
    with pytest.raises(KernelError, match="offsets end at 3"):
        pair_shared_counts(parts, 1, np.array([0]), np.array([0]))
