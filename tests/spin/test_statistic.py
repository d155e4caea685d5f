"""Tests of the document statistic (dedup.spin.statistic)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.spin import document_statistic
from dedup.spin.statistic import document_statistics, repeats_muted
from tests.spin.references import slow_statistic


@pytest.mark.parametrize("seed", range(4))
def test_statistics_of_many_texts_are_those_of_each_alone(seed: int) -> None:
    # Sizes around the pairwise-summation block (128) and beyond, empty runs among them; the sums must
    # agree to the last bit, which random values would show if the terms were added in another order.
    rng = np.random.default_rng(seed)
    sizes = rng.choice([0, 1, 2, 7, 8, 9, 31, 127, 128, 129, 300, 1000], size=12)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    log_lrs = rng.normal(-1.0, 4.0, int(bounds[-1]))
    log_lrs[rng.random(len(log_lrs)) < 0.02] = 40.0  # past the cap of 30
    statistics, rates = document_statistics(log_lrs, bounds)
    expected = [slow_statistic(log_lrs[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    assert list(zip(statistics, rates, strict=True)) == expected
    assert [document_statistic(log_lrs[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)] == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-20, 20), max_size=40), st.floats(0.01, 20))
def test_statistic_grows_with_a_more_suspicious_word(log_lrs: list[float], extra: float) -> None:
    before, _ = document_statistic(np.array(log_lrs))
    after, rate = document_statistic(np.array([*log_lrs, extra]))
    assert after >= before
    assert document_statistic(np.array(log_lrs[::-1]))[0] == pytest.approx(before)
    assert 0.0 < rate <= 0.5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["secant", "Secant", "line", "said", "involution"]), st.floats(-20, 20)),
                max_size=30))
def test_each_wording_hints_at_spin_once(words: list[tuple[str, float]]) -> None:
    wordings = [w for w, _ in words]
    log_lrs = np.array([x for _, x in words])
    muted = repeats_muted(log_lrs, wordings)
    # Nothing is made more suspicious, and every ratio below one stays.
    assert np.all(muted <= np.maximum(log_lrs, 0.0))
    assert np.array_equal(muted[log_lrs <= 0], log_lrs[log_lrs <= 0])
    # Of each wording, its largest ratio above one is kept exactly once.
    for wording in {w.lower() for w in wordings}:
        mine = [k for k, w in enumerate(wordings) if w.lower() == wording]
        positive = [log_lrs[k] for k in mine if log_lrs[k] > 0]
        kept = [muted[k] for k in mine if muted[k] > 0]
        assert kept == ([max(positive)] if positive else [])


def test_a_repeated_hint_adds_nothing_but_a_repeated_clean_word_still_counts() -> None:
    once = document_statistic(repeats_muted(np.array([4.0, -1.0]), ["secant", "said"]))[0]
    hint_thrice = document_statistic(repeats_muted(np.array([4.0, 4.0, 4.0, -1.0]), ["secant"] * 3 + ["said"]))[0]
    clean_thrice = document_statistic(repeats_muted(np.array([4.0, -1.0, -1.0, -1.0]), ["secant"] + ["said"] * 3))[0]
    assert hint_thrice == once
    assert clean_thrice < once
