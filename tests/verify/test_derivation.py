"""dedup.verify.derivation: the paraphrase-aware score of ``dedup compare``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.verify import derivation
from dedup.verify.derivation import derived_score, sequence_similarity

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
WORDS = ["the", "army", "was", "backed", "supported", "by", "russian", "air", "power", "on", "monday", "rebels",
         "town", "seized", "took", "12", "15", "said", "and"]

texts = st.lists(st.sampled_from([*WORDS, ".", "\n\n"]), max_size=40).map(
    lambda parts: " ".join(parts).replace(" .", ".").capitalize())


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_score_is_symmetric_and_in_range(a: str, b: str) -> None:
    score = derived_score(a, b)
    assert 0.0 <= score <= 1.0
    assert score == derived_score(b, a)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), st.lists(st.sampled_from(WORDS), max_size=30))
def test_sequence_similarity_is_symmetric_and_one_on_itself(a: list[str], b: list[str]) -> None:
    assert sequence_similarity(a, a) == 1.0
    assert sequence_similarity(a, b) == sequence_similarity(b, a)


@pytest.mark.parametrize("text", ["", "   ", "--- !!!"])
def test_a_text_without_words_is_derived_from_nothing(text: str) -> None:
    assert derived_score(text, "The army was backed by Russian air power.") == 0.0


def test_a_sample_article_is_derived_from_itself_and_its_excerpts() -> None:
    article = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    paragraphs = [p for p in article.split("\n\n") if len(p.split()) > 30]
    assert derived_score(article, article) == 1.0
    # An excerpt is wholly derived: what the longer text has besides does not count against it.
    assert derived_score(paragraphs[1], article) == 1.0
    assert derived_score(article, next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")) < 0.3


def test_an_added_clause_costs_more_than_the_same_number_of_scattered_swaps() -> None:
    base = "The army was backed by Russian air power and took the town on Monday after a long siege."
    clause = base[:-1] + ", the ministry in the capital said late in the evening."
    swaps = "The military was supported by Russian air force and seized the city on Monday after a lengthy blockade."
    assert derived_score(base, swaps) > derived_score(base, clause)


def test_a_different_figure_counts_more_than_a_different_word() -> None:
    base = "Shares of the company rose 12 cents to close at 15 dollars in New York on Monday."
    figure = base.replace("12", "40")
    word = base.replace("close", "end")
    assert derived_score(base, word) > derived_score(base, figure)


def test_reordered_paraphrase_scores_above_an_unrelated_sentence_on_the_same_subject() -> None:
    a = "Rebels backed by Russian air power took the town on Monday."
    paraphrase = "On Monday the rebels, supported by Russian air power, seized the town."
    same_subject = "Russian air power has been used against towns held by government troops for months."
    assert derived_score(a, paraphrase) > 0.7 > derived_score(a, same_subject)


class _Ordered(frozenset):
    """A frozenset that iterates in the order given: a set's order otherwise changes with the hash seed."""

    order: list[str]

    def __new__(cls, items: list[str]) -> _Ordered:
        made = super().__new__(cls, items)
        made.order = list(items)
        return made

    def __iter__(self):  # type: ignore[override]
        return iter(self.order)


@pytest.mark.parametrize("order", [["big", "larg"], ["larg", "big"]])
def test_score_does_not_depend_on_the_order_of_a_synonym_set(monkeypatch: pytest.MonkeyPatch,
                                                             order: list[str]) -> None:
    # "enormous" is a synonym of two words of a (not the other way round): which one it is written as must
    # not follow the set's order, or the score changes from one run to the next.
    monkeypatch.setattr(derivation, "_synonym_stems",
                        lambda word: _Ordered(order) if word == "enormous" else frozenset())
    a = ["the", "large", "near", "big", "old", "town"]
    b = ["town", "blast", "big", "enormous", "enormous"]
    assert sequence_similarity(a, b) == 0.5  # "enormous" written as "large", the first of the two in a


def test_the_sentence_matrix_in_blocks_gives_the_same_score(monkeypatch):
    a = ("Rebels took the town on Monday. The army said it would return. Talks were held in the capital. "
         "Aid agencies warned of shortages. The border stayed closed.")
    b = ("The border stayed shut. On Monday rebels seized the town. Aid groups warned of shortages. "
         "The army vowed to return. Talks took place in the capital. Prices rose.")
    whole = derived_score(a, b)
    monkeypatch.setattr(derivation, "_MATRIX_CELLS", 1)  # one sentence a block
    assert derived_score(a, b) == whole
