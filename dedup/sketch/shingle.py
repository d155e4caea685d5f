"""Shingling: turn the words of a document into a set of 32-bit shingle hashes.

Words are hashed from their UTF-8 bytes (a stable 64-bit hash that numpy computes for many words at once),
and n-grams are combined from those hashes with numpy, so no Python loop runs per shingle. The same words and
settings always give the same hashes, on every machine and run (no dependence on PYTHONHASHSEED).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.text.sentences import sentence_starts

__all__ = [
    "WordHasher",
    "char_shingles",
    "hash_spans",
    "in_sample",
    "ngram_sums",
    "ngram_hashes",
    "sampled_char_shingles",
    "sentence_keys",
    "shingle_set",
    "sorted_distinct",
    "split_sentences",
    "word_shingles",
]

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
def _mix64(h: np.ndarray) -> np.ndarray:
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
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    with np.errstate(over="ignore"):
        return _mix64(span_sums(data, starts, ends) + (ends - starts).astype(np.uint64) * _LENGTH_WEIGHT)


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


def ngram_sums(values: np.ndarray, n: int) -> np.ndarray:
    """The n-gram sums before mixing: ``window_sums`` of every run of ``n`` values.

    A sequence shorter than ``n`` gives one sum of all its values. ``ngram_hashes`` mixes these into the
    shingle hashes; the character sample is chosen on them (``in_sample``) before the costlier mixing.

    >>> ngram_sums(np.array([1, 2, 3], dtype=np.uint64), 5).shape
    (1,)
    """
    if len(values) == 0:
        return np.empty(0, dtype=np.uint64)
    return window_sums(values, min(n, len(values)))


def ngram_hashes(word_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash every run of ``n`` consecutive word hashes to one 32-bit value (as uint64), in order.

    A text shorter than ``n`` words gives one shingle of all its words, so short texts still compare.

    >>> ngram_hashes(np.array([1, 2, 3], dtype=np.uint64), 2).shape
    (2,)
    """
    return _mix64(ngram_sums(word_hashes, n)) & np.uint64(0xFFFFFFFF)


# The character sample is a fixed class of n-gram sums: those whose product with an odd constant falls in the
# lowest 1/sample of the 64-bit range (the top bits of the product depend on every bit of the sum).
_SAMPLE_MULTIPLIER = np.uint64(0xD6E8FEB86659FD93)


def in_sample(sums: np.ndarray, sample: int) -> np.ndarray:
    """Which n-gram sums belong to the fixed sample of one in ``sample`` (a boolean mask).

    >>> int(in_sample(np.arange(10_000, dtype=np.uint64), 4).sum()) in range(2200, 2800)
    True
    """
    with np.errstate(over="ignore"):
        return sums * _SAMPLE_MULTIPLIER < np.uint64((1 << 64) // sample)


def _char_values(text: str) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) * np.uint64(
            0x9E3779B97F4A7C15
        ) + np.uint64(1)


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: measured many times faster than numpy 2's hash-based unique on uint64.

    >>> sorted_distinct(np.array([3, 1, 3], dtype=np.uint64)).tolist()
    [1, 3]
    """
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def shingle_set(hashes: np.ndarray) -> np.ndarray:
    """The distinct shingle hashes, sorted (the form every set operation downstream expects)."""
    return sorted_distinct(hashes)


def word_shingles(words: Sequence[str], n: int, hasher: WordHasher) -> np.ndarray:
    """The sorted distinct word ``n``-gram hashes of ``words``.

    >>> len(word_shingles(["a", "b", "a", "b"], 2, WordHasher()))
    2
    """
    return shingle_set(ngram_hashes(hasher.hash_words(words), n))


def char_shingles(text: str, n: int) -> np.ndarray:
    """The sorted distinct character ``n``-gram hashes of an already normalised ``text``.

    >>> len(char_shingles("abcabc", 3))
    3
    """
    return shingle_set(ngram_hashes(_char_values(text), n))


def sampled_char_shingles(text: str, n: int, sample: int) -> np.ndarray:
    """The character ``n``-gram hashes of the n-grams in the fixed sample (``in_sample``), sorted and distinct.

    Keeping a fixed class of n-grams is the same sample in every document, so the Jaccard of the sampled sets
    estimates the Jaccard of the full sets while MinHash does ``sample`` times less work.

    >>> full, kept = char_shingles("the quick brown fox", 5), sampled_char_shingles("the quick brown fox", 5, 4)
    >>> set(kept.tolist()) <= set(full.tolist())
    True
    """
    sums = ngram_sums(_char_values(text), n)
    if sample > 1:
        sums = sums[in_sample(sums, sample)]
    return shingle_set(_mix64(sums) & np.uint64(0xFFFFFFFF))


def split_sentences(text: str, words: Sequence[str], starts: Sequence[int]) -> list[list[str]]:
    """Group ``words`` (with their character ``starts`` in ``text``) into the sentences of ``text``.

    >>> split_sentences("One two. Three", ["one", "two", "three"], [0, 4, 9])
    [['one', 'two'], ['three']]
    """
    cuts = sentence_starts(text, starts)
    return [list(words[s:e]) for s, e in zip(cuts, [*cuts[1:], len(words)], strict=False)]


def sentence_keys(words_by_sentence: Sequence[Sequence[str]], hasher: WordHasher, min_words: int = 6) -> np.ndarray:
    """One hash per sentence of at least ``min_words`` words, sorted and distinct.

    Two documents that share whole sentences share these keys, however the rest of them differs: that is
    what finds trimmed and extended copies, whose Jaccard is low.

    >>> len(sentence_keys([["a"] * 6, ["b"] * 2, ["a"] * 6], WordHasher()))
    1
    """
    keys = [int(ngram_hashes(hasher.hash_words(s), len(s))[0]) for s in words_by_sentence if len(s) >= min_words]
    return sorted_distinct(np.array(keys, dtype=np.uint64))
