"""Normalisation and tokenisation: the one place that decides when two spellings are the same word.

``normalize`` maps a text to its canonical form (Unicode NFKC, case folded, curly quotes and dashes made
plain, whitespace collapsed). ``tokenize`` finds the words of the text *as read* and gives each its
normalised form and its character span, so every later stage can point back into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dedup import kernels

__all__ = ["WORD", "Tokens", "normalize", "normalize_word", "tokenize"]

# Curly quotes, primes and the many dashes news text uses; all are folded to their ASCII twin.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": "",  # soft hyphen: invisible, so it must not split or change a word
        "\u200b": "",  # zero-width space
        "\ufeff": "",  # byte order mark
    }
)
# A word: letters or digits, with inner apostrophes ("haven't") and inner dots or commas of numbers ("3.5").
# The quantifiers are possessive: they never give characters back, which gives the same matches (what may
# follow a run of word characters is never a word character, and the tails are optional) without the
# regex engine saving a backtracking point at every character.
WORD = re.compile(r"\w++(?:['\u2019\u2018`]\w++)*+(?:[.,]\d++)*+")


def normalize(text: str) -> str:
    """Return the canonical form of ``text``; idempotent.

    >>> normalize("  \u201cEasier\u201d said \u2014 than   DONE ")
    '"easier" said - than done'
    """
    if text.isascii():
        # ASCII fast path: NFKC and casefold change nothing but case here (and the backquote is a quote).
        return " ".join(text.replace("`", "'").lower().split())
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    # casefold can produce sequences NFKC would compose differently; a second NFKC keeps this idempotent.
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def normalize_word(word: str) -> str:
    """Normalise one token; the same mapping as ``normalize`` without the whitespace step.

    >>> normalize_word("Don\u2019t")
    "don't"
    """
    if word.isascii():
        return word.lower().replace("`", "'")
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", word).translate(_TRANSLATE).casefold())


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text: normalised forms and half-open character spans into the text as read."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.words)


def tokenize(text: str) -> Tokens:
    """Split ``text`` into normalised words with their spans in ``text``.

    >>> t = tokenize("Boots on the Ground!")
    >>> t.words, t.starts[3], t.ends[3]
    (('boots', 'on', 'the', 'ground'), 13, 19)
    """
    # map() over the unbound Match methods reads every match without a Python-level loop.
    if text.isascii():
        # ASCII fast path: lower() keeps every offset, so the spans of the lowered text are the spans of the text.
        lowered = text.lower()
        if kernels.core is not None:  # the same words and spans, from the compiled twin of WORD (4 times faster)
            return Tokens(*kernels.call(kernels.core.ascii_words, lowered))
        matches = list(WORD.finditer(lowered))
        words = tuple(map(re.Match.group, matches))
        if "`" in lowered:
            words = tuple(word.replace("`", "'") for word in words)
    else:
        matches = list(WORD.finditer(text))
        words = tuple(map(normalize_word, map(re.Match.group, matches)))
    return Tokens(words, tuple(map(re.Match.start, matches)), tuple(map(re.Match.end, matches)))
