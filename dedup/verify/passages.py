"""Reused passages: the stretches of one text that reappear in another, though most of both differ.

The steps are those of the PAN text alignment systems (seed, extend, filter; Sanchez-Perez, Sidorov and
Gelbukh 2014 is the model), on sentences, so that rewording inside a sentence does not break a passage:

1. **Units.** Each text is cut into sentences (``dedup.verify.align.sentence_bounds``); a sentence of fewer
   than ``MIN_UNIT`` words joins the next. A unit is the bag of its content words, crude-stemmed
   (``dedup.text.stems``), weighted tf-isf: a word in few units of the two texts weighs more.
2. **Seeds.** A pair of units, one from each text, is a seed when both their cosine and their Dice overlap
   reach ``SEED_COSINE`` and ``SEED_DICE``: a sentence copied, spun, shuffled or cut down still shares most
   of its rarer words; so is a short unit most of whose words a long one holds (``SEED_CONTAINED``). Only
   units sharing a word are ever compared (an inverted index), and a word in more than
   ``MAX_UNITS_OF_WORD`` units of a text is no evidence, so the cost stays near the number of seeds. A seed
   is kept only when it is the closest match of its unit in one text or the other: a sentence the other
   text repeats seeds only its best copy.
3. **Extension.** Seeds are grouped into passages: sorted along one text, split where the gap to the next
   seed exceeds ``MAX_GAP`` units; then each group the same way along the other text; until nothing splits.
   A passage spans its seeds' first to last unit in each text. It is kept when the two spans, as bags of
   words, still have cosine ``MIN_PASSAGE_COSINE``; otherwise it is split again with a smaller gap. A kept
   passage grows by the pairs of units around it that still resemble each other (``EXTEND_COSINE``).
4. **Summaries.** The seeds are also grouped with a small gap in one text (``SUMMARY_SHORT_GAP``) and a
   wide one in the other (``SUMMARY_GAP``): a summary's sentences follow one another while the sentences
   they summarise lie anywhere in the source. A group spanning ``SUMMARY_RATIO`` times more words in the
   wide text is a summary. It replaces the ordinary passages inside it when they hold few of its seeds and
   its seeds leap through the wide text (``_summaries_first``); otherwise it is kept only where no
   ordinary passage is.
5. **Filter.** Passages overlapping a longer one in either text are dropped (summaries after all others);
   so is any whose shorter side has fewer than ``min_words`` words.

Offsets are characters of the texts as given (half-open). A passage begins at the first content word of its
first sentence that the other side has too, and ends after the last such word of its last sentence: a
passage lifted from the middle of a sentence leaves the rest of that sentence out. A passage copied word
for word (``VERBATIM_SHARE``) is cut to the words the two sides have in common, in order, wherever they
begin and end.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup import kernels
from dedup.model import Passage
from dedup.text.kept import kept_for_texts
from dedup.text.normalize import Tokens, tokenize
from dedup.text.stems import crude_stem
from dedup.text.words import ALIGNMENT_FUNCTION_WORDS
from dedup.verify.align import sentence_bounds
from dedup.verify.blocks import matching_blocks

__all__ = ["MIN_PASSAGE_WORDS", "find_passages", "whole_passage"]

# A sentence of fewer words than this joins the next one (headings, "he said." fragments).
MIN_UNIT = 5
# Seed thresholds (Sanchez-Perez et al. 2014 use 0.33 for both).
SEED_COSINE = 0.33
SEED_DICE = 0.33
# A short sentence against a long unit (sentences the other side runs together, or a sentence cut down)
# fails Dice however much of it the unit holds: such a pair is a seed too when the unit holds SEED_CONTAINED
# of the smaller side's content words, at least SEED_SHARED of them, with cosine SEED_CONTAINED_COSINE (fit
# half of the PAN training corpus: plagdet 0.855 -> 0.866 with the best-seed rule below).
SEED_CONTAINED = 0.6
SEED_SHARED = 4
SEED_CONTAINED_COSINE = 0.25
# A word in more units of one text than this says nothing about which of them was copied.
MAX_UNITS_OF_WORD = 60
# Seeds further apart than this many units (in either text) start a new passage.
MAX_GAP = 4
# A passage whose two spans resemble each other less than this (cosine of the spans' bags) is split again.
MIN_PASSAGE_COSINE = 0.34
# A passage grows by the sentence before (after) it in both texts while those two have this cosine: fit half
# of the PAN training corpus, plagdet 0.889 -> 0.897 at 0.12 (translations' recall 0.847 -> 0.894; 0.896 at
# 0.2, 0.895 at 0.08), 0.898 when word-for-word passages are left as they are.
EXTEND_COSINE = 0.12
# Summaries: seeds at most SUMMARY_SHORT_GAP units apart in one text and SUMMARY_GAP in the other, at least
# SUMMARY_SEEDS of them, spanning SUMMARY_RATIO times more words in the other text, and whose two spans have
# cosine SUMMARY_COSINE or more.
SUMMARY_RATIO = 3.0
SUMMARY_GAP = 1000
SUMMARY_SHORT_GAP = 4
SUMMARY_SEEDS = 3
SUMMARY_COSINE = 0.2
# A summary replaces the ordinary passages it overlaps when none holds over SUMMARY_OWN_SEEDS of its seeds,
# seeds sit on SUMMARY_DENSE of its short side's units, and the median step between consecutive seeds in the
# long side is SUMMARY_LEAP units or more (fit half of the PAN training corpus: summaries' plagdet 0.33 ->
# 0.52, the whole 0.880 -> 0.889; sharing 1.0 instead of 0.6 gave summaries 0.56 but cost the other types).
SUMMARY_OWN_SEEDS = 0.6
SUMMARY_DENSE = 0.75
SUMMARY_LEAP = 3
# A passage resting on one pair of sentences is kept only when its two sides share most of their word forms
# (at most this share changed): two stories on one subject share a sentence's rarer words here and there.
LONE_SEED_CHANGED = 0.5
# A passage whose two sides each hold at least TEMPLATE_FACTS distinct figures but share under TEMPLATE_SHARED
# of the smaller set is one template filled twice: newswire reports of other issues, other markets, other
# days ("X is issuing a 75 mln dlr bond"). A copied passage keeps its figures.
TEMPLATE_FACTS = 3
TEMPLATE_SHARED = 0.5
# A passage whose two sides keep, in order, runs of VERBATIM_RUN words or more covering VERBATIM_SHARE of
# the shorter side is a copy word for word: it is cut to the first and last run and grown while the words
# agree, not to sentence ends (PAN's cases begin and end mid-sentence, beside sentences of other text).
VERBATIM_RUN = 4
VERBATIM_SHARE = 0.7
# Passages whose shorter side has fewer words are not reported (``dedup scan --min-passage``).
MIN_PASSAGE_WORDS = 30

_NOT_WORD = frozenset(ALIGNMENT_FUNCTION_WORDS)
# The words holding a digit, found in one pass over the words joined by NUL (which no word holds), not one
# search per word. A match may start only where a word does, and its runs never give back what they took
# (possessive): ``[^\x00\d]*\d[^\x00]*`` alone finds the same words, but tries every position of every word
# and backtracks through the rest of it, a tenth of a passage search (tests/verify/test_passage_kernels.py
# holds the two equal).
_DIGIT_WORDS = re.compile(r"(?<![^\x00])[^\x00\d]*+\d[^\x00]*+").findall
_CLOSING = frozenset(".,;:!?\"')]\u201d\u2019")


# Texts whose units are kept (see dedup.text.kept), some 4 bytes a character: a scan verifies the pairs of a
# document in a row, and the same documents again in the pairs of others. On the 50,000-document speed corpus
# each of two workers took the units of 18,900 texts of the 67,800 asked with 3 million characters kept,
# 12,500 with 10 million (40 MB).
KEPT_CHARACTERS = 10_000_000


def _stem_bags(text: str, tokens: Tokens) -> tuple[tuple[tuple[int, int], ...], tuple[dict[str, int], ...]]:
    """A text's units (word ranges) and each unit's bag of content-word stems."""
    bounds = sentence_bounds(text, tokens) or ([(0, len(tokens))] if len(tokens) else [])
    merged: list[tuple[int, int]] = []
    for start, end in bounds:
        if merged and merged[-1][1] - merged[-1][0] < MIN_UNIT:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and merged[-1][1] - merged[-1][0] < MIN_UNIT:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    words = tokens.words
    # Counted in C (a Counter keeps the order stems are first met, as a loop over the words would): the bags
    # of every text the passage search meets are taken here, a fifth of its time as a loop.
    bags = [Counter(filter(None, map(_content_stem, words[start:end]))) for start, end in merged]
    return tuple(merged), tuple(bags)


@functools.lru_cache(maxsize=1 << 18)
def _content_stem(word: str) -> str | None:
    """A word's ``crude_stem``, or None for a function word or one that does not begin with a letter or digit."""
    return None if word in _NOT_WORD or not word[:1].isalnum() else crude_stem(word)


@dataclass(frozen=True, slots=True)
class _UnitEntries:
    """``_stem_bags`` laid flat, one entry per distinct stem of each unit, units in order and each bag in its
    own order: the entries of unit ``u`` are ``offsets[u]:offsets[u + 1]``."""

    bounds: tuple[tuple[int, int], ...]
    stems: list[str]
    counts: list[int]
    offsets: list[int]
    unit: np.ndarray  # int64, the unit of each entry
    weights: np.ndarray  # float64, the counts


@kept_for_texts(KEPT_CHARACTERS)
def _unit_entries(text: str, tokens: Tokens) -> _UnitEntries:
    bounds, bags = _stem_bags(text, tokens)
    stems = [stem for bag in bags for stem in bag]
    counts = [c for bag in bags for c in bag.values()]
    offsets = list(itertools.accumulate(map(len, bags), initial=0))
    unit = np.repeat(np.arange(len(bags), dtype=np.int64), [len(bag) for bag in bags])
    return _UnitEntries(bounds, stems, counts, offsets, unit, np.array(counts, dtype=np.float64))


class _Units:
    """The sentence units of one text: its tokens, the units' word ranges and their bags of content-word ids
    (ids of the pair's ``vocabulary``), flat (``ids``, ``counts``, ``offsets`` as in ``_UnitEntries``) and as
    dicts (``bags``)."""

    def __init__(self, text: str, tokens: Tokens, vocabulary: dict[str, int]) -> None:
        entries = _unit_entries(text, tokens)
        self.tokens = tokens
        self.bounds = entries.bounds
        self.entries = entries
        # The ids in the order the stems are met, as numbering each bag in turn would give them: the stems new
        # to the pair numbered on, in order, then every entry looked up (all in C: a third of a loop's time).
        fresh = list(itertools.filterfalse(vocabulary.__contains__, dict.fromkeys(entries.stems)))
        vocabulary.update(zip(fresh, itertools.count(len(vocabulary))))
        self.ids = list(map(vocabulary.__getitem__, entries.stems))

    @functools.cached_property
    def bags(self) -> list[dict[int, int]]:
        ids, counts, offsets = self.ids, self.entries.counts, self.entries.offsets
        return [dict(zip(ids[s:e], counts[s:e], strict=True)) for s, e in itertools.pairwise(offsets)]

    def __len__(self) -> int:
        return len(self.bounds)


def _entries(units: _Units) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(word id, unit, count) of every distinct word of every unit, as arrays."""
    return np.array(units.ids, dtype=np.int64), units.entries.unit, units.entries.weights


_SEED_THRESHOLDS = (SEED_COSINE, SEED_DICE, SEED_SHARED, SEED_CONTAINED, SEED_CONTAINED_COSINE, MAX_UNITS_OF_WORD)


def _seeds(ua: _Units, ub: _Units, vocabulary_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seed unit pairs ``(i, j)`` and the weight of every word (its isf), through an inverted index."""
    wa, ia, ca = _entries(ua)
    wb, ib, cb = _entries(ub)
    units = len(ua) + len(ub)
    df_a = np.bincount(wa, minlength=vocabulary_size)
    df_b = np.bincount(wb, minlength=vocabulary_size)
    isf = np.log(units / np.maximum(df_a + df_b, 1))
    empty = np.empty(0, dtype=np.int64)
    if len(wa) == 0 or len(wb) == 0:
        return empty, empty, isf
    if kernels.core is not None:  # the same seeds, bit for bit, from the compiled twin of what follows
        i, j = kernels.call(kernels.core.passage_seeds, (wa, ia, ca, len(ua), df_a), (wb, ib, cb, len(ub), df_b),
                            isf, _SEED_THRESHOLDS)
        return i, j, isf
    norm_a = np.sqrt(np.bincount(ia, weights=(ca * isf[wa]) ** 2, minlength=len(ua)))
    norm_b = np.sqrt(np.bincount(ib, weights=(cb * isf[wb]) ** 2, minlength=len(ub)))
    size_a = np.bincount(ia, minlength=len(ua))
    size_b = np.bincount(ib, minlength=len(ub))
    # Join the two texts' entries on the word: every (unit of a, unit of b) sharing it.
    usable = (df_a <= MAX_UNITS_OF_WORD) & (df_b <= MAX_UNITS_OF_WORD)
    keep_a, keep_b = usable[wa], usable[wb]
    wa, ia, ca, wb, ib, cb = wa[keep_a], ia[keep_a], ca[keep_a], wb[keep_b], ib[keep_b], cb[keep_b]
    order_b = np.argsort(wb, kind="stable")
    wb, ib, cb = wb[order_b], ib[order_b], cb[order_b]
    first = np.searchsorted(wb, wa, side="left")
    last = np.searchsorted(wb, wa, side="right")
    runs = last - first
    if runs.sum() == 0:
        return empty, empty, isf
    left = np.repeat(np.arange(len(wa)), runs)
    offsets = np.arange(runs.sum()) - np.repeat(np.cumsum(runs) - runs, runs)
    right = np.repeat(first, runs) + offsets
    codes = ia[left] * len(ub) + ib[right]
    dots = ca[left] * cb[right] * isf[wa[left]] ** 2
    pairs, where = np.unique(codes, return_inverse=True)
    dot = np.bincount(where, weights=dots)
    shared = np.bincount(where)
    i, j = pairs // len(ub), pairs % len(ub)
    cosine = dot / np.maximum(norm_a[i] * norm_b[j], 1e-12)
    dice = 2 * shared / np.maximum(size_a[i] + size_b[j], 1)
    contained = shared / np.maximum(np.minimum(size_a[i], size_b[j]), 1)
    ok = (cosine >= SEED_COSINE) & (dice >= SEED_DICE)
    ok |= (shared >= SEED_SHARED) & (contained >= SEED_CONTAINED) & (cosine >= SEED_CONTAINED_COSINE)
    i, j, cosine = i[ok], j[ok], cosine[ok]
    best = _best_seeds(i, j, cosine, len(ua), len(ub))
    return i[best], j[best], isf


def _best_seeds(i: np.ndarray, j: np.ndarray, cosine: np.ndarray, units_a: int, units_b: int) -> np.ndarray:
    """Which seeds are the closest match of their unit in a or of their unit in b. A sentence the other
    text repeats (a heading, a slogan) seeds every copy of it, and the stray seeds stretch a passage over
    sentences that were not copied; a unit split in two keeps both halves, each the best of its own unit."""
    if len(i) == 0:
        return np.zeros(0, dtype=bool)
    best_a = np.zeros(units_a)
    np.maximum.at(best_a, i, cosine)
    best_b = np.zeros(units_b)
    np.maximum.at(best_b, j, cosine)
    return (cosine >= best_a[i]) | (cosine >= best_b[j])


def _split(seeds: list[tuple[int, int]], gap: int, axis: int) -> list[list[tuple[int, int]]]:
    """Seeds sorted along one text (``axis`` 0: a, 1: b), cut where the next seed is more than ``gap`` units on."""
    ordered = sorted(seeds, key=lambda s: (s[axis], s[1 - axis]))
    groups: list[list[tuple[int, int]]] = [[ordered[0]]]
    reach = ordered[0][axis]
    for seed in ordered[1:]:
        if seed[axis] - reach > gap:
            groups.append([])
        groups[-1].append(seed)
        reach = max(reach, seed[axis])
    return groups


def _cluster(seeds: list[tuple[int, int]], gaps: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """Split along a (gap ``gaps[0]``), then along b (``gaps[1]``), and so on until no group splits."""
    todo, done = [seeds], []
    while todo:
        group = todo.pop()
        along_a = _split(group, gaps[0], 0)
        if len(along_a) > 1:
            todo.extend(along_a)
            continue
        along_b = _split(group, gaps[1], 1)
        if len(along_b) > 1:
            todo.extend(along_b)
            continue
        done.append(group)
    return done


def _span_cosine(ua: _Units, ub: _Units, weight: list[float], a_units: range, b_units: range) -> float:
    """Cosine of the tf-isf bags of two spans of units (``weight``: each word's isf, as a list)."""
    bag_a: dict[int, float] = {}
    bag_b: dict[int, float] = {}
    for units, span, bag in ((ua, a_units, bag_a), (ub, b_units, bag_b)):
        ids, counts, offsets = units.ids, units.entries.counts, units.entries.offsets
        for k in range(offsets[span.start], offsets[span.stop]):
            w = ids[k]
            bag[w] = bag.get(w, 0.0) + counts[k] * weight[w]
    dot = sum(v * bag_b.get(w, 0.0) for w, v in bag_a.items())
    norm = math.sqrt(sum(v * v for v in bag_a.values()) * sum(v * v for v in bag_b.values()))
    return dot / norm if norm else 0.0


def _passages(seeds: list[tuple[int, int]], gaps: tuple[int, int], ua: _Units, ub: _Units, weight: list[float],
              least_cosine: float = MIN_PASSAGE_COSINE) -> list[tuple[int, int, int, int, int]]:
    """Grouped seeds as unit spans ``(a_first, a_last, b_first, b_last, seeds)``, each validated, smaller
    gaps tried where a group's spans do not resemble each other."""
    out = []
    todo = [(group, gaps) for group in _cluster(seeds, gaps)]
    while todo:
        group, g = todo.pop()
        a1, a2 = min(s[0] for s in group), max(s[0] for s in group)
        b1, b2 = min(s[1] for s in group), max(s[1] for s in group)
        if _span_cosine(ua, ub, weight, range(a1, a2 + 1), range(b1, b2 + 1)) >= least_cosine:
            out.append((a1, a2, b1, b2, len(group)))
        elif max(g) > 0 and len(group) > 1:
            smaller = (max(0, g[0] - 1), max(0, g[1] - 1))
            todo.extend((sub, smaller) for sub in _cluster(group, smaller))
    return out


def _words_of(units: _Units, first: int, last: int) -> int:
    return units.bounds[last][1] - units.bounds[first][0]


def _extended(span: tuple[int, int, int, int, int], ua: _Units, ub: _Units,
              weight: list[float]) -> tuple[int, int, int, int, int]:
    """A passage grown by the pairs of sentences just before and after it, in both texts, while the two of a
    pair still resemble each other (``EXTEND_COSINE``): a sentence reworded too much to seed a passage may
    still begin or end one. A passage copied word for word is left as it is (``_verbatim`` cuts it)."""
    a1, a2, b1, b2, seeds = span
    if _verbatim(ua.tokens, ua.bounds[a1][0], ua.bounds[a2][1], ub.tokens, ub.bounds[b1][0],
                 ub.bounds[b2][1]) is not None:
        return span
    while a1 > 0 and b1 > 0 and _span_cosine(ua, ub, weight, range(a1 - 1, a1), range(b1 - 1, b1)) >= EXTEND_COSINE:
        a1, b1 = a1 - 1, b1 - 1
    while (a2 + 1 < len(ua.bounds) and b2 + 1 < len(ub.bounds)
           and _span_cosine(ua, ub, weight, range(a2 + 1, a2 + 2), range(b2 + 1, b2 + 2)) >= EXTEND_COSINE):
        a2, b2 = a2 + 1, b2 + 1
    return a1, a2, b1, b2, seeds


def find_passages(a: str, b: str, *, tokens_a: Tokens | None = None, tokens_b: Tokens | None = None,
                  min_words: int = MIN_PASSAGE_WORDS) -> tuple[Passage, ...]:
    """The passages of ``a`` that reappear in ``b`` (and the other way), longest first.

    >>> story = ("Rebels backed by Russian air power took the town of Kafr Nabudah on Monday. "
    ...          "The army said its troops had withdrawn to positions south of the town overnight. ")
    >>> other = "Markets in Asia fell sharply on Tuesday as oil prices rose again. " * 3
    >>> found = find_passages(other + story + other, "An opening sentence about the weather today. " + story,
    ...                       min_words=10)
    >>> [(p.words, (other + story + other)[p.a_start:p.a_start + 20]) for p in found]
    [(28, 'Rebels backed by Rus')]
    """
    tokens_a = tokenize(a) if tokens_a is None else tokens_a
    tokens_b = tokenize(b) if tokens_b is None else tokens_b
    if len(tokens_a) == 0 or len(tokens_b) == 0:
        return ()
    vocabulary: dict[str, int] = {}
    ua, ub = _Units(a, tokens_a, vocabulary), _Units(b, tokens_b, vocabulary)
    i, j, isf = _seeds(ua, ub, len(vocabulary))
    weight = isf.tolist()  # the same floats as isf, read faster than numpy scalars by every span's cosine
    if len(i) == 0:
        return ()
    seeds = list(zip(i.tolist(), j.tolist(), strict=True))
    spans = [_extended(span, ua, ub, weight) for span in _passages(seeds, (MAX_GAP, MAX_GAP), ua, ub, weight)]
    spans, summaries = _summaries_first(spans, _summaries(seeds, ua, ub, weight), seeds)
    return _filtered(spans, a, tokens_a, ua, b, tokens_b, ub, min_words, summaries)


Span = tuple[int, int, int, int, int]


def _summaries_first(spans: list[Span], summaries: list[Span],
                     seeds: list[tuple[int, int]]) -> tuple[list[Span], list[Span]]:
    """``spans`` with the summaries that are more than the passages they overlap in place of those passages,
    and the other summaries. A summary is more when none of those passages holds
    ``SUMMARY_OWN_SEEDS`` of its seeds, its seeds cover ``SUMMARY_DENSE`` of its short side's units, and they
    leap through the long side (median step ``SUMMARY_LEAP`` units or more): a passage with a stray seed far
    off has none of that."""
    kept = []
    for s in summaries:
        inside = sorted(x for x in seeds if s[0] <= x[0] <= s[1] and s[2] <= x[1] <= s[3])
        over = [o for o in spans if o[0] <= s[1] and s[0] <= o[1] and o[2] <= s[3] and s[2] <= o[3]]
        steps = sorted(abs(y[1] - x[1]) for x, y in zip(inside, inside[1:], strict=False))
        if (over and max(o[4] for o in over) <= SUMMARY_OWN_SEEDS * s[4] and steps
                and steps[len(steps) // 2] >= SUMMARY_LEAP and _density(s, inside) >= SUMMARY_DENSE):
            spans = [o for o in spans if o not in over] + [s]
        else:
            kept.append(s)
    return spans, kept


def _density(summary: Span, seeds: list[tuple[int, int]]) -> float:
    """The share of the units of a summary's short side (the one of fewer units) that hold a seed."""
    units_a, units_b = summary[1] - summary[0] + 1, summary[3] - summary[2] + 1
    if units_a <= units_b:
        return len({x[0] for x in seeds}) / units_a
    return len({x[1] for x in seeds}) / units_b


def _summaries(seeds: list[tuple[int, int]], ua: _Units, ub: _Units,
               weight: list[float]) -> list[tuple[int, int, int, int, int]]:
    """Summaries: seeds close together in one text (``SUMMARY_SHORT_GAP``) whose sentences lie far apart in
    the other (``SUMMARY_GAP``), the other's span ``SUMMARY_RATIO`` times longer, from ``SUMMARY_SEEDS`` seeds
    or more and resembling the summary (``SUMMARY_COSINE``). They are kept only where no ordinary passage is
    (``_filtered``)."""
    found = []
    for axis, gaps in ((1, (SUMMARY_SHORT_GAP, SUMMARY_GAP)), (0, (SUMMARY_GAP, SUMMARY_SHORT_GAP))):
        for group in _cluster(seeds, gaps):
            if len(group) < SUMMARY_SEEDS:
                continue
            a1, a2 = min(s[0] for s in group), max(s[0] for s in group)
            b1, b2 = min(s[1] for s in group), max(s[1] for s in group)
            short, long = (_words_of(ua, a1, a2), _words_of(ub, b1, b2))[::1 if axis == 1 else -1]
            if long < SUMMARY_RATIO * max(1, short):
                continue
            if _span_cosine(ua, ub, weight, range(a1, a2 + 1), range(b1, b2 + 1)) >= SUMMARY_COSINE:
                found.append((a1, a2, b1, b2, len(group)))
    return found


def _filtered(spans: Sequence[tuple[int, int, int, int, int]], a: str, ta: Tokens, ua: _Units, b: str,
              tb: Tokens, ub: _Units, min_words: int,
              summaries: Sequence[tuple[int, int, int, int, int]] = ()) -> tuple[Passage, ...]:
    """Longest first (``summaries`` after all ``spans``), each passage overlapping none kept before it in
    either text, long enough, and either drawn from two seeds or more or changed little
    (``LONE_SEED_CHANGED``)."""
    def size(s: tuple[int, int, int, int, int]) -> tuple[int, tuple[int, int, int, int, int]]:
        return -(_words_of(ua, s[0], s[1]) + _words_of(ub, s[2], s[3])), s

    sized = sorted(spans, key=size) + sorted(summaries, key=size)
    kept: list[tuple[int, int, int, int, int]] = []
    found: list[Passage] = []
    for s in sized:
        if min(_words_of(ua, s[0], s[1]), _words_of(ub, s[2], s[3])) < min_words:
            continue
        if any(s[0] <= k[1] and k[0] <= s[1] or s[2] <= k[3] and k[2] <= s[3] for k in kept):
            continue
        passage = _passage(a, ta, ua, s[0], s[1], b, tb, ub, s[2], s[3])
        if s[4] < 2 and passage.changed > LONE_SEED_CHANGED:
            continue  # one sentence sharing some rare words with another: two stories on one subject
        if _other_facts(a, ta, ua.bounds[s[0]][0], ua.bounds[s[1]][1], b, tb, ub.bounds[s[2]][0], ub.bounds[s[3]][1]):
            continue  # one template filled with other names and figures ("X is issuing a 75 mln dlr bond")
        kept.append(s)
        found.append(passage)
    return tuple(found)


def _facts(text: str, tokens: Tokens, start: int, end: int) -> set[str]:
    return set(_DIGIT_WORDS("\x00".join(tokens.words[start:end])))


def _other_facts(a: str, ta: Tokens, wa1: int, wa2: int, b: str, tb: Tokens, wb1: int, wb2: int) -> bool:
    """Whether the two sides of a passage give different figures (``TEMPLATE_FACTS``)."""
    facts_a, facts_b = _facts(a, ta, wa1, wa2), _facts(b, tb, wb1, wb2)
    if min(len(facts_a), len(facts_b)) < TEMPLATE_FACTS:
        return False
    return len(facts_a & facts_b) < TEMPLATE_SHARED * min(len(facts_a), len(facts_b))


def _passage(a: str, ta: Tokens, ua: _Units, a1: int, a2: int, b: str, tb: Tokens, ub: _Units, b1: int,
             b2: int) -> Passage:
    copied = _verbatim(ta, ua.bounds[a1][0], ua.bounds[a2][1], tb, ub.bounds[b1][0], ub.bounds[b2][1])
    if copied is not None:
        return _between(a, ta, copied[0], copied[1], b, tb, copied[2], copied[3])
    wa1, wa2 = _trimmed(ta, ua, a1, a2, tb, ub.bounds[b1][0], ub.bounds[b2][1])
    wb1, wb2 = _trimmed(tb, ub, b1, b2, ta, ua.bounds[a1][0], ua.bounds[a2][1])
    return _between(a, ta, wa1, wa2, b, tb, wb1, wb2)


# The last few answers of ``_verbatim``: a passage is checked once as it is extended (``_extended``) and again,
# most often with the same bounds, as it is cut (``_passage``); half the checks of a scan repeat one just made.
# Keyed by the two Tokens' identities (hashing their words cost a tenth of the search), each entry holding the
# Tokens themselves, so that an id is not reused while its entry is kept.
_VERBATIM_KEPT = 16
_verbatim_kept: dict[tuple[int, int, int, int, int, int], tuple[Tokens, Tokens, tuple[int, int, int, int] | None]] = {}


def _verbatim(ta: Tokens, sa: int, ea: int, tb: Tokens, sb: int, eb: int) -> tuple[int, int, int, int] | None:
    """Words ``(a1, a2, b1, b2)`` of a passage copied word for word within words ``sa:ea`` of one text and
    ``sb:eb`` of the other: from its first run of ``VERBATIM_RUN`` words in common to its last, grown while
    the words on either side agree; None when such runs cover less than ``VERBATIM_SHARE`` of the shorter."""
    key = (id(ta), sa, ea, id(tb), sb, eb)
    kept = _verbatim_kept.get(key)
    if kept is not None and kept[0] is ta and kept[1] is tb:
        return kept[2]
    found = _verbatim_of(ta, sa, ea, tb, sb, eb)
    if len(_verbatim_kept) >= _VERBATIM_KEPT:
        _verbatim_kept.pop(next(iter(_verbatim_kept)), None)  # the oldest
    _verbatim_kept[key] = (ta, tb, found)
    return found


def _verbatim_of(ta: Tokens, sa: int, ea: int, tb: Tokens, sb: int, eb: int) -> tuple[int, int, int, int] | None:
    """``_verbatim``, computed."""
    words_a, words_b = ta.words, tb.words
    blocks = matching_blocks([w.lower() for w in words_a[sa:ea]], [w.lower() for w in words_b[sb:eb]])
    runs = [m for m in blocks if m[2] >= VERBATIM_RUN]  # (start in a, start in b, size), as difflib's
    if not runs or sum(m[2] for m in runs) < VERBATIM_SHARE * min(ea - sa, eb - sb):
        return None
    a1, b1 = sa + runs[0][0], sb + runs[0][1]
    a2, b2 = sa + runs[-1][0] + runs[-1][2], sb + runs[-1][1] + runs[-1][2]
    while a1 > 0 and b1 > 0 and words_a[a1 - 1].lower() == words_b[b1 - 1].lower():
        a1, b1 = a1 - 1, b1 - 1
    while a2 < len(words_a) and b2 < len(words_b) and words_a[a2].lower() == words_b[b2].lower():
        a2, b2 = a2 + 1, b2 + 1
    return a1, a2, b1, b2


def _trimmed(t: Tokens, units: _Units, first: int, last: int, other: Tokens, o1: int, o2: int) -> tuple[int, int]:
    """The words of units ``first..last`` of one text, less the words of its first sentence before the first
    content word the other side (words ``o1:o2`` of ``other``) has too, and of its last sentence after the
    last: a passage may begin and end inside a sentence."""
    start, end = units.bounds[first][0], units.bounds[last][1]
    theirs = {crude_stem(w) for w in other.words[o1:o2] if w not in _NOT_WORD}
    words = t.words

    def shared(k: int) -> bool:
        return words[k] not in _NOT_WORD and words[k][:1].isalnum() and crude_stem(words[k]) in theirs

    head_end = units.bounds[first][1]
    new_start = next((k for k in range(start, head_end) if shared(k)), start)
    tail_start = max(units.bounds[last][0], new_start)
    new_end = next((k + 1 for k in range(end - 1, tail_start - 1, -1) if shared(k)), end)
    if new_end - new_start < 1:
        return start, end
    return new_start, new_end


def _between(a: str, ta: Tokens, wa1: int, wa2: int, b: str, tb: Tokens, wb1: int, wb2: int) -> Passage:
    """The passage of words ``wa1:wa2`` of one text and ``wb1:wb2`` of the other, with its figures."""
    stems_a = set(map(crude_stem, ta.words[wa1:wa2]))
    stems_b = set(map(crude_stem, tb.words[wb1:wb2]))
    dice = 2 * len(stems_a & stems_b) / max(1, len(stems_a) + len(stems_b))
    return Passage(int(ta.starts[wa1]), _closed(a, int(ta.ends[wa2 - 1])), int(tb.starts[wb1]),
                   _closed(b, int(tb.ends[wb2 - 1])), words=min(wa2 - wa1, wb2 - wb1), changed=round(1.0 - dice, 6))


def _closed(text: str, end: int) -> int:
    """``end`` moved past the punctuation that closes the last word's sentence or quotation (``."``)."""
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return end


def whole_passage(a: str, ta: Tokens, b: str, tb: Tokens) -> tuple[Passage, ...]:
    """The one passage of two copies of each other: first word to last, in both."""
    if len(ta) == 0 or len(tb) == 0:
        return ()
    return (_between(a, ta, 0, len(ta), b, tb, 0, len(tb)),)
