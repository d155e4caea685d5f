"""Verification: exact set figures for a candidate pair, and the relation they support.

Every pair in a report passes through here; LSH only proposes. Shingle sets are sorted distinct uint64
arrays (see ``dedup.sketch.shingle``), so intersections are one merge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from dedup import kernels
from dedup.config import ScanConfig
from dedup.model import Pair
from dedup.verify.align import Alignment, align, is_spun

if TYPE_CHECKING:
    from collections.abc import Callable

    from dedup.sketch.features import Features
    from dedup.text.normalize import Tokens

__all__ = [
    "MIN_JUDGED_WORDS", "MIN_SPUN_WORDS", "classify", "may_need_alignment", "needs_alignment", "needs_full_characters",
    "overlap", "shared_count", "spun_pair", "verify_pair",
]


_U32 = np.dtype(np.uint32)


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted distinct arrays share.

    >>> shared_count(np.array([1, 2, 3, 4]), np.array([3, 4, 9]))
    2
    """
    if len(a) == 0 or len(b) == 0:
        return 0
    core = kernels.core
    if core is not None and a.dtype == _U32 and b.dtype == _U32 and a.flags.c_contiguous and b.flags.c_contiguous:
        return int(core.shared_count(a, b))  # what the packed features hold: one call, no temporary arrays
    if len(a) > len(b):
        a, b = b, a
    # Look each element of the smaller set up in the larger: cheaper than intersect1d's concatenate and sort.
    slots = np.searchsorted(b, a)
    slots[slots == len(b)] = 0
    return int(np.count_nonzero(b[slots] == a))


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``(jaccard, containment)`` of two sorted distinct shingle arrays.

    Containment is the share of the *smaller* set found in the other: 1.0 when one text holds all of the
    other, which is how trimmed and extended copies show (their Jaccard can be low).

    >>> overlap(np.array([1, 2, 3, 4]), np.array([3, 4]))
    (0.5, 1.0)
    """
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    inter = shared_count(a, b)
    union = len(a) + len(b) - inter
    return inter / union, inter / min(len(a), len(b))


# Two texts of which one holds most of the other are near-duplicates when their lengths are this close;
# when one is much shorter or longer, the copy is partial (trimmed or extended).
SIMILAR_LENGTH = 0.8


# Character containment at which a pair of texts counts as a copy on character evidence alone: what OCR noise
# at 5% of characters leaves (0.76 at worst on Lee-corpus news), far above two different stories (0.4 at most).
CHAR_CONTAINED = 0.7


def classify(jaccard: float, containment: float, char_containment: float, length_ratio: float,
             config: ScanConfig) -> str | None:
    """The shingle-based relation of two distinct texts, or None when the figures show no copy.

    ``jaccard`` and ``containment`` are on word shingles, ``char_containment`` on character n-grams (which
    OCR noise barely moves), ``length_ratio`` is the shorter text's length over the longer's.

    >>> classify(0.8, 0.9, 0.9, 1.0, ScanConfig())
    'near_duplicate'
    >>> classify(0.3, 0.95, 0.95, 0.4, ScanConfig())
    'partial'
    >>> classify(0.2, 0.3, 0.9, 0.95, ScanConfig())  # noisy full copy (OCR): contained, same length
    'near_duplicate'
    >>> classify(0.65, 1.0, 1.0, 0.65, ScanConfig())  # a third cut off: resembles, but is a trimmed copy
    'partial'
    >>> classify(0.2, 0.45, 0.65, 0.9, ScanConfig())  # two stories sharing a few sentences
    """
    contained = containment >= config.partial_threshold or char_containment >= CHAR_CONTAINED
    if contained and length_ratio < SIMILAR_LENGTH:
        return "partial"
    if contained or jaccard >= config.near_threshold:
        return "near_duplicate"
    return None


# Below this many sampled character shingles (a text under about 80 words) the sample is too small for its
# containment alone to make a pair a copy: such a verdict is checked on all the character n-grams.
SMALL_SAMPLE = 100


def needs_full_characters(pair: Pair, fa: Features, fb: Features, config: ScanConfig) -> bool:
    """Whether ``pair`` is a copy on the sampled character containment alone while a text is too short for the
    sample to be trusted (see ``SMALL_SAMPLE``)."""
    by_words = pair.containment >= config.partial_threshold or pair.jaccard >= config.near_threshold
    return bool(pair.relation) and not by_words and min(len(fa.chars), len(fb.chars)) < SMALL_SAMPLE


# Pairs whose character containment reaches this are aligned word by word to see whether they are spun:
# spun copies at 55% substitution keep about half of their character n-grams.
SPUN_CANDIDATE = 0.35
# A near-duplicate whose word n-grams nearly all survive cannot be spun; no need to align it.
NO_SWAPS_ABOVE = 0.9
# Nor can a pair whose anchors (names, numbers, function-word skeleton; see dedup.verify.anchors) mostly differ:
# a spun copy keeps Jaccard >= 0.8 of them at 12-55% substitution, two stories on one topic at most 0.04
# (benchmarks/pair_bench.py).
SPUN_ANCHORS = 0.3
# Short paragraphs run through a spinner that also swaps function words and chains synonyms ("was" -> "turned
# out to be") keep less of their skeleton: of even Lee articles' paragraphs spun by the mixed family at 60-90%,
# half the copies a scan missed had an anchor Jaccard of 0.22-0.29. Down to SPUN_ANCHORS_SAME_NAMES a pair is
# still aligned when its names and figures agree (``dedup.verify.anchors.name_agreement`` >= SAME_NAMES; two
# texts with none agree): a spinner keeps them (98.6% of those copies agree fully), while the wire's template
# stories that the lower gate alone let through ("Continental Illinois raises prime rate" against
# "Manufacturers National raises prime", "Comex gold" against "Comex copper": Reuters-21578 spun pairs
# 26 -> 84) agree at most 0.71.
SPUN_ANCHORS_SAME_NAMES = 0.15
SAME_NAMES = 0.8
# The same second chance for the character gate: a short text spun at real rates (60-90% of a spinner's slots,
# phrases chained on synonyms) keeps less than SPUN_CANDIDATE of its character n-grams. Down to
# SPUN_CANDIDATE_SAME_NAMES a pair is still aligned when its skeleton holds (anchor Jaccard >= SPUN_ANCHORS) and
# its names and figures agree. Chosen on even Lee paragraphs spun at 60-90% by the thesaurus, phrase and
# function spinners one after the other: 23 of their 467 copies fell under the character gate, 17 of them at
# 0.2-0.35 with their skeleton and names kept; the Reuters-21578 scan's spun pairs and a Brown scan stay as
# they were. (The candidate filters still ask SPUN_CANDIDATE less their margin of the estimates, 0.15.)
SPUN_CANDIDATE_SAME_NAMES = 0.2


def may_need_alignment(pair: Pair | None, char_containment: float, config: ScanConfig) -> bool:
    """Whether a candidate could need aligning once its anchors are known (``needs_alignment``): the gates
    that need neither its anchors nor its texts."""
    if not config.spun_pairs or char_containment < SPUN_CANDIDATE_SAME_NAMES:
        return False
    return pair is None or pair.relation == "" or (pair.relation == "near_duplicate" and pair.jaccard < NO_SWAPS_ABOVE)


def needs_alignment(pair: Pair | None, char_containment: float, config: ScanConfig,
                    anchor_jaccard: float = 1.0, names: Callable[[], float] | None = None) -> bool:
    """Whether a candidate should be aligned to check for spinning (given its shingle verdict and, when
    known, the Jaccard of the two texts' anchor sets, and a way to take how far their names and figures
    agree, asked only for an anchor Jaccard between SPUN_ANCHORS_SAME_NAMES and SPUN_ANCHORS, or a character
    containment between SPUN_CANDIDATE_SAME_NAMES and SPUN_CANDIDATE)."""
    if not may_need_alignment(pair, char_containment, config):
        return False
    few_chars = char_containment < SPUN_CANDIDATE
    if few_chars and anchor_jaccard < SPUN_ANCHORS:
        return False
    if few_chars or anchor_jaccard < SPUN_ANCHORS:
        return anchor_jaccard >= SPUN_ANCHORS_SAME_NAMES and names is not None and names() >= SAME_NAMES
    return True


# Floors below which a text is too short to judge (exact copies are still found, in their own step). Two
# unrelated texts of a few words share a word 3-gram, or align word for word through synonyms, by chance:
# among 25,000 random texts of 3-8 words, one cluster of 2,550 formed, labelled spun with score 1.0.
# A near-duplicate or partial copy needs the shorter text to have MIN_JUDGED_WORDS words, a spun copy
# MIN_SPUN_WORDS (a spun sentence is judged; a spun phrase is not). News articles are far longer.
MIN_JUDGED_WORDS = 8
MIN_SPUN_WORDS = 12


def spun_pair(a: str, b: str, text_a: str, text_b: str, shingled: Pair | None,
              alignment: Alignment | None = None,
              tokens: Callable[[], tuple[Tokens, Tokens]] | None = None) -> Pair | None:
    """Align the two texts; the pair as ``spun`` (with its substitutions) when the alignment shows spinning,
    else the shingle verdict unchanged. Texts under ``MIN_SPUN_WORDS`` words are not aligned. ``alignment``
    may pass the two texts' alignment already at hand, ``tokens`` a way to take their ``tokenize``."""
    if min(len(text_a.split()), len(text_b.split())) < MIN_SPUN_WORDS:
        return shingled if shingled is not None and shingled.relation else None
    if alignment is None:
        tokens_a, tokens_b = tokens() if tokens is not None else (None, None)
        alignment = align(text_a, text_b, tokens_a=tokens_a, tokens_b=tokens_b)
    if not is_spun(alignment):
        return shingled if shingled is not None and shingled.relation else None
    jaccard = shingled.jaccard if shingled else 0.0
    containment = shingled.containment if shingled else 0.0
    details = dict(shingled.details) if shingled else {}
    details.update({"coverage": alignment.coverage, "changed": alignment.changed})
    return Pair(a, b, "spun", alignment.score, jaccard, containment, details, alignment.substitutions)


def verify_pair(a: str, b: str, fa: Features, fb: Features, config: ScanConfig) -> Pair:
    """Check a candidate pair on its exact shingle sets. The pair's relation is "" when the figures show
    no copy (the caller drops it unless alignment finds it spun).

    The reported ``jaccard`` and ``containment`` are on the configured shingles (word 3-grams by default);
    the character containment, which OCR noise and small edits barely move, can also carry the verdict and
    is reported beside them with the character Jaccard (``char_containment``, ``char_jaccard``).
    """
    jaccard, containment = overlap(fa.words, fb.words)
    char_jaccard, char_containment = overlap(fa.chars, fb.chars)
    ratio = min(fa.length, fb.length) / max(fa.length, fb.length, 1)
    too_short = min(fa.length, fb.length) < MIN_JUDGED_WORDS
    relation = None if too_short else classify(jaccard, containment, char_containment, ratio, config)
    details = {"char_jaccard": char_jaccard, "char_containment": char_containment}
    # A pair with no shingle relation still carries its figures (relation None) so spin checks can use them.
    return Pair(a, b, relation or "", max(containment, char_containment), jaccard, containment, details)
