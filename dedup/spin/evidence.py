"""The evidence of the phrase checks: which words to show, in which spans, with which original wording.

The candidates kept as evidence (in a text judged spun, those whose posterior of being a swap reaches
``EVIDENCE_POSTERIOR``) are joined into runs of neighbours (``neighbour_runs``), one span each
(``evidence_of_runs``). Each word's likely original was chosen against its neighbours as they stand, so the
original of a run of restored words is chosen again, for the run as a whole (``restore_jointly``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

import numpy as np

from dedup.model import Evidence
from dedup.spin.analysis import RESTORE_REASON, Analysis
from dedup.spin.data import PhraseData

__all__ = ["EVIDENCE_POSTERIOR", "evidence_of_runs", "neighbour_runs", "restorable", "restore_jointly"]

# In a document judged spun, a word is shown as evidence from this posterior probability of being a swap:
# the value that balances recall of swaps and precision of spans best (F1) on the spun training split.
EVIDENCE_POSTERIOR = 0.35


def neighbour_runs(text: str, analysis: Analysis, kept: np.ndarray) -> list[list[int]]:
    """The candidates ``kept`` (in text order) in runs of neighbours: spans that overlap or that only spaces
    part read as one phrase ("subsidised through" for "backed by")."""
    runs: list[list[int]] = []
    for k in kept.tolist():
        if runs:
            end, start = int(analysis.ends[runs[-1][-1]]), int(analysis.starts[k])
            if start <= end + 1 and text[end:start].strip() == "":
                runs[-1].append(k)
                continue
        runs.append([k])
    return runs


def _apart(analysis: Analysis, run: list[int]) -> bool:
    """Whether no candidate of a run overlaps the next."""
    return all(analysis.starts[b] >= analysis.ends[a] for a, b in itertools.pairwise(run))


def restorable(analysis: Analysis, run: list[int]) -> bool:
    """Whether a run's original is chosen jointly: two or more restored words, none overlapping the next."""
    return len(run) > 1 and all(analysis.reasons[k] == RESTORE_REASON for k in run) and _apart(analysis, run)


def evidence_of_runs(text: str, analysis: Analysis, runs: list[list[int]], posterior: np.ndarray,
                     joint: Iterator[str | None]) -> tuple[Evidence, ...]:
    """One span per run of candidates, weighted by the run's highest ``posterior`` of being a swap.

    Each word's likely original was chosen against its neighbours as they stand, swapped too, so a run's
    original is chosen again, jointly: ``joint`` yields, in order, the choice for each run ``restorable``
    accepts (None when the words as they stand read best; then the words' own originals are joined).
    """
    chosen: list[Evidence] = []
    for run in runs:
        start, end = int(analysis.starts[run[0]]), max(int(analysis.ends[k]) for k in run)
        originals = [analysis.originals[k] for k in run]
        joined = " ".join(o for o in originals if o is not None)
        # Overlapping candidates, or one with no original to name: the first candidate's original.
        original = joined if _apart(analysis, run) and None not in originals else originals[0]
        if restorable(analysis, run):
            original = next(joint) or joined
        chosen.append(Evidence(start, end, text[start:end], original, analysis.reasons[run[0]],
                               round(float(max(posterior[k] for k in run)), 4)))
    return tuple(chosen)


# The word just before a span, and just after it, with nothing but spaces between.
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'\u2019-]*)\s+$")
_WORD_AFTER = re.compile(r"\s+([^\W\d_][\w'\u2019-]*)")


def restore_jointly(runs: Sequence[tuple[str, Analysis, list[int]]], data: PhraseData) -> list[str | None]:
    """The likeliest wording of each run of adjacent restored words: each word as it stands or one of the
    synonyms it may have replaced, chosen together under the bigram model (a Viterbi pass over the run),
    with the words either side of the run as context when only spaces part them from it. None for a run
    whose likeliest reading is the text as it stands. The bigrams of all the runs are looked up at once.
    """
    lm = data.lm
    ids, unknown = lm.ids, lm.unknown
    previous: list[int] = []
    following: list[int] = []
    # Per run: for each word, its readings' first and last word ids (as it stands first, then its
    # alternatives) and its alternatives' range; whether it has a right context.
    plans = []
    for text, analysis, run in runs:
        start = int(analysis.starts[run[0]])
        before = _WORD_BEFORE.search(text, max(0, start - 64), start)  # a window: the pattern ends at the span
        after = _WORD_AFTER.match(text, int(analysis.ends[run[-1]]))
        spans = [analysis.alternatives[k].tolist() for k in run]
        observed = [[ids.get(w, unknown) for w in text[int(analysis.starts[k]) : int(analysis.ends[k])].lower().split()]
                    for k in run]
        firsts = [seen[:1] + data.alt_first[a:b].tolist() for seen, (a, b) in zip(observed, spans, strict=True)]
        lasts = [seen[-1:] + data.alt_last[a:b].tolist() for seen, (a, b) in zip(observed, spans, strict=True)]
        # The bigrams, in the order the pass reads them: inside the words as they stand, from the left context
        # into the first word's readings, between neighbours' readings, into the right context.
        for seen in observed:
            previous += seen[:-1]
            following += seen[1:]
        left = ids.get(before.group(1).lower(), unknown) if before else -1
        previous += [left] * len(firsts[0])
        following += firsts[0]
        for position in range(1, len(run)):
            for last in lasts[position - 1]:
                previous += [last] * len(firsts[position])
                following += firsts[position]
        if after:
            previous += lasts[-1]
            following += [ids.get(after.group(1).lower(), unknown)] * len(lasts[-1])
        plans.append((text, analysis, run, spans, observed, firsts, bool(after)))
    if not plans:
        return []
    log_prob = iter(lm.follow(np.array(previous, dtype=np.int64), np.array(following, dtype=np.int64))[0].tolist())
    restored: list[str | None] = []
    for text, analysis, run, spans, observed, firsts, has_right in plans:
        inners = [[sum(next(log_prob) for _ in seen[1:]), *data.alt_inner[a:b].tolist()]
                  for seen, (a, b) in zip(observed, spans, strict=True)]
        # score[o]: the best log-probability of the run so far, ending with reading o of the current word.
        score = [next(log_prob) + inner for inner in inners[0]]
        back: list[list[int]] = []
        for position in range(1, len(run)):
            steps = [[next(log_prob) for _ in firsts[position]] for _ in score]
            totals = [[score[p] + steps[p][o] for p in range(len(score))] for o in range(len(firsts[position]))]
            pointers = [max(range(len(row)), key=row.__getitem__) for row in totals]
            score = [row[p] + inner for row, p, inner in zip(totals, pointers, inners[position], strict=True)]
            back.append(pointers)
        if has_right:
            score = [value + next(log_prob) for value in score]
        path = [max(range(len(score)), key=score.__getitem__)]
        for pointers in reversed(back):
            path.append(pointers[path[-1]])
        path.reverse()
        if not any(path):  # every word as it stands: the context does not name an original
            restored.append(None)
            continue
        restored.append(" ".join(text[int(analysis.starts[k]) : int(analysis.ends[k])] if choice == 0
                                 else data.alt_text[spans[position][0] + choice - 1]
                                 for position, (k, choice) in enumerate(zip(run, path, strict=True))))
    return restored
