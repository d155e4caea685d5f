"""Slow, obvious implementations of what the phrase checks compute fast, for the tests to compare with.

Each works from the data as stored (sorted keys, the trees as ``phrase_model.json`` lists them, the text
itself) and shares no code with the fast path it checks, so a bug there shows as a difference here.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from importlib import resources
from typing import Any

import numpy as np

from dedup.model import Evidence, SpinResult
from dedup.spin import LanguageModel, PhraseChecker
from dedup.spin.analysis import RESTORE_REASON, Analysis
from dedup.spin.evidence import EVIDENCE_POSTERIOR
from dedup.spin.statistic import RATES

# The words either side of a run of restored words that the joint restoration reads as context: a word
# (a letter, then letters, digits, apostrophes or hyphens) parted from the run by white space only.
WORD_BEFORE = re.compile(r"([^\W\d_][\w'\u2019-]*)\s+$")
WORD_AFTER = re.compile(r"\s+([^\W\d_][\w'\u2019-]*)")


def slow_follow(lm: LanguageModel, previous: int, word: int) -> float:
    """log10 P(word | previous), the bigram found by a binary search of the sorted keys."""
    if previous < 0:
        return float(lm.unigram[word])
    key = (previous << lm.key_bits) | word
    at = bisect.bisect_left(lm.keys, key)
    if at < len(lm.keys) and lm.keys[at] == key:
        return float(lm.probs[at])
    return float(lm.backoff[previous] + lm.unigram[word])


def slow_follow2(lm: LanguageModel, before: int, previous: int, word: int) -> float:
    """log10 P(word | before previous), the trigram and its history found by binary searches."""
    if before < 0 or previous < 0 or not lm.in_model[before]:
        return slow_follow(lm, previous, word)
    bits = lm.key_bits
    key = (before << 2 * bits) | (previous << bits) | word
    at = bisect.bisect_left(lm.trigram_keys, key)
    if at < len(lm.trigram_keys) and lm.trigram_keys[at] == key:
        return float(lm.trigram_probs[at])
    history_key = (before << bits) | previous
    history = bisect.bisect_left(lm.keys, history_key)
    weight = lm.bigram_backoff[history] if history < len(lm.keys) and lm.keys[history] == history_key else 0.0
    return float(weight) + slow_follow(lm, previous, word)


def shipped_model_json() -> dict[str, Any]:
    """``phrase_model.json`` as stored."""
    return json.loads(resources.files("dedup.data").joinpath("phrase_model.json").read_text(encoding="utf-8"))


def walk(raw: dict, row: np.ndarray) -> float:
    """The log-odds of one row, each tree walked node by node as ``phrase_model.json`` lists it."""
    total = raw["baseline"]
    for tree in raw["trees"]:
        node = 0
        while tree["feature"][node] >= 0:
            node = tree["left"][node] if row[tree["feature"][node]] <= tree["split"][node] else tree["right"][node]
        total += tree["value"][node]
    return total


def slow_statistic(log_lrs: np.ndarray) -> tuple[float, float]:
    """``document_statistic`` as first written: one text's arrays, nothing shared with other texts."""
    if len(log_lrs) == 0:
        return 0.0, 0.0
    ratios = np.exp(np.minimum(log_lrs, 30.0))
    totals = np.log1p(RATES[:, None] * (ratios[None, :] - 1.0)).sum(axis=1)
    best = int(np.argmax(totals))
    return float(totals[best]), float(RATES[best])


def slow_joint_restoration(checker: PhraseChecker, text: str, analysis: Analysis, group: list[int]) -> str | None:
    """``restore_jointly`` by trying every reading of the run, each scored as one sequence with its context."""
    lm = checker.data.lm
    options = []
    for k in group:
        first, end = (int(x) for x in analysis.alternatives[k])
        options.append([text[int(analysis.starts[k]) : int(analysis.ends[k])], *checker.data.alt_text[first:end]])
    # The context words, looked for in the whole text before and after the run.
    before = WORD_BEFORE.search(text[: int(analysis.starts[group[0]])])
    after = WORD_AFTER.match(text[int(analysis.ends[group[-1]]) :])
    best, best_score = None, -math.inf
    for reading in itertools.product(*options):
        words = ([before.group(1)] if before else []) + " ".join(reading).split() + ([after.group(1)] if after else [])
        ids = [lm.ids.get(w.lower(), lm.unknown) for w in words]
        if not before:
            ids = [-1, *ids]
        score = float(lm.follow(np.array(ids[:-1]), np.array(ids[1:]))[0].sum())
        if score > best_score + 1e-9:
            best, best_score = reading, score
    assert best is not None
    return None if best == tuple(o[0] for o in options) else " ".join(best)


def slow_counted_once(text: str, analysis: Analysis, log_lrs: np.ndarray) -> np.ndarray:
    """The ratios the document test sums: of the candidates with one lower-cased wording and a ratio above
    one, only the first with the largest ratio keeps it, the others count as a ratio of one."""
    wordings = [text[s:e].lower() for s, e in zip(analysis.starts.tolist(), analysis.ends.tolist(), strict=True)]
    strongest: dict[str, int] = {}
    for k, wording in enumerate(wordings):
        if log_lrs[k] > 0 and (wording not in strongest or log_lrs[k] > log_lrs[strongest[wording]]):
            strongest[wording] = k
    return np.array([0.0 if x > 0 and strongest[w] != k else float(x)
                     for k, (w, x) in enumerate(zip(wordings, log_lrs, strict=True))])


def slow_verdict(checker: PhraseChecker, text: str) -> SpinResult:
    """``check`` of one text, worked out the obvious way from its analysis (``PhraseChecker.analyse``).

    Each candidate's likelihood ratio comes from walking the stored trees, the statistic from the grid of
    rates over this text alone, and the evidence from grouping the kept candidates one by one; the original
    of a run of restored words is found by trying every reading of it (``slow_joint_restoration``).
    """
    model = checker.model
    assert model is not None
    analysis = checker.analyse(text)
    if not analysis.english:
        return SpinResult(score=0.0, spun=False, evidence=())
    raw = shipped_model_json()
    log_lrs = np.array([walk(raw, row) - model.prior_logit if math.isnan(fixed) else float(fixed)
                        for row, fixed in zip(analysis.features, analysis.fixed_log_lr, strict=True)])
    statistic, rate = slow_statistic(slow_counted_once(text, analysis, log_lrs))
    # The threshold of the text's bin of candidate counts, read from the file, not through Model.threshold_for.
    threshold = next((float(t) for bound, t in raw.get("thresholds", []) if len(log_lrs) < bound),
                     float(raw["threshold"]))
    score = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, (statistic - threshold) / model.scale))))
    spun = score >= checker.threshold
    if spun and rate > 0:
        # The prior of each word is the share of swapped words that fits the text best.
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs + math.log(rate / (1.0 - rate)))))
        keep = posterior >= EVIDENCE_POSTERIOR
    else:
        # Only findings that stand on their own: lexicon phrases and strong restorations.
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs - model.strong_log_lr)))
        keep = (log_lrs >= model.strong_log_lr) | ~np.isnan(analysis.fixed_log_lr)
    starts, ends = analysis.starts.tolist(), analysis.ends.tolist()
    # Kept candidates that overlap, touch or are parted by one white-space character read as one phrase.
    runs: list[list[int]] = []
    for k in np.flatnonzero(keep).tolist():
        if runs:
            end, start = ends[runs[-1][-1]], starts[k]
            if start <= end or (start == end + 1 and text[end].isspace()):
                runs[-1].append(k)
                continue
        runs.append([k])
    evidence = []
    for run in runs:
        originals = [analysis.originals[k] for k in run]
        apart = all(starts[b] >= ends[a] for a, b in itertools.pairwise(run))
        joined = " ".join(o for o in originals if o is not None)
        original = joined if apart and None not in originals else originals[0]
        if len(run) > 1 and apart and all(analysis.reasons[k] == RESTORE_REASON for k in run):
            original = slow_joint_restoration(checker, text, analysis, run) or joined
        start, end = starts[run[0]], max(ends[k] for k in run)
        weight = round(float(max(posterior[k] for k in run)), 4)
        evidence.append(Evidence(start, end, text[start:end], original, analysis.reasons[run[0]], weight))
    return SpinResult(score=round(score, 6), spun=spun and bool(evidence), evidence=tuple(evidence))
