"""The one verification: the relation and figures of a candidate pair, for a scan and for ``dedup compare``.

A scan calls it on each candidate its index proposes; ``dedup compare A B`` calls it on the pair it is given,
with the same features, so the two give the same verdict (but for passages: ``compare`` searches a pair
that is no copy for them whatever passage keys it shares, ``COMPARE_MIN_KEYS``). (A scan reads its
features without the lines it found to be boilerplate across the corpus; ``compare`` has no corpus, so
there it keeps every line.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from dedup.config import ScanConfig
from dedup.model import Pair
from dedup.sketch.features import Features, batch_features
from dedup.text.kept import kept_for_texts
from dedup.text.normalize import Tokens, tokenize
from dedup.timing import counted, timed
from dedup.verify.align import Alignment
from dedup.verify.anchors import name_agreement
from dedup.verify.passages import find_passages, whole_passage
from dedup.verify.relations import (
    may_need_alignment,
    needs_alignment,
    needs_full_characters,
    overlap,
    shared_count,
    spun_pair,
    verify_pair,
)

__all__ = ["COMPARE_MIN_KEYS", "PASSAGE_MIN_KEYS", "PASSAGE_SHARED", "decide_pair"]

# A pair that is no copy is searched for passages only when the character n-grams it shares amount to this
# share of the shortest passage (containment times the shorter text's words): a passage reworded at
# random keeps well over half of its character n-grams, and two unrelated texts seldom share that many.
PASSAGE_SHARED = 0.5
# ... and when they share at least this many passage keys (pairs of content words in a row, in any order,
# see dedup.sketch.features). A passage reworded at random keeps few of them. No more than the passage
# channel asks (dedup.stages.candidates), so that every pair it proposes is searched: of the pairs of the PAN
# training corpus's fit half in which compare finds a passage, 6 keys kept 98.4% of the randomly obfuscated
# and 97.7% of the translated, 5 keys 99.6% / 98.5%; 3 three-word keys were asked before.
PASSAGE_MIN_KEYS = 5
# ``dedup compare``, given the pair itself, asks none: on the fit half of the PAN training corpus 11% of the
# randomly obfuscated and translated pairs share fewer than 3 keys, and no pair without reuse gained a passage
# (find_passages' own checks reject them), at the cost of searching more pairs, which compare can afford.
COMPARE_MIN_KEYS = 0

# A passage of a pair that is no copy, lying for at least this share of its characters in the boilerplate
# lines of either document (lines the scan found in ``boilerplate_min_docs`` documents or more and left out of
# their features), is the site's furniture, not reuse: a paywall or cookie notice that other shared keys
# brought before the passage search, which reads the texts as given.
BOILERPLATE_PASSAGE = 0.5

Texts = Callable[[], tuple[str, str]]
Spans = Sequence[tuple[int, int]]


def decide_pair(a: str, b: str, fa: Features, fb: Features, config: ScanConfig, *, texts: Texts,
                contents: Texts | None = None, alignment: Alignment | None = None,
                anchors: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None,
                tokens: Callable[[], tuple[Tokens, Tokens]] | None = None,
                passage_keys: int = PASSAGE_MIN_KEYS,
                boilerplate: Callable[[], tuple[Spans, Spans]] | None = None) -> Pair:
    """The verdict on documents ``a`` and ``b`` (two distinct texts): the pair with its relation, or with
    relation "" when it is no copy (its figures still filled in).

    First the exact shingle sets; a short text whose verdict rests on its character sample alone is checked
    on all its character n-grams; then, where the figures and anchors leave room for spinning, the texts are
    aligned word by word. Last, the passages the two share are found (``dedup.verify.passages``): every copy
    carries them, and two texts that are no copy but share passages are a ``passage`` pair.

    ``texts`` reads the two texts as given (aligned for spinning, searched for passages), ``contents`` the two
    as their features were taken (boilerplate left out; the texts when None); both are called only when
    needed, since a scan reads them from disk. ``alignment`` may pass the texts' alignment already at hand,
    ``anchors`` a way to take the two anchor sets when they are not in the features (only when needed),
    ``tokens`` the two texts' ``tokenize``; ``passage_keys`` how many passage keys a pair that is no copy
    must share to be searched for passages; ``boilerplate`` the character spans of the two texts' boilerplate
    lines (a scan's), whose passages make no ``passage`` pair (``BOILERPLATE_PASSAGE``).
    """
    texts = functools.cache(texts)  # read once, whether to align or to find passages
    tokens = tokens or _kept_tokens(texts)
    return _with_passages(_copy_verdict(a, b, fa, fb, config, texts, contents, alignment, anchors, tokens), fa,
                          fb, config, texts, tokens, passage_keys, boilerplate)


def _copy_verdict(a: str, b: str, fa: Features, fb: Features, config: ScanConfig, texts: Texts,
                  contents: Texts | None, alignment: Alignment | None,
                  anchors: Callable[[], tuple[np.ndarray, np.ndarray]] | None,
                  tokens: Callable[[], tuple[Tokens, Tokens]]) -> Pair:
    """The relation of the two texts as copies (exact sets, then alignment), passages aside."""
    shingled = verify_pair(a, b, fa, fb, config)
    if needs_full_characters(shingled, fa, fb, config):
        content_a, content_b = (contents or texts)()
        full = batch_features([content_a, content_b], replace(config, char_sample=1))
        fa, fb = replace(fa, chars=full[0].chars), replace(fb, chars=full[1].chars)
        shingled = verify_pair(a, b, fa, fb, config)
    char_containment = shingled.details["char_containment"]
    # The anchors' Jaccard is the last gate: look at the anchors only when the others are passed.
    if not may_need_alignment(shingled, char_containment, config):
        return shingled
    anchors_a, anchors_b = anchors() if anchors is not None else (fa.anchors, fb.anchors)

    def names() -> float:
        (text_a, text_b), (tokens_a, tokens_b) = texts(), tokens()
        return name_agreement(text_a, tokens_a, text_b, tokens_b)

    if needs_alignment(shingled, char_containment, config, overlap(anchors_a, anchors_b)[0], names):
        text_a, text_b = texts()
        with timed("verify: alignment"):
            return spun_pair(a, b, text_a, text_b, shingled, alignment, tokens) or shingled
    return shingled


# Texts whose tokens are kept (dedup.text.kept), some 20 bytes a character (120 MB per worker): a scan verifies
# the pairs of one document in a row, and the same documents again in the pairs of others. On the 50,000-
# document speed corpus each of two workers tokenised 22,500 times for 67,800 texts asked with 2 million
# characters kept, 14,000 with 6 million (the 17,500 distinct texts searched for passages need 20 million).
KEPT_CHARACTERS = 6_000_000


@kept_for_texts(KEPT_CHARACTERS)
def _tokens(text: str) -> Tokens:
    """``tokenize``, kept for the last texts."""
    return tokenize(text)


def _kept_tokens(texts: Texts) -> Callable[[], tuple[Tokens, Tokens]]:
    """The two texts' ``tokenize`` through ``_tokens``: a document of a cluster is in many pairs."""
    def both() -> tuple[Tokens, Tokens]:
        text_a, text_b = texts()
        return _tokens(text_a), _tokens(text_b)

    return both


def _with_passages(pair: Pair, fa: Features, fb: Features, config: ScanConfig, texts: Texts,
                   tokens: Callable[[], tuple[Tokens, Tokens]], passage_keys: int,
                   boilerplate: Callable[[], tuple[Spans, Spans]] | None = None) -> Pair:
    """The pair with its ``passages``; a pair that is no copy becomes a ``passage`` pair when passages of
    ``config.min_passage`` words or more reappear (``dedup.verify.passages``), else stays relation "". With
    ``config.passages`` off, the pair is left as it is."""
    if not config.passages:
        return pair
    if not pair.relation:
        shorter = min(fa.length, fb.length)
        shared = pair.details["char_containment"] * shorter
        if shorter < config.min_passage or shared < PASSAGE_SHARED * config.min_passage:
            return pair  # no passage of the shortest reported length fits, or too little is shared for one
        if passage_keys and shared_count(fa.passage_keys, fb.passage_keys) < passage_keys:
            return pair  # too few runs of content words in common for a passage
    text_a, text_b = texts()
    with timed("verify: tokens"):
        ta, tb = tokens()
    if pair.relation == "near_duplicate":
        return replace(pair, passages=whole_passage(text_a, ta, text_b, tb))
    # A copy's passages may be shorter than the shortest reported alone (a trimmed copy of a few sentences).
    least = min(config.min_passage, max(1, min(len(ta), len(tb)) // 2)) if pair.relation else config.min_passage
    with timed("verify: passage search"):
        found = find_passages(text_a, text_b, tokens_a=ta, tokens_b=tb, min_words=least)
    counted("verify: passage search", 1)
    counted("verify: passages found", len(found))
    if pair.relation:
        return replace(pair, passages=found or whole_passage(text_a, ta, text_b, tb))
    if found and boilerplate is not None:
        spans_a, spans_b = boilerplate()
        if spans_a or spans_b:
            found = tuple(p for p in found if not (_furniture(p.a_start, p.a_end, spans_a)
                                                   or _furniture(p.b_start, p.b_end, spans_b)))
    if not found:
        return pair
    shorter = max(1, min(len(ta), len(tb)))
    score = min(1.0, sum(p.words for p in found) / shorter)
    return replace(pair, relation="passage", score=score, passages=found)


def _furniture(start: int, end: int, spans: Spans) -> bool:
    """Whether ``BOILERPLATE_PASSAGE`` of the characters ``start:end`` lie in ``spans`` (sorted, disjoint).

    >>> _furniture(10, 20, [(0, 12), (15, 30)]), _furniture(10, 20, [(0, 12)])
    (True, False)
    """
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return inside >= BOILERPLATE_PASSAGE * max(1, end - start)
