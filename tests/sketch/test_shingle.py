"""Tests of dedup.sketch.shingle: n-gram hashes, shingle sets, sentences, and hashes that never depend on the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.sketch.shingle import (
    WordHasher,
    char_shingles,
    ngram_hashes,
    sampled_char_shingles,
    sentence_keys,
    shingle_set,
    split_sentences,
    word_shingles,
)
from dedup.text.normalize import tokenize

WORDS = st.lists(st.sampled_from(["the", "war", "boots", "on", "ground", "café", "киев"]), max_size=30)
SAMPLE_TEXT = "Boots on the ground. Easier said than done! The café in Киев is open."


def is_sorted_distinct(a: np.ndarray) -> bool:
    return bool(np.all(np.diff(a.astype(np.int64)) > 0))


# Run as a script in a fresh interpreter, so it imports only dedup (fast) and sees that run's hash seed.
FINGERPRINT_SCRIPT = """
import json, sys
from dedup.text.normalize import tokenize
from dedup.sketch.shingle import WordHasher, char_shingles, sentence_keys, split_sentences, word_shingles
text = sys.argv[1]
tokens, hasher = tokenize(text), WordHasher()
print(json.dumps({
    "words": word_shingles(tokens.words, 3, hasher).tolist(),
    "chars": char_shingles(text.lower(), 5).tolist(),
    "sentences": sentence_keys(split_sentences(text, tokens.words, tokens.starts), hasher, 3).tolist(),
}))
"""


def fingerprints(hash_seed: str) -> dict[str, list[int]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    root = Path(__file__).resolve().parents[2]  # so the child imports this checkout's dedup
    done = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_SCRIPT, SAMPLE_TEXT],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_hashes_do_not_depend_on_pythonhashseed() -> None:
    first, second = fingerprints("0"), fingerprints("4242")
    assert first == second
    assert all(first.values())  # the comparison is over real shingles, not empty lists
    # ... and they are the values this process computes too.
    tokens = tokenize(SAMPLE_TEXT)
    assert first["words"] == word_shingles(tokens.words, 3, WordHasher()).tolist()


def _reference_ngram_hash(word_hashes: list[int]) -> int:
    """The n-gram hash in plain Python integers: what the numpy version must compute, overflow included."""
    mask = (1 << 64) - 1
    base = 0x9E3779B97F4A7C15
    acc = sum(h * pow(base, k + 1, 1 << 64) for k, h in enumerate(word_hashes)) & mask
    acc ^= acc >> 30
    acc = (acc * 0xBF58476D1CE4E5B9) & mask
    acc ^= acc >> 27
    acc = (acc * 0x94D049BB133111EB) & mask
    acc ^= acc >> 31
    return acc & 0xFFFFFFFF


@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=12), st.integers(1, 10))
@settings(deadline=None)
def test_ngram_hashes_equal_plain_integer_arithmetic(values: list[int], n: int) -> None:
    fast = ngram_hashes(np.array(values, dtype=np.uint64), n).tolist()
    width = min(n, len(values))
    assert fast == [_reference_ngram_hash(values[i : i + width]) for i in range(len(values) - width + 1)]


@given(WORDS, st.integers(1, 6))
@settings(deadline=None)
def test_word_shingles_are_the_distinct_ngram_hashes_in_order(words: list[str], n: int) -> None:
    # Against the plain-integer n-gram reference: the set of every n-gram's hash (one n-gram if the text is
    # shorter). The word hashes themselves are held to their reference in tests/text/test_hashing.py.
    shingles = word_shingles(words, n, WordHasher())
    hashes = WordHasher().hash_words(words).tolist()
    width = min(n, len(words))
    expected = {_reference_ngram_hash(hashes[i : i + width]) for i in range(len(words) - width + 1)} if words else set()
    assert shingles.dtype == np.uint64
    assert shingles.tolist() == sorted(expected)
    assert is_sorted_distinct(shingles)


@given(WORDS, st.integers(1, 6))
@settings(deadline=None)
def test_ngram_hashes_equal_per_window_hashing(words: list[str], n: int) -> None:
    # The vectorised n-gram equals hashing each window on its own (a slow obvious reference).
    hasher = WordHasher()
    word_hashes = hasher.hash_words(words)
    fast = ngram_hashes(word_hashes, n)
    if not words:
        assert len(fast) == 0
        return
    width = min(n, len(words))
    slow = [int(ngram_hashes(word_hashes[i : i + width], width)[0]) for i in range(len(words) - width + 1)]
    assert fast.tolist() == slow


@pytest.mark.parametrize(
    ("count", "n", "expected"),
    [(0, 3, 0), (1, 3, 1), (2, 3, 1), (3, 3, 1), (4, 3, 2), (10, 1, 10), (10, 10, 1)],
)
def test_ngram_hashes_count(count: int, n: int, expected: int) -> None:
    # A text shorter than n still yields one shingle, so short texts compare.
    assert len(ngram_hashes(np.arange(count, dtype=np.uint64), n)) == expected


@pytest.mark.parametrize(
    ("a", "b", "n", "equal"),
    [
        (["a", "b", "c"], ["a", "b", "c"], 3, True),
        (["a", "b", "c"], ["c", "b", "a"], 3, False),  # order matters inside a shingle
        (["a", "b"], ["b", "a"], 2, False),
        (["a", "b", "c"], ["a", "b", "d"], 3, False),
    ],
)
def test_ngram_identity(a: list[str], b: list[str], n: int, equal: bool) -> None:
    hasher = WordHasher()
    assert (word_shingles(a, n, hasher).tolist() == word_shingles(b, n, hasher).tolist()) is equal


def test_shingle_set_sorts_and_dedups() -> None:
    assert shingle_set(np.array([5, 1, 5, 3], dtype=np.uint64)).tolist() == [1, 3, 5]


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [("abcabc", 3, 3), ("aaaa", 2, 1), ("ab", 5, 1), ("", 3, 0), ("café \U0001f600", 2, 5)],
)
def test_char_shingles_count(text: str, n: int, expected: int) -> None:
    assert len(char_shingles(text, n)) == expected


@given(st.text(max_size=40), st.integers(2, 6), st.integers(1, 8))
@settings(deadline=None)
def test_sampled_char_shingles_are_a_fixed_class_of_ngrams(text: str, n: int, sample: int) -> None:
    kept = sampled_char_shingles(text, n, sample)
    assert set(kept.tolist()) <= set(char_shingles(text, n).tolist())
    # Whether an n-gram is in the sample depends on that n-gram alone: each window sampled on its own gives
    # the same verdict as inside the whole text.
    windows = {text[i : i + n] for i in range(len(text) - n + 1)} or {text}
    alone = set().union(*(sampled_char_shingles(w, n, sample).tolist() for w in windows))
    assert kept.tolist() == sorted(alone)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One two. Three", [["one", "two"], ["three"]]),
        ("One two! Three? Four", [["one", "two"], ["three"], ["four"]]),
        ('He said "go." Then left', [["he", "said", "go"], ["then", "left"]]),
        ("A line\nanother line", [["a", "line"], ["another", "line"]]),
        ("It cost 3.5 million. Next", [["it", "cost", "3.5", "million"], ["next"]]),  # no cut inside a number
        ("No end", [["no", "end"]]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[list[str]]) -> None:
    tokens = tokenize(text)
    assert split_sentences(text, tokens.words, tokens.starts) == sentences


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\"'")), max_size=60))
@settings(deadline=None)
def test_split_sentences_keeps_every_word_in_order(text: str) -> None:
    tokens = tokenize(text)
    sentences = split_sentences(text, tokens.words, tokens.starts)
    assert [w for s in sentences for w in s] == list(tokens.words)
    assert all(sentences)


def test_sentence_keys_skip_short_sentences_and_dedup() -> None:
    hasher = WordHasher()
    long_a, long_b, short = ["a"] * 6, ["b", "c", "d", "e", "f", "g"], ["x"] * 5
    keys = sentence_keys([long_a, short, long_b, long_a], hasher)
    assert len(keys) == 2 and is_sorted_distinct(keys)
    assert sentence_keys([short], hasher).tolist() == []
    # A sentence's key is the same whatever document it stands in.
    assert set(sentence_keys([long_b], hasher).tolist()) <= set(keys.tolist())
    assert len(sentence_keys([short], hasher, min_words=5)) == 1
