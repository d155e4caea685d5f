"""Posting blocks: bit-packing round trips, and look-ups and updates agree with a plain list of entries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dedup.index.postings import KINDS, Postings, _packed, _unpacked, block_bits, lookup, update
from dedup.index.store import SQLiteStore


@pytest.mark.parametrize("width", [1, 3, 8, 13, 31, 32, 33, 50, 63, 64])
@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_bit_packing_round_trips(width: int, n: int) -> None:
    rng = np.random.default_rng(width * 1000 + n)
    top = np.uint64(2**64 - 1) if width == 64 else np.uint64((1 << width) - 1)
    values = rng.integers(0, 2**63, n, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, n, dtype=np.uint64)
    values &= top
    assert (_unpacked(_packed(values, width), n, width) == values).all()


def entries_of(found: Postings) -> list[tuple[int, int]]:
    return sorted(zip(found.keys.tolist(), found.docs.tolist(), strict=True))


@pytest.mark.parametrize("name", ["char_band", "line"])
def test_lookups_and_updates_agree_with_a_plain_list(tmp_path: Path, name: str) -> None:
    kind = KINDS[name]
    rng = np.random.default_rng(3)
    store = SQLiteStore(str(tmp_path / "x.db"), create=True)
    plain: set[tuple[int, int]] = set()
    bits = 0
    for step in range(4):
        high = 2**32 if kind.dtype == np.uint32 else 2**63
        keys = rng.integers(0, high, 3000, dtype=np.uint64).astype(kind.dtype)
        keys[:500] = keys[500:1000]  # shared keys: buckets of several documents
        docs = rng.integers(step * 1000, step * 1000 + 1000, 3000).astype(np.uint32)
        fresh = sorted(set(zip(keys.tolist(), docs.tolist(), strict=True)) - plain)  # each entry once
        add = Postings.of(np.array([k for k, _ in fresh], dtype=kind.dtype), np.array([d for _, d in fresh], np.uint32))
        gone = sorted(plain)[:: 7]
        remove = Postings(np.array([k for k, _ in gone], dtype=kind.dtype), np.array([d for _, d in gone], np.uint32))
        new_bits = block_bits(len(plain) + len(add.keys) - len(gone))
        with store.writing() as writer:
            update(store, writer, kind, add, remove, bits, new_bits)
        bits = new_bits
        plain = (plain - set(gone)) | set(zip(add.keys.tolist(), add.docs.tolist(), strict=True))
        asked = np.concatenate((keys[:200], rng.integers(0, high, 50, dtype=np.uint64).astype(kind.dtype)))
        want = sorted((k, d) for k, d in plain if k in set(asked.tolist()))
        assert entries_of(lookup(store, kind, asked, bits)) == want
    assert bits > 0  # the blocks were cut finer as the entries grew
    store.close()


@pytest.mark.parametrize("spread", ["even", "clumped", "one"])
def test_blocks_round_trip_whichever_coding_they_take(spread: str) -> None:
    from dedup.index.postings import _pack, _unpack

    rng = np.random.default_rng(5)
    if spread == "even":
        keys = np.sort(rng.integers(0, 2**32, 5000, dtype=np.uint64))  # Rice-coded differences
    elif spread == "clumped":
        keys = np.sort(np.concatenate((np.zeros(3000, np.uint64), np.full(5, 2**40, np.uint64))))  # bit-packed
    else:
        keys = np.array([12345], dtype=np.uint64)
    docs = rng.integers(0, 50_000, len(keys)).astype(np.uint32)
    block = Postings.of(keys, docs)
    back = _unpack(KINDS["line"], _pack(block))
    assert (back.keys == block.keys).all() and (back.docs == block.docs).all()
