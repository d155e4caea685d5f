"""Development spinners closer to real ones: several *families*, so one can always be held out.

``benchmarks/spinner.py`` swaps one word for one thesaurus synonym. Real spinning tools do more, and what
they do is what our checks miss (issue 13): they replace phrases ("weekly" -> "every week", "prime minister"
-> "premier"), swap function words ("by" -> "through", "when" -> "at the point when"), break fixed
expressions word by word ("take part in" -> "engage partly inside"), slip on inflections ("announced" ->
"announce") and chain synonyms ("was" -> "changed into"). Each family below does one of these, and
``mixed`` does them all; every family is a function ``spin(text, rate, seed) -> Spun``:

- ``phrase``: phrase-for-phrase replacements, one word for several and several for one, from WordNet's
  multi-word lemmas, and word-by-word swaps inside two- and three-word collocations of the text. How many
  words of a collocation are swapped, which ones, and how often a replacement grows or shrinks, follow a
  profile learnt from the tortured-phrase half (``learn_profile``): the *way* real tools substitute, applied
  with our thesaurus to news wording. No entry of that list is ever written into a text.
- ``function``: function words, prepositions and connectives swapped for what spinners write instead
  (``FUNCTION_SWAPS``, a table written for this module from general knowledge of spinner output).
- ``idiom``: fixed expressions broken word by word: every word with a synonym is swapped. The expressions
  are the **even-numbered lines** of ``dedup/data/idioms_en.txt`` (``split_idioms``), WordNet's
  multi-word lemmas found in the text, and its two-word noun phrases ("the death toll"). The odd-numbered
  lines are kept back to test the phrase checks on: no family ever touches a word inside an occurrence of an
  odd-line idiom.
- ``mixed``: all of the above, plus single-word synonym swaps, inflection slips (a past tense or a plural
  written as its base form, a singular noun made plural) and chains (a synonym of a synonym, or a
  periphrasis of an auxiliary: "was" -> "turned out to be").

``rate`` is the share of a family's *eligible* slots that are changed (``eligible_slots``); one slot is one
swap, however many words it spans. Thesaurus loading, tokenising, inflection and capitalisation are those of
``benchmarks.spinner``; sentence punctuation, line breaks, names and numbers are never touched. The same
text, rate and seed always give the same result. The hand-written tables, the idiom halves and the learnt
profile come from ``benchmarks.spinner_sources``. (The examples are skipped by doctest: they need the
Debian thesauri ``mythes-en-us`` and ``wordnet-base``.)

>>> spin_function("He left before the vote.", 1.0, seed=1).text  # doctest: +SKIP
'He left preceding the vote.'
>>> [s[2] for s in spin_idiom("They will take part in talks.", 1.0, seed=1).swaps]  # doctest: +SKIP
['take part in']
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.spinner import (
    NUMBER_WORDS,
    PREPOSITIONS,
    STOPWORDS,
    Spun,
    Thesaurus,
    _candidates,
    _has_proper_sense,
    _inflect_word,
    _lemmas,
    _match_case,
    _token_shapes,
    _word_set,
    eligible_units,
    load_thesaurus,
)
from benchmarks.spinner_sources import (
    CHAIN_SWAPS,
    FUNCTION_SWAPS,
    idiom_spans,
    learn_profile,
    split_idioms,
)

__all__ = ["FAMILIES", "Slot", "eligible_slots", "spin", "spin_function", "spin_idiom", "spin_mixed", "spin_phrase"]

_MAX_KEY_WORDS = 3
# Words that are never part of a content collocation ("days after" is no collocation).
_FUNCTION_WORDS = STOPWORDS | PREPOSITIONS | frozenset(FUNCTION_SWAPS)
# Words after which two content words are a noun phrase: articles, possessives, prepositions.
_NOUN_PHRASE_OPENERS = _word_set(
    """
    the a an this that these those its their his her our my your
    of in on at for with from by into about after before during under over against between among without within
    near through across
    """
)



# ---------------------------------------------------------------------------------------------------------
# Slots: what a family may change in a text, and how.


@dataclass(frozen=True)
class Slot:
    """One place a family may change: ``text[start:end]`` (its ``words``), and the options per word.

    ``options[i]`` lists what word ``i`` may become (empty: it is kept). ``kind`` says how a replacement is
    built: ``"whole"`` (one option for the whole span), ``"every"`` (each word that has options is swapped:
    a broken idiom), ``"some"`` (the profile's number of words is swapped: a tortured collocation) or
    ``"word"`` (mixed family: a synonym, a chain or an inflection slip of one word).
    """

    start: int
    end: int
    words: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    kind: str
    weight: float = 1.0


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    free: bool  # may be changed: not a name, a number, part of a compound or inside a kept-back idiom


def _tokens(text: str) -> list[_Token]:
    """The text's words, each marked free or not, with names found the way ``benchmarks.spinner`` does."""
    shapes = _token_shapes(text)
    names = {word.lower() for _s, _e, word, _ok, opener in shapes if word[:1].isupper() and not opener}
    _even, odd = split_idioms()
    blocked = idiom_spans(text, odd)
    tokens = []
    for start, end, word, shape_ok, opener in shapes:
        lower = word.lower()
        free = shape_ok and lower not in names and lower not in NUMBER_WORDS
        # A capitalised word is free only where it opens a sentence and is no place or person's name too.
        free = free and (not word[:1].isupper() or (opener and not _has_proper_sense(_thesaurus(), lower)))
        free = free and not any(a < end and start < b for a, b in blocked)
        tokens.append(_Token(start, end, lower, free))
    return tokens


def _runs(text: str, tokens: Sequence[_Token], size: int) -> list[list[_Token]]:
    """Every run of ``size`` free tokens joined by single spaces."""
    runs = []
    for i in range(len(tokens) - size + 1):
        run = list(tokens[i : i + size])
        if all(t.free for t in run) and all(text[a.end : b.start] == " " for a, b in zip(run, run[1:], strict=False)):
            runs.append(run)
    return runs


_MEMO: dict[str, list[str]] = {}


def _synonyms(word: str, single: bool = False) -> tuple[str, ...]:
    """Mythes synonyms of a lower-case word (inflection carried over), memoised; ``single``: one-word ones."""
    if word not in _MEMO:
        _MEMO[word] = _candidates(_thesaurus(), word)
    found = _MEMO[word]
    return tuple(s for s in found if " " not in s) if single else tuple(found)


def _thesaurus() -> Thesaurus:
    return load_thesaurus("mythes")


def _content_runs(text: str, tokens: Sequence[_Token], size: int) -> list[list[_Token]]:
    """Runs of ``size`` content words, each with a one-word synonym, right after an article, possessive or
    preposition: noun phrases ("the death toll", "of official mourning"), the collocations spinners torture.
    Without that rule most runs are a subject and its verb ("police say"), no fixed expression; for the same
    reason a run may not end on a past tense ("the fire began")."""
    before = {b.start: a for a, b in zip(tokens, tokens[1:], strict=False) if text[a.end : b.start] == " "}
    return [run for run in _runs(text, tokens, size)
            if run[0].start in before and before[run[0].start].word in _NOUN_PHRASE_OPENERS
            and not _past_tense(run[-1].word)
            and all(t.word not in _FUNCTION_WORDS and _synonyms(t.word, single=True) for t in run)]


def _past_tense(word: str) -> bool:
    th = _thesaurus()
    return any(form in ("ed", "en") and any(p == "verb" for p, _s in th.get(base, ())) for base, form in _lemmas(word))


def _function_slots(text: str, tokens: Sequence[_Token]) -> list[Slot]:
    slots = []
    for size in range(_MAX_KEY_WORDS, 0, -1):
        for run in _runs(text, tokens, size):
            key = " ".join(t.word for t in run)
            if key in FUNCTION_SWAPS:
                slots.append(Slot(run[0].start, run[-1].end, (text[run[0].start : run[-1].end],),
                                  (FUNCTION_SWAPS[key],), "whole"))
    return slots


def _word_options(word: str) -> tuple[str, ...]:
    """What one word of a fixed expression may become: a function-word swap of one word, or a synonym."""
    swaps = tuple(o for o in FUNCTION_SWAPS.get(word, ()) if " " not in o)
    return swaps or (() if word in STOPWORDS else _synonyms(word, single=True))


def _broken_slot(text: str, tokens: Sequence[_Token], start: int, end: int) -> Slot | None:
    """A fixed expression at ``text[start:end]`` broken word by word, or None when no word has a synonym."""
    inside = [t for t in tokens if start <= t.start and t.end <= end]
    options = tuple(_word_options(t.word) for t in inside)
    if not any(options):
        return None
    return Slot(start, end, tuple(text[t.start : t.end] for t in inside), options, "every")


def _idiom_slots(text: str, tokens: Sequence[_Token]) -> list[Slot]:
    even, _odd = split_idioms()

    def free(a: int, b: int) -> bool:
        return all(t.free for t in tokens if a <= t.start and t.end <= b)

    spans = [(a, b) for a, b in idiom_spans(text, even) if free(a, b)]
    # WordNet's multi-word lemmas found in the text, and two-word runs of content words, are collocations a
    # spinner breaks the same way (idioms alone are too rare in news: a few per article at most).
    spans += [(u.start, u.end) for u in eligible_units(text, "wordnet")
              if " " in u.text and (u.start, u.end) not in spans and free(u.start, u.end)]
    spans += [(run[0].start, run[-1].end) for run in _content_runs(text, tokens, 2)]
    # Expressions with an apostrophe ("arm's length") are kept whole: their parts are no words of their own.
    slots = [_broken_slot(text, tokens, a, b) for a, b in spans if "'" not in text[a:b]]
    # Earlier spans win overlaps: idioms, then WordNet collocations, then word pairs.
    return _disjoint([[s] for s in slots if s is not None])


def _phrase_slots(text: str, tokens: Sequence[_Token]) -> list[Slot]:
    """WordNet one-for-several and several-for-one replacements, and collocations tortured word by word."""
    profile = learn_profile()
    free = {t.start for t in tokens if t.free}
    grow: list[Slot] = []
    shrink: list[Slot] = []
    for unit in eligible_units(text, "wordnet"):
        if unit.start not in free:
            continue
        size = len(unit.text.split(" "))
        options = tuple(c for c in unit.candidates if len(c.split(" ")) != size)
        if options:
            bigger = tuple(c for c in options if len(c.split(" ")) > size)
            target = grow if bigger else shrink
            target.append(Slot(unit.start, unit.end, (unit.text,), (bigger or options,), "whole"))
    same: list[Slot] = []
    for size in (3, 2):
        for run in _content_runs(text, tokens, size):
            per_word = tuple(_synonyms(t.word, single=True) for t in run)
            same.append(Slot(run[0].start, run[-1].end, tuple(text[t.start : t.end] for t in run), per_word, "some"))
    slots = []
    # Weight each slot so the expected mix of kinds follows the profile, however many slots of each kind.
    # WordNet phrases come first: where one covers the same words as a collocation, it wins the overlap.
    for kind, group in (("grow", grow), ("shrink", shrink), ("same", same)):
        slots += [Slot(s.start, s.end, s.words, s.options, s.kind, profile.kinds[kind] / len(group)) for s in group]
    return slots


def _word_slots(text: str, tokens: Sequence[_Token]) -> list[Slot]:
    """Single content words for the mixed family: synonyms, chains, slips; auxiliaries with a periphrasis."""
    slots = []
    for t in tokens:
        if not t.free:
            continue
        if t.word in CHAIN_SWAPS:
            slots.append(Slot(t.start, t.end, (text[t.start : t.end],), (CHAIN_SWAPS[t.word],), "whole"))
        elif t.word not in STOPWORDS and (_synonyms(t.word) or _slip(t.word)):
            slots.append(Slot(t.start, t.end, (text[t.start : t.end],), (_synonyms(t.word),), "word"))
    return slots


def _slip(word: str) -> str | None:
    """An inflection slip: a past tense or plural written as its base form, or a singular noun made plural."""
    senses = _thesaurus()
    for base, form in _lemmas(word):
        pos = {p for p, _s in senses.get(base, ())}
        if base != word and ((form == "ed" and "verb" in pos) or (form == "s" and pos & {"noun", "verb"})):
            return base
    pos = {p for p, _s in senses.get(word, ())}
    if word not in STOPWORDS and "noun" in pos and not word.endswith("s"):
        return _inflect_word(word, "s", "noun")
    return None


# ---------------------------------------------------------------------------------------------------------
# Building replacements and applying them.


def _replacement(slot: Slot, rng: random.Random) -> str:
    if slot.kind == "whole":
        return rng.choice(slot.options[0])
    if slot.kind == "word":
        return _word_replacement(slot.words[0].lower(), slot.options[0], rng)
    # "some": the profile's share of the words; "every": each word that has a synonym.
    chosen = _profile_positions(len(slot.words), rng) if slot.kind == "some" else {
        i for i, options in enumerate(slot.options) if options}
    words = [rng.choice(slot.options[i]) if i in chosen else w.lower() for i, w in enumerate(slot.words)]
    return " ".join(words)


def _profile_positions(size: int, rng: random.Random) -> set[int]:
    """Which words of a ``size``-word collocation to swap: how many, and where, as the profile counted."""
    profile = learn_profile()
    shares = profile.swapped[min(size, 4)][:size]
    count = rng.choices(range(1, size + 1), weights=shares)[0]
    weights = [1.0] * (size - 1) + [profile.head_weight]
    positions: set[int] = set()
    while len(positions) < count:
        positions.add(rng.choices(range(size), weights=weights)[0])
    return positions


def _word_replacement(word: str, synonyms: Sequence[str], rng: random.Random) -> str:
    """Mixed family, one word: a synonym (most often), a chain of two synonyms, or an inflection slip."""
    slip = _slip(word)
    roll = rng.random()
    if slip is not None and (roll < 0.2 or not synonyms):
        return slip
    first = rng.choice(synonyms)
    if roll < 0.4 and " " not in first:
        # A chain: the synonym's own synonyms, longer ones first, never the word itself again.
        second = [s for s in _synonyms(first) if s != word and word not in s.split(" ")]
        longer = [s for s in second if " " in s]
        if longer or second:
            return rng.choice(longer or second)
    return first


def _choose(slots: Sequence[Slot], rate: float, rng: random.Random) -> list[Slot]:
    """``round(rate * len(slots))`` slots drawn without replacement, each with chance growing with its weight.

    Weighted sampling without replacement by Efraimidis and Spirakis' keys ``u ** (1 / weight)``.
    """
    count = round(rate * len(slots))
    keys = [(rng.random() ** (1.0 / s.weight), i) for i, s in enumerate(slots)]
    picked = sorted(keys, reverse=True)[:count]
    return sorted((slots[i] for _k, i in picked), key=lambda s: s.start)


def _apply(text: str, slots: Sequence[Slot], rng: random.Random) -> Spun:
    pieces: list[str] = []
    swaps: list[tuple[int, int, str, int, int, str]] = []
    cursor = length = 0
    for slot in slots:
        old = text[slot.start : slot.end]
        new = _match_case(_replacement(slot, rng), old)
        between = text[cursor : slot.start]
        new_start = length + len(between)
        pieces += [between, new]
        swaps.append((slot.start, slot.end, old, new_start, new_start + len(new), new))
        length, cursor = new_start + len(new), slot.end
    pieces.append(text[cursor:])
    return Spun("".join(pieces), swaps)


def _disjoint(groups: Sequence[Sequence[Slot]]) -> list[Slot]:
    """Slots of several groups that overlap none before them: earlier groups, then longer slots, win."""
    kept: list[Slot] = []
    taken: list[tuple[int, int]] = []
    for group in groups:
        for slot in sorted(group, key=lambda s: (s.start - s.end, s.start)):
            if not any(a < slot.end and slot.start < b for a, b in taken):
                kept.append(slot)
                taken.append((slot.start, slot.end))
    return sorted(kept, key=lambda s: s.start)


_SLOT_MAKERS: dict[str, Callable[[str, Sequence[_Token]], list[Slot]]] = {
    "function": _function_slots, "idiom": _idiom_slots, "phrase": _phrase_slots, "word": _word_slots,
}
# The slot makers of each family; in the mixed family, earlier makers win where slots overlap.
_FAMILY_GROUPS = {
    "phrase": ("phrase",), "function": ("function",), "idiom": ("idiom",),
    "mixed": ("idiom", "phrase", "function", "word"),
}


def eligible_slots(text: str, family: str) -> list[Slot]:
    """The non-overlapping slots of ``text`` that ``family`` may change, in text order.

    >>> [s.words for s in eligible_slots("He left before noon.", "function")]  # doctest: +SKIP
    [('before',)]
    """
    if family not in _FAMILY_GROUPS:
        raise ValueError(f"family must be one of {sorted(_FAMILY_GROUPS)}, not {family!r}")
    tokens = _tokens(text)
    return _disjoint([_SLOT_MAKERS[name](text, tokens) for name in _FAMILY_GROUPS[family]])


def spin(text: str, rate: float, seed: int, family: str = "mixed") -> Spun:
    """Change ``rate`` (0..1) of the eligible slots of ``text`` the way ``family`` does.

    >>> spin("The talks ended before noon.", 1.0, seed=2, family="function").swaps[0][2]  # doctest: +SKIP
    'before'
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, not {rate}")
    rng = random.Random(seed)
    return _apply(text, _choose(eligible_slots(text, family), rate, rng), rng)


def spin_phrase(text: str, rate: float, seed: int) -> Spun:
    """Phrase-for-phrase replacements and tortured collocations (see the module docstring)."""
    return spin(text, rate, seed, "phrase")


def spin_function(text: str, rate: float, seed: int) -> Spun:
    """Function words, prepositions and connectives swapped (``FUNCTION_SWAPS``)."""
    return spin(text, rate, seed, "function")


def spin_idiom(text: str, rate: float, seed: int) -> Spun:
    """Even-line idioms and WordNet collocations broken word by word."""
    return spin(text, rate, seed, "idiom")


def spin_mixed(text: str, rate: float, seed: int) -> Spun:
    """Every family at once, plus word swaps, inflection slips and chains."""
    return spin(text, rate, seed, "mixed")


FAMILIES: dict[str, Callable[[str, float, int], Spun]] = {
    "phrase": spin_phrase, "function": spin_function, "idiom": spin_idiom, "mixed": spin_mixed,
}
