"""Stage 4, candidates: which pairs of exact-group heads are worth verifying, from four channels.

1. MinHash LSH over each document's character-shingle sample, filtered on the signatures' estimates.
2. Documents sharing whole sentences (trimmed and extended copies).
3. MinHash LSH over anchors, what a spinner leaves alone (names, numbers, the function-word skeleton).
4. Documents sharing passage keys (pairs of content words in a row, in any order): a passage lifted into
   another text.

Only documents long enough to be judged take part (verification would refuse any pair of a shorter one):
thousands of texts of a few words fill LSH buckets with pairs by the million.
"""

from __future__ import annotations

import numpy as np

from dedup.config import ScanConfig
from dedup.engine.base import Engine
from dedup.index.filters import EstimateFilter, SpunEstimateFilter
from dedup.index.lsh import LSHIndex, shared_key_pairs
from dedup.sketch.features import sorted_distinct
from dedup.stages.table import FeatureTable
from dedup.timing import laps
from dedup.verify.relations import MIN_JUDGED_WORDS, SPUN_ANCHORS, SPUN_CANDIDATE

__all__ = ["PASSAGE_CHANNEL_KEYS", "PASSAGE_MAX_POSTINGS", "SENTENCE_MAX_POSTINGS", "find_candidates"]

# A sentence held by more documents than this is furniture or a template, not evidence of copying.
SENTENCE_MAX_POSTINGS = 50

# Passage keys (two content words in a row, in any order) two documents must share, among those held by at
# most PASSAGE_MAX_POSTINGS documents, to be proposed by the passage channel: every proposal costs a search
# for passages. Chosen on the fit half of the PAN 2013 training corpus's pairs and the cost of a Reuters-21578
# scan: of the fit half's pairs in which compare finds a passage, 5 keys held by at most 10 documents propose
# 98% of the randomly obfuscated and 96% of the translated ones (the scan then reports 90.4% / 89.9% of all
# the half's pairs of those types), for 9,606 Reuters pairs and 60% more passage searches there (12,734
# against 7,944); 8 keys propose 90% / 87% for 4,452 pairs, 6 keys 96% / 94% for 7,079, 5 keys held by at
# most 20 documents 99% / 98% for 18,209. Asking where the shared keys lie (so many within a window of
# content words in both texts) or that some be held by few documents sorts Reuters' pairs no better than the
# count does: its stories are short, and PAN's sources are reused by several suspicious documents.
PASSAGE_CHANNEL_KEYS = 5
# A passage key held by more documents than this is wire copy, a template or a common phrase, not one text
# lifting another.
PASSAGE_MAX_POSTINGS = 10


def find_candidates(
    heads: list[int], table: FeatureTable, sigs: np.ndarray, spun_sigs: np.ndarray, config: ScanConfig,
    engine: Engine, *, skip_sentences: np.ndarray | None = None, skip_passages: np.ndarray | None = None,
    anchored: np.ndarray | None = None, touching: int | None = None,
) -> np.ndarray:
    """The candidate pairs, as positions ``(x, y)``, ``x < y``, in ``heads``; sorted and distinct.

    ``sigs`` and ``spun_sigs`` hold every document's character and anchor signatures (row = document).
    ``skip_sentences`` and ``skip_passages`` are keys to pass over in channels 2 and 4 although fewer of
    these documents hold them than the channels' limits (a scan against an archive, where more do).
    ``anchored``, a mask over ``heads``, leaves the others out of channel 3 (a scan against an archive, which
    takes the anchors only of the archived documents that channel may pair with a new one).
    ``touching``: only the pairs with ``y >= touching`` (a scan against an archive: the heads from
    ``touching`` on are the new ones, and the pairs among archived ones are not wanted); the channels' limits
    still count every head, so those pairs are exactly the ones found without it.
    """
    lap = laps("candidates: ")  # the speed benchmark's per-channel figures, off unless asked for (dedup.timing)
    head_index = np.array(heads, dtype=np.int64)
    judged = np.flatnonzero(table.lengths(head_index) >= MIN_JUDGED_WORDS)
    head_sigs = sigs[head_index[judged]]
    sizes = table.char_sizes(head_index[judged])
    chars = LSHIndex.for_threshold(config.lsh_threshold, config.num_perm)
    chars.insert(judged, head_sigs)
    proposed = [chars.candidate_pairs(
        engine=engine, keep=EstimateFilter(sizes, config.near_threshold, config.partial_threshold),
        touching=touching)]
    lap("characters", len(proposed[-1]))
    if config.spun_pairs:
        # Rows of ``judged`` taking part: all, or those ``anchored`` (their anchor signatures at hand).
        taking = slice(None) if anchored is None else np.flatnonzero(anchored[judged])
        anchors = LSHIndex.for_threshold(config.anchor_threshold, config.num_perm)
        anchors.insert(judged[taking], spun_sigs[head_index[judged[taking]]])
        proposed.append(anchors.candidate_pairs(
            engine=engine, keep=SpunEstimateFilter(head_sigs[taking], sizes[taking], SPUN_ANCHORS, SPUN_CANDIDATE),
            touching=touching))
        lap("anchors", len(proposed[-1]))
    sentences = shared_key_pairs([table.sentences(heads[k]) for k in judged.tolist()],
                                 min_share=config.sentence_min_share,
                                 max_postings=SENTENCE_MAX_POSTINGS, skip=skip_sentences,
                                 touching=_from(judged, touching))
    proposed.append(judged[sentences])
    lap("sentences", len(proposed[-1]))
    if config.passages:
        # Passages: documents long enough to hold one that share enough passage keys, whatever else differs.
        long = np.flatnonzero(table.lengths(head_index) >= config.min_passage)
        passages = shared_key_pairs([table.passage_keys(heads[k]) for k in long.tolist()], min_share=0.0,
                                    min_shared=PASSAGE_CHANNEL_KEYS, max_postings=PASSAGE_MAX_POSTINGS,
                                    skip=skip_passages, touching=_from(long, touching))
        proposed.append(long[passages])
        lap("passages", len(proposed[-1]))
    found = np.concatenate(proposed)
    codes = sorted_distinct(found[:, 0] * len(heads) + found[:, 1])  # distinct pairs, in order
    lap("distinct", len(codes))
    return np.stack((codes // len(heads), codes % len(heads)), axis=1)


def _from(positions: np.ndarray, touching: int | None) -> int | None:
    """Where in ``positions`` (sorted positions in the heads) those at least ``touching`` start."""
    return None if touching is None else int(np.searchsorted(positions, touching))
