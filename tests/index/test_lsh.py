"""Tests of dedup.index.lsh against slow references: datasketch's MinHashLSH and a brute-force double loop."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.engine.local import LocalEngine
from dedup.index.lsh import STAR_BUCKET, LSHIndex, LSHParams, lsh_params, shared_key_pairs

PairSet = set[tuple[int, int]]


def candidate_pairs(sigs: np.ndarray, params: LSHParams, *, max_bucket: int = 0, workers: int = 1,
                    keep=None) -> np.ndarray:
    """The candidate pairs of an index holding row ``i`` of ``sigs`` under key ``i``."""
    index = LSHIndex(params, num_perm=sigs.shape[1])
    index.insert(np.arange(len(sigs)), sigs)
    return index.candidate_pairs(engine=LocalEngine(workers), keep=keep, max_bucket=max_bucket)


def as_pairs(found: np.ndarray) -> PairSet:
    assert found.ndim == 2 and found.shape[1] == 2
    pairs = [(int(i), int(j)) for i, j in found.tolist()]
    assert pairs == sorted(set(pairs)), "pairs must be sorted and distinct"
    return set(pairs)


def datasketch_pairs(sigs: np.ndarray, params: tuple[int, int]) -> PairSet:
    """The slow reference: insert every signature into datasketch's index and query every one."""
    lsh = MinHashLSH(num_perm=sigs.shape[1], params=params)
    sketches = [MinHash(hashvalues=row, scheme="affine32") for row in sigs]
    for i, sketch in enumerate(sketches):
        lsh.insert(i, sketch)
    return {(min(i, j), max(i, j)) for i, sketch in enumerate(sketches) for j in lsh.query(sketch) if j != i}


def near_duplicate_signatures(rng: np.random.Generator, n: int, num_perm: int) -> np.ndarray:
    """Families of copies: each row is a base signature with a random share of its values replaced."""
    bases = rng.integers(0, 2**32, size=(max(1, n // 4), num_perm), dtype=np.uint32)
    sigs = bases[rng.integers(0, len(bases), size=n)].copy()
    for row in sigs:
        changed = rng.random(num_perm) < rng.choice([0.0, 0.02, 0.1, 0.3, 0.6])
        row[changed] = rng.integers(0, 2**32, size=int(changed.sum()), dtype=np.uint32)
    return sigs


@pytest.mark.parametrize(
    ("threshold", "num_perm"),
    [(t / 20, n) for t in range(1, 20) for n in (32, 128)] + [(0.3, 64), (0.8, 256), (0.9, 16), (0.77, 100)],
)
def test_lsh_params_are_datasketchs(threshold: float, num_perm: int) -> None:
    try:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    except ValueError:  # datasketch refuses a split of fewer than two bands, and so must we
        with pytest.raises(ValueError, match="fewer than two bands"):
            lsh_params(threshold, num_perm)
        return
    params = lsh_params(threshold, num_perm)
    assert (params.bands, params.rows) == (lsh.b, lsh.r)
    assert params.bands * params.rows <= num_perm


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 128), (0.4, 128), (0.3, 64), (0.8, 256), (0.9, 32)])
@pytest.mark.parametrize("kind", ["near_duplicates", "small_alphabet", "random"])
def test_candidate_pairs_equal_datasketch(threshold: float, num_perm: int, kind: str) -> None:
    rng = np.random.default_rng(num_perm)
    if kind == "near_duplicates":
        sigs = near_duplicate_signatures(rng, 60, num_perm)
    elif kind == "small_alphabet":
        # Mostly zeros: bands collide by chance, so there are many buckets with many members.
        density = rng.uniform(0.0, 0.5, size=(40, 1))
        sigs = (rng.random((40, num_perm)) < density).astype(np.uint32)
    else:
        sigs = rng.integers(0, 2**32, size=(40, num_perm), dtype=np.uint32)
    params = lsh_params(threshold, num_perm)
    expected = datasketch_pairs(sigs, params)
    assert as_pairs(candidate_pairs(sigs, params)) == expected
    if kind != "random":
        assert expected, "the case should exercise real candidates"


@given(
    st.integers(2, 5).flatmap(
        lambda rows: st.tuples(
            st.just(rows),
            st.integers(2, 6),
            st.lists(st.lists(st.integers(0, 2), min_size=6 * rows, max_size=6 * rows), min_size=0, max_size=25),
        )
    )
)
@settings(max_examples=50, deadline=None)
def test_candidate_pairs_equal_datasketch_property(case: tuple[int, int, list[list[int]]]) -> None:
    rows, bands, raw = case
    sigs = np.array(raw, dtype=np.uint32).reshape(len(raw), 6 * rows)
    found = as_pairs(candidate_pairs(sigs, LSHParams((bands, rows))))
    assert found == (datasketch_pairs(sigs, (bands, rows)) if len(raw) else set())


@pytest.mark.parametrize("count", [0, 1])
def test_candidate_pairs_of_fewer_than_two_documents(count: int) -> None:
    assert candidate_pairs(np.zeros((count, 8), dtype=np.uint32), LSHParams((2, 4))).shape == (0, 2)


def banded_reference(sigs: np.ndarray, params: tuple[int, int], max_bucket: int) -> PairSet:
    """Buckets by exact band contents, skipping buckets larger than ``max_bucket``."""
    bands, rows = params
    pairs: PairSet = set()
    for band in range(bands):
        buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for i, row in enumerate(sigs.tolist()):
            buckets[tuple(row[band * rows : (band + 1) * rows])].append(i)
        for members in buckets.values():
            if not max_bucket or len(members) <= max_bucket:
                pairs.update(combinations(members, 2))
    return pairs


@pytest.mark.parametrize(
    "max_bucket",
    [0, 1, 2, 3, 5, 100],
)
def test_candidate_pairs_max_bucket(max_bucket: int) -> None:
    rng = np.random.default_rng(max_bucket)
    sigs = rng.integers(0, 3, size=(30, 8), dtype=np.uint32)
    params = LSHParams((4, 2))
    assert as_pairs(candidate_pairs(sigs, params, max_bucket=max_bucket)) == banded_reference(sigs, params, max_bucket)


# Two different rows of two values with the same internal 64-bit band key (found by lattice reduction of the
# key's multiply-xor recurrence); datasketch keys buckets by the values themselves, so it never confuses them.
COLLIDING_ROWS = ([0, 12345], [2533359615, 2499792502])


def test_colliding_rows_really_collide() -> None:
    from dedup.index.lsh import _row_keys  # the private key function whose collision the next test relies on

    keys = _row_keys(np.array(COLLIDING_ROWS, dtype=np.uint32))
    assert keys[0] == keys[1]


def test_candidate_pairs_survive_a_band_key_collision() -> None:
    a, b = COLLIDING_ROWS
    # Document 0 collides with 1 and 2 in band 0; 1 and 2 are equal there. The second band is all distinct.
    sigs = np.array([a + [1, 1], b + [2, 2], b + [3, 3]], dtype=np.uint32)
    params = (2, 2)
    assert datasketch_pairs(sigs, params) == {(1, 2)}
    assert as_pairs(candidate_pairs(sigs, LSHParams(params))) == {(1, 2)}


# --- shared_key_pairs -----------------------------------------------------------------------------------


def shared_reference(keys: list[set[int]], min_share: float, max_postings: int) -> PairSet:
    """The brute-force double loop over documents."""
    postings: dict[int, int] = defaultdict(int)
    for key_set in keys:
        for k in key_set:
            postings[k] += 1
    pairs: PairSet = set()
    for i, j in combinations(range(len(keys)), 2):
        shared = sum(1 for k in keys[i] & keys[j] if postings[k] <= max_postings)
        if shared >= 1 and shared >= min_share * min(len(keys[i]), len(keys[j])):
            pairs.add((i, j))
    return pairs


@pytest.mark.parametrize(
    ("keys", "min_share", "max_postings", "expected"),
    [
        ([{1, 2, 3}, {2, 3, 9}, {7}], 0.3, 50, {(0, 1)}),
        ([{1, 2, 3}, {2, 3, 9}, {7}], 0.7, 50, set()),  # 2 shared of 3: below 0.7
        ([{1}, {1}, {1}], 0.3, 2, set()),  # a key in three documents is furniture when max_postings is 2
        ([{1}, {1}, {1}], 0.3, 3, {(0, 1), (0, 2), (1, 2)}),
        ([set(), {1}, {1}], 1.0, 50, {(1, 2)}),
        ([set(), set()], 0.3, 50, set()),
        ([{5}], 0.3, 50, set()),
        ([{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {10}], 0.5, 50, {(0, 1)}),  # share of the smaller set
    ],
)
def test_shared_key_pairs_examples(
    keys: list[set[int]], min_share: float, max_postings: int, expected: PairSet
) -> None:
    arrays = [np.array(sorted(k), dtype=np.uint64) for k in keys]
    assert as_pairs(shared_key_pairs(arrays, min_share=min_share, max_postings=max_postings)) == expected
    assert shared_reference(keys, min_share, max_postings) == expected


@given(
    st.lists(st.sets(st.integers(0, 30), max_size=8), max_size=15),
    st.sampled_from([0.1, 0.3, 0.5, 1.0]),
    st.integers(2, 6),
)
@settings(max_examples=100, deadline=None)
def test_shared_key_pairs_equal_brute_force(keys: list[set[int]], min_share: float, max_postings: int) -> None:
    arrays = [np.array(sorted(k), dtype=np.uint64) for k in keys]
    found = as_pairs(shared_key_pairs(arrays, min_share=min_share, max_postings=max_postings))
    assert found == shared_reference(keys, min_share, max_postings)


def test_shared_key_pairs_handle_64_bit_keys() -> None:
    big = 2**64 - 1
    arrays = [np.array([3, big], dtype=np.uint64), np.array([big], dtype=np.uint64), np.array([2**63], dtype=np.uint64)]
    assert as_pairs(shared_key_pairs(arrays)) == {(0, 1)}


@pytest.mark.parametrize("max_bucket", [0, 3])
def test_candidate_pairs_on_workers_equal_one_process(max_bucket: int) -> None:
    sigs = near_duplicate_signatures(np.random.default_rng(5), 300, 64)
    params = lsh_params(0.4, 64)
    one = candidate_pairs(sigs, params, max_bucket=max_bucket)
    assert len(one) > 0
    assert candidate_pairs(sigs, params, max_bucket=max_bucket, workers=2).tolist() == one.tolist()


def even_sum(pairs: np.ndarray, sigs: np.ndarray) -> np.ndarray:
    """A filter that keeps about half of any pairs (module-level: it travels to the workers)."""
    return (pairs.sum(axis=1) % 2) == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_candidate_pairs_keep_filters_in_the_workers(workers: int) -> None:
    sigs = near_duplicate_signatures(np.random.default_rng(9), 300, 64)
    params = lsh_params(0.4, 64)
    every = candidate_pairs(sigs, params)

    kept = candidate_pairs(sigs, params, workers=workers, keep=even_sum)
    assert 0 < len(kept) < len(every)
    assert kept.tolist() == every[even_sum(every, sigs)].tolist()


def test_a_huge_bucket_proposes_each_member_with_its_first():
    n = STAR_BUCKET + 500
    sigs = np.ones((n, 4), dtype=np.uint32)  # every document in one bucket of every band
    pairs = candidate_pairs(sigs, LSHParams((2, 2)))
    assert pairs.tolist() == [[0, j] for j in range(1, n)]  # n - 1 candidates, not n^2 / 2
    small = candidate_pairs(sigs[:4], LSHParams((2, 2)))
    assert small.tolist() == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]


def test_keys_of_the_index_name_the_pairs_and_insert_order_does_not_matter() -> None:
    sigs = near_duplicate_signatures(np.random.default_rng(3), 120, 64)
    params = lsh_params(0.4, 64)
    by_row = candidate_pairs(sigs, params)
    keys = np.random.default_rng(4).permutation(1000)[: len(sigs)]
    index = LSHIndex(params, num_perm=64)
    order = np.random.default_rng(5).permutation(len(sigs))
    for part in np.array_split(order, 3):  # three batches, out of key order
        index.insert(keys[part], sigs[part])
    expected = sorted(tuple(sorted((int(keys[i]), int(keys[j])))) for i, j in by_row.tolist())
    assert index.candidate_pairs().tolist() == [list(p) for p in expected]


def test_query_finds_what_the_pairs_find() -> None:
    sigs = near_duplicate_signatures(np.random.default_rng(6), 80, 64)
    params = lsh_params(0.4, 64)
    index = LSHIndex(params, num_perm=64)
    index.insert(np.arange(len(sigs)), sigs)
    pairs = as_pairs(index.candidate_pairs())
    for i in range(len(sigs)):
        partners = {j for j in index.query(sigs[i]).tolist() if j != i}
        assert partners == {b if a == i else a for a, b in pairs if i in (a, b)}


def test_merge_equals_one_index_of_both() -> None:
    sigs = near_duplicate_signatures(np.random.default_rng(7), 100, 64)
    params = lsh_params(0.4, 64)
    whole, left, right = (LSHIndex(params, num_perm=64) for _ in range(3))
    whole.insert(np.arange(100), sigs)
    left.insert(np.arange(60), sigs[:60])
    right.insert(np.arange(60, 100), sigs[60:])
    left.merge(right)
    assert left.candidate_pairs().tolist() == whole.candidate_pairs().tolist()
    with pytest.raises(ValueError, match="share keys"):
        left.merge(right)
    with pytest.raises(ValueError, match="cannot merge"):
        left.merge(LSHIndex(lsh_params(0.8, 64), num_perm=64))


def test_insert_checks_the_shape() -> None:
    index = LSHIndex(LSHParams((2, 2)), num_perm=4)
    with pytest.raises(ValueError, match="expected 2 signatures of 4 values"):
        index.insert(np.arange(2), np.zeros((2, 5), dtype=np.uint32))


@given(
    st.lists(st.sets(st.integers(0, 30), max_size=8), max_size=15),
    st.sampled_from([0.1, 0.3]),
    st.integers(2, 6),
    st.integers(0, 16),
)
@settings(max_examples=100, deadline=None)
def test_shared_key_pairs_touching_are_the_pairs_of_later_documents(
        keys: list[set[int]], min_share: float, max_postings: int, touching: int) -> None:
    # The pairs with a document from ``touching`` on, exactly; postings still counted over all documents.
    arrays = [np.array(sorted(k), dtype=np.uint64) for k in keys]
    every = shared_key_pairs(arrays, min_share=min_share, max_postings=max_postings)
    found = shared_key_pairs(arrays, min_share=min_share, max_postings=max_postings, touching=touching)
    assert found.tolist() == every[every[:, 1] >= touching].tolist()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("touching", [0, 150, 299, 300])
def test_candidate_pairs_touching_are_the_pairs_of_later_keys(workers: int, touching: int) -> None:
    sigs = near_duplicate_signatures(np.random.default_rng(11), 300, 64)
    params = lsh_params(0.4, 64)
    index = LSHIndex(params, num_perm=64)
    index.insert(np.arange(len(sigs)), sigs)
    every = index.candidate_pairs(keep=even_sum)
    found = index.candidate_pairs(engine=LocalEngine(workers), keep=even_sum, touching=touching)
    expected = every[every[:, 1] >= touching]
    assert found.tolist() == expected.tolist()
    assert len(expected) > 0 or touching == 300
