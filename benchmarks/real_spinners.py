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
text, rate and seed always give the same result. (The examples are skipped by doctest: they need the
Debian thesauri ``mythes-en-us`` and ``wordnet-base``.)

>>> spin_function("He left before the vote.", 1.0, seed=1).text  # doctest: +SKIP
'He left preceding the vote.'
>>> [s[2] for s in spin_idiom("They will take part in talks.", 1.0, seed=1).swaps]  # doctest: +SKIP
['take part in']
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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

__all__ = [
    "CHAIN_SWAPS", "FAMILIES", "FUNCTION_SWAPS", "IDIOMS_PATH", "TORTURED_PATH", "Profile", "Slot", "eligible_slots",
    "idiom_spans", "learn_profile", "spin", "spin_function", "spin_idiom", "spin_mixed", "spin_phrase",
    "split_idioms",
]

REPO = Path(__file__).resolve().parent.parent
IDIOMS_PATH = REPO / "dedup" / "data" / "idioms_en.txt"
TORTURED_PATH = REPO.parent / "shared" / "corpora" / "tortured-phrases-half.csv"


# ---------------------------------------------------------------------------------------------------------
# Hand-written tables. Written for this module from general knowledge of how spinners rewrite English;
# nothing here comes from a sample text or from the tortured-phrase list.


def _swap_table(spec: str) -> dict[str, tuple[str, ...]]:
    """Parse ``key: option | option`` lines into a table (keys and options lower case)."""
    table: dict[str, tuple[str, ...]] = {}
    for line in spec.strip().splitlines():
        key, options = line.split(":")
        table[key.strip()] = tuple(o.strip() for o in options.split("|"))
    return table


# Function words, prepositions, connectives and time adverbs -> what spinners write instead. Several-word
# keys are matched before their first word alone ("because of" before "because").
FUNCTION_SWAPS = _swap_table(
    """
    by: through | by means of | via
    on: at | upon | on top of
    in: inside | within
    at: in | on
    with: alongside | along with | with the help of
    for: to | intended for
    from: out of | starting with
    about: around | regarding | concerning | roughly
    after: following | subsequent to | later than
    before: preceding | prior to | in front of | earlier than
    when: at the point when | at the point at which | once | whenever
    while: whilst | at the same time as | even as
    because: since | in light of the fact that | on the grounds that
    because of: due to | owing to | on account of
    although: in spite of the fact that | even though | despite the fact that
    despite: in spite of | notwithstanding | regardless of
    during: amid | all through | in the course of
    until: till | up until | up to
    if: in the event that | assuming | on the off chance that
    but: however | yet | be that as it may
    however: be that as it may | nonetheless | in any case
    also: additionally | likewise | furthermore
    then: at that point | thereafter | from that point
    later: soon thereafter | afterward | at a later time
    now: presently | at this point | right now
    already: as of now | by now | previously
    again: once more | once again | yet again
    often: frequently | regularly | much of the time
    soon: before long | shortly | in a little while
    very: exceptionally | extremely | truly
    many: numerous | a lot of | various
    some: a few | a portion of | certain
    more than: in excess of | upwards of | over
    according to: as indicated by | as per | as stated by
    such as: like | for example
    as well as: just as | in addition to | along with
    in order to: so as to | to
    over: more than | above | finished
    under: beneath | below | less than
    between: among | amongst
    against: versus | in opposition to
    into: inside | in
    within: inside | in
    without: with no | lacking
    near: close to | adjacent to | almost
    across: over | crosswise over | all through
    through: by means of | via | all through
    towards: toward | in the direction of
    weekly: week after week | every week
    daily: day by day | every day
    recently: as of late | lately | of late
    """
)

# Periphrases of auxiliaries and light verbs that real tools write as a chain of substitutions ("was" ->
# "became" -> "changed into"): the word is replaced by a longer, looser phrase.
CHAIN_SWAPS = _swap_table(
    """
    was: changed into | turned out to be | ended up being
    were: turned out to be | ended up being | came to be
    is: turns out to be | is by all accounts | ends up being
    are: turn out to be | are by all accounts
    became: changed into | turned into | wound up as
    has: has got | possesses
    said: expressed | made reference to | stated
    """
)

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
# The idiom list, split in two halves.


@lru_cache(maxsize=4)
def split_idioms(path: Path = IDIOMS_PATH) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The idioms of ``path`` on even and on odd line numbers (1-based, comment lines counted).

    The spinners use only the even half; the odd half is kept back to test the phrase checks on.

    >>> even, odd = split_idioms()
    >>> len(even) + len(odd) > 200, set(even).isdisjoint(odd)
    (True, True)
    """
    even: list[str] = []
    odd: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            idiom = line.strip().lower()
            if idiom and not idiom.startswith("#"):
                (even if number % 2 == 0 else odd).append(idiom)
    return tuple(even), tuple(odd)


def idiom_spans(text: str, idioms: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of every occurrence of ``idioms`` in ``text`` (words joined by single spaces).

    >>> idiom_spans("They took part in it.", ["take part in"])
    [(5, 17)]
    """
    words = [(start, end, word.lower()) for start, end, word, _ok, _opener in _token_shapes(text)]
    by_first: dict[str, list[list[str]]] = {}
    for idiom in idioms:
        parts = re.findall(r"[a-z]+", idiom)
        if parts:
            by_first.setdefault(parts[0], []).append(parts)
    spans = []
    for i, (start, _end, word) in enumerate(words):
        # An idiom's first word may be inflected: "took part in" is "take part in".
        for parts in by_first.get(word, []) + [p for b, _f in _lemmas(word) for p in by_first.get(b, [])]:
            run = words[i : i + len(parts)]
            if len(run) < len(parts):
                continue
            if [w for _s, _e, w in run[1:]] == parts[1:] and _joined_by_spaces(text, run):
                spans.append((start, run[-1][1]))
    return sorted(set(spans))


def _joined_by_spaces(text: str, run: Sequence[tuple[int, int, str]]) -> bool:
    # Apostrophes inside an idiom ("arm's length") are letter runs split by "'"; accept that joint too.
    return all(text[a[1] : b[0]] in (" ", "'") for a, b in zip(run, run[1:], strict=False))


# ---------------------------------------------------------------------------------------------------------
# What real tools do, learnt from the tortured-phrase half.


@dataclass(frozen=True)
class Profile:
    """How real spinners substitute inside a fixed expression, counted on the tortured-phrase half.

    ``swapped[n]`` gives, for an n-word expression rewritten word for word, the chance that 1..n of its
    words were swapped; ``head_weight`` is how much likelier the last word (the head) is swapped than a
    modifier; ``kinds`` the shares of rewrites that keep the word count ("same"), add words ("grow") or drop
    them ("shrink").
    """

    swapped: dict[int, tuple[float, ...]]
    head_weight: float
    kinds: dict[str, float]


_TORTURED_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _expression_words(phrase: str) -> list[str]:
    # Parenthesised acronyms ("support vector machine (SVM)") are not part of the expression.
    return _TORTURED_WORD.findall(re.sub(r"\([^)]*\)", " ", phrase.lower()))


@lru_cache(maxsize=4)
def learn_profile(path: Path = TORTURED_PATH) -> Profile:
    """Count, on the tortured-phrase half at ``path``, how real tools rewrite a fixed expression.

    Only counts are kept (how many words swapped, where, how the length changes), never an entry.

    >>> learn_profile().kinds["same"] > 0.5  # doctest: +SKIP
    True
    """
    if not path.exists():
        raise FileNotFoundError(f"the tortured-phrase half is missing: {path} (see /work/shared/corpora/README.md)")
    swapped: dict[int, Counter[int]] = {n: Counter() for n in (2, 3, 4)}
    position: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            expected, tortured = _expression_words(row["expected"]), _expression_words(row["tortured"])
            if not expected or not tortured or row["expected"].startswith("?"):
                continue  # "???": the original wording is unknown
            if len(tortured) != len(expected):
                kinds["grow" if len(tortured) > len(expected) else "shrink"] += 1
                continue
            kinds["same"] += 1
            changed = [i for i, (a, b) in enumerate(zip(expected, tortured, strict=True)) if a != b]
            if len(expected) >= 2 and changed:
                size = min(len(expected), 4)  # four words and more are pooled, as are their counts
                swapped[size][min(len(changed), size)] += 1
                for i in changed:
                    position["head" if i == len(expected) - 1 else "modifier"] += 1
    total = sum(kinds.values())
    # Per word: how often a head is swapped against how often each modifier is (an expression has n-1 of them).
    heads = position["head"] / max(1, sum(swapped_n.total() for swapped_n in swapped.values()))
    modifiers = position["modifier"] / max(1, sum((n - 1) * c.total() for n, c in swapped.items()))
    return Profile(
        swapped={n: tuple(c[k] / max(1, c.total()) for k in range(1, n + 1)) for n, c in swapped.items()},
        head_weight=heads / max(modifiers, 1e-9),
        kinds={kind: kinds[kind] / max(1, total) for kind in ("same", "grow", "shrink")},
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
