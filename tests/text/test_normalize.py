"""Tests of dedup.text.normalize: canonical forms, idempotence, and token spans that point back into the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.normalize import WORD, Tokens, normalize, normalize_word, tokenize

# Text drawn from every Unicode category, surrogates excluded (a str from a reader is always encodable).
UNICODE_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
# Characters that exercise the interesting paths: combining marks, compatibility forms, case folding
# that expands (ß, ﬁ, İ), Greek with ypogegrammeni, the translated quotes and dashes, invisible characters.
TRICKY = st.text(
    st.sampled_from(
        "aAeEiIsS \t\n`'-"
        "\u0301\u0307\u0345\u00df\u1e9e\ufb01\u0130\u1f88\u03a3\u00c5\u212b\u2126\u2018\u2019\u201c"
        "\u2014\u2212\u00ad\u200b\ufeff\u00a0\u3000\u00b4\u2033\uff21\u2460\u00bd\ufdfa\u0627\u064b"
    ),
    max_size=40,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   \t\n ", ""),
        ("Boots  on\tthe\n\nGround", "boots on the ground"),
        ("\u201cEasier\u201d said \u2014 than DONE", '"easier" said - than done'),
        ("Don\u2019t", "don't"),
        ("Don`t", "don't"),
        ("\u00abquoted\u00bb", '"quoted"'),
        ("co\u00adoperate", "cooperate"),  # soft hyphen is invisible, so it must vanish
        ("zero\u200bwidth", "zerowidth"),
        ("\ufeffBOM", "bom"),
        ("\uff21\uff22\uff23", "abc"),  # fullwidth letters fold by NFKC
        ("\ufb01nance", "finance"),  # ligature
        ("Stra\u00dfe", "strasse"),  # casefold, not lower
        ("e\u0301", "\u00e9"),  # composed
        ("\u212b", "\u00e5"),  # angstrom sign -> a with ring
        ("a\u00a0b\u3000c", "a b c"),  # no-break and ideographic spaces are spaces
        ("minus \u2212 5", "minus - 5"),
    ],
)
def test_normalize_examples(text: str, expected: str) -> None:
    assert normalize(text) == expected


@given(st.one_of(UNICODE_TEXT, TRICKY))
@settings(max_examples=200, deadline=None)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60), st.sampled_from(["\u200b", "\u00ad"]))
@settings(deadline=None)
def test_normalize_ascii_fast_path_matches_general_path(text: str, invisible: str) -> None:
    # An invisible character that normalize deletes forces the general (Unicode) path on the same text.
    assert normalize(text) == normalize(invisible + text) == normalize(text + invisible)


@given(st.one_of(UNICODE_TEXT, TRICKY))
@settings(max_examples=200, deadline=None)
def test_normalize_has_no_outer_or_repeated_whitespace(text: str) -> None:
    result = normalize(text)
    assert result == result.strip()
    assert "  " not in result
    assert all(c == " " or not c.isspace() for c in result)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Don\u2019t", "don't"), ("ABC", "abc"), ("\ufb01ne", "fine"), ("Stra\u00dfe", "strasse"), ("3.5", "3.5")],
)
def test_normalize_word_examples(word: str, expected: str) -> None:
    assert normalize_word(word) == expected


@given(st.text(st.characters(exclude_categories=["Cs", "Z", "Cc"]), min_size=1, max_size=20))
@settings(deadline=None)
def test_normalize_word_agrees_with_normalize_on_single_words(word: str) -> None:
    # A word without whitespace: the two functions are documented as the same mapping. Characters whose
    # NFKC form holds a space (e.g. U+FDFA) are the one place they may differ, by the whitespace step only.
    assert " ".join(normalize_word(word).split()) == normalize(word)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ()),
        ("Boots on the Ground!", ("boots", "on", "the", "ground")),
        ("I haven't seen it.", ("i", "haven't", "seen", "it")),
        ("Don\u2019t panic", ("don't", "panic")),
        ("It cost 3.5 million, or 1,200,000.", ("it", "cost", "3.5", "million", "or", "1,200,000")),
        ("end. Next, word", ("end", "next", "word")),  # a trailing dot or comma is not part of a word
        ("'quoted' words", ("quoted", "words")),
        ("Caf\u00e9 \u00dcBER stra\u00dfe", ("café", "\u00fcber", "strasse")),
        ("Киев \u2014 город", ("киев", "город")),
    ],
)
def test_tokenize_examples(text: str, words: tuple[str, ...]) -> None:
    assert tokenize(text).words == words


def test_tokenize_spans_are_half_open() -> None:
    text = "Boots on the Ground!"
    tokens = tokenize(text)
    assert isinstance(tokens, Tokens)
    assert len(tokens) == 4
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == ["Boots", "on", "the", "Ground"]


@given(st.one_of(UNICODE_TEXT, TRICKY, st.text(alphabet=st.characters(max_codepoint=127), max_size=60)))
@settings(max_examples=150, deadline=None)
def test_tokenize_spans_point_at_their_words(text: str) -> None:
    tokens = tokenize(text)
    assert len(tokens.words) == len(tokens.starts) == len(tokens.ends)
    previous_end = 0
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends, strict=True):
        assert previous_end <= start < end <= len(text)  # in order, non-overlapping, non-empty
        assert normalize_word(text[start:end]) == word
        previous_end = end


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
@settings(deadline=None)
def test_tokenize_ascii_fast_path_matches_general_path(text: str) -> None:
    # A non-ASCII character appended after a space forces the general path without touching earlier words.
    fast, general = tokenize(text), tokenize(text + " \u00e9")
    assert general.words[: len(fast)] == fast.words
    assert general.starts[: len(fast)] == fast.starts
    assert general.ends[: len(fast)] == fast.ends


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "`", "\u2018"])
def test_tokenize_treats_every_folded_apostrophe_alike(apostrophe: str) -> None:
    # normalize says "don`t" and "don't" are the same text; tokenize should then give them the same words.
    assert tokenize(f"I don{apostrophe}t know").words == ("i", "don't", "know")


# WORD as first written, with ordinary (backtracking) quantifiers, and tokenize read off it the obvious way:
# the reference for the possessive pattern and for the fast paths of tokenize.
_BACKTRACKING_WORD = re.compile(r"\w+(?:['\u2019\u2018`]\w+)*(?:[.,]\d+)*")
# Words broken by every character that may or may not continue one.
WORDY = st.text(st.sampled_from("aB7_\u00e9 '\u2019\u2018`.,-\n"), max_size=60)


@given(st.one_of(UNICODE_TEXT, TRICKY, WORDY))
@settings(max_examples=300, deadline=None)
def test_word_pattern_finds_what_the_backtracking_pattern_finds(text: str) -> None:
    assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in _BACKTRACKING_WORD.finditer(text)]


@given(st.one_of(UNICODE_TEXT, TRICKY, WORDY, st.text(alphabet=st.characters(max_codepoint=127), max_size=60)))
@settings(max_examples=300, deadline=None)
def test_tokenize_matches_a_slow_reference(text: str) -> None:
    matches = list(_BACKTRACKING_WORD.finditer(text))
    expected = Tokens(
        tuple(normalize_word(m.group()) for m in matches),
        tuple(m.start() for m in matches),
        tuple(m.end() for m in matches),
    )
    assert tokenize(text) == expected
