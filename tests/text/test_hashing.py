"""Tests of dedup.text.hashing: every hash equals plain-Python integer arithmetic, and known words keep their hash.

The word hash is a format: indexes and reports kept between runs depend on its exact value, so a change of it
must fail a test here (``test_known_words_keep_their_hash``), not slip through as "still consistent".
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.hashing import WordHasher, hash_spans, mix64, span_sums, window_sums

MASK = (1 << 64) - 1
BASE = 0x9E3779B97F4A7C15
LENGTH_WEIGHT = 0xC2B2AE3D27D4EB4F
UINT64 = st.integers(0, MASK)
WORDS = st.lists(st.sampled_from(["the", "war", "boots", "on", "ground", "café", "киев", "東京", ""]), max_size=30)


def _reference_mix(value: int) -> int:
    """The splitmix64 finaliser in plain Python integers."""
    value ^= value >> 30
    value = (value * 0xBF58476D1CE4E5B9) & MASK
    value ^= value >> 27
    value = (value * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


def _reference_span_sum(values: list[int]) -> int:
    """The sum of value_k * base**(k+1) modulo 2**64, k counted from the span's start."""
    return sum(v * pow(BASE, k + 1, 1 << 64) for k, v in enumerate(values)) & MASK


def _reference_word_hash(word: str) -> int:
    """The word hash in plain Python integers: bytes weighted by powers of the base, plus the length, mixed."""
    data = word.encode("utf-8", "surrogatepass")
    return _reference_mix((_reference_span_sum(list(data)) + len(data) * LENGTH_WEIGHT) & MASK)


@given(st.lists(st.text(max_size=80), max_size=8))
@settings(deadline=None)
def test_word_hash_equals_plain_integer_arithmetic(words: list[str]) -> None:
    # Indexes kept between runs would depend on the exact word hash: a change here is a format change.
    words = [w.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for w in words]
    assert WordHasher().hash_words(words).tolist() == [_reference_word_hash(w) for w in words]


def test_long_words_hash_like_short_ones() -> None:
    # Powers of the base grow on demand: a word longer than any seen before still gets the reference hash.
    long_word = "ab" * 5000
    assert int(WordHasher().hash_words([long_word])[0]) == _reference_word_hash(long_word)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 18337491193451482014),
        ("café", 937533310885070465),
        ("киев", 10252032883304703421),
        ("a", 12682882558404526999),
        ("boots on the ground", 8211067780218273075),
    ],
)
def test_known_words_keep_their_hash(word: str, expected: int) -> None:
    # Written down once from this implementation; the reference must agree, so both cannot drift together.
    assert int(WordHasher().hash_words([word])[0]) == expected == _reference_word_hash(word)


def test_a_word_hashes_alike_alone_and_among_others() -> None:
    hasher = WordHasher()
    alone = hasher.hash_words(["café"])[0]
    among = hasher.hash_words(["the", "café", "in", "киев", "café"])
    assert among[1] == among[4] == alone
    assert len(set(among.tolist())) == 4


def test_a_lone_surrogate_hashes_as_its_surrogatepass_bytes() -> None:
    # Text read with errors="surrogateescape" may carry lone surrogates; they must hash, not raise.
    word = "caf\udce9"
    assert int(WordHasher().hash_words([word])[0]) == _reference_word_hash(word)


def test_no_words_no_hashes() -> None:
    hashes = WordHasher().hash_words([])
    assert hashes.dtype == np.uint64 and len(hashes) == 0


@given(st.lists(UINT64, max_size=20))
def test_mix64_equals_plain_integer_arithmetic(values: list[int]) -> None:
    array = np.array(values, dtype=np.uint64)
    assert mix64(array).tolist() == [_reference_mix(v) for v in values]
    assert array.tolist() == values  # the caller's array is left alone


@given(st.lists(UINT64, min_size=1, max_size=20), st.data())
@settings(deadline=None)
def test_span_sums_equal_plain_integer_arithmetic(values: list[int], data: st.DataObject) -> None:
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, len(values)), st.integers(0, len(values))).map(sorted), max_size=6)
    )
    starts = np.array([s for s, _e in spans], dtype=np.int64)
    ends = np.array([e for _s, e in spans], dtype=np.int64)
    fast = span_sums(np.array(values, dtype=np.uint64), starts, ends).tolist()
    assert fast == [_reference_span_sum(values[s:e]) for s, e in spans]


def test_equal_sequences_sum_equally_wherever_they_stand() -> None:
    values = np.array([9, 5, 6, 7, 1, 5, 6, 7], dtype=np.uint64)
    sums = span_sums(values, np.array([1, 5, 0]), np.array([4, 8, 3]))
    assert sums[0] == sums[1] == span_sums(np.array([5, 6, 7], dtype=np.uint64), np.array([0]), np.array([3]))[0]
    assert sums[0] != sums[2]


@given(st.lists(UINT64, max_size=20), st.integers(1, 8))
@settings(deadline=None)
def test_window_sums_are_the_span_sums_of_every_window(values: list[int], n: int) -> None:
    fast = window_sums(np.array(values, dtype=np.uint64), n).tolist()
    assert fast == [_reference_span_sum(values[i : i + n]) for i in range(len(values) - n + 1)]


def test_window_sums_of_too_few_values_are_empty() -> None:
    sums = window_sums(np.array([1, 2], dtype=np.uint64), 3)
    assert sums.dtype == np.uint64 and len(sums) == 0


@given(WORDS)
@settings(deadline=None)
def test_hash_spans_of_a_buffer_equal_the_word_hashes(words: list[str]) -> None:
    # Words laid end to end with a separator between them: each span hashes as the word on its own.
    encoded = [w.encode("utf-8") for w in words]
    starts, position = [], 0
    for word in encoded:
        starts.append(position)
        position += len(word) + 1
    data = np.frombuffer(b" ".join(encoded) or b" ", dtype=np.uint8)
    ends = [s + len(w) for s, w in zip(starts, encoded, strict=True)]
    hashes = hash_spans(data, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))
    assert hashes.tolist() == [_reference_word_hash(w) for w in words]
