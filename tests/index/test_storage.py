"""Tests of dedup.index.storage: the in-memory storage keeps keys and signatures in insertion order."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.index.lsh import LSHIndex
from dedup.index.storage import MemoryStorage, SignatureStorage


def test_several_inserts_keep_insertion_order() -> None:
    rng = np.random.default_rng(2)
    storage = MemoryStorage(num_perm=8)
    blocks = [(np.array([9, 2, 5]), rng.integers(0, 2**32, (3, 8), dtype=np.uint32)),
              (np.array([1]), rng.integers(0, 2**32, (1, 8), dtype=np.uint32)),
              (np.array([7, 3]), rng.integers(0, 2**32, (2, 8), dtype=np.uint32))]
    for keys, sigs in blocks:
        storage.add(keys, sigs)
    assert storage.keys().tolist() == [9, 2, 5, 1, 7, 3]
    assert storage.signatures().tolist() == np.concatenate([s for _, s in blocks]).tolist()
    assert len(storage) == 6
    assert storage.keys().dtype == np.int64 and storage.signatures().dtype == np.uint32


def test_reading_between_inserts_sees_each_insert() -> None:
    storage = MemoryStorage(num_perm=2)
    storage.add(np.array([4]), np.array([[1, 2]], dtype=np.uint32))
    assert storage.keys().tolist() == [4]
    storage.add(np.array([6, 8]), np.array([[3, 4], [5, 6]], dtype=np.uint32))
    assert storage.keys().tolist() == [4, 6, 8]
    assert storage.signatures().tolist() == [[1, 2], [3, 4], [5, 6]]
    assert len(storage) == 3


def test_values_are_stored_as_int64_keys_and_uint32_signatures() -> None:
    storage = MemoryStorage(num_perm=2)
    storage.add([1, 2], [[2**32 - 1, 0], [5, 6]])  # type: ignore[arg-type]
    assert storage.keys().dtype == np.int64
    assert storage.signatures().dtype == np.uint32
    assert storage.signatures().tolist() == [[2**32 - 1, 0], [5, 6]]


@pytest.mark.parametrize("num_perm", [16, 128])
def test_empty_storage_has_the_shape_of_no_signature(num_perm: int) -> None:
    storage = MemoryStorage(num_perm=num_perm)
    assert storage.keys().shape == (0,) and storage.keys().dtype == np.int64
    assert storage.signatures().shape == (0, num_perm) and storage.signatures().dtype == np.uint32
    assert len(storage) == 0


def test_an_index_keeps_its_signatures_in_the_storage_given() -> None:
    storage = MemoryStorage(num_perm=16)
    assert isinstance(storage, SignatureStorage)
    index = LSHIndex.for_threshold(0.5, 16, storage=storage)
    sigs = np.arange(32, dtype=np.uint32).reshape(2, 16)
    index.insert(np.array([10, 11]), sigs)
    assert storage.keys().tolist() == [10, 11]
    assert storage.signatures().tolist() == sigs.tolist()
