"""Tests of scripts/phrase_data/language_model.py on a tiny hand-made CMU model: the vocabulary, the bigrams
kept and their keys, and the trigram layer, read back from the files written."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scripts.phrase_data.language_model import (
    KEY_BITS,
    UNIGRAM_SCALE,
    lm_bigrams,
    lm_vocabulary,
    write_language_model,
    write_trigram_model,
)
from scripts.phrase_data.sources import CmuModel

WORDS = ["<s>", "the", "cat", "sat", "Dog"]  # "<s>" and "Dog" are no plain lower-case words: left out
ZIPF = {"the": 7.0, "cat": 5.0, "sat": 4.5, "zebra": 3.0}  # "zebra" is known to wordfreq only


def ids(*words: str) -> np.ndarray:
    return np.array([WORDS.index(w) for w in words], dtype=np.int64)


MODEL = CmuModel(
    words=WORDS,
    unigram=np.array([-1.0, -1.5, -3.5, -4.0, -3.0]),
    backoff=np.array([-0.5, -0.4, -0.3, -0.2, -0.1]),
    first=ids("<s>", "the", "cat"),
    second=ids("the", "cat", "sat"),
    prob=np.array([-0.8, -2.0, -1.23]),
    bigram_backoff=np.array([-0.1, -0.25, 0.0], dtype=np.float32),
    tri_first=ids("<s>", "the"),
    tri_second=ids("the", "cat"),
    tri_third=ids("cat", "sat"),
    tri_prob=np.array([-1.0, -0.5], dtype=np.float32),
)
# Ids in phrase_lm.npz: the vocabulary sorted.
CAT, SAT, THE, ZEBRA = range(4)


def test_vocabulary_is_sorted_and_maps_cmu_ids() -> None:
    vocabulary, remap = lm_vocabulary(MODEL, ZIPF)
    assert vocabulary == ["cat", "sat", "the", "zebra"]
    assert remap.tolist() == [-1, THE, CAT, SAT, -1]


def test_bigrams_of_left_out_words_are_dropped_and_the_rest_sorted_by_key() -> None:
    _vocabulary, remap = lm_vocabulary(MODEL, ZIPF)
    # "cat sat" (key 0 << 18 | 1) sorts before "the cat" (key 2 << 18 | 0); "<s> the" is dropped.
    assert lm_bigrams(MODEL, remap, min_unigram=-99.0, min_shift=0.0).tolist() == [2, 1]
    # Pruning by rarity: "sat" (log10 -4.0) is rarer than -3.8, so "cat sat" goes.
    assert lm_bigrams(MODEL, remap, min_unigram=-3.8, min_shift=0.0).tolist() == [1]


def test_language_model_file(tmp_path: Path) -> None:
    path = tmp_path / "phrase_lm.npz"
    assert write_language_model(path, MODEL, ZIPF) == 2
    with np.load(path) as data:
        assert bytes(data["words"]).decode("utf-8").split("\n") == ["cat", "sat", "the", "zebra"]
        assert data["in_model"].tolist() == [1, 1, 1, 0]
        assert data["unigram"][[CAT, SAT, THE]].tolist() == [-3500, -4000, -1500]
        assert data["zipf"].tolist() == [50, 45, 70, 30]
        keys = np.cumsum(data["key_planes"].T.copy().view(np.uint32).ravel().astype(np.int64))
        assert [(k >> KEY_BITS, k & ((1 << KEY_BITS) - 1)) for k in keys.tolist()] == [(CAT, SAT), (THE, CAT)]
        assert data["probs"].tolist() == [12, 20]  # -log10 in steps of 0.1
        assert data["scales"].tolist() == [10, UNIGRAM_SCALE, KEY_BITS]


def test_trigram_model_file(tmp_path: Path) -> None:
    path = tmp_path / "phrase_lm3.npz"
    assert write_trigram_model(path, MODEL, ZIPF) == 1  # "<s> the cat" has a left-out word
    with np.load(path) as data:
        assert data["keys"].tolist() == [THE << 2 * KEY_BITS | CAT << KEY_BITS | SAT]
        assert data["probs"].tolist() == [-0.5]
        # One back-off weight per bigram of phrase_lm.npz, in its key order: "cat sat", then "the cat".
        assert data["backoff"].tolist() == [0.0, -0.25]
        assert data["key_bits"].tolist() == [KEY_BITS]
