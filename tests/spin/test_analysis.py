"""Tests of the scan and analysis of texts (dedup.spin.analysis): word slots, candidates, the vocabulary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.spin import FEATURES, PhraseChecker, load_checker
from dedup.spin.analysis import Vocabulary, read_slots
from dedup.text.normalize import tokenize
from tests.spin.samples import CLEAN, SPUN


def test_unknown_word_form_is_a_candidate(checker: PhraseChecker) -> None:
    found = {c.text: c for c in checker.candidates("The old mill was ruinated by the flood.")}
    assert found["ruinated"].original is None
    assert found["ruinated"].features[FEATURES.index("unknown_form")] == 1.0


@pytest.mark.parametrize("text", ["Rebels assailed the town.", "They said the talks would resume."])
def test_names_numbers_and_function_words_are_never_candidates(checker: PhraseChecker, text: str) -> None:
    texts = {c.text.lower() for c in checker.candidates(text + " Two officials met Putin in Moscow.")}
    assert not texts & {"the", "they", "would", "two", "putin", "moscow"}


# ---------------------------------------------------------------------------------------------------------
# The batch scan against the obvious reading of each text.

_GAPPY = st.lists(
    st.sampled_from(["the", "Council", "said", "minister's", "café", "Ünited", "2024", "a", "blessing", "in",
                     "camouflage", "carried", "out", "\u00c9t\u00e9", "\u0130stanbul"]),
    max_size=12,
)
_GAPS = st.sampled_from([" ", "  ", ", ", ". ", "; ", " (", ") ", '" ', "\n", " \u2014 ", "\u201c", " - ", "/", "'"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_GAPPY, _GAPS), max_size=4))
def test_breaks_and_case_of_each_word_match_a_slow_reading(checker: PhraseChecker, docs: list) -> None:
    texts = [gap.join(words) for words, gap in docs]
    scan = checker.scan(texts, [tokenize(t) for t in texts])
    clause, sentence, upper, lower = [], [], [], []
    for text in texts:
        tokens = tokenize(text)
        for i, start in enumerate(tokens.starts):
            gap = text[tokens.ends[i - 1] : start] if i else "\n"  # a text's first word opens a sentence
            clause.append(any(c in ".,;:!?()[]{}\"\u201c\u201d/|\n\u2014\u2013-'" for c in gap))
            sentence.append(any(c in '.!?:;"\u201c\u201d\n' for c in gap))
            upper.append(text[start].isupper())
            lower.append(text[start].islower())
        # The separator after each text: a break, and no letter.
        clause.append(True)
        sentence.append(True)
        upper.append(False)
        lower.append(False)
    fast = read_slots(texts, scan.starts, scan.ends, scan.offsets)
    assert [flags.tolist() for flags in fast] == [clause, sentence, upper, lower]
    assert scan.run.tolist() == [sum(clause[1 : k + 1]) for k in range(len(clause))]


def test_vocabulary_starts_afresh_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [CLEAN, SPUN, "counterfeit consciousness", "The old mill was ruinated by the flood."]
    expected = load_checker().check_many(texts)
    monkeypatch.setattr(Vocabulary, "LIMIT", 20)
    checker = load_checker()
    assert checker.check_many(texts, batch_size=1) == expected
    assert len(checker.vocabulary.numbers) <= 20  # it did start afresh (the four texts hold many more words)
