"""Boilerplate: lines that recur across many documents of the corpus and so say nothing about the story.

"Advertisement", "Newspapers in English", a paywall notice or a cookie banner can be shared by thousands of
different stories; if they were shingled, two short stories wrapped in the same notice would look alike.
A line counts as boilerplate *for a document* when it stands in at least ``min_docs`` documents and far more
documents than the story lines of that document do. The second condition protects a story that was itself
copied many times (a wire story run by fifty outlets): its lines are common, but no more common than the rest
of it, so they stay, while each outlet's own furniture around it goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from dedup.text.lines import line_keys

__all__ = ["LineStats", "boilerplate_spans"]

# A line shared this many times more often than the document's typical line is furniture, not story.
_RATIO = 2.0
# The typical line: the document frequency below which this share of the document's characters lie.
_CONTENT_SHARE = 0.3


class LineStats:
    """Counts, over a corpus, how many documents each distinct line stands in.

    >>> stats = LineStats(min_docs=2)
    >>> for t in ["Advertisement\\nStory one.", "Advertisement\\nStory two.", "Story three."]:
    ...     stats.add(t)
    >>> t = "Advertisement\\nStory one."
    >>> [t[s:e] for s, e in boilerplate_spans(t, stats)]
    ['Advertisement']
    """

    def __init__(self, min_docs: int) -> None:
        self.min_docs = min_docs
        self.doc_freq: Counter[int] = Counter()

    def add(self, text: str) -> None:
        self.add_keys(key for _, _, key in line_keys(text))

    def add_keys(self, keys: Iterable[int | None]) -> None:
        """Count one document's line keys (each distinct key once)."""
        self.doc_freq.update({k for k in keys if k is not None})

    def add_many(self, keys: np.ndarray) -> None:
        """Count the line keys of many documents at once: each document's distinct keys, end to end.

        >>> stats = LineStats(min_docs=2)
        >>> stats.add_many(np.array([7, 9, 7], dtype=np.int64))
        >>> stats.common(np.array([7, 9])).tolist()
        [True, False]
        """
        distinct, counts = np.unique(keys, return_counts=True)
        self.doc_freq.update(dict(zip(distinct.tolist(), counts.tolist(), strict=True)))

    def common(self, keys: np.ndarray) -> np.ndarray:
        """Which ``keys`` stand in at least ``min_docs`` documents (a boolean array)."""
        freq = self.doc_freq
        return np.fromiter((freq[k] >= self.min_docs for k in keys.tolist()), dtype=bool, count=len(keys))


def boilerplate_spans(text: str, stats: LineStats) -> list[tuple[int, int]]:
    """The character spans of ``text``'s lines that are boilerplate in this corpus, in order."""
    lines = [(s, e, k) for s, e, k in line_keys(text) if k is not None]
    if not lines:
        return []
    freq = stats.doc_freq
    by_freq = sorted(((freq.get(k, 1), e - s) for s, e, k in lines))
    total = sum(length for _, length in by_freq)
    covered = 0
    typical = by_freq[0][0]
    for df, length in by_freq:
        typical = df
        covered += length
        if covered >= _CONTENT_SHARE * total:
            break
    cutoff = max(stats.min_docs, _RATIO * typical)
    return [(s, e) for s, e, k in lines if freq.get(k, 1) >= cutoff]
