"""How strongly one text is derived from another: the ``score`` of ``dedup compare``.

A copy, a trimmed copy, a spun copy and a paraphrase all score high; two texts on one subject, or a sentence
that keeps another's words but adds a fact, score lower. The score works sentence by sentence:

1. **Pairing.** Each sentence of the shorter text is paired with the run of one or two sentences of the
   longer text that holds most of its content words in order; neighbours paired with the same place merge
   into one unit. Sentences of the longer text that nothing is paired with do not count, so an excerpt or a
   trimmed copy still scores high (containment, at the level of sentences).
2. **Within a pair** (``sequence_similarity``) the comparison is symmetric, so what either side adds counts.
   A word is matched when the other side has it, its stem, or a thesaurus synonym of it (the thesaurus of
   the phrase checks). The two word sequences are aligned in order, matched synonyms counting as equal, and
   each changed stretch of the alignment costs the **square** of the weight of its unmatched words (a figure
   weighs ``NUMBER_WEIGHT``, any other word 1): a five-word clause added costs 25, five scattered synonym
   swaps 5. Each side's coverage is matched / (matched + cost); the pair's similarity is the lower of the two.
3. The score is the mean over the shorter text's units, weighted by their words.

Measured by ``benchmarks/pair_bench.py`` (MSRP with ``--msrp``, on a copy kept outside the repository):
Microsoft Research Paraphrase test pairs AUROC 0.823 (unigram Jaccard 0.758; the alignment's containment
0.699), Clough & Stevenson answers derived vs not 0.992 (Jaccard 0.974), spun Lee sentences and articles
>= 0.999. ``EXPONENT`` and ``NUMBER_WEIGHT`` were chosen on the MSRP *training* file, ``WINDOW`` and the
pairing's tie rule on Clough and that file, ``MIN_SENTENCE`` by hand.

>>> derived_score("The army was backed by Russian air power.", "The army was supported by Russian air power.")
1.0
>>> derived_score("Sales rose 5% in May.", "Sales rose 5% in May, the company said on Friday.") < 0.5
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from dedup.text.normalize import Tokens, tokenize
from dedup.text.stems import crude_stem as _stem
from dedup.text.words import ALIGNMENT_FUNCTION_WORDS
from dedup.verify.align import sentence_bounds
from dedup.verify.places import DENSE_PAIRS, candidate_places, held_in_order

__all__ = ["derived_score", "prepare", "sequence_similarity"]

# A changed stretch of the alignment costs (weight of its unmatched words) ** EXPONENT: a clause added in one
# piece costs far more than the same number of words swapped here and there.
EXPONENT = 2.0
# An unmatched figure weighs this much: a different figure is a different fact.
NUMBER_WEIGHT = 2.0
# A sentence of fewer words joins its neighbour (headlines, datelines, "he said." fragments).
MIN_SENTENCE = 8
# A sentence of the shorter text may draw on a run of up to this many sentences of the longer one.
WINDOW = 2

_NUMBER = re.compile(r"\d[\d.,]*")
_CACHE = 1 << 18


@functools.cache
def _thesaurus() -> tuple[dict[str, tuple[int, int]], list[str]]:
    """The phrase checks' synonym table: each word form's range of alternatives, and their texts."""
    from dedup.spin import load_checker  # the phrase data are large: read only when first needed

    data = load_checker().data
    return data.forms, data.alt_text


def prepare() -> None:
    """Read the thesaurus now rather than at the first comparison (before forking workers, which share it)."""
    _thesaurus()


@functools.lru_cache(maxsize=_CACHE)
def _plain(word: str) -> str:
    """The word without a possessive ending; a figure without its thousands separators."""
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    return word.replace(",", "") if _NUMBER.fullmatch(word) else word


@functools.lru_cache(maxsize=_CACHE)
def _synonym_stems(word: str) -> frozenset[str]:
    """Stems of the one-word synonyms the thesaurus gives for ``word``."""
    forms, alternatives = _thesaurus()
    span = forms.get(word)
    if span is None:
        return frozenset()
    return frozenset(_stem(alternatives[k]) for k in range(*span) if " " not in alternatives[k])


@functools.lru_cache(maxsize=_CACHE)
def _weight(word: str) -> float:
    return NUMBER_WEIGHT if _NUMBER.fullmatch(word) else 1.0


def sequence_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Symmetric similarity in [0, 1] of two sequences of normalised words, paraphrase-aware (step 2 above).

    The matching writes each word of one side as the word of the other it matches, which makes one
    comparison lean on the order of its arguments; the mean of both orders does not (and ranked MSRP
    training pairs a little better than either order, their minimum or their maximum).

    >>> sequence_similarity("the army was backed by russia".split(), "the army was supported by russia".split())
    1.0
    >>> round(sequence_similarity("he quit".split(), "he quit his job in june after a row".split()), 2)
    0.04
    """
    if not a or not b:
        return 0.0
    return (_directed_similarity(a, b) + _directed_similarity(b, a)) / 2


def _directed_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """``sequence_similarity`` with the words of ``b`` written as the words of ``a`` they match."""
    stems_a, stems_b = [_stem(w) for w in a], [_stem(w) for w in b]
    known_a, known_b = set(stems_a), set(stems_b)
    synonyms_of_b = {s for w in set(b) for s in _synonym_stems(w)}
    # A word of b matched to a word of a (by stem or synonym) is written as that word's stem, so that the
    # alignment sees the two as equal.
    stem_of_synonym: dict[str, str] = {}
    for word, stem in zip(a, stems_a, strict=True):
        for synonym in _synonym_stems(word):
            stem_of_synonym.setdefault(synonym, stem)
    matched_a = [s in known_b or s in synonyms_of_b or not _synonym_stems(w).isdisjoint(known_b)
                 for w, s in zip(a, stems_a, strict=True)]
    matched_b: list[bool] = []
    written_b: list[str] = []
    synonyms_of_a = set(stem_of_synonym)
    for word, stem in zip(b, stems_b, strict=True):
        if stem in known_a:
            matched_b.append(True)
            written_b.append(stem)
        elif stem in stem_of_synonym:
            matched_b.append(True)
            written_b.append(stem_of_synonym[stem])
        else:
            # The first word of a that is a synonym of this one (a set's order would change between runs).
            synonyms = _synonym_stems(word)
            hit = next((s for s in stems_a if s in synonyms), None)
            matched_b.append(hit is not None or stem in synonyms_of_a)
            written_b.append(stem if hit is None else hit)
    cost_a = cost_b = 0.0
    for opcode in Levenshtein.opcodes(stems_a, written_b):
        if opcode.tag != "equal":
            unmatched_a = [_weight(a[k]) for k in range(opcode.src_start, opcode.src_end) if not matched_a[k]]
            unmatched_b = [_weight(b[k]) for k in range(opcode.dest_start, opcode.dest_end) if not matched_b[k]]
            cost_a += sum(unmatched_a) ** EXPONENT
            cost_b += sum(unmatched_b) ** EXPONENT
    hits_a, hits_b = sum(matched_a), sum(matched_b)
    coverage_a = hits_a / (hits_a + cost_a) if hits_a else 0.0
    coverage_b = hits_b / (hits_b + cost_b) if hits_b else 0.0
    return min(coverage_a, coverage_b)


def _sentences(words: int, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence ranges of words, a sentence shorter than ``MIN_SENTENCE`` joined to the one before it (or,
    the first, to the one after)."""
    out: list[tuple[int, int]] = []
    for start, end in bounds or [(0, words)]:
        if out and (end - start < MIN_SENTENCE or out[-1][1] - out[-1][0] < MIN_SENTENCE):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


# Cells of the sentence-by-run matrix computed at once (a few tens of megabytes of float64 and its companions).
_MATRIX_CELLS = 1 << 21


def _best_runs(short_content: list[list[str]], run_content: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """For each sentence, the run holding most of its content words in order (see ``_best_run``), and how
    many it holds: every sentence compared with every run."""
    run_sizes = np.array([len(y) for y in run_content])
    short_sizes = np.array([len(x) for x in short_content])
    best_runs = np.empty(len(short_content), dtype=np.int64)
    best_held = np.empty(len(short_content))
    # A block of sentences at a time: the sentence-by-run matrix of two 550 KB texts held whole took 0.9 GB.
    block = max(1, _MATRIX_CELLS // max(len(run_content), 1))
    for first in range(0, len(short_content), block):
        rows = slice(first, first + block)
        # Content words held in order: Indel distance = |x| + |y| - 2 * longest common subsequence.
        distance = process.cdist(short_content[rows], run_content, scorer=Indel.distance, workers=1)
        in_order = (short_sizes[rows][:, None] + run_sizes[None, :] - distance) / 2
        # The first run holding the most, unless a run holds exactly the sentence's content words (a repeated
        # sentence must not pair with a longer one that contains it). Choosing, among runs holding as many,
        # the one the sentence resembles most instead raised unrelated answers on one subject more than
        # derived ones (Clough & Stevenson AUROC 0.987 against 0.992).
        exact = (in_order == run_sizes[None, :]) & (in_order == short_sizes[rows][:, None])
        best_runs[rows] = np.argmax(2 * in_order + exact, axis=1)
        best_held[rows] = in_order[np.arange(len(in_order)), best_runs[rows]]
    return best_runs, best_held


def _best_run(row: list[str], candidates: list[list[str]], indices: list[int]) -> tuple[int, float]:
    """``derived_score``'s choice among candidate runs (in increasing index order): the first holding most of
    ``row``'s content words in order, a run holding exactly them first; ``(0, 0.0)`` when none holds any."""
    best, best_key, best_held = 0, 0.0, 0.0
    for index, run in zip(indices, candidates, strict=True):
        held = float(held_in_order(row, run))
        key = 2 * held + (held == len(run) == len(row))
        if key > best_key:
            best, best_key, best_held = index, key, held
    return best, best_held


def derived_score(a: str, b: str, *, tokens_a: Tokens | None = None, tokens_b: Tokens | None = None) -> float:
    """How strongly one of two texts is derived from the other, in [0, 1]; symmetric in ``a`` and ``b``.

    ``tokens_a`` and ``tokens_b``, when given, are ``tokenize(a)`` and ``tokenize(b)`` (as ``align`` takes them).

    >>> derived_score("Rebels took the town on Monday.", "On Monday the rebels seized the town.") > 0.8
    True
    >>> derived_score("Rebels took the town on Monday.", "Floods closed the coastal road.") < 0.2
    True
    """
    tokens_a = tokenize(a) if tokens_a is None else tokens_a
    tokens_b = tokenize(b) if tokens_b is None else tokens_b
    if not tokens_a.words or not tokens_b.words:
        return 0.0
    # The shorter text is paired into the longer; on equal lengths an order of the texts themselves decides,
    # so that the score does not depend on the order of the arguments.
    (short, short_tokens), (long, long_tokens) = sorted(((a, tokens_a), (b, tokens_b)),
                                                        key=lambda pair: (len(pair[1]), pair[0]))
    short_words = [_plain(w) for w in short_tokens.words]
    long_words = [_plain(w) for w in long_tokens.words]
    short_sentences = _sentences(len(short_words), sentence_bounds(short, short_tokens))
    long_sentences = _sentences(len(long_words), sentence_bounds(long, long_tokens))
    if len(short_sentences) == 1 and len(long_sentences) == 1:
        return sequence_similarity(short_words, long_words)
    runs = [(long_sentences[i][0], long_sentences[i + size - 1][1])
            for size in range(1, WINDOW + 1) for i in range(len(long_sentences) - size + 1)]

    def content(words: list[str], start: int, end: int) -> list[str]:
        return [w for w in words[start:end] if w not in ALIGNMENT_FUNCTION_WORDS]

    short_content = [content(short_words, s, e) for s, e in short_sentences]
    run_content = [content(long_words, s, e) for s, e in runs]
    if len(short_content) * len(run_content) > DENSE_PAIRS:  # long texts: each sentence against its candidates
        where = candidate_places(short_content, run_content, row_starts=[start for start, _ in short_sentences],
                                 place_starts=[start for start, _ in runs])
        chosen = [_best_run(row, [run_content[j] for j in candidates], candidates)
                  for row, candidates in zip(short_content, where, strict=True)]
        best_runs, best_held = np.array([j for j, _ in chosen], dtype=np.int64), np.array([h for _, h in chosen])
    else:
        best_runs, best_held = _best_runs(short_content, run_content)
    units: list[list[int]] = []  # [short start, short end, long start, long end, paired (0/1)]
    for i, (start, end) in enumerate(short_sentences):
        j = int(best_runs[i])
        paired = int(best_held[i] > 0)
        run_start, run_end = runs[j]
        last = units[-1] if units else None
        if last and paired and last[4] and run_start < last[3] and run_end > last[2]:
            last[1], last[2], last[3] = end, min(last[2], run_start), max(last[3], run_end)
        else:
            units.append([start, end, run_start, run_end, paired])
    total = sum(end - start for start, end, *_ in units)
    return sum((end - start) * sequence_similarity(short_words[start:end], long_words[run_start:run_end])
               for start, end, run_start, run_end, paired in units if paired) / total
