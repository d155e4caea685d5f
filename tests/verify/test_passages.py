"""Tests of dedup.verify.passages: reused passages found with their offsets, whatever surrounds them, and
not found between texts that only share a subject or a template."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.normalize import tokenize
from dedup.verify.passages import find_passages, whole_passage

LIFTED = (
    "Government forces backed by heavy air power are advancing quickly toward a border town still held by the "
    "rebels. A day after taking full control of the city, the army is mounting an offensive to recapture the "
    "town. Reports suggest the fighters fled there from the other side of the border, carrying their wounded."
)
A_OWN = (
    "The council met on Tuesday to discuss the budget for the coming year and approved it after a long debate. "
    "Members of the opposition walked out before the vote, saying the plan would hurt the poorest families. "
    "The mayor said the cuts were painful but necessary, and promised a review of spending on roads next spring. "
)
B_OWN = (
    "Storms closed schools across the region on Friday, and the airport cancelled most of its flights. "
    "Forecasters expect the rain to ease by Sunday, though rivers in the north may still rise overnight. "
    "Farmers said the harvest had already suffered from the wet summer and feared further losses this week. "
)


def test_a_lifted_paragraph_is_found_with_its_offsets_in_both_texts() -> None:
    a = A_OWN + "\n\n" + LIFTED + "\n\n" + A_OWN.replace("council", "board")
    b = B_OWN + LIFTED + " " + B_OWN.replace("Storms", "Gales")
    (p,) = find_passages(a, b)
    assert a[p.a_start : p.a_end] == LIFTED and b[p.b_start : p.b_end] == LIFTED
    assert p.changed == 0.0 and p.words == len(LIFTED.split())


def test_a_reworded_paragraph_is_still_one_passage() -> None:
    rng = random.Random(3)
    words = LIFTED.split(" ")
    for _ in range(8):  # words swapped with their neighbour, as random obfuscation does
        k = rng.randrange(len(words) - 1)
        words[k], words[k + 1] = words[k + 1], words[k]
    reworded = " ".join(words).replace("advancing quickly", "moving fast").replace("recapture", "retake")
    (p,) = find_passages(A_OWN + LIFTED, B_OWN + reworded)
    assert p.b_start == len(B_OWN) and p.b_end == len(B_OWN + reworded)
    assert 0.0 < p.changed < 0.5


def test_texts_on_one_subject_share_no_passage() -> None:
    a = ("Rebels backed by Russian air power took the town on Monday, officials said, after weeks of fighting. "
         "Thousands of families fled north towards the border as the shelling went on through the night.")
    b = ("The army denied that Russian air power had helped the rebels, and said its own troops held the town. "
         "Aid groups said families who fled were sleeping in fields without tents or clean water.")
    assert find_passages(A_OWN + a, B_OWN + b, min_words=10) == ()


def test_one_template_filled_with_other_figures_is_no_passage() -> None:
    a = ("Acme Corp is issuing 100 mln Swiss francs of five year notes with a 4-5/8 pct coupon and 100-1/4 issue "
         "price, lead manager Swiss Bank Corp said. Payment date is March 17, and the notes mature in 1992.")
    b = ("Tamura Corp is issuing 70 mln Swiss francs of five year notes with a 4-3/4 pct coupon and 101-1/2 issue "
         "price, lead manager Swiss Bank Corp said. Payment date is June 30, and the notes mature in 1994.")
    assert find_passages(a, b, min_words=10) == ()


def test_below_the_shortest_passage_nothing_is_reported() -> None:
    a, b = A_OWN + LIFTED, B_OWN + LIFTED
    assert find_passages(a, b, min_words=len(LIFTED.split()) + 1) == ()
    assert find_passages(a, b, min_words=len(LIFTED.split()))


def test_a_copy_has_one_passage_from_first_word_to_last() -> None:
    text = "  " + LIFTED + "\n"
    (p,) = whole_passage(text, tokenize(text), LIFTED, tokenize(LIFTED))
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (2, 2 + len(LIFTED), 0, len(LIFTED))
    assert whole_passage("", tokenize(""), LIFTED, tokenize(LIFTED)) == ()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.text(max_size=400))
def test_any_texts_give_passages_inside_both(a: str, b: str) -> None:
    for p in find_passages(a + " " + LIFTED, LIFTED + " " + b, min_words=5):
        assert 0 <= p.a_start < p.a_end <= len(a) + 1 + len(LIFTED)
        assert 0 <= p.b_start < p.b_end <= len(LIFTED) + 1 + len(b)
        assert p.words >= 5 and 0.0 <= p.changed <= 1.0


@pytest.mark.parametrize("empty", ["", "   ", "!!!"])
def test_a_text_without_words_has_no_passage(empty: str) -> None:
    assert find_passages(empty, LIFTED) == () and find_passages(LIFTED, empty) == ()


def test_a_passage_lifted_from_mid_sentence_leaves_the_rest_of_that_sentence_out() -> None:
    # The copy starts inside a sentence of a: the words of that sentence before it are not part of the passage.
    lead = "Officials in the capital insisted on Monday that, whatever happened next, "
    a = A_OWN + lead + LIFTED[0].lower() + LIFTED[1:]
    b = B_OWN + LIFTED
    (p,) = find_passages(a, b)
    assert p.a_start == len(A_OWN + lead) and p.a_end == len(a)
    assert (p.b_start, p.b_end) == (len(B_OWN), len(b))


SUMMARISED = [
    "Government forces backed by heavy air power are advancing quickly toward a border town held by rebels.",
    "The harvest in the northern provinces failed for the third year running after a long drought.",
    "A day after taking full control of the city, the army is mounting an offensive to recapture the town.",
    "Trade unions called a general strike over pensions, closing ports and most of the railways.",
    "Reports suggest the rebel fighters fled there from across the border, carrying their wounded with them.",
    "The central bank left interest rates unchanged and said inflation would ease by the end of the year.",
    "Aid agencies warned that thousands of families displaced by the fighting had no shelter or clean water.",
]

# Sentences of a source that a summary leaves out.
FILLER = " ".join(f"Paragraph {k} of the source tells of matters unrelated to the fighting, line {k}."
                  for k in range(6))


def assert_one_summary(summary: str, source: str) -> None:
    """``summary``, after a paragraph of its own, is one passage of ``source`` that reaches from the first
    summarised sentence to the last, across the unrelated ones between them."""
    (p,) = find_passages(B_OWN + summary, source, min_words=20)
    assert (p.a_start, p.a_end) == (len(B_OWN), len(B_OWN + summary))
    assert p.b_start == 0 and p.b_end == len(source)


def test_a_summary_of_sentences_far_apart_in_its_source_is_one_passage() -> None:
    source = (" " + FILLER + " ").join(SUMMARISED)
    summary = ("Government forces with heavy air power advance quickly toward a border town held by rebels. "
               "A day after full control of the city, the army mounts an offensive to recapture the town. "
               "Rebel fighters fled there from across the border, reports suggest, carrying their wounded. "
               "Aid agencies warned thousands of families displaced by fighting had no shelter or water.")
    assert_one_summary(summary, source)


def test_a_passage_copied_word_for_word_is_cut_to_the_copied_words_wherever_they_begin_and_end() -> None:
    # The copy begins and ends inside sentences, beside sentences on the same subject: it is cut to the words
    # the two sides share in order, not to the sentences around them.
    copied = LIFTED[LIFTED.index("are advancing"):LIFTED.index(", carrying")]
    a = A_OWN + "The government said its forces " + copied + ", officials added on Monday. " + A_OWN
    b = B_OWN + "Witnesses told us the rebels " + copied + ", leaving their wounded behind. " + B_OWN
    (p,) = find_passages(a, b, min_words=20)
    # (a passage's end takes in the punctuation that closes its last word: here the comma after "border")
    assert a[p.a_start:p.a_end] == copied + "," and b[p.b_start:p.b_end] == copied + ","
    assert p.changed == 0.0


def test_a_sentence_the_source_repeats_does_not_stretch_the_passage_over_what_was_not_copied() -> None:
    # The source repeats a sentence of the lifted paragraph further on: only its closest copy seeds the passage.
    repeated = LIFTED.split(". ")[0] + "."
    source = B_OWN + LIFTED + " " + B_OWN.replace("Storms", "Gales") + " " + repeated + " " + B_OWN
    (p,) = find_passages(A_OWN + LIFTED + " " + A_OWN, source)
    assert (p.b_start, p.b_end) == (len(B_OWN), len(B_OWN + LIFTED))


def test_a_summary_that_copies_two_sentences_in_a_row_is_still_one_summary() -> None:
    # Two sentences of the summary copy two neighbouring sentences of the source word for word (an ordinary
    # passage on their own); the rest leaps through the source: the summary covers the source, not the pair.
    source = SUMMARISED[0] + " " + SUMMARISED[2] + " " + (" " + FILLER + " ").join(SUMMARISED[3:])
    summary = (SUMMARISED[0] + " " + SUMMARISED[2] + " "
               "Unions called a general strike on pensions, which closed the ports and most railways. "
               "Fighters fled across the border, reports suggest, carrying their wounded with them. "
               "The central bank left rates unchanged and said inflation would ease by the end of the year. "
               "Agencies warned thousands displaced by the fighting had no shelter or clean water.")
    assert_one_summary(summary, source)


def test_a_sentence_reworded_too_much_to_seed_a_passage_still_begins_it() -> None:
    # The first sentence keeps only "border town" and "rebels" of its words: too little for a seed, enough to
    # begin the passage its two lightly reworded neighbours seed.
    reworded = ("Troops with strong aerial support are pressing fast on a border town the rebels still control. "
                "A day after it took full control of the city, the army is now mounting an offensive to retake the "
                "town. Reports suggest that the fighters had fled there from across the border, carrying the wounded.")
    a = A_OWN + LIFTED
    b = B_OWN + reworded
    (p,) = find_passages(a, b)
    # It begins inside the first sentence (at the first word both have: "border"), in both texts.
    assert a[p.a_start:].startswith("border town") and b[p.b_start:].startswith("border town")
    assert p.a_end == len(a) and p.b_end == len(b)
