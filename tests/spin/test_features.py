"""Tests of the features of candidate units (dedup.spin.features): restoring a swapped word."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.spin import PhraseChecker
from tests.spin.references import slow_follow


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("They assailed the town at night.", "assailed"),
        ("The council spurned that petition on Friday.", "petition"),
        ("Residents cautioned that prices would rise.", "cautioned"),
    ],
)
def test_restoration_gain_matches_a_slow_computation(checker: PhraseChecker, text: str, word: str) -> None:
    lm = checker.data.lm
    words = text.rstrip(".").split()
    at = words.index(word)
    ids = [lm.ids.get(w.lower(), lm.unknown) for w in words]
    left, right = ids[at - 1], ids[at + 1]

    def phrase(middle: list[int]) -> float:
        total, previous = 0.0, left
        for w in middle:
            total += slow_follow(lm, previous, w)
            previous = w
        return total + slow_follow(lm, previous, right)

    first, end = checker.data.forms[word]
    options = checker.data.alt_text[first:end]
    best = max(phrase([lm.ids.get(w, lm.unknown) for w in o.split(" ")]) for o in options)
    expected = np.clip(best - phrase([ids[at]]), -3.0, 8.0)
    (candidate,) = [c for c in checker.candidates(text) if c.text == word]
    assert candidate.features[0] == pytest.approx(expected)
