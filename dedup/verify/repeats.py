"""Passages repeated inside one document (a caption printed twice, a paywall notice repeated).

Every run of ``min_words`` consecutive words is hashed; windows that occur more than once are repeated, and
overlapping or touching repeated windows merge into one passage. Each occurrence of a passage is reported
with the number of times its words recur.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from dedup.model import Repeat
from dedup.sketch.shingle import WordHasher, ngram_hashes
from dedup.text.normalize import Tokens

__all__ = ["find_repeats"]


def find_repeats(tokens: Tokens, hasher: WordHasher, *, min_words: int = 8) -> tuple[Repeat, ...]:
    """Repeated passages of at least ``min_words`` words, as character spans, in text order.

    >>> from dedup.text.normalize import tokenize
    >>> text = "One two three four five six seven eight. Then more words. One two three four five six seven eight."
    >>> [(r.start, r.end, r.count) for r in find_repeats(tokenize(text), WordHasher())]
    [(0, 39, 2), (58, 97, 2)]
    """
    n = len(tokens)
    if n < 2 * min_words:
        return ()
    windows = ngram_hashes(hasher.hash_words(tokens.words), min_words)
    _, inverse, counts = np.unique(windows, return_inverse=True, return_counts=True)
    window_count = counts[inverse]
    repeated = np.flatnonzero(window_count > 1)
    if len(repeated) == 0:
        return ()
    # Merge repeated windows into runs of words: window i covers words i .. i+min_words-1.
    runs: list[tuple[int, int, int]] = []
    run_start, run_end, run_count = int(repeated[0]), int(repeated[0]) + min_words, int(window_count[repeated[0]])
    for i in repeated[1:].tolist():
        if i < run_end:
            run_end = max(run_end, i + min_words)
            run_count = min(run_count, int(window_count[i]))
        else:
            runs.append((run_start, run_end, run_count))
            run_start, run_end, run_count = i, i + min_words, int(window_count[i])
    runs.append((run_start, run_end, run_count))
    # A passage repeated back to back makes one long run of repeated windows: cut it at the period, the
    # distance to the next occurrence of the run's first window inside the run.
    positions: dict[int, list[int]] = defaultdict(list)
    for i in repeated.tolist():
        positions[int(inverse[i])].append(i)
    out = []
    for first, last, count in runs:
        later = [q for q in positions[int(inverse[first])] if first < q < last - min_words + 1]
        period = later[0] - first if later else last - first
        for piece in range(first, last, period):
            piece_end = min(piece + period, last)
            if piece_end - piece >= min_words:
                # Windows straddling two back-to-back copies occur once less than the passage itself.
                inside = window_count[piece : piece_end - min_words + 1]
                piece_count = int(inside[inside > 1].min()) if (inside > 1).any() else count
                out.append(Repeat(start=tokens.starts[piece], end=tokens.ends[piece_end - 1], count=piece_count))
    return tuple(out)
