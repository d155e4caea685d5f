"""The numpy reading of ASCII batches against the per-text code it replaces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.batch import (
    MARK,
    AsciiBatch,
    TextBatch,
    TokenArrays,
    ascii_tokens,
    line_keys,
    merge,
    normalized_texts,
    text_tokens,
    token_arrays,
)
from dedup.text.lines import line_keys as text_line_keys
from dedup.text.normalize import normalize

FIELDS = ("hashes", "doc", "is_mark", "codes", "code_doc")
# The characters the tokeniser treats specially, with a few ordinary ones: dense in the cases that matter.
ALPHABET = "aB3_'`.,!?\"')] \n\t\x1c\x00xZ9-("


def reference(texts: list[str]) -> TokenArrays:
    return token_arrays([text_tokens(t) for t in texts], list(range(len(texts))))


def assert_same(got: TokenArrays, want: TokenArrays) -> None:
    for name in FIELDS:
        assert getattr(got, name).tolist() == getattr(want, name).tolist(), name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=5))
def test_ascii_batch_equals_regex(texts: list[str]) -> None:
    assert_same(ascii_tokens(AsciiBatch.of(texts)), reference(texts))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("It's 3.5m, isn't it", ["it's", "3.5", "m", "isn't", "it"]),
        ("3.5's and x'y'z", ["3.5", "s", "and", "x'y'z"]),
        ("1,000.5m.7 and 1,000th", ["1,000.5", "m.7", "and", "1,000", "th"]),
        ("U.S. officials", ["u", "s", "officials"]),
        ("Don`t", ["don't"]),
    ],
)
def test_word_rules(text: str, words: list[str]) -> None:
    tokens = ascii_tokens(AsciiBatch.of([text]))
    joined = bytes(tokens.codes.astype(np.uint8)).decode().rstrip("\x00")
    assert joined.split(" ") == words


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ('He said "no." Then', 2),  # after the closing quote, then the text's end
        ("Well... maybe", 2),  # only the last dot is followed by a space
        ("Costs 3.5. More", 2),
        ("Line\nLine", 2),
        ("End.", 1),  # no space after it: only the text's own end
    ],
)
def test_sentence_marks(text: str, marks: int) -> None:
    assert int(ascii_tokens(AsciiBatch.of([text])).is_mark.sum()) == marks


def test_merge_keeps_each_text_in_order() -> None:
    texts = ["One two. Three", "caf\u00e9 four", "five six"]
    ascii_part = ascii_tokens(AsciiBatch.of([texts[0], texts[2]]))
    ascii_part = TokenArrays(
        ascii_part.hashes, np.where(ascii_part.doc == 1, 2, 0), ascii_part.is_mark, ascii_part.codes,
        np.where(ascii_part.code_doc == 1, 2, 0),
    )
    merged = merge(ascii_part, token_arrays([text_tokens(texts[1])], [1]))
    assert_same(merged, reference(texts))
    assert MARK not in bytes(merged.codes[merged.code_doc != 1].astype(np.uint8)).decode()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET + "\r\x0b\x1f", max_size=40), min_size=1, max_size=5))
def test_normalized_texts_and_line_keys_equal_per_text(texts: list[str]) -> None:
    batch = AsciiBatch.of(texts)
    assert normalized_texts(batch) == [normalize(t).encode() for t in texts]
    keys, text_of_key = line_keys(batch)
    want = [(i, key) for i, t in enumerate(texts) for _, _, key in text_line_keys(t) if key is not None]
    assert list(zip(text_of_key.tolist(), keys.tolist(), strict=True)) == want


# News punctuation that folds to ASCII, and a few characters that do not (so both paths meet in one batch).
UNICODE = ALPHABET + "\u2018\u2019\u201c\u201d\u2014\u2013\u00a0\u00ad\ufb01" + "\u00e9\u00bd"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=UNICODE, max_size=30), min_size=1, max_size=5))
def test_text_batch_equals_per_text(texts: list[str]) -> None:
    batch = TextBatch(texts)
    assert_same(batch.tokens(), reference(texts))
    assert batch.normalized() == [normalize(t).encode() for t in texts]
    keys, text_of_key = batch.line_keys()
    want = [(i, key) for i, t in enumerate(texts) for _, _, key in text_line_keys(t) if key is not None]
    assert list(zip(text_of_key.tolist(), keys.tolist(), strict=True)) == want


def test_curly_quotes_take_the_fast_path() -> None:
    batch = TextBatch(["\u201cIt\u2019s over.\u201d Then \u2014 quiet", "caf\u00e9"])
    assert batch.ascii_at == [0] and batch.others == [1]
    assert text_tokens("\u201cIt\u2019s over.\u201d Then") == ["it's", "over", MARK, "then", MARK]
