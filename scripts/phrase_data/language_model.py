"""Writers of the language model files of the phrase checks: ``phrase_lm.npz`` (unigrams and bigrams) and
``phrase_lm3.npz`` (its trigram layer), both from the CMU Sphinx model read by ``sources.read_cmu_trie``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scripts.phrase_data.sources import WORD_SHAPE, CmuModel

__all__ = ["KEY_BITS", "MIN_SHIFT", "MIN_UNIGRAM", "PROB_SCALE", "UNIGRAM_SCALE", "lm_bigrams", "lm_vocabulary",
           "write_language_model", "write_trigram_model"]

# Bigram log-probabilities are stored in steps of 1/PROB_SCALE (log10 units) as one byte.
PROB_SCALE = 10
# Optional pruning: a bigram is dropped when one of its words is rarer than ``min_unigram`` (log10
# probability) or when its probability is within ``min_shift`` (log10) of what backing off would give, so
# dropping it changes the model by less than that. The defaults keep everything.
MIN_UNIGRAM = -99.0
MIN_SHIFT = 0.0
# Unigram log-probabilities and back-off weights are stored in steps of 1/UNIGRAM_SCALE as int16.
UNIGRAM_SCALE = 1000
# Word ids take this many bits of a bigram key: key = first << KEY_BITS | second.
KEY_BITS = 18


def lm_vocabulary(cmu: CmuModel, zipf: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """The words of ``phrase_lm.npz`` in id order (sorted), and each CMU word's id among them (-1: left out)."""
    cmu_index = {w: i for i, w in enumerate(cmu.words) if WORD_SHAPE.fullmatch(w)}
    vocabulary = sorted(set(cmu_index) | set(zipf))
    if len(vocabulary) >= 1 << KEY_BITS:
        raise SystemExit(f"error: {len(vocabulary)} words do not fit in {KEY_BITS}-bit ids")
    remap = np.full(len(cmu.words), -1, dtype=np.int64)
    for new_id, word in enumerate(vocabulary):
        old_id = cmu_index.get(word)
        if old_id is not None:
            remap[old_id] = new_id
    return vocabulary, remap


def lm_bigrams(cmu: CmuModel, remap: np.ndarray, *, min_unigram: float, min_shift: float) -> np.ndarray:
    """Indices of the CMU bigrams ``phrase_lm.npz`` keeps, in the order of their keys there."""
    first = remap[cmu.first]
    second = remap[cmu.second]
    shift = cmu.prob - (cmu.backoff[cmu.first] + cmu.unigram[cmu.second])
    common = (cmu.unigram[cmu.first] >= min_unigram) & (cmu.unigram[cmu.second] >= min_unigram)
    kept = np.flatnonzero((first >= 0) & (second >= 0) & common & (np.abs(shift) >= min_shift))
    return kept[np.argsort((first[kept] << KEY_BITS) | second[kept])]


def write_language_model(
    path: Path,
    cmu: CmuModel,
    zipf: dict[str, float],
    *,
    prob_scale: int = PROB_SCALE,
    min_unigram: float = MIN_UNIGRAM,
    min_shift: float = MIN_SHIFT,
) -> int:
    """Write ``phrase_lm.npz``; returns the number of bigrams kept."""
    vocabulary, remap = lm_vocabulary(cmu, zipf)
    cmu_index = {cmu.words[i]: i for i in np.flatnonzero(remap >= 0).tolist()}
    # wordfreq and the CMU model count on different scales; words both know well line them up.
    shared = [w for w in cmu_index if zipf.get(w, 0.0) >= 4.0]
    offset = float(np.median([cmu.unigram[cmu_index[w]] - (zipf[w] - 9.0) for w in shared]))
    unigram = np.empty(len(vocabulary))
    backoff = np.zeros(len(vocabulary))
    zipf_values = np.empty(len(vocabulary))
    in_model = np.zeros(len(vocabulary), dtype=np.uint8)
    for new_id, word in enumerate(vocabulary):
        old_id = cmu_index.get(word)
        if old_id is not None:
            in_model[new_id] = 1
            unigram[new_id] = cmu.unigram[old_id]
            backoff[new_id] = cmu.backoff[old_id]
            zipf_values[new_id] = zipf.get(word, cmu.unigram[old_id] - offset + 9.0)
        else:
            unigram[new_id] = zipf[word] - 9.0 + offset
            zipf_values[new_id] = zipf[word]
    kept = lm_bigrams(cmu, remap, min_unigram=min_unigram, min_shift=min_shift)
    keys = (remap[cmu.first[kept]] << KEY_BITS) | remap[cmu.second[kept]]
    probs = np.clip(np.round(-cmu.prob[kept] * prob_scale), 0, 255).astype(np.uint8)
    deltas = np.diff(keys, prepend=0).astype(np.uint32)
    # Deltas stored as four byte planes: the high planes are nearly all zero and compress to almost nothing.
    planes = deltas.view(np.uint8).reshape(-1, 4).T.copy()
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            words=np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8),
            unigram=np.round(unigram * UNIGRAM_SCALE).astype(np.int16),
            backoff=np.round(backoff * UNIGRAM_SCALE).astype(np.int16),
            zipf=np.clip(np.round(zipf_values * 10), 0, 255).astype(np.uint8),
            in_model=in_model,
            key_planes=planes,
            probs=probs,
            scales=np.array([prob_scale, UNIGRAM_SCALE, KEY_BITS], dtype=np.int32),
        )
    return int(len(keys))


def write_trigram_model(
    path: Path,
    cmu: CmuModel,
    zipf: dict[str, float],
    *,
    min_unigram: float = MIN_UNIGRAM,
    min_shift: float = MIN_SHIFT,
) -> int:
    """Write ``phrase_lm3.npz``, the trigram layer over ``phrase_lm.npz``; returns the number of trigrams.

    In ``phrase_lm.npz``'s word ids: ``keys``, the sorted trigram keys ``a << 2 * key_bits | b << key_bits
    | c`` (uint64) of the CMU trigrams "a b c" whose three words all have ids; ``probs``, their log10
    P(c | a b) (float16); ``backoff``, the log10 back-off weight of each bigram of ``phrase_lm.npz``, in
    the order of its keys (float16; 0 for a bigram no trigram extends); ``key_bits``. A trigram the
    file lacks backs off: log10 P(c | a b) = backoff(a b) + log10 P(c | b), backoff(a b) = 0 when
    ``phrase_lm.npz`` lacks "a b" too.
    """
    _vocabulary, remap = lm_vocabulary(cmu, zipf)
    if 3 * KEY_BITS > 64:
        raise SystemExit(f"error: three {KEY_BITS}-bit word ids do not fit in a 64-bit key")
    kept = lm_bigrams(cmu, remap, min_unigram=min_unigram, min_shift=min_shift)
    ids = [remap[words] for words in (cmu.tri_first, cmu.tri_second, cmu.tri_third)]
    known = (ids[0] >= 0) & (ids[1] >= 0) & (ids[2] >= 0)
    keys = np.zeros(int(known.sum()), dtype=np.uint64)
    for word_ids in ids:
        keys = (keys << np.uint64(KEY_BITS)) | word_ids[known].astype(np.uint64)
    order = np.argsort(keys)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            keys=keys[order],
            probs=cmu.tri_prob[known][order].astype(np.float16),
            backoff=cmu.bigram_backoff[kept].astype(np.float16),
            key_bits=np.array([KEY_BITS], dtype=np.int32),
        )
    return int(len(keys))

