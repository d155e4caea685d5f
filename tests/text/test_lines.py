"""Tests of dedup.text.lines: spans cover the text, blank lines have no key, equal lines key equally in every
text, and the keys are those the batch path (``TextBatch.line_keys``) gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.batch import TextBatch
from dedup.text.hashing import WordHasher
from dedup.text.lines import line_keys
from dedup.text.normalize import normalize

LINES = st.lists(
    st.sampled_from(
        ["Advertisement", "  ", "", "Read more", "Don\u2019t miss it", "Caf\u00e9 news", "\u041a\u0438\u0435\u0432"]
    ),
    max_size=6,
)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a\n\nb", [(0, 1), (2, 2), (3, 4)]),
        ("", [(0, 0)]),
        ("one line", [(0, 8)]),
        ("x\r\ny\n", [(0, 2), (3, 4), (5, 5)]),
    ],
)
def test_line_keys_spans(text: str, spans: list[tuple[int, int]]) -> None:
    assert [(s, e) for s, e, _ in line_keys(text)] == spans


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Advertisement", "ADVERTISEMENT"),
        ("  Advertisement\r", "Advertisement"),
        ("Don\u2019t miss our newsletter", "don't miss our newsletter"),
        ("\uff21dvertisement", "Advertisement"),
    ],
)
def test_line_keys_ignore_case_and_spelling(a: str, b: str) -> None:
    assert line_keys(a)[0][2] == line_keys(b)[0][2] is not None


@pytest.mark.parametrize("line", ["", "   ", "\t \r"])
def test_blank_lines_have_no_key(line: str) -> None:
    assert line_keys(line)[0][2] is None


@given(st.text(max_size=80))
@settings(deadline=None)
def test_line_keys_cover_the_text(text: str) -> None:
    lines = line_keys(text)
    assert "\n".join(text[s:e] for s, e, _ in lines) == text


@given(st.text(max_size=80))
@settings(deadline=None)
def test_a_key_is_the_word_hash_of_the_normalised_line(text: str) -> None:
    for start, end, key in line_keys(text):
        norm = normalize(text[start:end])
        if not norm:
            assert key is None
        else:
            assert key == int(WordHasher().hash_words([norm]).view(np.int64)[0])


@pytest.mark.parametrize("line", ["Read  more", "Read\tmore", "Don`t miss it", "Advertise\x0bment here"])
def test_ascii_line_keys_agree_with_normalize(line: str) -> None:
    assert line_keys(line)[0][2] == line_keys(normalize(line))[0][2]


@given(LINES, LINES, st.sampled_from(["Advertisement", "Caf\u00e9 news", "Read more"]))
@settings(deadline=None)
def test_equal_lines_in_different_texts_get_equal_keys(before: list[str], after: list[str], line: str) -> None:
    here = line_keys(line)[0][2]
    there = line_keys("\n".join([*before, line, *after]))[len(before)][2]
    assert here == there is not None


@given(st.lists(st.builds("\n".join, LINES), max_size=5))
@settings(deadline=None)
def test_keys_equal_the_batch_line_keys(texts: list[str]) -> None:
    # The batch reads ASCII texts at once and the others one by one: both must give this module's keys.
    keys, text_of_key = TextBatch(texts).line_keys()
    want = [(i, key) for i, t in enumerate(texts) for _, _, key in line_keys(t) if key is not None]
    assert list(zip(text_of_key.tolist(), keys.tolist(), strict=True)) == want
