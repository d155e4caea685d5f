"""What the phrase checks find in a text before scoring it: word slots, candidates and their analysis.

A batch of texts is laid end to end as word slots (``Scan``): what depends on a word alone (its language-model
id, its synonyms, whether it may be swapped) comes from the checker's ``Vocabulary``, worked out once per
distinct word; what depends on its place (clause breaks, the case of its first letter) from the characters
around it (``read_slots``). The scored candidates of each text are then gathered, in text order, into its
``Analysis`` (``assemble``), which ``PhraseChecker.check`` turns into a verdict; ``Candidate`` is one of them
as plain values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from dedup.spin.data import PhraseData
from dedup.spin.word_model import COLUMN, N_FEATURES
from dedup.text.sentences import CLAUSE_BREAK_MARKS, SENTENCE_BREAK_MARKS
from dedup.text.words import NEVER_SWAPPED

__all__ = [
    "EXPRESSION_REASON",
    "LEXICON_LOG_LR",
    "RESTORE_REASON",
    "UNKNOWN_REASON",
    "Analysis",
    "Candidate",
    "Scan",
    "Vocabulary",
    "assemble",
    "contains",
    "read_slots",
]

# Log-likelihood ratio given to a phrase of the shipped lexicon or of a user list: such phrases almost
# never occur in clean text, so one is strong evidence, but a single one does not make a document spun.
LEXICON_LOG_LR = math.log(40.0)
# English news has 95 % or more of its lower-case words in the language model; French, German or Spanish
# text about half. Below this share (over at least that many words) a text is not checked.
_MIN_KNOWN_SHARE = 0.75
_MIN_WORDS_FOR_LANGUAGE = 8
# The reasons given with each kind of candidate (lexicon matches give their list's name instead).
UNKNOWN_REASON = "a word form no word list knows"
RESTORE_REASON = "restoring a common synonym makes the phrase far more likely"
EXPRESSION_REASON = "a fixed expression with one word swapped for a synonym"


@dataclass
class Scan:
    """A batch of texts laid end to end as word slots, with their candidates before scoring.

    Each text takes one slot per word and then one empty separator slot (no word, a clause break), so no
    bigram or expression spans two texts. Units, unknown forms and lexicon matches are given as slots.
    """

    offsets: np.ndarray  # the first slot of each text, then the number of slots
    doc: np.ndarray  # the text of each slot
    starts: np.ndarray  # character span of each slot's word in its own text (the text's end for a separator)
    ends: np.ndarray
    forms: list[str]  # look-up form of each slot's word; "" for a separator
    word_ids: np.ndarray  # language-model id of each form; -1 for a separator
    clause: np.ndarray  # clause[k]: a clause break lies before slot k
    run: np.ndarray  # clause breaks up to slot k: slots k..j-1 share a clause iff run[k] == run[j - 1]
    expression_number: np.ndarray  # number of the form of slot k as an expression word; -1 for none
    unit_start: np.ndarray  # candidate units: slots [start, end), in order of start, the longer unit first
    unit_end: np.ndarray
    unit_alternatives: np.ndarray  # (units, 2): each unit's [first, end) range of alternatives
    unknown_at: np.ndarray  # slots of unknown word forms
    fixed: list[tuple[int, int, str | None, str]]  # lexicon matches: slots [start, end), original, source
    known_share: list[float]  # per text
    lower_words: list[int]  # per text


@dataclass(frozen=True)
class Analysis:
    """Everything ``check`` needs about one text, as parallel arrays over its candidates."""

    starts: np.ndarray
    ends: np.ndarray
    features: np.ndarray  # (candidates, features)
    fixed_log_lr: np.ndarray  # NaN where the per-word model decides
    originals: list[str | None]
    reasons: list[str]
    # Each candidate's [first, end) range of alternatives in ``PhraseData.alt_text``; empty for an unknown form
    # or a lexicon match.
    alternatives: np.ndarray
    # Share of the lower-case words the language model knows: low for text that is not English.
    known_share: float
    lower_words: int

    @property
    def english(self) -> bool:
        """Whether the text reads as English; the checks say nothing about other languages."""
        return self.lower_words < _MIN_WORDS_FOR_LANGUAGE or self.known_share >= _MIN_KNOWN_SHARE


@dataclass(frozen=True, slots=True)
class Candidate:
    """One unit of a document the checks looked at: its span, its features and its best restoration.

    ``fixed_log_lr`` is set for lexicon and phrase-list matches, which bypass the per-word model.
    """

    start: int
    end: int
    text: str
    original: str | None
    features: tuple[float, ...]
    reason: str
    fixed_log_lr: float | None = None


def _break_kinds(breaks: dict[str, int]) -> np.ndarray:
    """A table over code points: each break character's kind, 0 for any other (and for the last entry,
    which every code point past the table reads)."""
    table = np.zeros(max(map(ord, breaks)) + 2, dtype=np.uint8)
    for char, kind in breaks.items():
        table[ord(char)] = kind
    return table


# 1 for a clause break, 2 for a sentence break (which ends a clause too), as ``dedup.text.sentences`` has
# them (``break_before``): no bigram is read across a clause break, and a capital after a sentence break is
# no sign of a name.
_BREAK_KINDS = _break_kinds({**dict.fromkeys(CLAUSE_BREAK_MARKS, 1), **dict.fromkeys(SENTENCE_BREAK_MARKS, 2)})


def read_slots(
    texts: Sequence[str], starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the characters of a batch say about each slot (see ``Scan``): whether a clause break, and
    whether a sentence break, lies in the gap before its word (the first word of a text and every separator
    have both), and whether its word begins with an upper-case, and with a lower-case, letter.

    The texts are read as one array of code points: a count of break characters up to each position
    answers every gap at once.
    """
    joined = "".join(texts)
    if joined.isascii():
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        kinds = _BREAK_KINDS[codes]
    else:
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        kinds = _BREAK_KINDS[np.minimum(codes, len(_BREAK_KINDS) - 1)]
    # Where each slot's text begins in the joined texts.
    text_start = np.repeat(np.cumsum([0, *map(len, texts)])[:-1], np.diff(offsets))
    gap_start = (ends + text_start)[:-1]
    gap_end = (starts + text_start)[1:]
    separators = offsets[1:] - 1
    edges = np.concatenate([offsets[:-1], separators])  # first words and separators
    breaks = []
    for is_break in (kinds > 0, kinds == 2):
        count = np.zeros(len(kinds) + 1, dtype=np.int64)
        np.cumsum(is_break, out=count[1:])
        before = np.ones(len(starts), dtype=bool)
        before[1:] = count[gap_end] > count[gap_start]
        before[edges] = True
        breaks.append(before)

    # A separator's start is its text's end, possibly the end of them all: read a space there instead.
    first = np.append(codes, ord(" "))[starts + text_start]
    first[separators] = ord(" ")
    upper = (first >= ord("A")) & (first <= ord("Z"))
    lower = (first >= ord("a")) & (first <= ord("z"))
    beyond_ascii = np.flatnonzero(first >= 128)
    if len(beyond_ascii):
        letters = [chr(code) for code in first[beyond_ascii].tolist()]
        upper[beyond_ascii] = [letter.isupper() for letter in letters]
        lower[beyond_ascii] = [letter.islower() for letter in letters]
    return breaks[0], breaks[1], upper, lower


def contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in the sorted array ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[where] == keys


class Vocabulary:
    """The distinct words one checker has met, numbered, with what its scan needs to know about each.

    The facts are the columns of one array, so a batch reads them for all its words in one step, and the
    big tables (language model, thesaurus) are consulted once per distinct word, not once per occurrence.
    """

    # The columns of ``facts``.
    (WORD_ID, ALPHA, SWAPPABLE, LONG, POSSESSIVE, LEXICON, HAS_ALTERNATIVES, ALT_FIRST, ALT_END,
     MULTIWORD_LENGTH, MULTIWORD_NUMBER, SPACED, EXPRESSION_NUMBER) = range(13)
    # Beyond this many words (OCR output has no end of them) the vocabulary starts afresh.
    LIMIT = 200_000

    def __init__(self, data: PhraseData, lexicon_first: frozenset[str]) -> None:
        self.data = data
        self.lexicon_first = lexicon_first
        self.numbers: dict[str, int] = {}
        self.facts = np.zeros((1024, 13), dtype=np.int64)  # rows past len(numbers) are room to grow

    def number(self, words: list[str]) -> np.ndarray:
        """The number of each of ``words`` (a row of ``facts``), adding the words not met before."""
        numbers = np.fromiter(map(self.numbers.get, words, repeat(-1)), np.int64, len(words))
        missing = np.flatnonzero(numbers < 0).tolist()
        if missing:
            new = list(dict.fromkeys(map(words.__getitem__, missing)))
            if self.numbers and len(self.numbers) + len(new) > self.LIMIT:
                self.numbers.clear()
                return self.number(words)
            self._add(new)
            numbers[missing] = list(map(self.numbers.__getitem__, map(words.__getitem__, missing)))
        return numbers

    def _add(self, words: list[str]) -> None:
        data = self.data
        lm, table = data.lm, data.forms
        # Possessives are looked up without their "'s" ("minister's" as "minister").
        forms = [w[:-2] if w.endswith("'s") and len(w) > 3 else w for w in words]
        alpha = [form.isalpha() for form in forms]
        alternatives = [table.get(form, (0, 0)) for form in forms]
        columns: dict[int, Sequence[int]] = {
            self.WORD_ID: [lm.ids.get(form, lm.unknown) for form in forms],
            self.ALPHA: alpha,
            self.SWAPPABLE: [a and form not in NEVER_SWAPPED for a, form in zip(alpha, forms, strict=True)],
            self.LONG: [len(form) > 3 for form in forms],
            self.POSSESSIVE: [form != word for form, word in zip(forms, words, strict=True)],
            self.LEXICON: [word in self.lexicon_first for word in words],  # the word as written, not its form
            self.HAS_ALTERNATIVES: [form in table for form in forms],
            self.ALT_FIRST: [first for first, _ in alternatives],
            self.ALT_END: [end for _, end in alternatives],
            self.MULTIWORD_LENGTH: [data.multiword_first.get(form, 0) for form in forms],
            self.MULTIWORD_NUMBER: [data.multiword_words.get(form, -1) for form in forms],
            self.SPACED: [" " in form for form in forms],
            self.EXPRESSION_NUMBER: [data.expression_numbers.get(form, -1) for form in forms],
        }
        start, end = len(self.numbers), len(self.numbers) + len(words)
        if end > len(self.facts):
            grown = np.zeros((max(end, 2 * len(self.facts)), self.facts.shape[1]), dtype=np.int64)
            grown[:start] = self.facts[:start]
            self.facts = grown
        for column, values in columns.items():
            self.facts[start:end, column] = values
        self.numbers.update(zip(words, range(start, end), strict=True))


def assemble(
    scan: Scan,
    features: np.ndarray,
    unit_start: np.ndarray,
    unit_end: np.ndarray,
    originals: list[str | None],
    reasons: list[str],
    alternatives: np.ndarray,
) -> list[Analysis]:
    """Each text's candidates in text order: scored units, unknown forms and lexicon matches."""
    unknown, fixed = scan.unknown_at, scan.fixed
    first = np.concatenate([unit_start, unknown, np.array([i for i, *_ in fixed], dtype=np.int64)])
    last = np.concatenate([unit_end, unknown + 1, np.array([j for _, j, *_ in fixed], dtype=np.int64)]) - 1
    unknown_rows = np.zeros((len(unknown), N_FEATURES))
    unknown_rows[:, COLUMN["unknown_form"]] = 1.0
    rows = np.vstack([features, unknown_rows, np.zeros((len(fixed), N_FEATURES))])
    fixed_lr = np.full(len(first), math.nan)
    fixed_lr[len(first) - len(fixed) :] = LEXICON_LOG_LR
    originals = [*originals, *[None] * len(unknown), *(replaced for *_, replaced, _ in fixed)]
    reasons = [*reasons, *[UNKNOWN_REASON] * len(unknown), *(source for *_, source in fixed)]
    doc = scan.doc[first]
    span_start, span_end = scan.starts[first], scan.ends[last]
    # Text by text in text order; on a tie the scored unit first, then the unknown form, then the lexicon
    # match (the sort is stable, and quick here: the rows are three runs already in order).
    order = np.argsort(doc * (int(span_start.max(initial=0)) + 1) + span_start, kind="stable")
    bounds = np.searchsorted(doc[order], np.arange(len(scan.offsets))).tolist()
    alternatives = np.vstack([alternatives, np.zeros((len(first) - len(alternatives), 2), dtype=np.int64)])[order]
    span_start, span_end, rows, fixed_lr = span_start[order], span_end[order], rows[order], fixed_lr[order]
    order_list = order.tolist()
    originals = list(map(originals.__getitem__, order_list))
    reasons = list(map(reasons.__getitem__, order_list))
    return [
        Analysis(
            starts=span_start[lo:hi],
            ends=span_end[lo:hi],
            features=rows[lo:hi],
            fixed_log_lr=fixed_lr[lo:hi],
            originals=originals[lo:hi],
            reasons=reasons[lo:hi],
            alternatives=alternatives[lo:hi],
            known_share=known_share,
            lower_words=lower_words,
        )
        for lo, hi, known_share, lower_words in zip(
            bounds[:-1], bounds[1:], scan.known_share, scan.lower_words, strict=True
        )
    ]
