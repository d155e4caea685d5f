"""Tests of benchmarks.passage_channel: its keys are the scan's passage keys, its positions point at them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.passage_channel import key_positions, window_count
from dedup.config import ScanConfig
from dedup.sketch.features import reference_batch_features

SEEDS = sorted((Path(__file__).resolve().parents[2] / "examples" / "seeds").glob("*.txt"))


def check(texts: list[str]) -> None:
    features = reference_batch_features(texts, ScanConfig())
    for (keys, positions), f in zip(key_positions(texts), features, strict=True):
        assert np.array_equal(keys, f.passage_keys)
        assert len(positions) == len(keys) and (len(positions) == 0 or positions.min() >= 0)
        assert len(set(positions.tolist())) == len(positions)  # each key's first run: one key per run


def test_the_keys_are_the_scans_passage_keys_on_the_samples() -> None:
    check([p.read_text(encoding="utf-8") for p in SEEDS] + ["", "one", "The the of."])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab cé\u00dfx.\n"), max_size=80), max_size=6))
def test_the_keys_are_the_scans_passage_keys_on_random_text(texts: list[str]) -> None:
    check(texts)


def test_a_run_shared_in_both_texts_is_found_in_its_window() -> None:
    # keys 0-2 lie within 10 content words of each other in both texts; key 3 is far off in a.
    assert window_count(np.array([3, 5, 9, 400]), np.array([70, 61, 66, 68]), 10) == 3
    assert window_count(np.array([3, 5, 9, 400]), np.array([70, 61, 66, 68]), 6) == 2
    assert window_count(np.array([], dtype=np.int64), np.array([], dtype=np.int64), 10) == 0
