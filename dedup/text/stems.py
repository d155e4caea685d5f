"""Word forms: a crude stem, so that two forms of one word ("announced", "announces") compare as equal.

Used where texts are compared word by word (``dedup.verify.align``, ``dedup.verify.derivation``): a spinner's
inflection slips ("announced" -> "announce") and an editor's change of tense are not new words.
"""

from __future__ import annotations

import functools

__all__ = ["crude_stem"]

# Suffixes stripped to compare word forms ("rose"/"rising" stay apart; "ruled"/"rules" meet), longest first
# where one ends another.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ied", "ies", "ed", "es", "s", "ly", "er", "est")


@functools.lru_cache(maxsize=1 << 18)
def crude_stem(word: str) -> str:
    """A crude stem: one suffix off (leaving at least three letters), then a doubled or silent last letter.
    Enough to see two forms of one word ("announced", "announces"), not a morphology.

    >>> crude_stem("announced"), crude_stem("announces"), crude_stem("running")
    ('announc', 'announc', 'run')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word
