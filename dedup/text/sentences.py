"""Where sentences end: the one boundary rule every stage reads, and the options some stages need.

The rule: a sentence ends at an end mark (``.``, ``!``, ``?``) or at a line break. Boundaries are always
*between* words, in the gap of punctuation and space that separates two tokens of ``dedup.text.normalize``,
so a boundary is given as the index of the word after it.

Splitting into sentences (``sentence_starts``, ``sentence_spans``, ``SENTENCE_END``) reads the rule
strictly: an end mark counts only when white space follows it, after any closing quotes or brackets, so
"3.5", "U.S.-led" and "Yahoo!'s" do not end a sentence while ``He left." Then`` does. Two options:

- ``lines``: ``"every"`` line break ends a sentence (the sentence keys: a line is a headline, a caption or
  a paragraph), or only a ``"blank"`` line does (the alignment, which meets text wrapped mid-sentence); an
  end mark before a line break ends a sentence either way;
- ``lowercase_continues``: a boundary before a word in lower case is none (an ellipsis or an abbreviation
  inside a sentence: "a milestone . . . this", "5 p.c. last year").

Reading a word's capital (``break_before``) reads the rule loosely: any end mark in the gap counts, and so
do the marks that open a quotation or a clause with a capital of its own (colon, semicolon, double
quotes), since after any of them a capital says nothing about a name (``closing_quotes=False`` leaves out
the closing curly quote, which opens nothing). With ``clause=True`` the commas,
brackets, slashes, dashes and apostrophes that end a clause count too: the phrase checks read no bigram
across a clause break. ``SENTENCE_BREAK_MARKS`` and ``CLAUSE_BREAK_MARKS`` are those characters, for code
that reads them in bulk.

>>> from dedup.text.normalize import tokenize
>>> text = 'Prices rose 3.5% in the U.S. last year.\\nThe "Fed" acted. Then\\nrates fell.'
>>> tokens = tokenize(text)
>>> [" ".join(tokens.words[s:e]) for s, e in sentence_spans(text, tokens)]
['prices rose 3.5 in the u s', 'last year', 'the fed acted', 'then', 'rates fell']
>>> [" ".join(tokens.words[s:e]) for s, e in sentence_spans(text, tokens, lines="blank", lowercase_continues=True)]
['prices rose 3.5 in the u s last year', 'the fed acted', 'then rates fell']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Literal

from dedup.text.normalize import Tokens

__all__ = [
    "CLAUSE_BREAK_MARKS",
    "CLOSING_MARKS",
    "END_MARKS",
    "SENTENCE_BREAK_MARKS",
    "SENTENCE_END",
    "SENTENCE_MARK",
    "break_before",
    "sentence_spans",
    "sentence_starts",
]

Lines = Literal["every", "blank"]

END_MARKS = ".!?"
"""The marks that end a sentence."""
CLOSING_MARKS = "\"')]"
"""What may stand between an end mark and the space after it: closing quotes and brackets."""

_END_CLASS = "[" + re.escape(END_MARKS) + "]"
_CLOSING_CLASS = "[" + re.escape(CLOSING_MARKS) + "]"
# The line breaks that end a sentence, by the ``lines`` option.
_LINE_BREAKS = {"every": r"\n", "blank": r"\n\s*\n"}
# The rule as patterns to search: each match lies in the gap between two sentences. (Starting at the end mark
# rather than after it lets the regex engine skip to the next end mark or line break.)
_BOUNDARIES = {
    lines: re.compile(f"{_END_CLASS}{_CLOSING_CLASS}*\\s|{line_breaks}") for lines, line_breaks in _LINE_BREAKS.items()
}

SENTENCE_END = re.compile(f"(?<={_END_CLASS}){_CLOSING_CLASS}*\\s+|\\n+")
"""The rule with every line break a boundary, as a pattern to split on: ``SENTENCE_END.split(text)`` gives
the sentences, each with its end mark, without the closing marks, space and line breaks after it."""

SENTENCE_MARK = f"{_END_CLASS}(?={_CLOSING_CLASS}*\\s)|\\n"
"""The same rule as a pattern (a string, to join into a tokeniser's pattern) matching one character where a
sentence ends: the end mark itself, or each line break."""

_SENTENCE_BREAKS = END_MARKS + ':;"\u201c\u201d\n'
_CLAUSE_ONLY_BREAKS = ",()[]{}/|\u2014\u2013-'"
SENTENCE_BREAK_MARKS = frozenset(_SENTENCE_BREAKS)
"""The loose rule's marks: end marks, colon, semicolon, double quotes (straight and curly) and line breaks."""
CLAUSE_BREAK_MARKS = frozenset(_SENTENCE_BREAKS + _CLAUSE_ONLY_BREAKS)
"""Those and the marks that end a clause: commas, brackets, slashes, bars, dashes, hyphens, apostrophes."""

_CLOSING_QUOTE = "\u201d"


def _break_pattern(marks: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(marks))) + "]")


# By (clause, closing_quotes), the options of break_before.
_BREAK_PATTERNS = {
    (clause, closing): _break_pattern(marks if closing else marks - {_CLOSING_QUOTE})
    for clause, marks in ((False, SENTENCE_BREAK_MARKS), (True, CLAUSE_BREAK_MARKS))
    for closing in (False, True)
}


def sentence_starts(
    text: str, starts: Sequence[int], *, lines: Lines = "every", lowercase_continues: bool = False
) -> list[int]:
    """The index of the first word of each sentence of ``text`` (0 first), by the strict rule (see above).

    ``starts`` are the character offsets of the words in ``text``, in order (``Tokens.starts``).

    >>> text = "It rose 5 p.c. last year.\\nThen it fell."
    >>> sentence_starts(text, [0, 3, 8, 10, 12, 15, 20, 26, 31, 34])
    [0, 5, 7]
    >>> sentence_starts(text, [0, 3, 8, 10, 12, 15, 20, 26, 31, 34], lines="blank", lowercase_continues=True)
    [0, 7]
    """
    n = len(starts)
    cuts = [0] if n else []
    for match in _BOUNDARIES[lines].finditer(text):
        # The boundary falls before the first word starting after the match (boundaries never lie inside a
        # word: a word ends in a letter or digit, and the marks and space of a match are neither).
        k = bisect_right(starts, match.start())
        if 0 < k < n and k != cuts[-1] and not (lowercase_continues and text[starts[k]].islower()):
            cuts.append(k)
    return cuts


def sentence_spans(
    text: str, tokens: Tokens, *, lines: Lines = "every", lowercase_continues: bool = False
) -> list[tuple[int, int]]:
    """Half-open word-index ranges of the sentences of ``text`` (``tokens`` is ``tokenize(text)``).

    >>> from dedup.text.normalize import tokenize
    >>> text = "It rose 5 p.c. last year. Then it fell."
    >>> sentence_spans(text, tokenize(text), lines="blank", lowercase_continues=True)
    [(0, 7), (7, 10)]
    """
    cuts = sentence_starts(text, tokens.starts, lines=lines, lowercase_continues=lowercase_continues)
    if not cuts:
        return []
    return list(zip(cuts, [*cuts[1:], len(tokens)], strict=True))


def break_before(text: str, tokens: Tokens, k: int, *, clause: bool = False, closing_quotes: bool = True) -> bool:
    """Whether word ``k`` opens a sentence, a quotation or a line by the loose rule (see above): it is the
    first word, or the gap before it holds one of ``SENTENCE_BREAK_MARKS`` (``CLAUSE_BREAK_MARKS`` with
    ``clause``). Without ``closing_quotes`` a closing curly quote does not count: it ends a quotation and
    opens nothing (the straight double quote, which may do either, always counts).

    >>> from dedup.text.normalize import tokenize
    >>> text = 'Officials said: "Kabul fell, Taliban fled." The \u201cAxis\u201d States'
    >>> tokens = tokenize(text)
    >>> [w for k, w in enumerate(tokens.words) if break_before(text, tokens, k)]
    ['officials', 'kabul', 'the', 'axis', 'states']
    >>> [w for k, w in enumerate(tokens.words) if break_before(text, tokens, k, closing_quotes=False)]
    ['officials', 'kabul', 'the', 'axis']
    """
    if k == 0:
        return True
    return _BREAK_PATTERNS[clause, closing_quotes].search(text, tokens.ends[k - 1], tokens.starts[k]) is not None
