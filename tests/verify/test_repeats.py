"""Tests of dedup.verify.repeats on hand-written texts, and a property against a brute-force window count."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.sketch.shingle import WordHasher
from dedup.text.normalize import tokenize
from dedup.verify.repeats import find_repeats

CAPTION = "Photo caption: soldiers walk past a ruined school in the eastern town."
STORY = "The front line has barely moved in months, officials said on Tuesday, adding that talks would resume."
OTHER = "Residents queued for water as the power stayed off for a third day across the region."
FILLER = "Markets in the capital opened late after a night of air raid sirens and drone alerts."
PAYWALL = "Subscribe to read the full article and support independent journalism today."


def repeated_passages(text: str, min_words: int = 8) -> list[tuple[str, int]]:
    return [(text[r.start : r.end], r.count) for r in find_repeats(tokenize(text), WordHasher(), min_words=min_words)]


BARE_CAPTION = CAPTION.rstrip(".")  # a passage's span ends with its last word, not the punctuation after it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"{CAPTION} {CAPTION}", [(BARE_CAPTION, 2)] * 2, id="back-to-back"),
        pytest.param(f"{CAPTION}\n{STORY}\n{OTHER}\n{CAPTION}", [(BARE_CAPTION, 2)] * 2, id="far-apart"),
        pytest.param(f"{CAPTION} {STORY} {CAPTION} {OTHER} {CAPTION}", [(BARE_CAPTION, 3)] * 3, id="three-far-apart"),
        pytest.param(
            f"{CAPTION} {CAPTION} {STORY} {CAPTION}", [(BARE_CAPTION, 3)] * 3, id="back-to-back-and-far-apart"
        ),
        pytest.param(
            f"{PAYWALL}\n{STORY}\n{CAPTION}\n{OTHER}\n{PAYWALL}\n{FILLER}\n{CAPTION}",
            [(PAYWALL.rstrip("."), 2), (BARE_CAPTION, 2), (PAYWALL.rstrip("."), 2), (BARE_CAPTION, 2)],
            id="two-passages-interleaved",
        ),
        pytest.param(f"{STORY} {OTHER} {CAPTION}", [], id="no-repeat"),
        pytest.param(f"{CAPTION} {CAPTION.upper()}", [(BARE_CAPTION, 2), (BARE_CAPTION.upper(), 2)], id="case"),
        pytest.param("", [], id="empty"),
        pytest.param(CAPTION, [], id="shorter-than-two-windows"),
        pytest.param("one two three four five six seven one two three four five six seven", [], id="below-min-words"),
    ],
)
def test_find_repeats_examples(text: str, expected: list[tuple[str, int]]) -> None:
    assert repeated_passages(text) == expected


def test_find_repeats_offsets_point_into_unicode_text() -> None:
    passage = "Киев: «солдаты» идут мимо разрушенной школы в восточном городе"
    text = f"{passage}. Другое предложение здесь. {passage}."
    repeats = find_repeats(tokenize(text), WordHasher())
    assert [text[r.start : r.end] for r in repeats] == [passage, passage]


@pytest.mark.parametrize(("min_words", "found"), [(4, 2), (7, 2), (8, 0)])
def test_find_repeats_min_words(min_words: int, found: int) -> None:
    text = "one two three four five six seven. Something else entirely here now. one two three four five six seven."
    assert len(repeated_passages(text, min_words)) == found


def test_find_repeats_counts_a_passage_repeated_three_times_back_to_back() -> None:
    assert repeated_passages(f"{CAPTION} {CAPTION} {CAPTION}") == [(BARE_CAPTION, 3)] * 3


def test_find_repeats_does_not_join_different_passages_that_touch() -> None:
    # The caption and the paywall notice each occur twice, but stand side by side only in the middle.
    text = f"{CAPTION}\n{STORY}\n{CAPTION}\n{PAYWALL}\n{OTHER}\n{PAYWALL}"
    bare_paywall = PAYWALL.rstrip(".")
    assert repeated_passages(text) == [(BARE_CAPTION, 2), (BARE_CAPTION, 2), (bare_paywall, 2), (bare_paywall, 2)]


# --- a property against brute force ---------------------------------------------------------------------


def words_in_repeated_windows(words: list[str], min_words: int) -> set[int]:
    """Indices of the words covered by a window of ``min_words`` words that occurs more than once."""
    windows = [tuple(words[i : i + min_words]) for i in range(len(words) - min_words + 1)]
    counts = Counter(windows)
    return {i + k for i, w in enumerate(windows) if counts[w] > 1 for k in range(min_words)}


@given(st.lists(st.sampled_from(["war", "peace", "news", "today"]), max_size=40), st.integers(2, 4))
@settings(max_examples=120, deadline=None)
def test_find_repeats_reports_only_repeated_words(words: list[str], min_words: int) -> None:
    text = " ".join(words)
    tokens = tokenize(text)
    repeats = find_repeats(tokens, WordHasher(), min_words=min_words)
    covered = words_in_repeated_windows(words, min_words)
    if len(words) < 2 * min_words or not covered:
        assert repeats == ()
    previous_end = 0
    for r in repeats:
        assert previous_end <= r.start < r.end and r.count >= 2  # in text order, not overlapping
        previous_end = r.end
        spans = zip(tokens.starts, tokens.ends, strict=True)
        inside = [i for i, (s, e) in enumerate(spans) if r.start <= s < e <= r.end]
        assert len(inside) >= min_words
        assert set(inside) <= covered
        assert tokens.starts[inside[0]] == r.start and tokens.ends[inside[-1]] == r.end
