"""The batch feature path against the obvious per-document functions of dedup.sketch.shingle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import ScanConfig
from dedup.sketch.features import batch_features, content_text, sorted_distinct
from dedup.sketch.shingle import WordHasher, sampled_char_shingles, sentence_keys, split_sentences, word_shingles
from dedup.text.normalize import tokenize

HASHER = WordHasher()
WORDS = ["the", "army", "Backed", "by", "air", "power", "3.5", "don't", "Syria", "caf\u00e9", "x"]
PUNCT = [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", " \u2014 "]


def reference(text: str, config: ScanConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    tokens = tokenize(text)
    words = list(tokens.words)
    return (
        word_shingles(words, config.ngram, HASHER),
        sampled_char_shingles(" ".join(words), config.char_ngram, config.char_sample),
        sentence_keys(split_sentences(text, words, tokens.starts), HASHER, config.sentence_min_words),
        len(words),
    )


texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCT)), max_size=60).map(
    lambda parts: "".join(w + p for w, p in parts)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6), st.sampled_from([1, 3, 5]))
def test_batch_equals_per_document(batch: list[str], ngram: int) -> None:
    config = ScanConfig(ngram=ngram, sentence_min_words=3)
    for text, got in zip(batch, batch_features(batch, config), strict=True):
        words, chars, sentences, length = reference(text, config)
        assert got.length == length
        assert got.words.tolist() == words.tolist()
        assert got.chars.tolist() == chars.tolist()
        assert got.sentences.tolist() == sentences.tolist()


@pytest.mark.parametrize(
    ("text", "may_repeat"),
    [
        ("one two three four five six seven eight. " * 2, True),
        ("one two three four five six seven eight nine ten eleven twelve.", False),
        ("", False),
    ],
)
def test_repeat_flag(text: str, may_repeat: bool) -> None:
    assert batch_features([text], ScanConfig())[0].may_repeat is may_repeat


def test_content_text_drops_spans_only() -> None:
    text = "Advertisement\nStory line.\nShare this"
    assert content_text(text, [(0, 13), (26, 36)]) == "\nStory line.\n"


@given(st.lists(st.integers(0, 50)))
def test_sorted_distinct_is_unique(values: list[int]) -> None:
    assert sorted_distinct(np.array(values, dtype=np.uint64)).tolist() == sorted(set(values))
