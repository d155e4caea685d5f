"""The features of each candidate unit: what undoing the swap does to how likely the text reads.

For every candidate unit (a word, or a multi-word thesaurus entry) each synonym it may have replaced is put
back, and the language model compares the restored phrase with the observed one: the bigram model with a
word each side picks the best synonym (``gain``), and the trigram model then reads two words each side
(``trigram_gain``). These comparisons, with how common the words are, make the ``FEATURES`` row that the
per-word model (``dedup.spin.word_model``) scores.
"""

from __future__ import annotations

import numpy as np

from dedup.spin.analysis import Scan
from dedup.spin.data import PhraseData

__all__ = ["score_units", "trigram_gain"]

# The range (log10) the gains are clipped to, as ``FEATURES`` states.
_GAIN_RANGE = (-3.0, 8.0)


def score_units(data: PhraseData, scan: Scan) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Restore every unit with each of its alternatives at once; keep the best unit per first word.

    Returns the chosen units, their feature rows and the index of each one's best alternative.
    """
    lm = data.lm
    unit_start, unit_end = scan.unit_start, scan.unit_end
    ids = scan.word_ids
    breaks = scan.clause
    n = len(ids) - 1
    left = np.where(breaks[unit_start] | (unit_start == 0), -1, ids[np.maximum(unit_start - 1, 0)])
    right = np.where((unit_end >= n) | breaks[np.minimum(unit_end, n)], -1, ids[np.minimum(unit_end, n)])
    observed_first = ids[unit_start]
    observed_last = ids[unit_end - 1]

    # Every alternative of every unit, flattened.
    begins = scan.unit_alternatives[:, 0]
    counts = scan.unit_alternatives[:, 1] - begins
    owner = np.repeat(np.arange(len(unit_start)), counts)
    alt = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(begins, counts)

    # All the bigrams needed, looked up in one batch: the observed unit's sides, the inner bigrams of
    # multi-word units, and both sides of every alternative.
    multi = np.flatnonzero(unit_end - unit_start > 1)
    second = multi[unit_end[multi] - unit_start[multi] > 2]
    previous = [left, observed_last, left[owner], data.alt_last[alt],
                ids[unit_start[multi]], ids[unit_start[second] + 1]]
    following = [observed_first, right, data.alt_first[alt], right[owner],
                 ids[unit_start[multi] + 1], ids[unit_start[second] + 2]]
    log_prob, listed = lm.follow(np.concatenate(previous), np.concatenate(following))
    cuts = np.cumsum([len(p) for p in previous])[:-1]
    observed_left, observed_right, alt_left, alt_right, inner_first, inner_second = np.split(log_prob, cuts)
    observed_left_listed, observed_right_listed, alt_left_listed, alt_right_listed, _, _ = np.split(listed, cuts)
    inner = np.zeros(len(unit_start))
    inner[multi] += inner_first
    inner[second] += inner_second
    observed = observed_left + inner + np.where(right >= 0, observed_right, 0.0)

    restored = alt_left + data.alt_inner[alt] + np.where(right[owner] >= 0, alt_right, 0.0)
    segment = np.cumsum(counts) - counts
    best_score = np.maximum.reduceat(restored, segment)
    is_best = restored == np.repeat(best_score, counts)
    first_best = np.flatnonzero(is_best)
    best = first_best[np.searchsorted(first_best, segment)]
    gain = best_score - observed

    # Per first word, the unit with the largest gain (the longer one on a tie: it was listed first). The
    # units of one first word are neighbours, since the units are in order of their first word.
    group = np.flatnonzero(np.r_[True, unit_start[1:] != unit_start[:-1]])
    group_best = np.maximum.reduceat(gain, group)
    first_best_unit = np.flatnonzero(gain == np.repeat(group_best, np.diff(np.r_[group, len(gain)])))
    c = first_best_unit[np.searchsorted(first_best_unit, group)]
    b = best[c]
    has_left = left[c] >= 0
    has_right = right[c] >= 0
    in_model = lm.in_model
    absent_left = has_left & ~observed_left_listed[c] & in_model[left[c]] & in_model[observed_first[c]]
    absent_right = has_right & ~observed_right_listed[c] & in_model[observed_last[c]] & in_model[right[c]]
    # A multi-word unit is as common as its rarest word.
    length = unit_end[c] - unit_start[c]
    zipf_observed = lm.zipf[ids[unit_start[c]]]
    for offset in (1, 2):
        other = lm.zipf[ids[np.minimum(unit_start[c] + offset, n)]]
        zipf_observed = np.where(length > offset, np.minimum(zipf_observed, other), zipf_observed)
    g = np.clip(gain[c], *_GAIN_RANGE)
    zipf_restored = data.alt_zipf[alt[b]]
    gain_left = np.clip(alt_left[b] - observed_left[c], *_GAIN_RANGE)
    gain_right = np.where(has_right, np.clip(alt_right[b] - observed_right[c], *_GAIN_RANGE), 0.0)
    weaker = np.where(has_left & has_right, np.minimum(gain_left, gain_right),
                      np.where(has_right, gain_right, gain_left))
    fit_left = np.where(has_left, observed_left[c] - lm.unigram[observed_first[c]], 0.0)
    fit_right = np.where(has_right, observed_right[c] - lm.unigram[np.maximum(right[c], 0)], 0.0)
    better = np.add.reduceat((restored > np.repeat(observed, counts)).astype(float), segment)[c] / counts[c]
    gain3, observed3, restored3 = trigram_gain(data, scan, unit_start[c], unit_end[c], left[c], right[c],
                                               inner[c], alt[b])
    columns = [
        g,
        zipf_observed,
        zipf_restored,
        (observed_left_listed[c] & has_left).astype(float) + (observed_right_listed[c] & has_right),
        absent_left.astype(float) + absent_right,
        (alt_left_listed[b] & has_left).astype(float) + (alt_right_listed[b] & has_right),
        has_left.astype(float) + has_right,
        length > 1,
        data.alt_multiword[alt[b]],
        np.zeros(len(c)),  # unknown_form
        np.zeros(len(c)),  # broken_expression, set by the caller
        *(g > step for step in range(6)),
        g * zipf_observed,
        g * zipf_restored,
        gain_left,
        gain_right,
        weaker,
        fit_left,
        fit_right,
        better,
        gain3,
        *(gain3 > step for step in (0, 2, 4)),
        observed3,
        restored3,
    ]
    features = np.column_stack(columns).astype(float)
    chosen = c.tolist()
    return chosen, features, alt[b]


def trigram_gain(
    data: PhraseData, scan: Scan, start: np.ndarray, end: np.ndarray, left: np.ndarray, right: np.ndarray,
    inner: np.ndarray, alt: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Under the trigram model, log10 likelihood ratio of each unit's words restored with ``alt`` over
    the observed ones (clipped to ``_GAIN_RANGE``), and how many of the trigrams through the unit's edges
    the model lists, observed and restored.

    The words read are the unit's first one given the two before it, the one after the unit given the
    unit's last two, and the second after given the last and the first after; inside a multi-word unit
    or alternative (``inner``, ``alt_inner``) the bigram probabilities of ``gain`` are used. Words across a
    clause break are not context (``left`` and ``right`` are -1 then, as the second neighbours are).
    """
    lm = data.lm
    ids = scan.word_ids
    breaks = scan.clause
    n = len(ids) - 1
    second_left = np.where((left < 0) | (start < 2) | breaks[np.maximum(start - 1, 0)], -1,
                           ids[np.maximum(start - 2, 0)])
    second_right = np.where((right < 0) | (end + 1 > n) | breaks[np.minimum(end + 1, n)], -1,
                            ids[np.minimum(end + 1, n)])
    has_right = right >= 0
    has_second = second_right >= 0
    # The word before the unit's last one: its own second-last word, or the left neighbour for one word.
    observed_last = ids[end - 1]
    observed_penult = np.where(end - start > 1, ids[np.maximum(end - 2, 0)], left)
    alt_penult = np.where(data.alt_multiword[alt], -1, left)  # a multi-word alternative's: bigram only
    scores = []
    for first, last, penult, within in ((ids[start], observed_last, observed_penult, inner),
                                        (data.alt_first[alt], data.alt_last[alt], alt_penult, data.alt_inner[alt])):
        p_first, l_first = lm.follow2(second_left, left, first)
        p_right, l_right = lm.follow2(penult, last, right)
        p_second, l_second = lm.follow2(last, right, second_right)
        total = p_first + within + np.where(has_right, p_right, 0.0) + np.where(has_second, p_second, 0.0)
        listed = l_first.astype(float) + (l_right & has_right) + (l_second & has_second)
        scores.append((total, listed))
    (observed, observed_listed), (restored, restored_listed) = scores
    return np.clip(restored - observed, *_GAIN_RANGE), observed_listed, restored_listed
