"""Tests of dedup.engine.base: ``group_sorted`` against a dict-based grouping, and ``Groups.members``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.engine.base import Groups, group_sorted


def reference_groups(keys: list) -> list[list[int]]:  # noqa: ANN001 - ints or bytes
    """The positions of each distinct key, in increasing key order, each group in increasing position."""
    positions: dict = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    return [positions[key] for key in sorted(positions)]


def as_lists(groups: Groups) -> list[list[int]]:
    return [groups.members(g).tolist() for g in range(len(groups.starts))]


@given(st.lists(st.integers(-5, 5) | st.integers(-(2**63), 2**63 - 1), max_size=60))
@settings(deadline=None)
def test_int_keys_group_as_a_dict_groups_them(keys: list[int]) -> None:
    groups = group_sorted(np.array(keys, dtype=np.int64))
    assert as_lists(groups) == reference_groups(keys)
    assert groups.sizes.tolist() == [len(g) for g in reference_groups(keys)]


@given(st.lists(st.binary(min_size=1, max_size=16).filter(lambda b: not b.endswith(b"\0")), max_size=40))
@settings(deadline=None)
def test_bytes_keys_group_as_a_dict_groups_them(keys: list[bytes]) -> None:
    # As exact_groups passes its 16-byte digests. numpy drops trailing NUL bytes of an "S16" value, so keys
    # here end otherwise.
    groups = group_sorted(np.array(keys, dtype="S16"))
    assert as_lists(groups) == reference_groups(keys)


def test_random_digests_with_repeats() -> None:
    rng = np.random.default_rng(4)
    pool = [rng.bytes(16) for _ in range(50)]
    keys = [pool[k] for k in rng.integers(0, len(pool), 1_000).tolist()]
    groups = group_sorted(np.array(keys, dtype="S16"))
    # A digest may end in a NUL byte, which numpy's "S16" drops: compare as numpy itself stores the keys.
    stored = np.array(keys, dtype="S16").tolist()
    assert as_lists(groups) == reference_groups(stored)
    assert sum(groups.sizes.tolist()) == 1_000


@pytest.mark.parametrize("dtype", [np.int64, np.uint32, "S16"])
def test_empty_keys_make_no_group(dtype: object) -> None:
    groups = group_sorted(np.array([], dtype=dtype))
    assert len(groups.starts) == len(groups.sizes) == len(groups.order) == 0
    assert groups.starts.dtype == groups.sizes.dtype == np.int64


def test_one_key_is_one_group() -> None:
    groups = group_sorted(np.array([7]))
    assert as_lists(groups) == [[0]]


def test_members_are_the_slice_of_order_the_group_spans() -> None:
    groups = Groups(order=np.array([4, 0, 2, 1, 3]), starts=np.array([0, 1, 4]), sizes=np.array([1, 3, 1]))
    assert groups.members(0).tolist() == [4]
    assert groups.members(1).tolist() == [0, 2, 1]
    assert groups.members(2).tolist() == [3]


def test_groups_are_in_key_order_and_stable() -> None:
    groups = group_sorted(np.array([9, 1, 9, 1, 5, 9]))
    assert as_lists(groups) == [[1, 3], [4], [0, 2, 5]]
    assert groups.starts.tolist() == [0, 2, 3] and groups.sizes.tolist() == [2, 1, 3]
