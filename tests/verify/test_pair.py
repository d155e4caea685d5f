"""Tests of dedup.verify.pair: ``decide_pair`` is the verdict a scan reports, and reads the texts only when
its verdict needs them."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from dedup import Document, LocalEngine, ScanConfig, scan
from dedup.sketch.features import batch_features
from dedup.stages.analyse import Batch, BatchResult, analyse_batch
from dedup.verify.align import align
from dedup.verify.pair import decide_pair
from dedup.verify.relations import overlap

CONFIG = ScanConfig()
ORIGINAL = (
    "Government forces backed by heavy air power are advancing quickly toward a border town still held by the "
    "rebels. A day after taking full control of the city, the army is mounting an offensive to recapture the "
    "town. Reports suggest the fighters fled there from the other side of the border."
)
# Written by hand: eleven words swapped for thesaurus synonyms, order, names and figures kept.
SPUN = (
    "Government forces supported by heavy air strength are progressing rapidly toward a frontier town still held "
    "by the rebels. A day after capturing complete control of the metropolis, the army is mounting an attack to "
    "retake the town. Reports recommend the fighters fled there from the other side of the border."
)
OTHER = (
    "The council met on Tuesday to discuss the budget for the coming year and approved it after a long debate. "
    "Members of the opposition walked out before the vote, saying the plan would hurt the poorest families in town."
)


def doubled_letters(text: str, rate: float, seed: int) -> str:
    """OCR-like noise: a share ``rate`` of the letters doubled."""
    rng = random.Random(seed)
    return "".join(c + c if c.isalpha() and rng.random() < rate else c for c in text)


PAIRS = {
    "spun": (ORIGINAL, SPUN),
    "near": (ORIGINAL, ORIGINAL + " More to follow."),
    "trimmed": (ORIGINAL, ORIGINAL[: ORIGINAL.index(" A day")]),
    "noisy": (OTHER, doubled_letters(OTHER, 0.05, 1)),
    "unrelated": (ORIGINAL, OTHER),
}


def first_pass(a: str, b: str) -> BatchResult:
    """The two texts analysed as a scan's first pass analyses them (anchors included)."""
    return analyse_batch(Batch(0, [a, b], None, CONFIG))


def decided(a: str, b: str, calls: list[str] | None = None, **kwargs: object):  # noqa: ANN201
    calls = [] if calls is None else calls
    found = first_pass(a, b)

    def texts() -> tuple[str, str]:
        calls.append("texts")
        return a, b

    return decide_pair("a", "b", found.features(0), found.features(1), CONFIG, texts=texts, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_the_verdict_is_the_pair_a_scan_reports(kind: str) -> None:
    a, b = PAIRS[kind]
    report = scan([Document("a", a), Document("b", b)], CONFIG, engine=LocalEngine(1))
    pair = decided(a, b)
    assert report.pairs == ((pair,) if pair.relation else ())


@pytest.mark.parametrize(("kind", "relation"), [("spun", "spun"), ("near", "near_duplicate"), ("trimmed", "partial"),
                                                ("noisy", "near_duplicate"), ("unrelated", "")])
def test_each_pair_gets_its_relation(kind: str, relation: str) -> None:
    assert decided(*PAIRS[kind]).relation == relation


def test_no_copy_still_carries_its_figures() -> None:
    pair = decided(ORIGINAL, OTHER)
    assert pair.relation == "" and (pair.a, pair.b) == ("a", "b")
    assert set(pair.details) == {"char_jaccard", "char_containment"}
    assert 0.0 <= pair.jaccard <= pair.containment < 0.2


def test_a_spun_pair_lists_its_substitutions() -> None:
    pair = decided(ORIGINAL, SPUN)
    assert ("backed", "supported") in {(s.a_text, s.b_text) for s in pair.substitutions}
    for s in pair.substitutions:
        assert ORIGINAL[s.a_start : s.a_end] == s.a_text and SPUN[s.b_start : s.b_end] == s.b_text


def test_texts_are_not_read_when_the_figures_decide() -> None:
    calls: list[str] = []
    decided(*PAIRS["unrelated"], calls)  # too little shared for a passage
    assert calls == []


def test_a_copy_reads_its_texts_once_for_its_passages() -> None:
    calls: list[str] = []
    a, b = PAIRS["trimmed"]
    pair = decided(a, b, calls)
    assert calls == ["texts"] and pair.relation == "partial"
    (passage,) = pair.passages
    assert b[passage.b_start : passage.b_end] == b and passage.changed == 0.0


def test_texts_are_read_once_to_align_a_possibly_spun_pair_and_find_its_passages() -> None:
    calls: list[str] = []
    pair = decided(ORIGINAL, SPUN, calls)
    assert pair.relation == "spun" and pair.passages
    assert calls == ["texts"]


def test_a_pair_sharing_only_a_paragraph_is_a_passage_pair() -> None:
    a = OTHER + "\n\n" + ORIGINAL + "\n\n" + OTHER.replace("council", "board")
    storm = ("Storms closed schools across the region on Friday, and the airport cancelled most of its flights. "
             "Forecasters expect the rain to ease by Sunday, though rivers in the north may still rise. ")
    b = storm * 4 + "\n\n" + ORIGINAL  # most of b is its own: no partial copy, one shared passage
    pair = decided(a, b)
    assert pair.relation == "passage", pair
    (passage,) = pair.passages
    assert a[passage.a_start : passage.a_end] == ORIGINAL and b[passage.b_start : passage.b_end] == ORIGINAL


def test_a_passage_in_the_boilerplate_of_either_text_makes_no_passage_pair() -> None:
    a = OTHER + "\n\n" + ORIGINAL + "\n\n" + OTHER.replace("council", "board")
    storm = ("Storms closed schools across the region on Friday, and the airport cancelled most of its flights. "
             "Forecasters expect the rain to ease by Sunday, though rivers in the north may still rise. ")
    b = storm * 4 + "\n\n" + ORIGINAL
    start = a.index(ORIGINAL)
    assert decided(a, b, boilerplate=lambda: ([], [])).relation == "passage"
    # The shared paragraph is a line a scan found in many documents (a notice): furniture, not reuse.
    assert decided(a, b, boilerplate=lambda: ([(start, start + len(ORIGINAL))], [])).relation == ""
    assert decided(a, b, boilerplate=lambda: ([], [(len(b) - len(ORIGINAL), len(b))])).relation == ""
    # Boilerplate elsewhere in the texts leaves the passage as it is.
    assert decided(a, b, boilerplate=lambda: ([(0, len(OTHER))], [(0, len(storm))])) == decided(a, b)


def test_a_copy_keeps_its_passages_whatever_its_boilerplate() -> None:
    a, b = PAIRS["trimmed"]
    assert decided(a, b, boilerplate=lambda: ([(0, len(a))], [(0, len(b))])) == decided(a, b)


def test_an_alignment_at_hand_is_used_rather_than_aligning_again() -> None:
    at_hand = align(ORIGINAL, SPUN)
    assert decided(ORIGINAL, SPUN, alignment=at_hand) == decided(ORIGINAL, SPUN)
    # Another pair's alignment (no swaps at all) makes the pair no spun copy: it was the one used.
    assert decided(ORIGINAL, SPUN, alignment=align(ORIGINAL, ORIGINAL)).relation != "spun"


def test_a_short_text_resting_on_its_character_sample_is_checked_on_every_character_ngram() -> None:
    a, b = PAIRS["noisy"]
    calls: list[str] = []

    def contents() -> tuple[str, str]:
        calls.append("contents")
        return a, b

    pair = decided(a, b, calls, contents=contents)
    assert calls == ["contents", "texts"]  # the contents, as the features were taken; the texts for passages
    full = batch_features([a, b], replace(CONFIG, char_sample=1))
    assert (pair.details["char_jaccard"], pair.details["char_containment"]) == overlap(full[0].chars, full[1].chars)
    sampled = first_pass(a, b)
    assert pair.details["char_containment"] != overlap(sampled.features(0).chars, sampled.features(1).chars)[1]


def test_without_contents_the_texts_are_the_contents() -> None:
    a, b = PAIRS["noisy"]
    calls: list[str] = []
    pair = decided(a, b, calls)
    assert calls == ["texts"] and pair == decided(a, b, contents=lambda: (a, b))
