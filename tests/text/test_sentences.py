"""Tests of dedup.text.sentences: the one boundary rule, and each stage's former rule reproduced by it.

Before dedup.text.sentences, five rules were written out where they were used. They are copied below, as
they were, and the shared rule (with the options each stage passes) is held equal to each on tricky text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.normalize import Tokens, tokenize
from dedup.text.sentences import (
    CLAUSE_BREAK_MARKS,
    CLOSING_MARKS,
    END_MARKS,
    SENTENCE_BREAK_MARKS,
    SENTENCE_END,
    SENTENCE_MARK,
    break_before,
    sentence_spans,
    sentence_starts,
)

# dedup/text/normalize.py: the sentence keys' rule (every line break ends a sentence).
FORMER_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
# dedup/text/batch.py: the same rule inside the ASCII tokeniser, one mark per end.
FORMER_ASCII_MARK = re.compile(r"[.!?](?=[\"')\]]*\s)|\n")
# dedup/verify/align.py: only a blank line ends a sentence, and never before a word in lower case.
FORMER_SENTENCE_GAP = re.compile(r"[.!?][\"')\]]*\s|\n\s*\n")
# dedup/verify/anchors.py: the gap before a word that opens a sentence, a quotation or a line.
FORMER_OPENER = re.compile(r"[.!?:;\"\n\u201c]")
# dedup/spin/analysis.py: the gap characters that end a clause, and those that end a sentence.
FORMER_CLAUSE_BREAKS = frozenset(".,;:!?()[]{}\"\u201c\u201d/|\n\u2014\u2013-'")
FORMER_SENTENCE_BREAKS = frozenset(".!?:;\"\u201c\u201d\n")


def former_split_sentences(text: str, tokens: Tokens) -> list[list[str]]:
    """dedup.sketch.shingle.split_sentences as it was: each word in the sentence of the ends before it."""
    ends = [m.end() for m in FORMER_SENTENCE_END.finditer(text)]
    out: list[list[str]] = []
    last = -1
    for word, start in zip(tokens.words, tokens.starts, strict=True):
        sentence = bisect_right(ends, start)
        if sentence != last:
            out.append([])
            last = sentence
        out[-1].append(word)
    return out


def former_sentence_bounds(text: str, tokens: Tokens) -> list[tuple[int, int]]:
    """dedup.verify.align.sentence_bounds as it was."""
    n = len(tokens)
    starts, ends = tokens.starts, tokens.ends
    cuts = [0]
    for match in FORMER_SENTENCE_GAP.finditer(text):
        k = bisect_right(starts, match.start())
        if 0 < k < n and ends[k - 1] <= match.start() and k != cuts[-1] and not text[starts[k]].islower():
            cuts.append(k)
    cuts.append(n)
    return [(s, e) for s, e in zip(cuts, cuts[1:], strict=False) if e > s]


def gaps(text: str, tokens: Tokens) -> list[str]:
    """The characters before each word, from the end of the word before it ("\\n" for the first word)."""
    return ["\n" if k == 0 else text[tokens.ends[k - 1] : start] for k, start in enumerate(tokens.starts)]


# Pieces of news text that try every part of the rules: abbreviations, initials, decimals, quotes (straight
# and curly), brackets, ellipses (three dots and spaced), colons, semicolons, line breaks and blank lines.
PIECES = [
    "Mr.", "Smith", "U.S.", "troops", "3.5", "per", "cent", "p.c.", "last", "year.", "Then", "then", "said:",
    '"Go."', "\u201cNo.\u201d", "(AP)", "[sic]", "end!", "why?", "wait...", ". . .", "it's", "Yahoo!'s",
    "U.S.-led", "e.g.", "No.", "5", "a;", "b,", "\u2014", "-", "/", "Kabul", "\u201cKabul\u201d", "'quoted'",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", " \n ", "\t", "\u00a0", "\n \n"]
TRICKY_TEXT = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda parts: "".join(piece + gap for piece, gap in parts)
)
TRICKY = [
    "Mr. Smith met Dr. Jones. They spoke.",
    "The U.S. troops left. U.S. officials said so.",
    "Prices rose 3.5 per cent. Then 4.2.",
    'He said: "Go." Then he left.',
    "\u201cNo.\u201d Then\u2014silence.",
    "Wait... then it came. . . . And went.",
    "A line\nwrapped mid-sentence.\n\nA new paragraph.",
    "Kabul: Officials said; \u201cKabul\u201d Fell (AP) Now",
    "Yahoo!'s shares and U.S.-led talks e.g. here. 5 p.c. last year.",
    "",
    "...",
    "One",
]


@pytest.mark.parametrize("text", TRICKY)
def test_sentence_keys_rule_is_the_former_one_on_tricky_text(text: str) -> None:
    tokens = tokenize(text)
    spans = sentence_spans(text, tokens)
    assert [list(tokens.words[s:e]) for s, e in spans] == former_split_sentences(text, tokens)


@pytest.mark.parametrize("text", TRICKY)
def test_alignment_rule_is_the_former_one_on_tricky_text(text: str) -> None:
    tokens = tokenize(text)
    assert sentence_spans(text, tokens, lines="blank", lowercase_continues=True) == former_sentence_bounds(
        text, tokens
    )


@settings(max_examples=300, deadline=None)
@given(TRICKY_TEXT)
def test_both_splitting_rules_are_the_former_ones(text: str) -> None:
    tokens = tokenize(text)
    assert [list(tokens.words[s:e]) for s, e in sentence_spans(text, tokens)] == former_split_sentences(text, tokens)
    assert sentence_spans(text, tokens, lines="blank", lowercase_continues=True) == former_sentence_bounds(
        text, tokens
    )


@settings(max_examples=300, deadline=None)
@given(TRICKY_TEXT)
def test_the_patterns_are_the_former_ones(text: str) -> None:
    assert SENTENCE_END.split(text) == FORMER_SENTENCE_END.split(text)
    assert [m.span() for m in re.finditer(SENTENCE_MARK, text)] == [m.span() for m in FORMER_ASCII_MARK.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(TRICKY_TEXT)
def test_loose_rule_is_the_former_phrase_check_breaks(text: str) -> None:
    tokens = tokenize(text)
    for k, gap in enumerate(gaps(text, tokens)):
        assert break_before(text, tokens, k) == any(c in FORMER_SENTENCE_BREAKS for c in gap)
        assert break_before(text, tokens, k, clause=True) == any(c in FORMER_CLAUSE_BREAKS for c in gap)


@settings(max_examples=300, deadline=None)
@given(TRICKY_TEXT)
def test_loose_rule_without_closing_quotes_is_the_former_anchor_openers(text: str) -> None:
    tokens = tokenize(text)
    for k, gap in enumerate(gaps(text, tokens)):
        former = k == 0 or FORMER_OPENER.search(gap) is not None
        assert break_before(text, tokens, k, closing_quotes=False) == former


@pytest.mark.parametrize("text", TRICKY)
def test_anchor_openers_on_tricky_text(text: str) -> None:
    tokens = tokenize(text)
    for k, gap in enumerate(gaps(text, tokens)):
        assert break_before(text, tokens, k, closing_quotes=False) == (k == 0 or FORMER_OPENER.search(gap) is not None)


def test_a_closing_curly_quote_opens_nothing_for_the_anchors() -> None:
    # The anchors' openers and the phrase checks' breaks differed in this one character; the option keeps both.
    text = "the so-called \u201cAxis\u201d States"
    tokens = tokenize(text)
    k = tokens.words.index("states")
    assert break_before(text, tokens, k)
    assert not break_before(text, tokens, k, closing_quotes=False)
    assert break_before(text, tokens, k - 1, closing_quotes=False)  # the opening quote opens "Axis"


def test_mark_sets_are_the_former_ones() -> None:
    assert SENTENCE_BREAK_MARKS == FORMER_SENTENCE_BREAKS
    assert CLAUSE_BREAK_MARKS == FORMER_CLAUSE_BREAKS
    assert set(END_MARKS) <= SENTENCE_BREAK_MARKS <= CLAUSE_BREAK_MARKS
    assert set(CLOSING_MARKS) == set("\"')]")


@pytest.mark.parametrize(
    ("text", "every", "blank"),
    [
        # An abbreviation before a capital ends a sentence by either option; before lower case only strictly.
        ("Mr. Smith left.", ["mr", "smith left"], ["mr", "smith left"]),
        ("5 p.c. last year.", ["5 p c", "last year"], ["5 p c last year"]),
        ("The U.S. troops left.", ["the u s", "troops left"], ["the u s troops left"]),
        # Decimals, inner dots and "!'s" never end one.
        ("It rose 3.5 per cent.", ["it rose 3.5 per cent"], ["it rose 3.5 per cent"]),
        ("U.S.-led Yahoo!'s bid", ["u s led yahoo s bid"], ["u s led yahoo s bid"]),
        # Closing quotes and brackets may stand between the end mark and the space.
        ('"Go." Then (AP.) Now', ["go", "then ap", "now"], ["go", "then ap", "now"]),
        ("\u201cNo.\u201d Then", ["no then"], ["no then"]),  # a curly quote is no closing mark (fold() first)
        # Ellipses: each spaced dot is an end mark; lower case after it continues for the alignment.
        ("Wait . . . then go", ["wait", "then go"], ["wait then go"]),
        ("Wait... Then go", ["wait", "then go"], ["wait", "then go"]),
        # A colon ends no sentence.
        ("He said: Go now.", ["he said go now"], ["he said go now"]),
        # A line break ends one for the sentence keys; only a blank line does for the alignment.
        ("A line\nwrapped here", ["a line", "wrapped here"], ["a line wrapped here"]),
        ("A line\n \nNew one", ["a line", "new one"], ["a line", "new one"]),
        ("A line\n\nnew one", ["a line", "new one"], ["a line new one"]),
    ],
)
def test_options_on_tricky_text(text: str, every: list[str], blank: list[str]) -> None:
    tokens = tokenize(text)

    def read(spans: list[tuple[int, int]]) -> list[str]:
        return [" ".join(tokens.words[s:e]) for s, e in spans]

    assert read(sentence_spans(text, tokens)) == every
    assert read(sentence_spans(text, tokens, lines="blank", lowercase_continues=True)) == blank


@settings(max_examples=200, deadline=None)
@given(TRICKY_TEXT, st.sampled_from(["every", "blank"]), st.booleans())
def test_spans_cover_every_word_once_in_order(text: str, lines: str, lowercase_continues: bool) -> None:
    tokens = tokenize(text)
    spans = sentence_spans(text, tokens, lines=lines, lowercase_continues=lowercase_continues)  # type: ignore[arg-type]
    assert [k for s, e in spans for k in range(s, e)] == list(range(len(tokens)))
    assert all(e > s for s, e in spans)
    assert [s for s, _ in spans] == sentence_starts(
        text, tokens.starts, lines=lines, lowercase_continues=lowercase_continues  # type: ignore[arg-type]
    )


def test_break_before_the_first_word_and_on_clause_marks() -> None:
    text = "Officials, in Kabul (said) Taliban"
    tokens = tokenize(text)
    assert [break_before(text, tokens, k) for k in range(len(tokens))] == [True, False, False, False, False]
    assert [break_before(text, tokens, k, clause=True) for k in range(len(tokens))] == [True, True, False, True, True]
