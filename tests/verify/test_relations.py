"""Tests of dedup.verify.relations: exact overlap figures against Python sets, and the relation each figure supports."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import ScanConfig
from dedup.model import Pair
from dedup.sketch.features import Features
from dedup.text.normalize import tokenize
from dedup.verify.anchors import name_agreement
from dedup.verify.relations import (
    CHAR_CONTAINED,
    SAME_NAMES,
    SIMILAR_LENGTH,
    classify,
    may_need_alignment,
    needs_alignment,
    needs_full_characters,
    overlap,
    verify_pair,
)

KEYS = st.sets(st.integers(0, 2**64 - 1) | st.integers(0, 40), max_size=30)


def as_set(values: set[int]) -> np.ndarray:
    return np.array(sorted(values), dtype=np.uint64)


def features(words: set[int], chars: set[int], length: int) -> Features:
    return Features(words=as_set(words), chars=as_set(chars), sentences=as_set(set()), length=length)


@given(KEYS, KEYS)
@settings(deadline=None)
def test_overlap_equals_python_sets(a: set[int], b: set[int]) -> None:
    jaccard, containment = overlap(as_set(a), as_set(b))
    if not a or not b:
        assert (jaccard, containment) == (0.0, 0.0)
        return
    assert jaccard == len(a & b) / len(a | b)
    assert containment == len(a & b) / min(len(a), len(b))
    assert overlap(as_set(b), as_set(a)) == (jaccard, containment)  # symmetric


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({1, 2, 3, 4}, {3, 4}, (0.5, 1.0)),
        ({1, 2}, {1, 2}, (1.0, 1.0)),
        ({1, 2}, {3, 4}, (0.0, 0.0)),
        (set(), {1}, (0.0, 0.0)),
        (set(), set(), (0.0, 0.0)),
        ({2**64 - 1, 5}, {2**64 - 1}, (0.5, 1.0)),
        ({5, 100}, {1, 5}, (1 / 3, 0.5)),  # an element beyond the other set's largest
        ({0}, {1, 2, 3}, (0.0, 0.0)),
    ],
)
def test_overlap_examples(a: set[int], b: set[int], expected: tuple[float, float]) -> None:
    assert overlap(as_set(a), as_set(b)) == expected


CONFIG = ScanConfig(near_threshold=0.5, partial_threshold=0.6)


@pytest.mark.parametrize(
    ("jaccard", "containment", "char_containment", "length_ratio", "expected"),
    [
        (0.5, 0.5, 0.5, 1.0, "near_duplicate"),  # at the resemblance threshold counts
        (0.3, 0.6, 0.6, 1.0, "near_duplicate"),  # at the containment threshold, same length: a noisy full copy
        (0.3, 0.9, 0.9, SIMILAR_LENGTH, "near_duplicate"),
        (0.3, 0.9, 0.9, SIMILAR_LENGTH - 0.01, "partial"),  # contained but shorter: trimmed or extended
        (0.65, 1.0, 1.0, 0.65, "partial"),  # resembles, but a third is cut off: partial wins
        (0.2, 0.95, 0.95, 0.3, "partial"),
        (0.2, 0.3, CHAR_CONTAINED, 1.0, "near_duplicate"),  # OCR noise: only the characters still match
        (0.2, 0.3, CHAR_CONTAINED - 0.01, 1.0, None),
        (0.49, 0.59, 0.65, 1.0, None),  # two stories sharing some sentences
        (0.0, 0.0, 0.0, 1.0, None),
    ],
)
def test_classify(
    jaccard: float, containment: float, char_containment: float, length_ratio: float, expected: str | None
) -> None:
    assert classify(jaccard, containment, char_containment, length_ratio, CONFIG) == expected


@pytest.mark.parametrize(
    ("fa", "fb", "relation", "score"),
    [
        (features({1, 2, 3, 4}, {1, 2}, 100), features({1, 2, 3, 4}, {1, 2}, 100), "near_duplicate", 1.0),
        (features({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {1}, 100), features({1, 2}, {1}, 20), "partial", 1.0),
        # No shingle relation: the pair still carries its figures, with an empty relation.
        (features({1, 2}, {1, 2}, 10), features({3, 4}, {7, 8}, 10), "", 0.0),
        # Word shingles broken by noise, characters intact: the character containment carries the verdict.
        (features({1, 2, 3}, {1, 2, 3, 4}, 50), features({4, 5, 6}, {1, 2, 3, 4}, 50), "near_duplicate", 1.0),
    ],
)
def test_verify_pair(fa: Features, fb: Features, relation: str, score: float) -> None:
    pair = verify_pair("a", "b", fa, fb, CONFIG)
    assert pair is not None
    assert (pair.a, pair.b, pair.relation, pair.score) == ("a", "b", relation, score)
    # The reported figures are the word-shingle ones; the character ones stand beside them.
    assert (pair.jaccard, pair.containment) == overlap(fa.words, fb.words)
    assert (pair.details["char_jaccard"], pair.details["char_containment"]) == overlap(fa.chars, fb.chars)


def _features(chars: int) -> Features:
    empty = np.empty(0, dtype=np.uint32)
    return Features(empty, np.arange(chars, dtype=np.uint32), empty, 10)


@pytest.mark.parametrize(
    ("relation", "jaccard", "containment", "smaller", "expected"),
    [
        ("partial", 0.1, 0.33, 33, True),  # a short text, a copy on its character sample alone: count them all
        ("partial", 0.1, 0.33, 400, False),  # a large sample is trusted
        ("partial", 0.4, 0.8, 33, False),  # the word n-grams already make it a copy
        ("near_duplicate", 0.6, 0.5, 33, False),
        ("", 0.1, 0.2, 33, False),  # no copy: nothing to confirm
    ],
)
def test_needs_full_characters(
    relation: str, jaccard: float, containment: float, smaller: int, expected: bool
) -> None:
    pair = Pair("a", "b", relation, 0.7, jaccard, containment)
    assert needs_full_characters(pair, _features(smaller), _features(500), ScanConfig()) is expected


def test_a_weak_skeleton_is_aligned_only_when_names_and_figures_agree() -> None:
    # A short paragraph whose skeleton a spinner broke (anchor Jaccard under SPUN_ANCHORS) is still aligned when
    # its names and figures agree; a template story with other names is not, and the names are asked only then.
    config = ScanConfig()
    asked: list[float] = []

    def names(value: float) -> Callable[[], float]:
        def agreement() -> float:
            asked.append(value)
            return value
        return agreement

    assert needs_alignment(None, 0.5, config, 0.5, names(0.0)) and asked == []
    assert needs_alignment(None, 0.5, config, 0.2, names(1.0))
    assert not needs_alignment(None, 0.5, config, 0.2, names(0.71))
    assert not needs_alignment(None, 0.5, config, 0.2)  # no way to ask: the plain gate
    assert not needs_alignment(None, 0.5, config, 0.1, names(1.0))
    assert asked == [1.0, 0.71]


def test_few_shared_characters_are_aligned_only_with_the_skeleton_and_names_kept() -> None:
    # A short text spun at real rates keeps under SPUN_CANDIDATE (0.35) of its character n-grams: down to
    # 0.2 it is aligned when its skeleton holds (anchor Jaccard >= 0.3) and its names and figures agree.
    config = ScanConfig()

    def names(value: float) -> Callable[[], float]:
        return lambda: value

    assert may_need_alignment(None, 0.25, config) and not may_need_alignment(None, 0.15, config)
    assert needs_alignment(None, 0.25, config, 0.5, names(1.0))
    assert not needs_alignment(None, 0.25, config, 0.5, names(0.5))  # other names: a template story
    assert not needs_alignment(None, 0.25, config, 0.5)  # no way to ask
    assert not needs_alignment(None, 0.25, config, 0.2, names(1.0))  # skeleton broken too: one chance, not two
    assert not needs_alignment(None, 0.15, config, 1.0, names(1.0))
    assert not needs_alignment(None, 0.25, ScanConfig(spun_pairs=False), 1.0, names(1.0))


def test_name_agreement_tells_a_spun_copy_from_a_template_story() -> None:
    original = "Officials said Continental Illinois raised its prime rate to 7-3/4 from 7-1/2 on Monday."
    spun = "Authorities stated Continental Illinois lifted its prime rate to 7-3/4 from 7-1/2 on Monday."
    template = "Officials said Manufacturers National raised its prime rate to 7-3/4 from 7-1/2 on Tuesday."
    agreement = [name_agreement(original, tokenize(original), other, tokenize(other)) for other in (spun, template)]
    assert agreement[0] == 1.0
    assert agreement[1] < SAME_NAMES
