"""Where in a long text each sentence of another is best found, without comparing every sentence with every place.

Aligning two texts first pairs each sentence of one with the sentence (or run of sentences) of the other that
holds most of its words. Comparing all of them costs the product of the two sentence counts: nothing for two
articles, minutes and gigabytes for two books. Past ``DENSE_PAIRS`` comparisons a sentence is compared only
with the places that share its rarer words (``candidate_places``): an inverted index from each word to the
places holding it, where a word found in more than ``MAX_POSTINGS`` places (an article, a common verb) seeds
nothing; the ``PER_ROW`` places sharing most seed words are kept. A sentence of common words only is compared
with the ``PER_ROW`` places nearest its own position (as far into the other text as it is into its own). The
cost is then linear in the two lengths. A place sharing no rare word with a sentence holds
few of its words in order, so what is missed is a weak match; below ``DENSE_PAIRS`` the callers compare
everything, as before.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz.distance import Indel

__all__ = ["DENSE_PAIRS", "MAX_POSTINGS", "PER_ROW", "candidate_places", "held_in_order"]

# Sentence-by-place comparisons made in full; above this, only candidate places are compared. Two texts of
# about 1,000 sentences each (some 20,000 words) stay below it.
DENSE_PAIRS = 2_000_000
# A word held by more places than this seeds no candidate.
MAX_POSTINGS = 64
# Candidate places kept per sentence.
PER_ROW = 16


def candidate_places(rows: Sequence[Sequence[str]], places: Sequence[Sequence[str]], *,
                     row_starts: Sequence[int] | None = None, place_starts: Sequence[int] | None = None,
                     per_row: int = PER_ROW, max_postings: int = MAX_POSTINGS) -> list[list[int]]:
    """For each row (a sentence's words), the indices of up to ``per_row`` places sharing most of its rarer
    words, in increasing order. A row whose words are all common is given the places nearest its position
    instead (``row_starts`` / ``place_starts``: where each begins in its text, in words; by default the
    order of the lists); a row sharing no word with any place gets none.

    >>> candidate_places([["rebels", "took", "town"], ["floods"]],
    ...                  [["the", "town"], ["rebels", "took", "the", "town"], ["rain"]])
    [[0, 1], []]
    """
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(places):
        for word in set(words):
            postings[word].append(index)
    row_at = list(range(len(rows))) if row_starts is None else list(row_starts)
    place_at = list(range(len(places))) if place_starts is None else list(place_starts)
    by_start = sorted(range(len(places)), key=lambda k: (place_at[k], k))
    starts = [place_at[k] for k in by_start]
    scale = (max(place_at, default=0) + 1) / (max(row_at, default=0) + 1)
    out: list[list[int]] = []
    for row, words in enumerate(rows):
        shared: Counter[int] = Counter()
        common = False
        for word in set(words):
            held = postings.get(word)
            if held is not None:
                if len(held) <= max_postings:
                    shared.update(held)
                else:
                    common = True
        if not shared and common:  # only common words: the places as far into the other text
            middle = bisect.bisect_left(starts, row_at[row] * scale)
            first = max(0, min(middle - per_row // 2, len(starts) - per_row))
            out.append(sorted(by_start[first:first + per_row]))
            continue
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:per_row]
        out.append(sorted(index for index, _ in best))
    return out


def held_in_order(row: Sequence[str], place: Sequence[str]) -> int:
    """How many of ``row``'s words ``place`` holds in order (their longest common subsequence).

    >>> held_in_order(["rebels", "took", "town"], ["the", "rebels", "seized", "the", "town"])
    2
    """
    # Indel distance = |x| + |y| - 2 * longest common subsequence.
    return (len(row) + len(place) - Indel.distance(row, place)) // 2
