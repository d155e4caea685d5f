"""Hashing words: a stable 64-bit hash of each word's UTF-8 bytes, computed for many words at once.

The same words always give the same hashes, on every machine and run (no dependence on PYTHONHASHSEED).
Every stage that keys a word, a line or an n-gram builds on these (``dedup.sketch.shingle`` for n-grams,
``dedup.text.batch`` for a whole batch, ``dedup.text.lines`` for line keys).

``span_sums`` and ``hash_spans`` run as compiled kernels where they are built (``dedup.kernels``), each span
summed directly rather than through prefix sums and tables of powers; ``reference_span_sums`` and
``reference_hash_spans`` are the numpy forms, which tests hold the kernels equal to.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup import kernels

__all__ = [
    "WordHasher", "hash_spans", "mix64", "reference_hash_spans", "reference_span_sums", "span_sums", "window_sums",
]

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
def mix64(h: np.ndarray) -> np.ndarray:
    # splitmix64 finaliser: spreads the combined n-gram value over all 64 bits before we keep 32 of them.
    h = h ^ (h >> np.uint64(30))  # a new array: the caller's is left alone; the rest works in place
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


# Each byte of a word is weighted by a power of an odd constant (its position) and the sum is mixed: a hash
# numpy computes for a whole buffer of words at once, from their bytes, with no Python call per word.
_BYTE_BASE = 0x9E3779B97F4A7C15
_INVERSE_BASE = pow(_BYTE_BASE, -1, 1 << 64)
_LENGTH_WEIGHT = np.uint64(0xC2B2AE3D27D4EB4F)
# Tables of powers are kept up to this many entries (16 MB each); a longer buffer gets its own.
_KEPT_POWERS = 1 << 21


def _power_table(base: int, length: int, kept: list[np.ndarray]) -> np.ndarray:
    """``base ** k`` modulo 2**64 for k below ``length`` (uint64 arithmetic wraps, which is that modulo)."""
    if kept and len(kept[0]) >= length:
        return kept[0][:length]
    size = length
    if length <= _KEPT_POWERS:  # grow ahead, so batches of slowly rising size do not rebuild it every time
        size = min(_KEPT_POWERS, max(length, 2 * len(kept[0]) if kept else length))
    table = np.full(max(size, 1), base, dtype=np.uint64)
    table[0] = 1
    np.cumprod(table, out=table)
    if size <= _KEPT_POWERS:
        kept[:] = [table]
    return table[:length]


_POWERS: list[np.ndarray] = []
_INVERSE_POWERS: list[np.ndarray] = []


def span_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each span ``values[starts[i]:ends[i]]``, the sum of value_k * base**(k+1), k counted from the span's
    start, modulo 2**64: the one way this module combines a sequence (of bytes, characters or word hashes).

    One prefix sum over the whole array gives every span's sum at once: the span's part of the prefix sums,
    shifted back to its own first element by the inverse power (the base is odd, so it has an inverse modulo
    2**64). Equal sequences therefore sum equally wherever they stand, in a batch buffer or on their own.

    >>> v = np.array([5, 6, 7, 5, 6], dtype=np.uint64)
    >>> s = span_sums(v, np.array([0, 3]), np.array([2, 5]))
    >>> bool(s[0] == s[1])
    True
    """
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    ends = np.ascontiguousarray(ends, dtype=np.int64)
    if kernels.core is not None and values.dtype.kind == "u":  # unsigned, as every caller's values are
        if values.dtype == np.uint8:
            return kernels.call(kernels.core.span_sums_u8, np.ascontiguousarray(values), starts, ends)
        return kernels.call(kernels.core.span_sums_u64, np.ascontiguousarray(values, dtype=np.uint64), starts, ends)
    return reference_span_sums(values, starts, ends)


def reference_span_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``span_sums`` in numpy, by one prefix sum: the compiled kernel's reference."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    size = len(values)
    powers = _power_table(_BYTE_BASE, size + 1, _POWERS)
    inverse = _power_table(_INVERSE_BASE, size + 1, _INVERSE_POWERS)
    with np.errstate(over="ignore"):
        prefix = np.zeros(size + 1, dtype=np.uint64)
        np.cumsum(values * powers[1:], out=prefix[1:])
        return (prefix[ends] - prefix[starts]) * inverse[starts]


def window_sums(values: np.ndarray, n: int) -> np.ndarray:
    """``span_sums`` of every run of ``n`` consecutive values (``len(values) - n + 1`` of them, n <= len).

    >>> window_sums(np.array([1, 2, 1, 2], dtype=np.uint64), 2).tolist()[0] == window_sums(
    ...     np.array([1, 2], dtype=np.uint64), 2).tolist()[0]
    True
    """
    width = len(values) - n + 1
    if width <= 0:
        return np.empty(0, dtype=np.uint64)
    starts = np.arange(width, dtype=np.int64)
    return span_sums(values, starts, starts + n)


def hash_spans(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The word hash of each byte span ``data[starts[i]:ends[i]]`` of a uint8 array: the span's ``span_sums``
    plus its length times a weight, mixed.

    >>> data = np.frombuffer(b"the cat the", dtype=np.uint8)
    >>> h = hash_spans(data, np.array([0, 4, 8]), np.array([3, 7, 11]))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """
    if kernels.core is not None and data.dtype == np.uint8:
        starts = np.ascontiguousarray(starts, dtype=np.int64)
        ends = np.ascontiguousarray(ends, dtype=np.int64)
        return kernels.call(kernels.core.hash_spans, np.ascontiguousarray(data), starts, ends)
    return reference_hash_spans(data, starts, ends)


def reference_hash_spans(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``hash_spans`` in numpy: the compiled kernel's reference (built on ``reference_span_sums``)."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    with np.errstate(over="ignore"):
        return mix64(reference_span_sums(data, starts, ends) + (ends - starts).astype(np.uint64) * _LENGTH_WEIGHT)


class WordHasher:
    """Maps words to stable 64-bit hashes of their UTF-8 bytes (``hash_spans``), for many words at once.

    >>> h = WordHasher()
    >>> int(h.hash_words(["boots", "on"])[0]) == int(h.hash_words(["boots"])[0])
    True
    """

    def hash_words(self, words: Sequence[str]) -> np.ndarray:
        if not words:
            return np.empty(0, dtype=np.uint64)
        try:  # ASCII words (nearly always): one encode of them all, and a word's length in bytes is len()
            data = "".join(words).encode("ascii")
            lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        except UnicodeEncodeError:
            encoded = [w.encode("utf-8", "surrogatepass") for w in words]
            data = b"".join(encoded)
            lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        ends = np.cumsum(lengths)
        return hash_spans(np.frombuffer(data, dtype=np.uint8), ends - lengths, ends)
