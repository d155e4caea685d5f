"""Order-preserving word alignment of two texts, and the figures that show one was derived from the other.

A spinner keeps the order of a story and most of its words, and swaps a share of the rest for synonyms.
Aligning the two word sequences in order shows this directly: runs of equal words (anchors) separated by
short substituted runs ("backed by" -> "subsidized through"). Two unrelated texts on one topic also align
in places, but only on scattered function words ("the", "of") with long unequal stretches between them, so
a lone function word is never allowed to anchor anything.

Real spinners replace phrases as well as words, one word for several and several for one ("when" -> "at
the point when", "later that year" -> "soon thereafter"), and at their usual rates the changes run into
each other. So the unit is the *stretch* between two anchors: when its two sides are of a size one phrase
could be rewritten into (``is_substitution``), all of it is aligned, n words to m. A longer stretch is still
aligned when the lone function words both texts kept inside it ("the", "of": no anchors on their own) cut it
into phrases of a few words a side, and it is short and balanced as a whole (``is_bridged``): a spinner at its
usual rates writes "says the man was caught after" as "puts forward the adult male was paid off following".
Two forms of one word ("announced" / "announce") align as equal.

Word-level alignment costs time in proportion to the product of the two lengths, so long texts are paired
sentence by sentence first and aligned word by word only inside paired sentences. Sentences a rewrite has
moved are looked for elsewhere; they count in ``score`` (how much of one text is derived from the other)
but not in ``coverage`` (how much is in order, which is what ``is_spun`` asks).

Measured on the held-out half of the Lee corpus (``python -m benchmarks.pair_bench``): spun copies at
12-55% score 0.81-1.0, distinct stories on the same topic at most 0.43; ``is_spun`` flags 99% of spun
articles and none of the distinct ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Levenshtein

from dedup.model import Substitution
from dedup.text.normalize import Tokens, tokenize
from dedup.text.sentences import sentence_spans
from dedup.text.stems import crude_stem
from dedup.text.words import (
    ALIGNMENT_FUNCTION_WORDS,
    ARTICLES,
    AUXILIARIES,
    DEMONSTRATIVES,
    FUNCTION_WORDS,
    NEGATIONS,
    PRONOUNS,
)
from dedup.verify.anchors import is_name_or_figure
from dedup.verify.places import DENSE_PAIRS, candidate_places, held_in_order

__all__ = ["Alignment", "align", "is_bridged", "is_spun", "is_substitution", "sentence_bounds"]


# A changed stretch between two anchors is a substitution when neither side is longer than MAX_SPAN words,
# or neither longer than LONG_SPAN and one at most MAX_GROWTH words longer than the other (a clause rewritten
# phrase by phrase: "when nervous" -> "at the point when anxious"); otherwise it is a rewrite, a cut or an
# insertion. Up to MAX_INDEL words dropped between two anchors keep the text in order.
MAX_SPAN = 4
LONG_SPAN = 8
MAX_GROWTH = 3
MAX_INDEL = 2
# A longer stretch is still rewritten phrase by phrase (bridged) when the lone function words inside it that
# both texts kept ("the", "of", "a": no anchors alone) cut it into pieces of at most MAX_SPAN words a side, or
# a word inserted or dropped, and the whole is at most BRIDGE_SPAN words a side with the shorter side at least
# BRIDGE_BALANCE of the longer. A spinner at real rates (60-90% of its slots) runs its swaps into each other:
# "says the man was caught after a short chase" -> "puts forward the adult male was paid off abafter a fading
# fanny direct". Chosen on even Lee paragraphs spun at 60-90% by the thesaurus, phrase and function spinners
# (alone and one after the other): the alignment flags 97.6% -> 98.9% of the chained copies, while the sentence
# stand-in for MSRP (dev half) keeps its 11 false of 498; pieces of 6 words a side added a false one.
BRIDGE_SPAN = 16
BRIDGE_BALANCE = 0.5
# Above this many word-pair cells, pair sentences first. Word-level alignment of two 1,000-word texts
# takes about 0.3 ms and of two 2,000-word texts about 1.2 ms, and keeps growing with the product.
SENTENCE_FIRST_CELLS = 1_500_000
# Two sentences are paired when this share of their words aligns (Levenshtein similarity on words).
SENTENCE_MATCH = 0.3
# A substitution whose two sides spell nearly the same letters ("air power" / "airpower", a typo, an OCR
# misreading such as "tower and" / "towen ancl") is an edit, not a synonym swap: at most this many letter
# edits apart and SHORT_VARIANT_SIMILARITY alike ("on" / "upon" is, "at" / "in" is not), or VARIANT_SIMILARITY
# alike (1 - Levenshtein distance / longer length); one letter changed or two swapped always is.
VARIANT_EDITS = 2
VARIANT_SIMILARITY = 0.6
SHORT_VARIANT_SIMILARITY = 0.5
# Sentences of the shorter text covered less than this by the in-order alignment are looked for elsewhere.
MOVED_BELOW = 0.5
# ... and aligned again only where at least this many of its content words recur in order (one shared word is
# no sign of a moved sentence, and skipping such places keeps unrelated pairs cheap).
MOVED_MIN_CONTENT = 2
# is_spun thresholds, chosen on the dev half of the Lee corpus (python -m benchmarks.pair_bench --split dev):
# spun articles at 12-55% have coverage >= 0.85 and 3.7-26% of their aligned words swapped (1st percentile
# of the 12-25% band: 3.7%); OCR-noised copies swap at most 1.2% and copies edited by hand (2-6 changed,
# inserted or deleted words) at most 4.4%, 3.2% at the 99th percentile. A single swap is never enough.
# Coverage 0.7: distinct stories on one topic reach at most 0.43 (dev half, with the n-to-m stretches), and
# copies spun at real spinners' rates (40% of words, phrase for phrase) fall to 0.7-0.8 in a tenth of cases.
SPUN_COVERAGE = 0.7
SPUN_SWAPPED = 0.035
SPUN_MIN_SWAPS = 2

# One function word for another ("by" -> "through", "in" -> "of") counts this much of a swap: spinners make
# them, but editors fixing a preposition too.
FUNCTION_SWAP = 0.5
# Words an editor changes one for one ("the" -> "a", "has" -> "had", "he" -> "she").
EDITED_WORDS = ARTICLES | DEMONSTRATIVES | PRONOUNS | NEGATIONS | AUXILIARIES

_NOT_LETTER = re.compile(r"[\W\d_]+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Alignment:
    """The order-preserving alignment of texts ``a`` and ``b`` and what it shows.

    Counts are in words of the *shorter* text (so the figures do not depend on argument order):

    - ``coverage``: share of the shorter text's words inside aligned runs, equal or substituted, or dropped
      between two anchors (a word or two, ``MAX_INDEL``);
    - ``changed``: share of those aligned words that differ;
    - ``matched``: aligned words that are equal; ``substituted``: aligned words that differ;
    - ``bridged``: words of the shorter text in stretches aligned as several phrase rewrites in a row
      (``is_bridged``), counted in ``coverage`` like any substitution;
    - ``swapped``: substituted words that look like a spinner's swaps: not respellings (typos, OCR), not
      changed figures, not touching a name (spinners keep those; editors change them), not an article,
      pronoun or auxiliary changed one for one; one function word for another counts ``FUNCTION_SWAP``;
    - ``moved``: words found only out of order, in a sentence that moved (they count in ``score`` only);
    - ``score``: in [0, 1], how strongly one text is derived from the other: ``coverage`` plus the
      share found in moved sentences (a containment: a trimmed copy scores as high as a whole one);
    - ``mutual``: aligned words of *both* texts over all their words: symmetric, lower when either text
      adds material of its own (paraphrase-style "same content" rather than "derived from");
    - ``substitutions``: every substituted run, with its spans in both texts.
    """

    coverage: float
    changed: float
    matched: int
    substituted: int
    score: float
    a_words: int
    b_words: int
    substitutions: tuple[Substitution, ...]
    swapped: float = 0.0
    moved: int = 0
    mutual: float = 0.0
    bridged: int = 0


# A block of an alignment: (equal?, a_start, a_end, b_start, b_end) in word indices, half-open.
_Block = tuple[bool, int, int, int, int]


def sentence_bounds(text: str, tokens: Tokens) -> list[tuple[int, int]]:
    """Word-index ranges of the sentences of ``text`` (``dedup.text.sentences``), where a line break without an
    end mark ends a sentence only as a blank line (wrapped text breaks lines mid-sentence) and no sentence
    starts with a word in lower case (an ellipsis or an abbreviation inside a sentence: "a milestone . . .
    this").

    >>> text = "It rose 5 p.c. last year. Then it fell."
    >>> sentence_bounds(text, tokenize(text))
    [(0, 7), (7, 10)]
    """
    return sentence_spans(text, tokens, lines="blank", lowercase_continues=True)


def _append(blocks: list[_Block], block: _Block) -> None:
    """Add a block, merging it into the last one when both are equal runs or both are changes."""
    if blocks and blocks[-1][0] == block[0]:
        last = blocks[-1]
        blocks[-1] = (block[0], last[1], block[2], last[3], block[4])
    else:
        blocks.append(block)


def _word_blocks(wa: Sequence[str], wb: Sequence[str], a_off: int = 0, b_off: int = 0) -> list[_Block]:
    """Levenshtein alignment of two word lists as alternating equal and changed blocks."""
    blocks: list[_Block] = []
    # as_list() hands over plain tuples, several times faster than iterating rapidfuzz's opcode objects
    # (its stub types the tuple items loosely, hence the annotation).
    ops: list[tuple[str, int, int, int, int]] = Levenshtein.opcodes(wa, wb).as_list()  # type: ignore[assignment]
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal" and blocks and not blocks[-1][0]:
            # A replace next to an insert or delete is one changed stretch ("air power" -> "airpower").
            last = blocks[-1]
            blocks[-1] = (False, last[1], i2 + a_off, last[3], j2 + b_off)
        else:
            blocks.append((tag == "equal", i1 + a_off, i2 + a_off, j1 + b_off, j2 + b_off))
    return blocks


def _pair_sentences(sa: list[list[str]], sb: list[list[str]]) -> list[tuple[int, int]]:
    """The in-order pairing of sentences that maximises the summed similarity of paired sentences."""
    if len(sa) * len(sb) > DENSE_PAIRS:
        return _pair_candidate_sentences(sa, sb)
    sims = process.cdist(sa, sb, scorer=Levenshtein.normalized_similarity, score_cutoff=SENTENCE_MATCH, workers=1)
    n, m = len(sa), len(sb)
    # best[i][j]: best total for sa[i:] and sb[j:]; filled backwards so the path is read forwards.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, sim_row = best[i], best[i + 1], sims[i]
        for j in range(m - 1, -1, -1):
            take = below[j + 1] + sim_row[j] if sim_row[j] > 0.0 else -1.0
            row[j] = max(take, below[j], row[j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if sims[i][j] > 0.0 and best[i][j] == best[i + 1][j + 1] + sims[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _pair_candidate_sentences(sa: list[list[str]], sb: list[list[str]]) -> list[tuple[int, int]]:
    """``_pair_sentences`` for long texts: the same best in-order pairing, over candidate pairs only
    (``dedup.verify.places``), as the heaviest chain of pairs increasing in both texts (a Fenwick tree of
    the best chain ending before each sentence of ``sb``): time ``O(P log m)`` for ``P`` candidate pairs."""
    pairs: list[tuple[int, int, float]] = []
    for i, candidates in enumerate(candidate_places(sa, sb)):
        for j in candidates:
            sim = Levenshtein.normalized_similarity(sa[i], sb[j], score_cutoff=SENTENCE_MATCH)
            if sim > 0.0:
                pairs.append((i, j, sim))
    m = len(sb)
    tree: list[tuple[float, int]] = [(0.0, -1)] * (m + 1)  # (best chain total, its last pair) by prefix of sb
    chain_total: list[float] = []
    previous: list[int] = []
    start = 0
    while start < len(pairs):  # one sentence of sa at a time: its pairs extend chains of earlier sentences only
        end = start
        while end < len(pairs) and pairs[end][0] == pairs[start][0]:
            end += 1
        for k in range(start, end):
            best, before, j = (0.0, -1), pairs[k][1], pairs[k][1]
            while before > 0:  # the best chain over sb[:j]
                best = max(best, tree[before])
                before -= before & -before
            chain_total.append(best[0] + pairs[k][2])
            previous.append(best[1])
        for k in range(start, end):
            position = pairs[k][1] + 1
            while position <= m:
                tree[position] = max(tree[position], (chain_total[k], k))
                position += position & -position
        start = end
    if not pairs:
        return []
    k = max(range(len(pairs)), key=lambda x: (chain_total[x], -x))
    chain: list[tuple[int, int]] = []
    while k >= 0:
        chain.append((pairs[k][0], pairs[k][1]))
        k = previous[k]
    return chain[::-1]


def _blocks(a: str, ta: Tokens, b: str, tb: Tokens) -> list[_Block]:
    """Word alignment blocks of two texts, going through sentences first when the texts are long."""
    # Two forms of one word ("announced" / "announce", a spinner's slip) align as equal.
    wa, wb = [crude_stem(w) for w in ta.words], [crude_stem(w) for w in tb.words]
    if len(wa) * len(wb) <= SENTENCE_FIRST_CELLS:
        return _word_blocks(wa, wb)
    bounds_a, bounds_b = sentence_bounds(a, ta), sentence_bounds(b, tb)
    pairs = _pair_sentences([list(wa[s:e]) for s, e in bounds_a], [list(wb[s:e]) for s, e in bounds_b])
    blocks: list[_Block] = []
    i = j = 0  # word positions reached so far in a and b
    for si, sj in pairs:
        (a1, a2), (b1, b2) = bounds_a[si], bounds_b[sj]
        if a1 > i or b1 > j:
            _append(blocks, (False, i, a1, j, b1))  # sentences left unpaired between two paired ones
        for block in _word_blocks(wa[a1:a2], wb[b1:b2], a1, b1):
            _append(blocks, block)
        i, j = a2, b2
    if i < len(wa) or j < len(wb):
        _append(blocks, (False, i, len(wa), j, len(wb)))
    return blocks


def _is_swap(old: Sequence[str], new: Sequence[str]) -> bool:
    """Whether a substituted run of words looks like a spinner's swap rather than an edit.

    Not a swap: a changed figure, a respelling of the same letters (typo, OCR misreading, "air power" ->
    "airpower"; see ``VARIANT_EDITS``).
    """
    old_text, new_text = "".join(old), "".join(new)
    if _DIGIT.search(old_text) or _DIGIT.search(new_text):
        return False  # spinners keep figures; a changed figure is an update or a typo
    old_letters, new_letters = _NOT_LETTER.sub("", old_text), _NOT_LETTER.sub("", new_text)
    distance = Levenshtein.distance(old_letters, new_letters)
    similarity = 1 - distance / max(len(old_letters), len(new_letters), 1)
    if distance <= 1 or OSA.distance(old_letters, new_letters) <= 1:
        return False  # one letter changed, or two swapped ("teh")
    return similarity < VARIANT_SIMILARITY and (distance > VARIANT_EDITS or similarity < SHORT_VARIANT_SIMILARITY)


@dataclass(slots=True)
class _Walk:
    """What walking the blocks of one alignment found (a mutable scratchpad, never returned)."""

    covered: bytearray  # one flag per word of the counted side
    matched: int = 0
    substituted: int = 0
    swapped: float = 0.0
    dropped: int = 0  # words of the counted side dropped between two anchors (in order, aligned with nothing)
    other: int = 0  # aligned words of the side not counted
    runs: list[tuple[int, int, int, int]] = field(default_factory=list)
    bridged: int = 0  # words of the counted side in bridged stretches (``is_bridged``)


# How much the substituted run a[c1:c2] -> b[d1:d2] (word indices) looks like a spinner's swap: 0 not at
# all, 1 fully, in between for a swap an editor makes as often ("in" -> "of").
_SwapTest = Callable[[int, int, int, int], float]


def is_substitution(n: int, m: int) -> bool:
    """Whether a changed stretch of ``n`` words in one text and ``m`` in the other, between two anchors, is
    one rewrite of the same words (a phrase swapped for a phrase) rather than material cut or added.

    >>> is_substitution(1, 3), is_substitution(2, 5), is_substitution(6, 5), is_substitution(2, 9)
    (True, True, True, False)
    >>> is_substitution(0, 1)  # a word inserted is not a substitution
    False
    """
    if n == 0 or m == 0:
        return False
    longer, shorter = max(n, m), min(n, m)
    return longer <= MAX_SPAN or (longer <= LONG_SPAN and longer - shorter <= MAX_GROWTH)


def is_bridged(n: int, m: int, pieces: Sequence[tuple[int, int]]) -> bool:
    """Whether a changed stretch of ``n`` words in one text and ``m`` in the other that is no one substitution
    (``is_substitution``) is several in a row: the lone function words both texts kept inside it cut it into
    ``pieces`` (the words of each side between two of them) that are each a phrase of at most ``MAX_SPAN``
    words a side, or one word inserted or dropped, and the stretch is short and balanced as a whole
    (``BRIDGE_SPAN``, ``BRIDGE_BALANCE``). Unrelated sentences share function words too, but at random: the
    pieces between them are long or lopsided.

    >>> is_bridged(10, 13, [(1, 2), (1, 2), (2, 3), (3, 3)])  # "says the man was caught after a short chase
    ... # through" -> "puts forward the adult male was paid off abafter a fading fanny direct"
    True
    >>> is_bridged(13, 10, [(6, 6), (6, 3)])  # pieces too long to be phrases
    False
    >>> is_bridged(5, 9, [(5, 9)])  # nothing kept inside: a clause rewritten, cut or added
    False
    """
    if len(pieces) < 2 or max(n, m) > BRIDGE_SPAN or min(n, m) < BRIDGE_BALANCE * max(n, m):
        return False
    return all((0 < c <= MAX_SPAN and 0 < d <= MAX_SPAN) or c + d == 1 for c, d in pieces)


def _trimmed(blocks: Sequence[_Block]) -> tuple[int, int, int, int]:
    """The span of a stretch of blocks without the equal blocks at its ends, when both sides keep words."""
    first, last = 0, len(blocks)
    while first < last and blocks[first][0]:
        first += 1
    while last > first and blocks[last - 1][0]:
        last -= 1
    i1, j1 = blocks[first][1], blocks[first][3]
    i2, j2 = blocks[last - 1][2], blocks[last - 1][4]
    if i1 == i2 or j1 == j2:  # the change is a pure insertion beside an equal word: report the whole stretch
        i1, j1, i2, j2 = blocks[0][1], blocks[0][3], blocks[-1][2], blocks[-1][4]
    return i1, i2, j1, j2


def _walk(blocks: list[_Block], wa: Sequence[str], wb: Sequence[str], count_a: bool, swap: _SwapTest | None) -> _Walk:
    """Mark the aligned words of one side (``a`` when ``count_a``) and count them.

    An equal run anchors when it is two words or more, or one word that is not a function word. Between two
    anchors, the changed blocks and lone function words form one stretch. A stretch is one substitution when
    ``is_substitution`` says so: all its words are aligned, the equal ones matched and the rest substituted,
    and it is one substituted run (phrase for phrase: "when" -> "at the point when"). A word or two inserted
    or dropped between anchors (``MAX_INDEL``) is aligned with nothing but keeps the text in order, so it is
    covered too. Any other stretch is a gap. With a ``swap`` test, substituted runs are kept and their words
    counted as swapped when the test holds; without, only coverage is wanted.
    """
    walk = _Walk(bytearray(len(wa) if count_a else len(wb)))
    covered = walk.covered
    strong = [b[0] and (b[2] - b[1] >= 2 or wa[b[1]] not in ALIGNMENT_FUNCTION_WORDS) for b in blocks]
    if not any(strong):
        return walk  # with no anchor at all, "cat" against "dog" is no substitution
    k = 0
    while k < len(blocks):
        if strong[k]:
            _, i1, i2, j1, j2 = blocks[k]
            s, e = (i1, i2) if count_a else (j1, j2)
            covered[s:e] = b"\x01" * (e - s)
            walk.matched += e - s
            walk.other += e - s
            k += 1
            continue
        end = k
        while end < len(blocks) and not strong[end]:
            end += 1
        _, i1, _, j1, _ = blocks[k]
        _, _, i2, _, j2 = blocks[end - 1]
        n, m = i2 - i1, j2 - j1
        counted, other = (n, m) if count_a else (m, n)
        s, e = (i1, i2) if count_a else (j1, j2)
        one = is_substitution(n, m)
        several = not one and is_bridged(n, m, [(c2 - c1, d2 - d1) for eq, c1, c2, d1, d2 in blocks[k:end] if not eq])
        if one or several:
            equal = sum((c2 - c1) if count_a else (d2 - d1) for eq, c1, c2, d1, d2 in blocks[k:end] if eq)
            covered[s:e] = b"\x01" * (e - s)
            walk.other += other
            walk.matched += equal
            walk.substituted += counted - equal
        if several:
            walk.bridged += counted
            if swap is not None:
                # Each piece is a substitution of its own (a word inserted or dropped is substituted, not swapped).
                for eq, c1, c2, d1, d2 in blocks[k:end]:
                    if not eq and c1 < c2 and d1 < d2:
                        walk.runs.append((c1, c2, d1, d2))
                        walk.swapped += ((c2 - c1) if count_a else (d2 - d1)) * swap(c1, c2, d1, d2)
        elif one:
            if swap is not None and counted > equal:
                run = _trimmed(blocks[k:end])
                walk.runs.append(run)
                # Each changed block is tested alone (the equal words between them would make two phrases
                # look alike); a word inserted or dropped is tested with the whole run it belongs to. A block
                # of more than MAX_SPAN words on a side is a clause rewritten, not a swap.
                for eq, c1, c2, d1, d2 in blocks[k:end]:
                    words = (c2 - c1) if count_a else (d2 - d1)
                    if eq or not words or max(c2 - c1, d2 - d1) > MAX_SPAN:
                        continue
                    walk.swapped += words * (swap(c1, c2, d1, d2) if c1 < c2 and d1 < d2 else swap(*run))
        elif 0 < counted <= MAX_INDEL and other == 0 and k > 0 and end < len(blocks):
            covered[s:e] = b"\x01" * (e - s)  # a word or two dropped between two anchors
            walk.dropped += counted
        k = end
    return walk


def _moved_words(short: str, ts: Tokens, long: str, tl: Tokens, covered: bytearray) -> int:
    """Words of the shorter text's unaligned sentences that align with a sentence elsewhere in the other.

    Heavy rewrites move, split and merge sentences, which the in-order alignment leaves uncovered. Each
    sentence of the shorter text covered less than ``MOVED_BELOW`` is aligned again, alone, with the
    sentence (or pair of adjacent sentences) of the other text that holds most of its content words in
    order (at least ``MOVED_MIN_CONTENT``), and the words this adds are counted.
    """
    bounds = sentence_bounds(short, ts)
    todo = [(s, e) for s, e in bounds if sum(covered[s:e]) < MOVED_BELOW * (e - s) and e - s >= 3]
    if len(bounds) < 2 or not todo:
        return 0
    long_bounds = sentence_bounds(long, tl)
    windows = long_bounds + [(s, e2) for (s, _), (_, e2) in zip(long_bounds, long_bounds[1:], strict=False)]
    # Places are compared on content words only: two unrelated sentences share function words in order.
    sentences = [[w for w in ts.words[s:e] if w not in ALIGNMENT_FUNCTION_WORDS] for s, e in todo]
    places = [[w for w in tl.words[s:e] if w not in ALIGNMENT_FUNCTION_WORDS] for s, e in windows]
    moved = 0
    best_places = _best_places(sentences, [s for s, _ in todo], places, [s for s, _ in windows])
    for (best, held), (s, e) in zip(best_places, todo, strict=True):
        if held < MOVED_MIN_CONTENT:
            continue
        already = sum(covered[s:e])
        sentence, window = ts.words[s:e], tl.words[windows[best][0] : windows[best][1]]
        found = sum(_walk(_word_blocks(sentence, window), sentence, window, True, None).covered)
        moved += max(0, found - already)
    return moved


def _best_places(sentences: list[list[str]], sentence_starts: list[int], places: list[list[str]],
                 place_starts: list[int]) -> list[tuple[int, int]]:
    """For each sentence, the first place holding most of its words in order, and how many it holds."""
    if len(sentences) * len(places) > DENSE_PAIRS:  # long texts: candidate places only
        out = []
        where = candidate_places(sentences, places, row_starts=sentence_starts, place_starts=place_starts)
        for row, candidates in zip(sentences, where, strict=True):
            held = [held_in_order(row, places[j]) for j in candidates]
            best = max(range(len(held)), key=lambda k: (held[k], -k), default=None)
            out.append((0, 0) if best is None else (candidates[best], held[best]))
        return out
    # Indel distance = |x| + |y| - 2 * LCS, so this is how many content words each place holds in order.
    distance = process.cdist(sentences, places, scorer=Indel.distance, workers=1)
    sizes = np.array([len(x) for x in sentences])[:, None]
    in_order = (sizes + np.array([len(y) for y in places])[None, :] - distance) // 2
    return [(int(row.argmax()), int(row.max())) for row in in_order]


def align(a: str, b: str, *, tokens_a: Tokens | None = None, tokens_b: Tokens | None = None) -> Alignment:
    """Align ``a`` and ``b`` word by word, in order, and measure how much of one is a rewrite of the other.

    ``tokens_a``/``tokens_b`` may pass ``dedup.text.normalize.tokenize`` results already at hand.

    >>> al = align("Rebels backed by Russian air power took the town.",
    ...            "Rebels subsidized through Russian airpower took the town.")
    >>> al.coverage, al.matched, [(s.a_text, s.b_text) for s in al.substitutions]
    (1.0, 5, [('backed by', 'subsidized through'), ('air power', 'airpower')])
    >>> al.swapped  # "airpower" respells "air power": an edit, not a swap
    2.0
    """
    ta = tokenize(a) if tokens_a is None else tokens_a
    tb = tokenize(b) if tokens_b is None else tokens_b
    na, nb = len(ta), len(tb)
    if na == 0 or nb == 0:
        return Alignment(0.0, 0.0, 0, 0, 0.0, na, nb, ())
    blocks = _blocks(a, ta, b, tb)
    count_a = na <= nb

    def swap(c1: int, c2: int, d1: int, d2: int) -> float:
        # Spinners keep names and figures: a run touching one of them was edited. An editor also changes
        # articles, pronouns and auxiliaries one for one; a spinner swaps them inside a longer phrase.
        if any(is_name_or_figure(a, ta, k) for k in range(c1, c2)) or any(
                is_name_or_figure(b, tb, k) for k in range(d1, d2)):
            return 0.0
        old, new = ta.words[c1:c2], tb.words[d1:d2]
        if len(old) == len(new) and not EDITED_WORDS.isdisjoint((*old, *new)):
            return 0.0
        if not _is_swap(old, new):
            return 0.0
        return FUNCTION_SWAP if len(old) == len(new) == 1 and {*old, *new} <= FUNCTION_WORDS else 1.0

    walk = _walk(blocks, ta.words, tb.words, count_a, swap)
    aligned = walk.matched + walk.substituted
    shorter = min(na, nb)
    short, long = ((a, ta), (b, tb)) if count_a else ((b, tb), (a, ta))
    moved = _moved_words(*short, *long, walk.covered)
    substitutions = tuple(_substitution(a, ta, c1, c2, b, tb, d1, d2) for c1, c2, d1, d2 in walk.runs)
    return Alignment(
        coverage=(aligned + walk.dropped) / shorter,
        changed=walk.substituted / aligned if aligned else 0.0,
        matched=walk.matched,
        substituted=walk.substituted,
        score=min(1.0, (aligned + walk.dropped + moved) / shorter),
        a_words=na,
        b_words=nb,
        substitutions=substitutions,
        swapped=walk.swapped,
        moved=moved,
        mutual=(aligned + walk.other) / (na + nb),
        bridged=walk.bridged,
    )


def _substitution(a: str, ta: Tokens, i1: int, i2: int, b: str, tb: Tokens, j1: int, j2: int) -> Substitution:
    a_start, a_end = ta.starts[i1], ta.ends[i2 - 1]
    b_start, b_end = tb.starts[j1], tb.ends[j2 - 1]
    return Substitution(a_start, a_end, b_start, b_end, a[a_start:a_end], b[b_start:b_end])


def is_spun(alignment: Alignment) -> bool:
    """True when the alignment shows a spun copy: most of the shorter text aligned in order, and a real share
    of the aligned words swapped for other words (not respelt, not changed figures).

    >>> is_spun(align("The big army launched a fierce attack on the northern town today.",
    ...               "The huge army started a ferocious onslaught on the northern city today."))
    True
    >>> is_spun(align("The army attacked the town on Monday.", "The army attacked the town on Monday!"))
    False
    """
    aligned = alignment.matched + alignment.substituted
    if aligned == 0 or alignment.coverage < SPUN_COVERAGE:
        return False
    return alignment.swapped >= SPUN_MIN_SWAPS and alignment.swapped / aligned >= SPUN_SWAPPED
