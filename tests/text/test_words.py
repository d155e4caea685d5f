"""Tests of dedup.text.words: each word in one class, and each stage's set the very list it had before."""

from __future__ import annotations

from itertools import combinations

import pytest

from dedup.text import words
from dedup.text.normalize import normalize_word, tokenize
from dedup.text.words import (
    ALIGNMENT_FUNCTION_WORDS,
    ARTICLES,
    AUXILIARIES,
    CONJUNCTIONS,
    CONNECTIVE_ADVERBS,
    CONTRACTIONS,
    DEICTIC_ADVERBS,
    DEMONSTRATIVES,
    FOCUS_ADVERBS,
    FUNCTION_WORDS,
    NEGATIONS,
    NEVER_SWAPPED,
    NUMBER_WORDS,
    PARTICLES,
    PHRASE_FUNCTION_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    SKELETON_WORDS,
    WH_WORDS,
)

CLASSES = {
    "ARTICLES": ARTICLES,
    "DEMONSTRATIVES": DEMONSTRATIVES,
    "PRONOUNS": PRONOUNS,
    "WH_WORDS": WH_WORDS,
    "DEICTIC_ADVERBS": DEICTIC_ADVERBS,
    "CONJUNCTIONS": CONJUNCTIONS,
    "CONNECTIVE_ADVERBS": CONNECTIVE_ADVERBS,
    "NEGATIONS": NEGATIONS,
    "AUXILIARIES": AUXILIARIES,
    "PREPOSITIONS": PREPOSITIONS,
    "PARTICLES": PARTICLES,
    "QUANTIFIERS": QUANTIFIERS,
    "FOCUS_ADVERBS": FOCUS_ADVERBS,
    "CONTRACTIONS": CONTRACTIONS,
}
STAGE_SETS = {
    "ALIGNMENT_FUNCTION_WORDS": ALIGNMENT_FUNCTION_WORDS,
    "SKELETON_WORDS": SKELETON_WORDS,
    "PHRASE_FUNCTION_WORDS": PHRASE_FUNCTION_WORDS,
    "NEVER_SWAPPED": NEVER_SWAPPED,
}

# The lists the stages held before dedup.text.words, copied here as they were written, so the test proves that
# gathering them into shared classes kept every stage's words (and so its results) unchanged.
FORMER_ALIGN_FUNCTION_WORDS = """
    a an the this that these those there here it its it's they them their he him his she her we us our
    you your i me my who whom whose which what when where why how
    and or but nor so yet if then than because while although though as also too not no
    be am is are was were been being have has had do does did will would shall should can could may might must
    of in on at to for from with by into onto over under about after before between through during against
    up out off down
    s 's all any some each every both such only just more most very
"""
FORMER_ANCHORS_SKELETON_WORDS = """
    a an the this that these those there it its it's they them their he him his she her we us our
    you your i me my who whom whose which what when where why how
    and or but nor if than because while although though as not no
    be am is are was were been being have has had do does did will would shall should can could may might must
"""
FORMER_SPIN_PREPOSITIONS = "of in on at to for from with by into onto about over under up down out off through across"
FORMER_SPIN_FUNCTION_WORDS = FORMER_SPIN_PREPOSITIONS + """
    a an the this that these those it its they them their he him his she her we us our you your i me my
    and or but nor so if then than as be am is are was were been being have has had do does did will would
    shall should can could may might must not no there here who whom whose which what when where why how
    all any each some one
"""
FORMER_SPIN_NUMBER_WORDS = """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds
    thousand thousands million millions billion billions trillion dozen dozens first second third fourth
    fifth sixth seventh eighth ninth tenth
"""


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


@pytest.mark.parametrize(
    ("shared", "former"),
    [
        (ALIGNMENT_FUNCTION_WORDS, _set(FORMER_ALIGN_FUNCTION_WORDS)),
        (SKELETON_WORDS, _set(FORMER_ANCHORS_SKELETON_WORDS)),
        (PHRASE_FUNCTION_WORDS, _set(FORMER_SPIN_FUNCTION_WORDS)),
        (NUMBER_WORDS, _set(FORMER_SPIN_NUMBER_WORDS)),
        (
            NEVER_SWAPPED,
            (_set(FORMER_SPIN_FUNCTION_WORDS) - _set(FORMER_SPIN_PREPOSITIONS)) | _set(FORMER_SPIN_NUMBER_WORDS),
        ),
    ],
    ids=["align", "anchors", "phrase checks", "numbers", "never swapped"],
)
def test_each_stage_keeps_the_words_it_had(shared: frozenset[str], former: frozenset[str]) -> None:
    assert shared == former


@pytest.mark.parametrize(("first", "second"), list(combinations(CLASSES, 2)))
def test_no_word_is_in_two_classes(first: str, second: str) -> None:
    assert not CLASSES[first] & CLASSES[second]


def test_function_words_are_the_union_of_the_classes() -> None:
    assert frozenset().union(*CLASSES.values()) == FUNCTION_WORDS
    assert not NUMBER_WORDS & FUNCTION_WORDS  # numbers are a class of their own


@pytest.mark.parametrize("name", STAGE_SETS)
def test_stage_sets_draw_only_on_the_classes(name: str) -> None:
    assert STAGE_SETS[name] <= FUNCTION_WORDS | NUMBER_WORDS


def test_the_spin_resistant_sets_leave_out_what_spinners_swap() -> None:
    # Spinners swap prepositions, particles and adverbs ("by" -> "through", "also" -> "additionally").
    for swapped in (PREPOSITIONS, PARTICLES, FOCUS_ADVERBS, CONNECTIVE_ADVERBS):
        assert not SKELETON_WORDS & swapped
    for swapped in (PREPOSITIONS, PARTICLES, FOCUS_ADVERBS):
        assert not NEVER_SWAPPED & swapped
    assert NUMBER_WORDS <= NEVER_SWAPPED


@pytest.mark.parametrize("word", sorted(FUNCTION_WORDS | NUMBER_WORDS))
def test_words_are_written_as_normalised_forms(word: str) -> None:
    assert normalize_word(word) == word
    if not word.startswith("'"):  # "'s" is kept as the alignment had it, though no token starts with "'"
        assert tokenize(word).words == (word,)


def test_every_public_name_is_a_word_set() -> None:
    for name in words.__all__:
        value = getattr(words, name)
        assert isinstance(value, frozenset) and value, name
