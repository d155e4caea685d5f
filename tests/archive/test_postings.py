"""Posting blocks: bit-packing round trips, and look-ups and updates agree with a plain list of entries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dedup.index.postings import KINDS, Postings, _packed, _unpacked, block_bits, lookup, update
from dedup.index.store import SQLiteStore


@pytest.mark.parametrize("width", [1, 3, 8, 13, 15, 16, 17, 31, 32, 33, 50, 63, 64])
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


@pytest.mark.parametrize("cap", [0, 1, 3, 12])
def test_capped_lookups_count_every_key_and_keep_the_rare_ones(tmp_path: Path, cap: int) -> None:
    """``lookup_capped`` against a plain list: per asked key, its entries left after those of ``without``;
    the entries themselves only of keys holding at most ``cap`` of them."""
    from dedup.index.postings import lookup_capped

    kind = KINDS["passage"]
    rng = np.random.default_rng(cap)
    store = SQLiteStore(str(tmp_path / "x.db"), create=True)
    keys = rng.integers(0, 2**32, 4000, dtype=np.uint64).astype(np.uint32)
    keys[:2000] = rng.choice(keys[2000:2050], 2000)  # fifty keys held by about forty documents each
    docs = rng.integers(0, 500, 4000).astype(np.uint32)
    plain = sorted(set(zip(keys.tolist(), docs.tolist(), strict=True)))
    add = Postings.of(np.array([k for k, _ in plain], dtype=np.uint32), np.array([d for _, d in plain], np.uint32))
    bits = block_bits(len(plain) // 4)  # several blocks
    with store.writing() as writer:
        update(store, writer, kind, add, Postings.empty(kind), 0, bits)
    asked = np.unique(np.concatenate((keys[::3], rng.integers(0, 2**32, 100, dtype=np.uint64).astype(np.uint32))))
    without = np.array([3, 7, 250], dtype=np.uint32)
    live = [(k, d) for k, d in plain if d not in set(without.tolist())]
    count = {k: sum(1 for key, _ in live if key == k) for k in asked.tolist()}
    found, counts = lookup_capped(store, kind, asked, bits, cap, without)
    assert counts.tolist() == [count[k] for k in asked.tolist()]
    assert entries_of(found) == sorted((k, d) for k, d in live if k in count and count[k] <= cap)
    assert any(c > cap for c in counts.tolist()) and (cap == 0 or len(found.keys) > 0)  # both sides tried
    store.close()
