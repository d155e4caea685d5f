"""Tests of the document statistic (dedup.spin.statistic)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.spin import document_statistic
from dedup.spin.statistic import document_statistics
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
