"""Posting lists of an archive index, packed in blocks: which stored documents hold a key.

Each kind of key (a band of the character LSH, a band of the anchor LSH, sentence keys, passage keys, line
keys, exact-copy keys) keeps its ``(key, document)`` entries in blocks by the key's top bits (more bits as
the index grows, ``block_bits``), each block two bit-packed arrays sorted by key. A query reads only the
blocks its keys fall in; an add rewrites only the blocks it touches. An index holds about 150 entries per
document: one SQLite row each would cost 10-15 bytes of row overhead beside 4-8 bytes of data, where a
packed entry takes about 4 (Reuters-21578: 3.9 bytes per band entry). The same blocks serve Redis as hash
fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from dedup.index.store import IndexStore, IndexWriter

__all__ = ["KINDS", "Kind", "Postings", "block_bits", "lookup", "lookup_capped", "replace_all", "update"]

@dataclass(frozen=True)
class Kind:
    """A kind of key: its number in the store and its width."""

    code: int
    name: str
    dtype: type  # np.uint32 or np.uint64

    @property
    def bits(self) -> int:
        return np.dtype(self.dtype).itemsize * 8


# Band keys are cut to 32 bits: two documents found under one are checked on the band's rows themselves,
# so a collision never makes a candidate. Line keys count documents (boilerplate) and stay whole.
KINDS = {
    kind.name: kind
    for kind in (
        Kind(1, "char_band", np.uint32),
        Kind(2, "anchor_band", np.uint32),
        Kind(3, "sentence", np.uint32),
        Kind(4, "passage", np.uint32),
        Kind(5, "line", np.uint64),
        Kind(6, "exact", np.uint64),
        # Not postings but one entry per judged head, (its number, how many sentence keys it holds): what the
        # sentence channel's share test needs to know of an archived document without reading it.
        Kind(7, "sentence_count", np.uint64),
        # The lines left out of each head as boilerplate, (line key, document): a document holding no line
        # whose count moves but these cannot change its boilerplate (``dedup.archive``).
        Kind(8, "boilerplate_line", np.uint64),
    )
}


@dataclass(frozen=True)
class Postings:
    """Entries ``(keys[k], docs[k])``, sorted by key then document."""

    keys: np.ndarray
    docs: np.ndarray

    @classmethod
    def empty(cls, kind: Kind) -> Postings:
        return cls(np.empty(0, dtype=kind.dtype), np.empty(0, dtype=np.uint32))

    @classmethod
    def of(cls, keys: np.ndarray, docs: np.ndarray) -> Postings:
        order = np.lexsort((docs, keys))
        return cls(keys[order], docs[order])

    def holders(self, keys: np.ndarray) -> np.ndarray:
        """A mask of the entries whose key is among ``keys``."""
        return np.isin(self.keys, keys)

    def counts(self, keys: np.ndarray) -> np.ndarray:
        """How many entries hold each of ``keys`` (sorted distinct)."""
        return np.searchsorted(self.keys, keys, side="right") - np.searchsorted(self.keys, keys, side="left")


def _prefixes(kind: Kind, keys: np.ndarray, bits: int) -> np.ndarray:
    """The block of each key: its top ``bits`` bits (all in block 0 for no bits: a shift by the whole width
    is undefined, and on x86 leaves the key as it is)."""
    if bits == 0:
        return np.zeros(len(keys), dtype=np.int64)
    return (keys.astype(kind.dtype) >> kind.dtype(kind.bits - bits)).astype(np.int64)


def block_bits(entries: int) -> int:
    """How many top bits of a key name its block, for ``entries`` entries of a kind: about ``BLOCK`` entries
    a block, so that a block is worth a read and packs its keys tightly, and an add rewrites few bytes it did
    not change. Grows with the index (``update`` moves the entries to the new blocks when it changes)."""
    return int(min(MAX_BITS, max(0, np.ceil(np.log2(max(entries, 1) / BLOCK)))))


# Entries a block holds on average, and the most blocks a kind is cut into (2**MAX_BITS).
BLOCK = 8192
MAX_BITS = 20


def _unpack(kind: Kind, data: bytes) -> Postings:
    """A block as written by ``_pack``."""
    n, key_code, doc_width = int.from_bytes(data[:4], "little"), data[4], data[5]
    first = np.uint64(int.from_bytes(data[6:14], "little"))
    if key_code & RICE:
        deltas, end = _unrice(data, 14, n, key_code & ~RICE)
    else:
        end = 14 + (n * key_code + 7) // 8
        deltas = _unpacked(data[14:end], n, key_code)
    docs = _unpacked(data[end:], n, doc_width).astype(np.uint32)
    with np.errstate(over="ignore"):
        return Postings((np.cumsum(deltas, dtype=np.uint64) + first).astype(kind.dtype), docs)


def _pack(postings: Postings) -> bytes:
    """A block's entries, sorted: the keys as differences from the one before, then the documents.

    The keys of a block are spread evenly, so their differences are near-geometric: Rice-coded (the
    quotient in unary, the remainder in a fixed width) they take about 1.5 bits fewer than bit-packed at the
    width of the largest, which is what a block gets where that is smaller. The documents are bit-packed."""
    keys, docs = postings.keys.astype(np.uint64), postings.docs.astype(np.uint64)
    first = keys[0] if len(keys) else np.uint64(0)
    deltas = np.diff(keys, prepend=first)  # the first is 0: the block's first key is written whole
    key_width, doc_width = _width(deltas), _width(docs)
    head = len(keys).to_bytes(4, "little")
    tail = int(first).to_bytes(8, "little")
    k = _rice_parameter(deltas)
    rice_bits = int((deltas >> np.uint64(k)).sum()) + len(keys) * (k + 1) + 32
    if len(keys) and rice_bits < len(keys) * key_width:
        return head + bytes((RICE | k, doc_width)) + tail + _rice(deltas, k) + _packed(docs, doc_width)
    return head + bytes((key_width, doc_width)) + tail + _packed(deltas, key_width) + _packed(docs, doc_width)


# The flag, in a block's key-width byte, of Rice-coded key differences (the width byte holds the parameter).
RICE = 0x80


def _rice_parameter(deltas: np.ndarray) -> int:
    """The Rice parameter for near-geometric values: about log2 of their mean times ln 2."""
    mean = float(deltas.mean()) if len(deltas) else 0.0
    return max(0, min(63, int(np.floor(np.log2(mean * 0.6931471805599453))))) if mean >= 2 else 0


def _rice(values: np.ndarray, k: int) -> bytes:
    """``values`` Rice-coded with parameter ``k``: the unary quotients' length in bits (4 bytes), the
    quotients (q ones and a zero each), then the remainders bit-packed in ``k`` bits."""
    quotients = (values >> np.uint64(k)).astype(np.int64)
    length = int(quotients.sum()) + len(values)
    bits = np.ones(length, dtype=np.uint8)
    bits[np.cumsum(quotients + 1) - 1] = 0
    remainders = values & np.uint64((1 << k) - 1)
    return (length.to_bytes(4, "little") + np.packbits(bits, bitorder="little").tobytes()
            + _packed(remainders, k))


def _unrice(data: bytes, at: int, n: int, k: int) -> tuple[np.ndarray, int]:
    """The ``n`` values ``_rice`` wrote at ``data[at:]``, and where they end."""
    length = int.from_bytes(data[at : at + 4], "little")
    unary_end = at + 4 + (length + 7) // 8
    bits = np.unpackbits(np.frombuffer(data[at + 4 : unary_end], dtype=np.uint8), count=length, bitorder="little")
    ends = np.flatnonzero(bits == 0)
    quotients = np.diff(ends, prepend=-1) - 1
    end = unary_end + (n * k + 7) // 8
    remainders = _unpacked(data[unary_end:end], n, k)
    return (quotients.astype(np.uint64) << np.uint64(k)) | remainders, end


def _width(values: np.ndarray) -> int:
    return int(values.max()).bit_length() if len(values) else 0


def _packed(values: np.ndarray, width: int) -> bytes:
    if width == 0:
        return b""
    bits = ((values[:, None] >> np.arange(width, dtype=np.uint64)) & np.uint64(1)).astype(np.uint8)
    return np.packbits(bits.ravel(), bitorder="little").tobytes()


def _unpacked(data: bytes, n: int, width: int) -> np.ndarray:
    """``n`` values of ``width`` bits as ``_packed`` wrote them: each read from the one or two 64-bit words
    holding it (bit k of the stream is bit k % 64 of little-endian word k // 64)."""
    if width == 0:
        return np.zeros(n, dtype=np.uint64)
    if width in (8, 16, 32, 64) and len(data) >= n * width // 8:
        # Whole bytes: value k is the little-endian integer at bytes k*w/8.. (the document numbers of an
        # index of 256 to 65,536 documents take 16 bits; read so, a block's take a twentieth of the time).
        return np.frombuffer(data, dtype=f"<u{width // 8}", count=n).astype(np.uint64)
    words = np.frombuffer(data + bytes(-len(data) % 8 + 8), dtype="<u8")
    start = np.arange(n, dtype=np.uint64) * np.uint64(width)
    word, offset = (start >> np.uint64(6)).astype(np.int64), start & np.uint64(63)
    low = words[word] >> offset
    # The bits past the first word; a shift by 64 is undefined, so where the offset is 0 there are none.
    spill = np.where(offset > 0, words[word + 1] << ((np.uint64(64) - offset) & np.uint64(63)), np.uint64(0))
    mask = np.uint64(0xFFFFFFFFFFFFFFFF) if width == 64 else np.uint64((1 << width) - 1)
    return (low | spill) & mask


def _block_hits(store: IndexStore, kind: Kind, keys: np.ndarray, bits: int
                ) -> Iterator[tuple[Postings, np.ndarray, np.ndarray]]:
    """Per stored block of ``kind`` that may hold one of ``keys`` (sorted and distinct; blocks named by
    ``bits`` top bits): the block, where each of its keys falls in ``keys``, and which of its entries hit."""
    blocks = store.blocks(kind.code, np.unique(_prefixes(kind, keys, bits)).tolist())
    for _, data in sorted(blocks.items()):
        block = _unpack(kind, data)
        at = np.searchsorted(keys, block.keys)
        yield block, at, keys[np.minimum(at, len(keys) - 1)] == block.keys


def _joined(hits: list[Postings]) -> Postings:
    return Postings(np.concatenate([h.keys for h in hits]), np.concatenate([h.docs for h in hits]))


def lookup(store: IndexStore, kind: Kind, keys: np.ndarray, bits: int) -> Postings:
    """Every stored entry of ``kind`` whose key is among ``keys`` (blocks named by ``bits`` top bits).

    Block by block, keeping only the hits: the blocks of a large query can hold millions of entries."""
    keys = np.unique(keys.astype(kind.dtype))
    if len(keys) == 0:
        return Postings.empty(kind)
    hits = [Postings.empty(kind)]
    for block, _, hit in _block_hits(store, kind, keys, bits):
        hits.append(Postings(block.keys[hit], block.docs[hit]))
    return _joined(hits)


def lookup_capped(store: IndexStore, kind: Kind, keys: np.ndarray, bits: int, cap: int,
                  without: np.ndarray | None = None) -> tuple[Postings, np.ndarray]:
    """``lookup`` for a channel that passes over keys held by more than ``cap`` documents: the entries of
    the keys held at most ``cap`` times, and how many entries each of ``keys`` (sorted and distinct) holds.
    Entries of the documents ``without`` are left out, of both.

    Such keys are most of what a look-up finds (on the speed corpus, 2.7 million of the 2.8 million entries
    under the passage keys of 5,000 new documents), and their documents are never needed: they are counted
    block by block and dropped there, not gathered first.
    """
    keys = np.asarray(keys).astype(kind.dtype)
    counts = np.zeros(len(keys), dtype=np.int64)
    if len(keys) == 0:
        return Postings.empty(kind), counts
    hits = [Postings.empty(kind)]
    for block, at, hit in _block_hits(store, kind, keys, bits):
        if without is not None and len(without):
            hit &= ~np.isin(block.docs, without)
        at, found = at[hit], Postings(block.keys[hit], block.docs[hit])
        if len(at) == 0:
            continue
        # ``at`` is sorted (the block's keys are): its runs are the keys, each in this block only.
        starts = np.flatnonzero(np.concatenate(([True], at[1:] != at[:-1])))
        sizes = np.diff(np.append(starts, len(at)))
        counts[at[starts]] = sizes
        kept = np.repeat(sizes <= cap, sizes)
        hits.append(Postings(found.keys[kept], found.docs[kept]))
    return _joined(hits), counts


def update(store: IndexStore, writer: IndexWriter, kind: Kind, add: Postings, remove: Postings, bits: int,
           new_bits: int) -> None:
    """Add the entries of ``add`` and take out those of ``remove`` (entries ``(key, doc)``), block by block;
    with ``new_bits`` other than ``bits``, every entry of the kind moves to blocks of ``new_bits``."""
    if new_bits != bits:
        old = store.blocks(kind.code, range(1 << bits))
        parts = [_unpack(kind, data) for data in old.values()]
        every = Postings(np.concatenate([p.keys for p in parts] + [np.empty(0, kind.dtype)]),
                         np.concatenate([p.docs for p in parts] + [np.empty(0, np.uint32)]))
        every = _without(every, remove)
        every = Postings(np.concatenate((every.keys, add.keys.astype(kind.dtype))),
                         np.concatenate((every.docs, add.docs.astype(np.uint32))))
        replace_all(writer, kind, every, old, new_bits)
        return
    add_prefix, remove_prefix = _prefixes(kind, add.keys, bits), _prefixes(kind, remove.keys, bits)
    touched = np.unique(np.concatenate((add_prefix, remove_prefix)))
    if len(touched) == 0:
        return
    old = store.blocks(kind.code, touched.tolist())
    add_order, remove_order = np.argsort(add_prefix, kind="stable"), np.argsort(remove_prefix, kind="stable")
    add_cut = np.searchsorted(add_prefix[add_order], touched), np.searchsorted(add_prefix[add_order], touched, "right")
    rm_cut = (np.searchsorted(remove_prefix[remove_order], touched),
              np.searchsorted(remove_prefix[remove_order], touched, "right"))
    new: dict[int, bytes] = {}
    for k, prefix in enumerate(touched.tolist()):
        current = _unpack(kind, old[prefix]) if prefix in old else Postings.empty(kind)
        gone = remove_order[rm_cut[0][k] : rm_cut[1][k]]
        current = _without(current, Postings(remove.keys[gone], remove.docs[gone]))
        came = add_order[add_cut[0][k] : add_cut[1][k]]
        keys = np.concatenate((current.keys, add.keys[came].astype(kind.dtype)))
        docs = np.concatenate((current.docs, add.docs[came].astype(np.uint32)))
        new[prefix] = _pack(Postings.of(keys, docs)) if len(keys) else b""
    writer.put_blocks(kind.code, new)


def _without(entries: Postings, remove: Postings) -> Postings:
    """``entries`` less those of ``remove`` (few: the documents whose keys were restated)."""
    if len(remove.keys) == 0:
        return entries
    drop = set(zip(remove.keys.tolist(), remove.docs.tolist(), strict=True))
    keep = ~np.isin(entries.keys, remove.keys)  # only entries with a key to drop are looked at one by one
    for at in np.flatnonzero(~keep).tolist():
        keep[at] = (int(entries.keys[at]), int(entries.docs[at])) not in drop
    return Postings(entries.keys[keep], entries.docs[keep])


def replace_all(writer: IndexWriter, kind: Kind, entries: Postings, old_blocks: Mapping[int, bytes], bits: int) -> None:
    """Write ``entries`` as the whole of ``kind`` in blocks of ``bits``, deleting the old blocks left empty."""
    prefixes = _prefixes(kind, entries.keys, bits)
    order = np.argsort(prefixes, kind="stable")
    prefixes = prefixes[order]
    starts = np.flatnonzero(np.concatenate(([True], prefixes[1:] != prefixes[:-1]))) if len(prefixes) else prefixes
    ends = np.concatenate((starts[1:], [len(prefixes)])) if len(prefixes) else prefixes
    new: dict[int, bytes] = dict.fromkeys(old_blocks, b"")
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        rows = order[s:e]
        new[int(prefixes[s])] = _pack(Postings.of(entries.keys[rows], entries.docs[rows]))
    writer.put_blocks(kind.code, new)
