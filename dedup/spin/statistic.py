"""The document statistic of the phrase checks: how strongly the words of a text, together, say "spun".

The likelihood ratios of all the candidate words of a text are pooled into one statistic, a generalised
likelihood-ratio test over the share of swapped words, which the calibration (``Model.threshold_for``
the document's number of candidates, ``Model.scale``) turns into the score. The ratios summed are those
of ``repeats_muted``: a wording that recurs counts as one hint of spin.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["RATES", "document_statistic", "document_statistics", "repeats_muted"]

# Shares of swapped words the document test considers; spinners are set anywhere from light to heavy.
RATES = np.array([0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5])


def document_statistic(log_lrs: np.ndarray) -> tuple[float, float]:
    """Generalised log-likelihood ratio of "a share of these words are swaps" against "none is".

    Each word is a swap with probability ``rate`` under the alternative, and then its likelihood ratio
    applies; the best rate of a small grid is taken. On clean text the statistic stays near zero whatever
    the length on the Lee news it is calibrated on (its 99th percentile is about the same for 20 words and
    for 1,000); on clean text of other domains its upper tail grows with the number of candidate words,
    which is why a model may hold one threshold per bin of candidate counts (``Model.threshold_for``). On
    spun text it grows with the number of swaps. Returns the statistic and the best rate.

    >>> document_statistic(np.array([5.0, 5.0, -1.0, -1.0]))[0] > document_statistic(np.array([-1.0] * 4))[0]
    True
    """
    statistics, rates = document_statistics(log_lrs, np.array([0, len(log_lrs)]))
    return statistics[0], rates[0]


def document_statistics(log_lrs: np.ndarray, bounds: np.ndarray) -> tuple[list[float], list[float]]:
    """``document_statistic`` of each run ``log_lrs[bounds[j] : bounds[j + 1]]``: (0.0, 0.0) for an empty one.

    The statistic sums, for each rate, ``log1p(rate * (ratio - 1))`` over the run's words. The terms of all
    the runs are computed at once, but each run is summed on its own, and as a (rates, words) array of its
    own: numpy sums an array pairwise along its inner axis, so the rounding of a sum depends on how the
    terms are laid out, and this layout is the one a single run has always been summed in.

    >>> statistics, rates = document_statistics(np.array([5.0, -1.0, 2.0]), np.array([0, 1, 1, 3]))
    >>> statistics[1], rates[1]
    (0.0, 0.0)
    """
    rates = len(RATES)
    sizes = np.diff(bounds)
    ratios = np.exp(np.minimum(log_lrs, 30.0))
    # Run j's block of terms, rates * sizes[j] long, starts at rates * bounds[j]; in it, term i is for rate
    # i // sizes[j] and word i % sizes[j].
    width = np.repeat(sizes, rates * sizes)
    rate, word = np.divmod(np.arange(rates * len(log_lrs)) - np.repeat(rates * bounds[:-1], rates * sizes), width)
    terms = np.log1p(RATES[rate] * (ratios[word + np.repeat(bounds[:-1], rates * sizes)] - 1.0))
    statistics, best_rates = [], []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if hi == lo:
            statistics.append(0.0)
            best_rates.append(0.0)
            continue
        totals = terms[rates * lo : rates * hi].reshape(rates, hi - lo).sum(axis=1)
        best = int(np.argmax(totals))
        statistics.append(float(totals[best]))
        best_rates.append(float(RATES[best]))
    return statistics, best_rates


def repeats_muted(log_lrs: np.ndarray, wordings: Sequence[str]) -> np.ndarray:
    """``log_lrs`` with the hints of spin of each wording counted once: of the occurrences of one (lower-cased)
    wording with a ratio above one, the largest keeps it and the others get 0 (a ratio of one, no evidence
    either way); ratios below one all stay.

    The document test treats its words as independent pieces of evidence, and a wording that recurs is not:
    a topic word of technical prose ("thyroxine", "secant") whose common synonym reads better gives the same
    hint every time it recurs, and summed over a long text those hints look like spin. A spinner choosing a
    synonym per occurrence leaves different wordings, each still counted. A common word that reads as
    written ("said") counts every time: its repeats are the text's evidence of being clean.

    >>> repeats_muted(np.array([1.0, 3.0, -2.0, -1.0]), ["secant", "Secant", "line", "line"]).tolist()
    [0.0, 3.0, -2.0, -1.0]
    """
    hints = np.flatnonzero(log_lrs > 0)
    if len(hints) < 2:
        return log_lrs
    muted = log_lrs.copy()
    seen: set[str] = set()
    # Strongest first (the first of equals): each wording's first hint met is the one it keeps.
    for k in hints[np.argsort(-log_lrs[hints], kind="stable")].tolist():
        wording = wordings[k].lower()
        if wording in seen:
            muted[k] = 0.0
        else:
            seen.add(wording)
    return muted
