"""A naive thesaurus spinner, built to make spun copies for the accuracy benchmark.

Commercial article spinners swap words for thesaurus synonyms without reading the context: "backed by"
becomes "subsidized through", "easier said than done" becomes "simpler stated than accomplished". This
module does the same, on purpose badly, so the benchmark measures ``dedup`` on the kind of text it meets:

- it swaps ``rate`` of the *eligible* units of a text: content words (not stopwords, not capitalised names
  mid-sentence, not numbers, not parts of contractions or hyphenated compounds), multi-word thesaurus
  entries ("carry out", "take part") and prepositions the thesaurus lists ("about" -> "roughly");
- a unit is eligible only when the thesaurus offers at least one usable synonym for it, so ``rate`` is the
  share of the words a spinner *could* swap that it did swap;
- the synonym is drawn uniformly from every sense of the headword, whatever the context, as spinners do;
- regular and common irregular inflections are carried over ("said" -> "stated", "forces" -> "troops"),
  capitalisation and punctuation are kept, names, numbers and sentence order are never touched.

Two thesauri are supported, both read straight from their Debian packages (no nltk):
``"mythes"`` (package ``mythes-en-us``, the OpenOffice thesaurus) and ``"wordnet"`` (package
``wordnet-base``, WordNet 3.0 synsets). Parsed thesauri are pickled under ``benchmarks/.cache`` so repeated
runs load in well under a second. (The examples are skipped by doctest because they need those packages.)

>>> spin("The army carried out a large attack near the border.", 0.5, seed=1).text  # doctest: +SKIP
'The ground forces executed a large attack ungenerous the border.'
"""

from __future__ import annotations

import pickle
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "THESAURUS_PACKAGES",
    "Spun",
    "ThesaurusNotInstalled",
    "Unit",
    "eligible_units",
    "load_thesaurus",
    "spin",
]

# Bump when the parsed form changes, so stale pickles are not reused.
_PARSER_VERSION = 3
CACHE_DIR = Path(__file__).resolve().parent / ".cache"

THESAURUS_FILES: dict[str, Path] = {
    "mythes": Path("/usr/share/mythes/th_en_US_v2.dat"),
    "wordnet": Path("/usr/share/wordnet"),
}
THESAURUS_PACKAGES: dict[str, str] = {"mythes": "mythes-en-us", "wordnet": "wordnet-base"}

# A thesaurus: headword (lower case, words joined by one space) -> senses, each (part of speech, synonyms).
Senses = tuple[tuple[str, tuple[str, ...]], ...]
Thesaurus = dict[str, Senses]


class ThesaurusNotInstalled(FileNotFoundError):
    """The Debian package holding a thesaurus is not installed; the message gives the apt-get line."""


@dataclass(frozen=True)
class Spun:
    """A spun text and its swaps: ``(old_start, old_end, old_text, new_start, new_end, new_text)``.

    Old spans index the input text, new spans the spun text; both are half-open.
    """

    text: str
    swaps: list[tuple[int, int, str, int, int, str]]


@dataclass(frozen=True)
class Unit:
    """One swappable unit of a text: a word or a multi-word entry, with the synonyms it may become."""

    start: int
    end: int
    text: str
    candidates: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------------
# Word lists. Written for this module from general English grammar; nothing here comes from a sample text.


def _word_set(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Function words a spinner leaves alone: articles, pronouns, auxiliaries, conjunctions, the commonest
# prepositions and a few adverbs whose thesaurus entries are only nonsense in running text.
STOPWORDS = _word_set(
    """
    a an the this that these those there here it its it's they them their theirs he him his she her hers
    we us our ours you your yours i me my mine who whom whose which what when where why how whoever whatever
    and or but nor so yet if then than because while although though unless whether as also too either neither
    both each every all any some no not none nobody nothing one ones other another such same own only just
    be am is are was were been being have has had having do does did doing done will would shall should can could
    may might must ought of in on at to for from with into onto as per via upon
    very more most much many few less least lot lots still even ever never again already now soon yet
    up out off don't won't can't isn't aren't wasn't weren't hasn't haven't hadn't doesn't didn't
    mr mrs ms dr st
    """
)
# Number words: a spinner keeps figures, spelt out or not ("hundreds" must not become "centuries").
NUMBER_WORDS = _word_set(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand
    thousands million millions billion billions trillion trillions dozen dozens first second third fourth fifth
    sixth seventh eighth ninth tenth half halves quarter quarters twice once
    """
)

# Prepositions and particles that may be swapped when the thesaurus lists them (spinners do swap these).
PREPOSITIONS = _word_set(
    """
    about above across after against along around before behind below beneath beside besides between beyond
    by despite down during inside near outside over past since through throughout toward towards under
    underneath until within without
    """
)

# Irregular verbs: base, past, past participle. The commonest in news text; regular rules cover the rest.
_IRREGULAR_VERBS = """
arise arose arisen|awake awoke awoken|be was been|bear bore borne|beat beat beaten|become became become
begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound bound|bite bit bitten|bleed bled bled
blow blew blown|break broke broken|breed bred bred|bring brought brought|build built built|burn burnt burnt
burst burst burst|buy bought bought|cast cast cast|catch caught caught|choose chose chosen|cling clung clung
come came come|cost cost cost|creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done
draw drew drawn|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed fed
feel felt felt|fight fought fought|find found found|flee fled fled|fly flew flown|forbid forbade forbidden
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got got|give gave given|go went gone
grind ground ground|grow grew grown|hang hung hung|have had had|hear heard heard|hide hid hidden|hit hit hit
hold held held|hurt hurt hurt|keep kept kept|kneel knelt knelt|know knew known|lay laid laid|lead led led
leave left left|lend lent lent|let let let|lie lay lain|light lit lit|lose lost lost|make made made
mean meant meant|meet met met|overcome overcame overcome|pay paid paid|put put put|quit quit quit
read read read|ride rode ridden|ring rang rung|rise rose risen|run ran run|say said said|see saw seen
seek sought sought|sell sold sold|send sent sent|set set set|shake shook shaken|shed shed shed
shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|shut shut shut|sing sang sung
sink sank sunk|sit sat sat|sleep slept slept|slide slid slid|speak spoke spoken|spend spent spent
spin spun spun|split split split|spread spread spread|spring sprang sprung|stand stood stood
steal stole stolen|stick stuck stuck|sting stung stung|strike struck struck|strive strove striven
swear swore sworn|sweep swept swept|swim swam swum|swing swung swung|take took taken|teach taught taught
tear tore torn|tell told told|think thought thought|throw threw thrown|undergo underwent undergone
understand understood understood|undertake undertook undertaken|uphold upheld upheld|upset upset upset
wake woke woken|wear wore worn|weep wept wept|win won won|withdraw withdrew withdrawn|write wrote written
"""
_IRREGULAR_NOUNS = """
man men|woman women|child children|person people|foot feet|tooth teeth|mouse mice|life lives|wife wives
knife knives|leaf leaves|half halves|self selves|thief thieves|crisis crises|analysis analyses|criterion criteria
phenomenon phenomena|medium media|datum data
"""
_IRREGULAR_ADJECTIVES = "good better best|bad worse worst|far farther farthest|little less least|many more most"


def _table(spec: str) -> list[list[str]]:
    return [entry.split() for entry in spec.replace("\n", "|").split("|") if entry.strip()]


_VERB_FORMS = {row[0]: (row[1], row[2]) for row in _table(_IRREGULAR_VERBS)}
_NOUN_PLURALS = {row[0]: row[1] for row in _table(_IRREGULAR_NOUNS)}
_ADJ_FORMS = {row[0]: (row[1], row[2]) for row in _table(_IRREGULAR_ADJECTIVES)}
# Inflected form -> (base, form). Forms: "s" plural or 3rd person, "ed" past, "en" participle, "ing",
# "er" comparative, "est" superlative.
_IRREGULAR_LEMMAS: dict[str, tuple[str, str]] = {}
for _base, (_past, _part) in _VERB_FORMS.items():
    _IRREGULAR_LEMMAS.setdefault(_past, (_base, "ed"))
    _IRREGULAR_LEMMAS.setdefault(_part, (_base, "en"))
for _base, _plural in _NOUN_PLURALS.items():
    _IRREGULAR_LEMMAS.setdefault(_plural, (_base, "s"))
for _base, (_comp, _sup) in _ADJ_FORMS.items():
    _IRREGULAR_LEMMAS.setdefault(_comp, (_base, "er"))
    _IRREGULAR_LEMMAS.setdefault(_sup, (_base, "est"))

# The parts of speech an inflected form can have; a lemma's senses of other parts of speech are skipped.
_FORM_POS = {
    "s": ("noun", "verb"),
    "ed": ("verb",),
    "en": ("verb",),
    "ing": ("verb",),
    "er": ("adj", "adv"),
    "est": ("adj", "adv"),
}
_VOWELS = frozenset("aeiou")


# ---------------------------------------------------------------------------------------------------------
# Loading the thesauri.


def load_thesaurus(name: str = "mythes", cache_dir: Path | None = None) -> Thesaurus:
    """Parse (or load from the pickle cache) the thesaurus ``name``: ``"mythes"`` or ``"wordnet"``.

    Raises ``ThesaurusNotInstalled`` with the apt-get line when its Debian package is missing.

    >>> th = load_thesaurus("mythes")  # doctest: +SKIP
    >>> th["attack"][0][0]  # doctest: +SKIP
    'noun'
    """
    if name not in THESAURUS_FILES:
        raise ValueError(f"thesaurus must be one of {sorted(THESAURUS_FILES)}, not {name!r}")
    if name in _LOADED:
        return _LOADED[name]
    source = THESAURUS_FILES[name]
    if not source.exists():
        raise ThesaurusNotInstalled(
            f"the {name} thesaurus is not installed ({source} is missing). "
            f"Install it with: apt-get install {THESAURUS_PACKAGES[name]}"
        )
    cache_dir = CACHE_DIR if cache_dir is None else cache_dir
    stamp = _source_stamp(source)
    cache = cache_dir / f"thesaurus-{name}-v{_PARSER_VERSION}-{stamp}.pickle"
    if cache.exists():
        with cache.open("rb") as handle:
            thesaurus: Thesaurus = pickle.load(handle)
    else:
        thesaurus = _parse_mythes(source) if name == "mythes" else _parse_wordnet(source)
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a run interrupted mid-write never leaves a truncated cache behind.
        partial = cache.with_suffix(".partial")
        with partial.open("wb") as handle:
            pickle.dump(thesaurus, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)
    _LOADED[name] = thesaurus
    return thesaurus


_LOADED: dict[str, Thesaurus] = {}
_CANDIDATES: dict[str, dict[str, list[str]]] = {}


def _source_stamp(source: Path) -> str:
    files = sorted(source.glob("data.*")) if source.is_dir() else [source]
    return "-".join(f"{f.stat().st_size:x}{int(f.stat().st_mtime):x}" for f in files)[:64]


_POS_NAMES = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv", "n": "noun", "v": "verb"}


def _parse_mythes(path: Path) -> Thesaurus:
    """Read the MyThes ``.dat`` file: ``word|n`` lines, each followed by ``n`` lines ``(pos)|syn|syn...``."""
    thesaurus: Thesaurus = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        next(handle)  # the first line names the encoding
        head: str | None = None
        senses: list[tuple[str, tuple[str, ...]]] = []
        for line in handle:
            line = line.rstrip("\n")
            if not line.startswith("("):
                if head is not None and senses:
                    thesaurus[head] = tuple(senses)
                head, senses = line.rsplit("|", 1)[0].lower(), []
                continue
            fields = line.split("|")
            pos = _POS_NAMES.get(fields[0].strip("()"), fields[0].strip("()"))
            synonyms = []
            for term in fields[1:]:
                # Hypernyms ("generic term"), antonyms and loose relations are not what a spinner swaps in;
                # "similar term" entries are near-synonyms and spinners do use them.
                if term.endswith(("(generic term)", "(antonym)", "(related term)")):
                    continue
                synonyms.append(term.removesuffix(" (similar term)").strip())
            senses.append((pos, tuple(synonyms)))
        if head is not None and senses:
            thesaurus[head] = tuple(senses)
    return thesaurus


_WORDNET_POS = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv"}
_ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")


def _parse_wordnet(folder: Path) -> Thesaurus:
    """Read WordNet 3.0 ``index.*``/``data.*``: each lemma's synsets, in sense order, give its senses."""
    thesaurus: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for file_pos, pos in _WORDNET_POS.items():
        synsets: dict[str, tuple[str, ...]] = {}
        with (folder / f"data.{file_pos}").open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("  "):  # the licence header lines start with two spaces
                    continue
                fields = line.split()
                count = int(fields[3], 16)
                words = fields[4 : 4 + 2 * count : 2]
                synsets[fields[0]] = tuple(_ADJ_MARKER.sub("", w).replace("_", " ") for w in words)
        with (folder / f"index.{file_pos}").open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma = fields[0].replace("_", " ")
                pointer_count = int(fields[3])
                offsets = fields[6 + pointer_count :]
                senses = thesaurus.setdefault(lemma, [])
                for offset in offsets:
                    members = tuple(w for w in synsets.get(offset, ()) if w.lower() != lemma)
                    senses.append((pos, members))
    return {lemma: tuple(senses) for lemma, senses in thesaurus.items()}


# ---------------------------------------------------------------------------------------------------------
# Morphology: just enough to carry an inflection from the original word to its synonym.


def _lemmas(word: str) -> list[tuple[str, str]]:
    """Candidate (base, form) analyses of a lower-case word, most likely first; regular rules only guess."""
    found: list[tuple[str, str]] = []
    if word in _IRREGULAR_LEMMAS:
        found.append(_IRREGULAR_LEMMAS[word])
    if len(word) > 4 and word.endswith("ies"):
        found.append((word[:-3] + "y", "s"))
    if len(word) > 3 and word.endswith("es"):
        found.append((word[:-2], "s"))
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        found.append((word[:-1], "s"))
    if len(word) > 4 and word.endswith("ied"):
        found.append((word[:-3] + "y", "ed"))
    if len(word) > 3 and word.endswith("ed"):
        found += [(word[:-1], "ed"), (word[:-2], "ed")]
        if len(word) > 5 and word[-3] == word[-4]:
            found.append((word[:-3], "ed"))  # "planned" -> "plan"
    if len(word) > 5 and word.endswith("ing"):
        found += [(word[:-3], "ing"), (word[:-3] + "e", "ing")]
        if word[-4] == word[-5]:
            found.append((word[:-4], "ing"))
    if len(word) > 4 and word.endswith("ier"):
        found.append((word[:-3] + "y", "er"))
    if len(word) > 4 and word.endswith("er"):
        found += [(word[:-2], "er"), (word[:-1], "er")]
    if len(word) > 5 and word.endswith("iest"):
        found.append((word[:-4] + "y", "est"))
    if len(word) > 5 and word.endswith("est"):
        found += [(word[:-3], "est"), (word[:-2], "est")]
    return found


_DOUBLES = re.compile(r"[^aeiou]*[aeiou][^aeiouwxy]")


def _stem(base: str, form: str) -> str:
    """Double the final consonant of a one-syllable word before a vowel suffix: "big" -> "bigg(er)"."""
    return base + base[-1] if form != "s" and _DOUBLES.fullmatch(base) else base


def _inflect_word(base: str, form: str, pos: str) -> str:
    if form == "s":
        if pos == "noun" and base in _NOUN_PLURALS:
            return _NOUN_PLURALS[base]
        if base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
            return base[:-1] + "ies"
        if base.endswith(("s", "x", "z", "ch", "sh")):
            return base + "es"
        return base + "s"
    if form in ("ed", "en"):
        if base in _VERB_FORMS:
            return _VERB_FORMS[base][0 if form == "ed" else 1]
        if base.endswith("e"):
            return base + "d"
        if base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
            return base[:-1] + "ied"
        return _stem(base, form) + "ed"
    if form == "ing":
        if base.endswith("ie"):
            return base[:-2] + "ying"
        if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
            return base[:-1] + "ing"
        return _stem(base, form) + "ing"
    if form in ("er", "est"):
        if base in _ADJ_FORMS:
            return _ADJ_FORMS[base][0 if form == "er" else 1]
        if len(base) > 7 or " " in base:
            return ("more " if form == "er" else "most ") + base
        if base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
            return base[:-1] + ("ier" if form == "er" else "iest")
        if base.endswith("e"):
            return base + form[1:]
        return _stem(base, form) + form
    return base


def _inflect(phrase: str, form: str, pos: str) -> str:
    """Inflect a synonym: a verb phrase on its first word ("carry out"), anything else on its last."""
    words = phrase.split(" ")
    if form in ("er", "est") and len(words) > 1:
        return ("more " if form == "er" else "most ") + phrase
    index = 0 if pos == "verb" else len(words) - 1
    words[index] = _inflect_word(words[index], form, pos)
    return " ".join(words)


# ---------------------------------------------------------------------------------------------------------
# Finding the units of a text and spinning them.

_TOKEN = re.compile(r"[A-Za-z]+")
_SYNONYM_SHAPE = re.compile(r"[a-z]+(?:[ '-][a-z]+)*")
_SENTENCE_OPENERS = frozenset(".!?:;\"'\u201c\u2018(\n")
_MAX_PHRASE = 4


def _usable(synonyms: Iterable[str], original: str) -> list[str]:
    """Synonyms a spinner would use: lower-case words (no proper names), not the original word again."""
    seen: list[str] = []
    originals = set(original.split(" "))
    for synonym in synonyms:
        if not _SYNONYM_SHAPE.fullmatch(synonym) or synonym == original or synonym in seen:
            continue
        if originals & set(synonym.split(" ")):
            continue  # "backed" -> "backed up" is no swap at all
        seen.append(synonym)
    return seen


def _candidates(thesaurus: Thesaurus, key: str) -> list[str]:
    """Every synonym of ``key`` over all its senses, and of its lemma with the inflection carried over."""
    found: list[str] = []
    for _pos, synonyms in thesaurus.get(key, ()):
        found += synonyms
    words = key.split(" ")
    # Inflection sits on the first word of a verb phrase ("carried out") or on a single word.
    for base, form in _lemmas(words[0]):
        lemma = " ".join([base, *words[1:]])
        if lemma == key or lemma not in thesaurus:
            continue
        for pos, synonyms in thesaurus[lemma]:
            if pos in _FORM_POS[form] and (len(words) == 1 or pos == "verb"):
                found += [_inflect(s, form, pos) for s in synonyms]
        break  # the first analysis the thesaurus knows is the one used; later guesses are noisier
    return _usable(found, key)


def _has_proper_sense(thesaurus: Thesaurus, key: str) -> bool:
    """True when a sense of ``key`` lists a capitalised synonym: the word also names a place or a person."""
    return any(s[:1].isupper() for _pos, synonyms in thesaurus.get(key, ()) for s in synonyms)


def _token_shapes(text: str) -> list[tuple[int, int, str, bool, bool]]:
    """Each letter run with (start, end, word, swappable shape, opens a sentence)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        after2 = text[end + 1 : end + 3]
        word = match.group()
        # Digits, hyphens and inner apostrophes glue a letter run to something a spinner cannot swap alone:
        # "3rd", "pro-Russian", "don't", the "s" of "Putin's". A possessive "'s" after the word is fine.
        shape_ok = not (before.isdigit() or after.isdigit() or before == "-" or after == "-")
        if before in "'\u2019" and start >= 2 and text[start - 2].isalpha():
            shape_ok = False
        if after in "'\u2019" and after2[:1].isalpha() and not (after2[:1] == "s" and not after2[1:2].isalpha()):
            shape_ok = False
        if word.isupper() and len(word) > 1:
            shape_ok = False  # acronyms: "UN", "NATO"
        # Walk back over spaces and opening quotes to the character that decides: text start, a line break,
        # or end punctuation open a sentence.
        back = start - 1
        while back >= 0 and text[back] in " \t\"'\u201c\u2018(":
            back -= 1
        opener = back < 0 or text[back] in _SENTENCE_OPENERS or (start > 0 and text[start - 1] == "\n")
        tokens.append((start, end, word, shape_ok, opener))
    return tokens


def eligible_units(text: str, thesaurus: str | Thesaurus = "mythes") -> list[Unit]:
    """The units of ``text`` the spinner may swap, in text order, each with its usable synonyms.

    >>> [u.text for u in eligible_units("Officials said 300 troops attacked Kyiv.")]  # doctest: +SKIP
    ['Officials', 'said', 'troops', 'attacked']
    """
    th = load_thesaurus(thesaurus) if isinstance(thesaurus, str) else thesaurus
    # Synonym lists depend only on the headword: memoised per named thesaurus, so long runs stay fast.
    memo = _CANDIDATES.setdefault(thesaurus, {}) if isinstance(thesaurus, str) else {}

    def candidates(key: str) -> list[str]:
        if key not in memo:
            memo[key] = _candidates(th, key)
        return memo[key]

    tokens = _token_shapes(text)
    # A capitalised word seen mid-sentence is a name; the same word opening a sentence is the same name.
    names = {word.lower() for _s, _e, word, _ok, opener in tokens if word[:1].isupper() and not opener}

    def swappable(start: int, end: int, word: str, shape_ok: bool, opener: bool) -> bool:
        lower = word.lower()
        if not shape_ok or lower in names or lower in NUMBER_WORDS:
            return False
        if word[:1].isupper():
            return opener and not _has_proper_sense(th, lower)
        return True

    ok = [swappable(*token) for token in tokens]
    units: list[Unit] = []
    i = 0
    while i < len(tokens):
        if not ok[i]:
            i += 1
            continue
        unit = None
        # Longest multi-word entry first, as phrase-aware spinners do; words must be joined by one space.
        for n in range(min(_MAX_PHRASE, len(tokens) - i), 1, -1):
            span = tokens[i : i + n]
            if not all(ok[i : i + n]):
                continue
            if any(text[a[1] : b[0]] != " " for a, b in zip(span, span[1:], strict=False)):
                continue
            words = [t[2].lower() for t in span]
            if all(w in STOPWORDS for w in words):
                continue
            key = " ".join(words)
            # Most word runs are no headword at all; look that up before any inflection analysis.
            if key not in th and not any(" ".join([b, *words[1:]]) in th for b, _f in _lemmas(words[0])):
                continue
            found = candidates(key)
            if found:
                unit = Unit(span[0][0], span[-1][1], text[span[0][0] : span[-1][1]], tuple(found))
                i += n
                break
        if unit is None:
            start, end, word, _ok, _opener = tokens[i]
            lower = word.lower()
            i += 1
            if lower in STOPWORDS and lower not in PREPOSITIONS:
                continue
            found = candidates(lower)
            if not found:
                continue
            unit = Unit(start, end, word, tuple(found))
        units.append(unit)
    return units


def _match_case(replacement: str, original: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def spin(text: str, rate: float, seed: int, thesaurus: str = "mythes") -> Spun:
    """Swap ``rate`` (0..1) of the eligible units of ``text`` for a synonym drawn regardless of context.

    The same text, rate, seed and thesaurus always give the same result.

    >>> spun = spin("Rebels attacked the northern city.", 1.0, seed=3)  # doctest: +SKIP
    >>> [swap[2] for swap in spun.swaps]  # doctest: +SKIP
    ['Rebels', 'attacked', 'northern', 'city']
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, not {rate}")
    units = eligible_units(text, thesaurus)
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(units)), round(rate * len(units))))
    pieces: list[str] = []
    swaps: list[tuple[int, int, str, int, int, str]] = []
    cursor = 0
    length = 0
    for index in chosen:
        unit = units[index]
        new = _match_case(rng.choice(unit.candidates), unit.text)
        between = text[cursor : unit.start]
        pieces += [between, new]
        new_start = length + len(between)
        swaps.append((unit.start, unit.end, unit.text, new_start, new_start + len(new), new))
        length = new_start + len(new)
        cursor = unit.end
    pieces.append(text[cursor:])
    return Spun("".join(pieces), swaps)
