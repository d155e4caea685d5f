"""Shingling: turn the words of a document into a set of 32-bit shingle hashes.

Words are hashed from their UTF-8 bytes (a stable 64-bit hash that numpy computes for many words at once),
and n-grams are combined from those hashes with numpy, so no Python loop runs per shingle. The same words and
settings always give the same hashes, on every machine and run (no dependence on PYTHONHASHSEED).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.text.hashing import WordHasher, hash_spans, mix64, window_sums
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
    return mix64(ngram_sums(word_hashes, n)) & np.uint64(0xFFFFFFFF)


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
    return shingle_set(mix64(sums) & np.uint64(0xFFFFFFFF))


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
