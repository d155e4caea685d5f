"""Candidate features that survive spinning: the parts of a text a synonym spinner leaves alone.

A spinner swaps content words (and often prepositions and adverbs) for thesaurus synonyms, but keeps names,
numbers, the grammatical skeleton of each sentence and the order of sentences. Word shingles break at every
swap, so a copy spun at 30-55% shares almost none of them with its source. These features are built only
from what survives (the idea of SpotSigs and DSpin):

- skeleton n-grams: the text with every content word, preposition and adverb replaced by one placeholder
  ``_`` (a run of them by a single ``_``, since a synonym can be longer or shorter than the word it
  replaces), keeping articles, pronouns, auxiliaries, conjunctions, names and numbers:
  ``"the _ was _ russian _"``;
- name-and-number n-grams: the names and figures of the text in order, a multi-word name as one unit:
  ``"kabul 2001 taliban"``.

The pipeline MinHashes these strings into a second LSH index whose candidates ``dedup.verify.align`` verifies.
Measured on Lee-corpus news (``python -m benchmarks.pair_bench --sections anchors``), the anchor sets of a
copy spun at 12-55% have Jaccard >= 0.8 with the original's, two distinct stories at most 0.04; an LSH
threshold of 0.3 (128 permutations) finds every spun copy and proposes well under one false candidate
per document.
"""

from __future__ import annotations

import re
from itertools import compress, product

from dedup.text.normalize import Tokens
from dedup.text.sentences import break_before
from dedup.text.words import ARTICLES, SKELETON_WORDS

__all__ = [
    "GENERIC_WORDS", "NAME_NGRAM", "PLACEHOLDER", "SKELETON_NGRAM", "anchor_features", "is_kept", "is_name_or_figure",
    "name_agreement", "skeleton",
]

# Skeleton n-gram length: 5 tokens (about 8-10 words of text) is specific to one sentence of one story
# while a 55% spin still leaves most of them intact (measured in benchmarks/pair_bench.py).
SKELETON_NGRAM = 5
# Names and figures recur across stories on one topic, so they only count in runs of three.
NAME_NGRAM = 3

PLACEHOLDER = "_"
GENERIC_WORDS = frozenset({PLACEHOLDER, *ARTICLES, "and"})
"""The words a skeleton n-gram made only of is in every story: dropped (``_GENERIC_NGRAMS``)."""
# Every skeleton n-gram (or shorter skeleton) made only of those, which is in every other story: a few
# thousand strings, so dropping them is one set difference. (A word can hold a space, from a Unicode
# compatibility form, but then a part of it is not ASCII: a longer n-gram is never generic.)
_GENERIC_NGRAMS = frozenset(
    "s:" + " ".join(words) for n in range(1, SKELETON_NGRAM + 1) for words in product(sorted(GENERIC_WORDS), repeat=n)
)
_HAS_DIGIT = re.compile(r"\d").search
# A word that opens the text, a sentence, a quotation or a line (``dedup.text.sentences.break_before``): its
# capital says nothing about a name. A closing quote opens nothing, so a capital after it still does (hence
# closing_quotes=False below).


def is_kept(text: str, tokens: Tokens, k: int) -> bool:
    """Whether a spinner leaves word ``k`` alone: a skeleton word, a figure, or a name (a capitalised word
    that does not open a sentence).

    >>> from dedup.text.normalize import tokenize
    >>> text = "Officials in Kabul said 300 troops left."
    >>> [w for k, w in enumerate(tokenize(text).words) if is_kept(text, tokenize(text), k)]
    ['kabul', '300']
    """
    return tokens.words[k] in SKELETON_WORDS or is_name_or_figure(text, tokens, k)


def is_name_or_figure(text: str, tokens: Tokens, k: int) -> bool:
    """Whether word ``k`` is a figure, or a name (a capitalised word that does not open a sentence).

    >>> from dedup.text.normalize import tokenize
    >>> text = "Officials in Kabul said 300 troops left."
    >>> [w for k, w in enumerate(tokenize(text).words) if is_name_or_figure(text, tokenize(text), k)]
    ['kabul', '300']
    """
    if _HAS_DIGIT(tokens.words[k]):
        return True
    return text[tokens.starts[k]].isupper() and not break_before(text, tokens, k, closing_quotes=False)


def skeleton(text: str, tokens: Tokens) -> list[str]:
    """The skeleton of ``text``: skeleton words, names and numbers kept, every other run of words one ``_``.

    A capitalised word counts as a name when it does not open a sentence, or when the same word is
    capitalised somewhere it does not open one (so "Kabul" at the start of a sentence is still a name).

    >>> from dedup.text.normalize import tokenize
    >>> text = "Rebels backed by Russian air power took Kabul in 2001. The town fell."
    >>> " ".join(skeleton(text, tokenize(text)))
    '_ russian _ kabul _ 2001 the _'
    """
    words = tokens.words
    capital = list(map(str.isupper, map(text.__getitem__, tokens.starts)))
    # Only a capitalised word needs to know whether it opens a sentence (the check reads the gap before it).
    names = {
        words[k]
        for k in compress(range(len(words)), capital)
        if not break_before(text, tokens, k, closing_quotes=False)
    }
    out: list[str] = []
    for word, cap in zip(words, capital, strict=True):
        # Kept: skeleton words, figures, and names (a capital that is not just the start of a sentence;
        # where it is, the word counts as a name if it is one elsewhere).
        if word in SKELETON_WORDS or (cap and word in names) or _HAS_DIGIT(word):
            out.append(word)
        elif not out or out[-1] != PLACEHOLDER:
            out.append(PLACEHOLDER)
    return out


def _ngrams(seq: list[str], n: int, prefix: str) -> list[str]:
    if len(seq) <= n:
        return [prefix + " ".join(seq)] if seq else []
    # zip of n shifted copies of seq gives every run of n (faster than slicing seq at each i); the copies
    # differ in length on purpose: zip stops with the shortest, at the last full run.
    return [prefix + " ".join(gram) for gram in zip(*(seq[i:] for i in range(n)), strict=False)]


def _name_units(skel: list[str]) -> list[str]:
    """The names and figures of a skeleton in order, a run of them ("royal commission") made one unit."""
    units: list[str] = []
    joined = False  # whether the previous skeleton token was a name or figure
    for word in skel:
        if word == PLACEHOLDER or word in SKELETON_WORDS:
            joined = False
        elif joined:
            units[-1] += "+" + word
        else:
            units.append(word)
            joined = True
    return units


def name_agreement(text_a: str, tokens_a: Tokens, text_b: str, tokens_b: Tokens) -> float:
    """Jaccard of the two texts' names and figures (each multi-word name one unit, ``_name_units``); 1.0 when
    neither has any (nothing to disagree on). A spinner leaves them alone; two stories written from one
    template differ in them.

    >>> from dedup.text.normalize import tokenize
    >>> a, b = "Officials said Kabul fell in 2001.", "Authorities stated Kabul was taken in 2001."
    >>> name_agreement(a, tokenize(a), b, tokenize(b))
    1.0
    >>> c = "Officials said Herat fell in 2001."
    >>> name_agreement(a, tokenize(a), c, tokenize(c))
    0.3333333333333333
    >>> d, e = "He said the laws will cut pollution.", "He stated the statutes will reduce pollution."
    >>> name_agreement(d, tokenize(d), e, tokenize(e))
    1.0
    """
    units_a = set(_name_units(skeleton(text_a, tokens_a)))
    units_b = set(_name_units(skeleton(text_b, tokens_b)))
    union = len(units_a | units_b)
    # Neither has any: the test has nothing to say, and the anchors and the alignment decide (of the even Lee
    # paragraphs chained through the thesaurus, phrase and function spinners, 3 of the 6 copies the character
    # gate still lost held no name or figure; the Reuters-21578 and Brown scans are unchanged).
    return len(units_a & units_b) / union if union else 1.0


def anchor_features(text: str, tokens: Tokens) -> list[str]:
    """Distinct spin-resistant feature strings of ``text`` (tokens from ``dedup.text.normalize.tokenize``), sorted.

    Skeleton n-grams are prefixed ``s:``, name-and-number n-grams ``n:``, so the two kinds never collide.
    A copy spun at 40-55% keeps about 90% of them; two different stories on one topic share under 3%
    (figures in benchmarks/pair_bench.py).

    >>> from dedup.text.normalize import tokenize
    >>> a = "The army, backed by Russian air power, took Kabul in 2001 and it was easier said than done."
    >>> b = "The army, subsidized through Russian airpower, took Kabul in 2001 and it was simpler stated than done."
    >>> anchor_features(a, tokenize(a)) == anchor_features(b, tokenize(b))
    True
    >>> anchor_features(a, tokenize(a))[:2]
    ['n:russian kabul 2001', 's:2001 and it was _']
    """
    skel = skeleton(text, tokens)
    # An n-gram of placeholders and the commonest words ("_ the _ the _") is in every other story.
    features = set(_ngrams(skel, SKELETON_NGRAM, "s:")).difference(_GENERIC_NGRAMS)
    # Multi-word names count as one unit: otherwise "construction forestry mining and energy union" alone
    # gives two stories about that union a run of shared name n-grams.
    features.update(_ngrams(_name_units(skel), NAME_NGRAM, "n:"))
    return sorted(features)
