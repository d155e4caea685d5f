"""Tests of dedup.stages.analyse: what a batch's analysis holds, checked against the per-part functions."""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
import pytest

from dedup.config import ScanConfig, SpinConfig
from dedup.sketch.features import batch_features, content_text
from dedup.sketch.minhash import Permutations, signatures
from dedup.stages.analyse import (
    Batch,
    BatchResult,
    Ragged,
    analyse_batch,
    analyse_pair,
    anchor_signatures,
    pair_anchors,
    text_anchors,
)
from dedup.text.lines import line_keys
from dedup.text.normalize import normalize

STORY = (
    "Government forces backed by heavy air power are advancing quickly toward a border town still held by the "
    "rebels.\nA day after taking full control of the city, the army is mounting an offensive to recapture the "
    "town.\nReports suggest the fighters fled there from the other side of the border."
)
TEXTS = [
    STORY,
    STORY.upper().replace(" ", "  "),  # equal once normalised
    "Advertisement\nThe harbour was quiet on Sunday as the boats stayed in.\nAdvertisement",
    "",
    "   \n\t",
    "One line only, a short one.",
    STORY.replace("rebels", "insurgents"),
]
CONFIG = ScanConfig(spin=SpinConfig(enabled=False))


@pytest.fixture(scope="module")
def result() -> BatchResult:
    return analyse_batch(Batch(10, TEXTS, None, CONFIG))


def test_the_result_keeps_the_batch_start_and_order(result: BatchResult) -> None:
    assert result.start == 10
    assert len(result.exact_keys) == len(TEXTS) == len(result.lengths) == len(result.spins)
    assert result.lengths.tolist() == [f.length for f in batch_features(TEXTS, CONFIG)]


def test_exact_keys_are_equal_exactly_for_texts_equal_once_normalised(result: BatchResult) -> None:
    for i, a in enumerate(TEXTS):
        for j, b in enumerate(TEXTS):
            if normalize(a) and normalize(b):
                assert (result.exact_keys[i] == result.exact_keys[j]) == (normalize(a) == normalize(b)), (i, j)
    assert result.exact_keys[0] == result.exact_keys[1]
    assert all(len(k) == 16 for i, k in enumerate(result.exact_keys) if normalize(TEXTS[i]))


def test_a_text_with_no_words_has_no_exact_key(result: BatchResult) -> None:
    assert result.exact_keys[3] == result.exact_keys[4] == b""


def test_features_equal_batch_features(result: BatchResult) -> None:
    for k, expected in enumerate(batch_features(TEXTS, CONFIG)):
        found = result.features(k)
        assert found.words.tolist() == expected.words.tolist()
        assert found.chars.tolist() == expected.chars.tolist()
        assert found.sentences.tolist() == expected.sentences.tolist()
        assert found.length == expected.length


def test_signatures_are_the_minhash_signatures_of_the_character_sets(result: BatchResult) -> None:
    perms = Permutations(CONFIG.num_perm, CONFIG.seed)
    chars = [result.chars[k] for k in range(len(TEXTS))]
    assert result.char_sigs.shape == (len(TEXTS), CONFIG.num_perm)
    assert result.char_sigs.tolist() == signatures(chars, perms).tolist()
    anchors = [result.anchors[k] for k in range(len(TEXTS))]
    assert result.anchor_sigs.tolist() == signatures(anchors, perms).tolist()
    assert len(result.anchors[0]) > 0


def test_no_anchor_signatures_without_spun_pairs() -> None:
    found = analyse_batch(Batch(0, TEXTS, None, replace(CONFIG, spun_pairs=False)))
    assert found.anchor_sigs.shape == (0, CONFIG.num_perm)
    assert all(len(found.anchors[k]) == 0 for k in range(len(TEXTS)))


def test_line_keys_are_each_documents_distinct_line_keys(result: BatchResult) -> None:
    for k, text in enumerate(TEXTS):
        expected = sorted({key for _, _, key in line_keys(text) if key is not None})
        assert sorted(result.line_keys[k].tolist()) == expected, k
    assert len(result.line_keys[2]) == 2  # "Advertisement" twice counts once


def test_the_second_pass_leaves_out_the_boilerplate_and_takes_no_keys() -> None:
    text = TEXTS[2]
    spans = [(0, 13), (len(text) - 13, len(text))]
    again = analyse_batch(Batch(0, [text], [spans], CONFIG))
    expected = batch_features([content_text(text, spans)], CONFIG)[0]
    assert again.features(0).words.tolist() == expected.words.tolist()
    assert again.features(0).length == expected.length == 11
    assert again.exact_keys == [b""] and len(again.line_keys[0]) == 0 and again.spins == [None]


def test_phrase_checks_run_on_the_first_pass_when_enabled() -> None:
    found = analyse_batch(Batch(0, [STORY], None, ScanConfig()))
    assert found.spins[0] is not None and found.spins[0].spun is False
    again = analyse_batch(Batch(0, [STORY], [[]], ScanConfig()))
    assert again.spins == [None]


def test_repeats_are_found_only_in_the_documents_that_repeat() -> None:
    passage = "the council met again on Tuesday to discuss the new budget plans"
    found = analyse_batch(Batch(0, [f"{passage}. Then more. {passage}.", STORY], None, CONFIG))
    assert list(found.repeats) == [0]
    assert all(r.count == 2 for r in found.repeats[0])


@pytest.mark.parametrize(
    "arrays",
    [
        [np.array([3, 1, 2]), np.array([], dtype=np.int64), np.array([7])],
        [np.array([], dtype=np.int64)],
        [],
    ],
)
def test_ragged_round_trip(arrays: list[np.ndarray]) -> None:
    ragged = Ragged.of(arrays, np.uint32)
    assert ragged.values.dtype == np.uint32
    assert len(ragged.offsets) == len(arrays) + 1 and ragged.offsets[0] == 0
    assert [ragged[i].tolist() for i in range(len(arrays))] == [a.tolist() for a in arrays]


def test_analyse_pair_gives_the_first_pass_keys_and_features() -> None:
    a, b = TEXTS[0], TEXTS[6]
    pair = analyse_pair(a, b, ScanConfig())
    batch = analyse_batch(Batch(0, [a, b], None, CONFIG))
    assert pair.exact_keys == tuple(batch.exact_keys) and pair.exact_keys[0] != pair.exact_keys[1]
    anchors = pair_anchors(a, b)
    for k in range(2):
        for name in ("words", "chars", "sentences"):
            got, want = getattr(pair.features[k], name), getattr(batch.features(k), name)
            assert got.dtype == want.dtype and got.tolist() == want.tolist(), name
        assert pair.features[k].length == batch.features(k).length
        assert len(pair.features[k].anchors) == 0  # taken apart, only when a verdict needs them
        assert anchors[k].tolist() == batch.features(k).anchors.tolist()


def test_a_batch_result_pickles(result: BatchResult) -> None:
    again = pickle.loads(pickle.dumps(result))
    assert again.start == result.start and again.exact_keys == result.exact_keys
    assert again.char_sigs.tolist() == result.char_sigs.tolist()
    assert again.lengths.tolist() == result.lengths.tolist()
    for name in ("line_keys", "words", "chars", "sentences", "anchors"):
        assert getattr(again, name).values.tolist() == getattr(result, name).values.tolist(), name
        assert getattr(again, name).offsets == getattr(result, name).offsets, name


def test_a_lean_batch_holds_the_full_analysis_but_anchors_repeats_and_phrase_checks() -> None:
    config = ScanConfig()  # spun pairs and phrase checks on
    spans = [[(0, 13)] if t.startswith("Advertisement") else [] for t in TEXTS]
    full = analyse_batch(Batch(0, TEXTS, spans, config))
    lean = analyse_batch(Batch(0, TEXTS, spans, config, lean=True))
    assert np.array_equal(lean.char_sigs, full.char_sigs)
    assert len(lean.anchor_sigs) == 0 and lean.repeats == {} and lean.spins == [None] * len(TEXTS)
    for k in range(len(TEXTS)):
        a, b = lean.features(k), full.features(k)
        assert len(a.anchors) == 0
        for name in ("words", "chars", "sentences", "passage_keys"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert a.length == b.length


def test_anchors_taken_apart_equal_the_full_analysis() -> None:
    config = ScanConfig(spin=SpinConfig(enabled=False))
    spans = [[(0, 13)] if t.startswith("Advertisement") else [] for t in TEXTS]
    full = analyse_batch(Batch(0, TEXTS, spans, config))
    anchors, sigs = anchor_signatures(Batch(0, TEXTS, spans, config))
    assert np.array_equal(sigs, full.anchor_sigs)
    for k, (text, left_out) in enumerate(zip(TEXTS, spans, strict=True)):
        assert np.array_equal(anchors[k], full.anchors[k])
        assert np.array_equal(text_anchors(content_text(text, left_out)), full.anchors[k])
    assert len(full.anchors[0]) > 0
