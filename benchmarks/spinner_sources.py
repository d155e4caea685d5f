"""What the spinner families of ``benchmarks.real_spinners`` draw on, apart from the thesaurus.

- ``FUNCTION_SWAPS`` and ``CHAIN_SWAPS``: hand-written tables of what spinners write instead of function
  words and auxiliaries.
- ``split_idioms`` and ``idiom_spans``: the idiom list ``dedup/data/idioms_en.txt`` split by line number
  (the spinners use the even half; the odd half is kept back to test the phrase checks on), and where its
  idioms occur in a text.
- ``learn_profile``: how real tools substitute inside a fixed expression, counted on the tortured-phrase
  half (only counts are kept, never an entry).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from benchmarks.spinner import _lemmas, _token_shapes

__all__ = [
    "CHAIN_SWAPS", "FUNCTION_SWAPS", "IDIOMS_PATH", "TORTURED_PATH", "Profile", "idiom_spans", "learn_profile",
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

