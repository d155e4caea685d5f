"""Phrase checks: does one document read as machine-spun, with no source at hand?

A thesaurus spinner swaps words for synonyms without reading the context, and leaves fingerprints: words
that fit their neighbours far worse than an ordinary synonym would ("forfeited" where "lost" belongs),
fixed expressions broken by a swap, and forms no writer uses. For every candidate word (or multi-word
thesaurus entry) of a document the checker **undoes the swap**: it tries each synonym the word may have
replaced, inflected like it, and asks a bigram language model how much more likely the restored phrase is
than the observed one. A few features of that comparison go into a per-word logistic model whose output
is a likelihood ratio "swapped" against "written". The ratios of all the words are pooled into one
document statistic, a generalised likelihood-ratio test over the share of swapped words
(``document_statistic``), which the calibration turns into ``score`` in [0, 1] (0.5 at the threshold);
``spun = score >= threshold``. Evidence spans are the words most likely swapped, each with the wording it
probably replaced. Text that is not English (most of its words unknown to the model) is not judged.

Signals and where their data come from (``dedup/data``, built by ``scripts/build_phrase_data.py``):

- reverse substitution: synonyms from WordNet 3.0 and the MyThes thesaurus, made symmetric; a bigram
  back-off language model from the CMU Sphinx US English model (2 million bigrams); word frequencies
  from ``wordfreq``;
- rare forms: a lower-case word no word list knows ("thrusted"), typical of naive re-inflection;
- broken fixed expressions: a WordNet multi-word lemma or a hand-curated idiom (``idioms_en.txt``) with
  one word swapped for a synonym;
- a curated lexicon of known spinner substitutions (``spinner_lexicon_en.csv``) and the user's own phrase
  lists (CSV ``phrase,original`` or JSON), matched word for word.

Calibration (``python -m benchmarks.phrase_bench --calibrate`` writes ``dedup/data/phrase_model.json``).
Clean text: the Lee corpus of ABC news (``benchmarks/devdata.py``, 339 articles after removing re-runs).
Spun text: the same articles run through ``benchmarks/spinner.py`` with each of its two thesauri (MyThes,
WordNet) and two synonym choices (uniform over the thesaurus' candidates, and weighted towards common
words, as readable commercial spinners choose), at rates drawn uniformly from 12-55 %. Articles at even
positions form the training split. The per-word model is fitted there: words overlapping a swap are the
positives, every candidate of the clean articles a negative. The threshold is the 99.5th percentile of
the statistic over clean training text of many lengths (each article, its first 80-600 characters, and
runs of three and six articles joined), so about one clean text in 200 is flagged, short or long.
Articles at odd positions are held out for the reported figures (``benchmarks/phrase_bench.py``). The
sample articles in ``examples/seeds`` play no part in calibration.

>>> checker = load_checker()
>>> checker.check("The minister said the talks would resume on Monday.").spun
False
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from dedup.errors import InputError
from dedup.model import Evidence, SpinResult
from dedup.normalize import Tokens, tokenize

__all__ = [
    "FEATURES",
    "Candidate",
    "LanguageModel",
    "PhraseChecker",
    "PhraseData",
    "load_checker",
    "load_phrase_list",
]

# The per-candidate features, in the order of the model's weights (``phrase_model.json``).
FEATURES = (
    "gain",  # log10 likelihood ratio of the best restored phrase over the observed one, clipped to [-3, 8]
    "zipf_observed",  # how common the observed word is (Zipf scale)
    "zipf_restored",  # how common the restoring synonym is
    "observed_pairs_known",  # sides (0-2) whose observed bigram the language model lists
    "observed_pairs_absent",  # sides whose observed bigram is unlisted though both words are in the model
    "restored_pairs_known",  # sides whose restored bigram the model lists
    "context_sides",  # sides (0-2) with a neighbour in the same clause
    "observed_multiword",  # the observed unit is a multi-word thesaurus entry
    "restored_multiword",  # the restoring synonym is a multi-word phrase
    "unknown_form",  # a lower-case word no word list knows
    "broken_expression",  # restoring completes a fixed expression
    "gain>0",
    "gain>1",
    "gain>2",
    "gain>3",
    "gain>4",
    "gain>5",
    "gain*zipf_observed",
    "gain*zipf_restored",
)
_N_FEATURES = len(FEATURES)
_F = {name: index for index, name in enumerate(FEATURES)}

_DATA = "dedup.data"
_GAIN_RANGE = (-3.0, 8.0)
# log10 unigram probability of a word the vocabulary does not hold (rarer than anything in it).
_UNKNOWN_LOG_PROB = -9.0
# Shares of swapped words the document test considers; spinners are set anywhere from light to heavy.
_RATES = np.array([0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5])
# Gap characters that end a clause: no bigram is read across them.
_CLAUSE_BREAKS = frozenset(".,;:!?()[]{}\"\u201c\u201d/|\n\u2014\u2013-'")
_SENTENCE_BREAKS = frozenset(".!?:;\"\u201c\u201d\n")
_MAX_UNIT_WORDS = 3
# An unknown word one keystroke from a word at least this common (Zipf scale) is a typo, not a spinner's swap.
_TYPO_TARGET_ZIPF = 3.0
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Share of a text's lower-case words that are typos above which the text is OCR-noisy: spun articles by our
# spinner reach 0.077 at most (its odd inflections look like typos), OCR-noised ones 0.154 at the median.
_NOISY_TEXT = 0.08
# Letter groups an OCR engine reads for one another (the common look-alikes of printed Latin type).
_LOOK_ALIKES = (("rn", "m"), ("m", "rn"), ("ii", "u"), ("u", "ii"), ("cl", "d"), ("d", "cl"), ("vv", "w"),
                ("li", "h"), ("nn", "m"), ("in", "m"))
# Log-likelihood ratio given to a phrase of the shipped lexicon or of a user list: such phrases almost
# never occur in clean text, so one is strong evidence, but a single one does not make a document spun.
_LEXICON_LOG_LR = math.log(40.0)
# English news has 95 % or more of its lower-case words in the language model; French, German or Spanish
# text about half. Below this share (over at least that many words) a text is not checked.
_MIN_KNOWN_SHARE = 0.75
_MIN_WORDS_FOR_LANGUAGE = 8
# In a document judged spun, a word is shown as evidence from this posterior probability of being a swap:
# the value that balances recall of swaps and precision of spans best (F1) on the spun training split.
_EVIDENCE_POSTERIOR = 0.35
_UNKNOWN_REASON = "a word form no word list knows"
_RESTORE_REASON = "restoring a common synonym makes the phrase far more likely"
_EXPRESSION_REASON = "a fixed expression with one word swapped for a synonym"



def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Function words: never the swapped slot of an expression.
_PREPOSITIONS = _word_set("of in on at to for from with by into onto about over under up down out off through across")
_FUNCTION_WORDS = _PREPOSITIONS | _word_set(
    """
    a an the this that these those it its they them their he him his she her we us our you your i me my
    and or but nor so if then than as be am is are was were been being have has had do does did will would
    shall should can could may might must not no there here who whom whose which what when where why how
    all any each some one
    """
)
# Numbers are kept by spinners ("two" never becomes "ii"), spelt out or not.
_NUMBER_WORDS = _word_set(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds
    thousand thousands million millions billion billions trillion dozen dozens first second third fourth
    fifth sixth seventh eighth ninth tenth
    """
)
# Words no spinner swaps (articles, pronouns, auxiliaries, conjunctions, numbers): never a candidate.
# Prepositions stay candidates, since spinners do swap them ("through" for "by").
_NEVER_SWAPPED = (_FUNCTION_WORDS - _PREPOSITIONS) | _NUMBER_WORDS


# ---------------------------------------------------------------------------------------------------------
# Data.


@dataclass(frozen=True, eq=False)
class LanguageModel:
    """A bigram back-off language model over word ids, with vectorised look-ups (log10 units).

    The last id (``unknown``) stands for every word the vocabulary lacks.
    """

    ids: dict[str, int]
    unigram: np.ndarray
    backoff: np.ndarray
    zipf: np.ndarray
    in_model: np.ndarray
    keys: np.ndarray
    probs: np.ndarray
    key_bits: int

    @property
    def unknown(self) -> int:
        """The id of words outside the vocabulary."""
        return len(self.unigram) - 1

    def follow(self, previous: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 P(word | previous) for arrays of ids, and whether the bigram is listed.

        ``previous == -1`` means no previous word in the clause: the unigram probability is used.

        >>> lm = _shipped()[0].lm
        >>> ids = np.array([lm.ids["backed"]]), np.array([lm.ids["by"]])
        >>> bool(lm.follow(*ids)[0][0] > lm.follow(np.array([-1]), ids[1])[0][0])
        True
        """
        has_previous = previous >= 0
        safe_previous = np.where(has_previous, previous, 0)
        log_prob = np.where(has_previous, self.backoff[safe_previous], 0.0) + self.unigram[word]
        listed = np.zeros(len(word), dtype=bool)
        # Only pairs of two words the model knows can be listed; the others need no search.
        searched = np.flatnonzero(has_previous & self.in_model[safe_previous] & self.in_model[word])
        if len(searched):
            keys = (previous[searched] << self.key_bits) | word[searched]
            # Sorted queries walk the key array in order, which is much kinder to the cache.
            order = np.argsort(keys)
            where = np.empty_like(order)
            where[order] = np.searchsorted(self.keys, keys[order])
            where[where >= len(self.keys)] = 0
            found = self.keys[where] == keys
            listed[searched[found]] = True
            log_prob[searched[found]] = self.probs[where[found]]
        return log_prob, listed


@dataclass(frozen=True, eq=False)
class PhraseData:
    """The reference tables, loaded once; see ``scripts/build_phrase_data.py`` for their making."""

    lm: LanguageModel
    # form -> (first, end) range into the flat alternative arrays below.
    forms: dict[str, tuple[int, int]]
    # first word of a multi-word form -> its longest length in words.
    multiword_first: dict[str, int]
    alt_text: list[str]
    alt_first: np.ndarray
    alt_last: np.ndarray
    alt_inner: np.ndarray  # log10 probability of the alternative's own inner bigrams
    alt_zipf: np.ndarray  # Zipf frequency of the alternative's rarest word
    alt_multiword: np.ndarray
    # (slot, the expression's other words) -> the words that fill the slot.
    expressions: dict[tuple[int, tuple[str, ...]], tuple[str, ...]]
    # Every word that fills a slot of an expression, and every word of one (quick tests before look-ups).
    expression_fillers: frozenset[str]
    expression_words: frozenset[str]
    # first word -> ((phrase words, original, source), ...).
    lexicon: dict[str, tuple[tuple[tuple[str, ...], str, str], ...]]


@dataclass(frozen=True)
class Model:
    """The calibrated per-word model and document threshold (``phrase_model.json``)."""

    weights: tuple[float, ...]
    bias: float
    prior_logit: float
    threshold: float
    scale: float
    strong_log_lr: float
    provenance: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> Model:
        """Build from the parsed ``phrase_model.json``; refuses a model fitted for other features."""
        if tuple(raw["features"]) != FEATURES:  # type: ignore[arg-type]
            raise ValueError("phrase_model.json was fitted for other features; rerun phrase_bench --calibrate")
        return cls(
            weights=tuple(float(w) for w in raw["weights"]),  # type: ignore[attr-defined]
            bias=float(raw["bias"]),  # type: ignore[arg-type]
            prior_logit=float(raw["prior_logit"]),  # type: ignore[arg-type]
            threshold=float(raw["threshold"]),  # type: ignore[arg-type]
            scale=float(raw["scale"]),  # type: ignore[arg-type]
            strong_log_lr=float(raw["strong_log_lr"]),  # type: ignore[arg-type]
            provenance=dict(raw.get("provenance", {})),  # type: ignore[call-overload]
        )


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


def _data_file(name: str) -> bytes:
    return resources.files(_DATA).joinpath(name).read_bytes()


def _gz_lines(name: str) -> list[str]:
    return gzip.decompress(_data_file(name)).decode("utf-8").splitlines()


def _load_lm() -> LanguageModel:
    """The language model of ``phrase_lm.npz``."""
    with np.load(io.BytesIO(_data_file("phrase_lm.npz"))) as npz:
        prob_scale, unigram_scale, key_bits = (int(x) for x in npz["scales"])
        words = npz["words"].tobytes().decode("utf-8").split("\n")
        deltas = np.ascontiguousarray(npz["key_planes"].T).view(np.uint32).ravel()
        keys = np.cumsum(deltas, dtype=np.int64)
        # One extra slot at the end stands for every unknown word.
        unigram = np.append(npz["unigram"] / unigram_scale, _UNKNOWN_LOG_PROB)
        backoff = np.append(npz["backoff"] / unigram_scale, 0.0)
        zipf = np.append(npz["zipf"] / 10.0, 0.0)
        in_model = np.append(npz["in_model"].astype(bool), False)
        probs = -npz["probs"].astype(np.float64) / prob_scale
    return LanguageModel(
        ids=dict(zip(words, range(len(words)), strict=True)),
        unigram=unigram,
        backoff=backoff,
        zipf=zipf,
        in_model=in_model,
        keys=keys,
        probs=probs,
        key_bits=key_bits,
    )


def _word_ids(ids: dict[str, int], words: Iterable[str], unknown: int) -> np.ndarray:
    """Ids of ``words``, ``unknown`` for the ones the vocabulary lacks."""
    return np.fromiter((ids.get(w, unknown) for w in words), dtype=np.int64)


def _load_data() -> PhraseData:
    lm = _load_lm()
    ids, unknown = lm.ids, lm.unknown
    with np.load(io.BytesIO(_data_file("phrase_alternatives.npz"))) as npz:
        form_list = npz["forms"].tobytes().decode("utf-8").split("\n")
        alt_text = npz["alternatives"].tobytes().decode("utf-8").split("\n")
        counts = npz["counts"].astype(np.int64)
    ends = np.cumsum(counts)
    forms = dict(zip(form_list, zip((ends - counts).tolist(), ends.tolist(), strict=True), strict=True))
    multiword_first: dict[str, int] = {}
    for form in form_list:
        if " " in form:
            head, length = form.split(" ", 1)[0], form.count(" ") + 1
            multiword_first[head] = max(multiword_first.get(head, 1), length)
    alt_first = _word_ids(ids, [t.partition(" ")[0] for t in alt_text], unknown)
    alt_last = _word_ids(ids, [t.rpartition(" ")[2] for t in alt_text], unknown)
    alt_multiword = np.array([" " in t for t in alt_text])
    alt_zipf = lm.zipf[alt_first].copy()
    inner = np.zeros(len(alt_text))
    multi = np.flatnonzero(alt_multiword)
    if len(multi):
        # The inner bigrams of multi-word alternatives ("carry out"), and their rarest word.
        pieces = [alt_text[k].split(" ") for k in multi]
        owner = np.repeat(multi, [len(p) - 1 for p in pieces])
        previous = _word_ids(ids, [w for p in pieces for w in p[:-1]], unknown)
        following = _word_ids(ids, [w for p in pieces for w in p[1:]], unknown)
        log_probs, _ = lm.follow(previous, following)
        np.add.at(inner, owner, log_probs)
        np.minimum.at(alt_zipf, owner, lm.zipf[following])

    expressions: dict[tuple[int, tuple[str, ...]], list[str]] = {}
    idioms = _data_file("idioms_en.txt").decode("utf-8").splitlines()
    curated = (line.strip().lower() for line in idioms if line.strip() and not line.startswith("#"))
    for expression in (*_gz_lines("phrase_expressions.tsv.gz"), *curated):
        words = tuple(tokenize(expression).words)
        # Two-word compounds are the language model's business; longer idioms are too rare to matter.
        if not 3 <= len(words) <= 5:
            continue
        for slot, word in enumerate(words):
            if word not in _FUNCTION_WORDS:
                expressions.setdefault((slot, words[:slot] + words[slot + 1 :]), []).append(word)
    lexicon_rows = _read_phrase_csv(_data_file("spinner_lexicon_en.csv").decode("utf-8"), "spinner_lexicon_en.csv")
    return PhraseData(
        lm=lm,
        forms=forms,
        multiword_first=multiword_first,
        alt_text=alt_text,
        alt_first=alt_first,
        alt_last=alt_last,
        alt_inner=inner,
        alt_zipf=alt_zipf,
        alt_multiword=alt_multiword,
        expressions={key: tuple(dict.fromkeys(words)) for key, words in expressions.items()},
        expression_fillers=frozenset(w for words in expressions.values() for w in words),
        expression_words=frozenset(w for slot, others in expressions for w in others),
        lexicon=_index_lexicon(lexicon_rows, "known spinner substitution"),
    )


@functools.cache
def _shipped() -> tuple[PhraseData, Model | None]:
    """The shipped data and model, read once per process."""
    data = _load_data()
    try:
        model: Model | None = Model.from_json(json.loads(_data_file("phrase_model.json")))
    except FileNotFoundError:
        model = None  # only before the first calibration
    return data, model


# ---------------------------------------------------------------------------------------------------------
# User phrase lists.


def _read_phrase_csv(text: str, path: str) -> list[tuple[str, str, int]]:
    """Rows ``phrase,original`` of a CSV text (header optional, ``#`` comments allowed) with line numbers."""
    rows: list[tuple[str, str, int]] = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2:
            raise InputError(
                f"expected two columns 'phrase,original', found {len(row)}",
                path=path,
                line=number,
                hint="Write each entry as: spun phrase,original phrase",
            )
        phrase, original = row[0].strip(), row[1].strip()
        if not rows and phrase.lower() in ("phrase", "tortured phrase", "tortured", "spun", "spun phrase"):
            continue  # a header row
        if not tokenize(phrase).words:
            raise InputError(
                f"the phrase {phrase!r} has no words", path=path, line=number, hint="Give the phrase or remove the line"
            )
        rows.append((phrase, original, number))
    return rows


def _json_line(text: str, index: int) -> int | None:
    """Line of the ``index``-th (1-based) entry of a JSON array or object, for error messages."""
    decoder = json.JSONDecoder()
    position = text.find("[") if text.lstrip().startswith("[") else text.find("{")
    count = 0
    position += 1
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n,:":
            position += 1
        if position >= len(text) or text[position] in "]}":
            return None
        count += 1
        if count == index:
            return text.count("\n", 0, position) + 1
        try:
            _, position = decoder.raw_decode(text, position)
            if text.lstrip().startswith("{"):
                # An object entry is a key and a value: skip the value too.
                while position < len(text) and text[position] in " \t\r\n:":
                    position += 1
                _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return None
    return None


def _read_phrase_json(text: str, path: str) -> list[tuple[str, str, int]]:
    """``{"phrase": "original"}``, ``[["phrase", "original"], ...]`` or ``[{"phrase": ..., "original": ...}]``."""
    hint = 'Use {"spun phrase": "original", ...} or [{"phrase": "...", "original": "..."}, ...]'
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno,
                         hint="Check the quotes and commas near that line") from exc
    if isinstance(value, dict):
        items: list[object] = [[k, v] for k, v in value.items()]
    elif isinstance(value, list):
        items = value
    else:
        raise InputError("a phrase list must be a JSON object or array", path=path, line=1, hint=hint)
    rows: list[tuple[str, str, int]] = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            phrase, original = item.get("phrase"), item.get("original", "")
        elif isinstance(item, list) and len(item) == 2:
            phrase, original = item
        else:
            phrase, original = None, None
        if not isinstance(phrase, str) or not tokenize(phrase).words or not isinstance(original, str | None):
            raise InputError(
                f"entry {index} needs a non-empty text 'phrase' and a text 'original'",
                path=path,
                line=_json_line(text, index),
                hint=hint,
            )
        rows.append((phrase, original or "", index))
    return rows


def load_phrase_list(path: str) -> list[tuple[str, str]]:
    """Read a user phrase list: JSON (``.json``) or CSV ``phrase,original`` (any other name).

    Raises ``InputError`` naming the file, the line and the fix when the file cannot be used.

    >>> import os, tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
    ...     _ = fh.write("phrase,original\\ncounterfeit consciousness,artificial intelligence\\n")
    >>> load_phrase_list(fh.name)
    [('counterfeit consciousness', 'artificial intelligence')]
    >>> os.unlink(fh.name)
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("phrase list not found", path=path, hint="Check the path of the phrase list") from exc
    except UnicodeDecodeError as exc:
        raise InputError("phrase list is not UTF-8 text", path=path, hint="Save the file as UTF-8") from exc
    except OSError as exc:
        raise InputError(f"cannot read the phrase list ({exc.strerror})", path=path) from exc
    rows = _read_phrase_json(text, path) if file.suffix.lower() == ".json" else _read_phrase_csv(text, path)
    return [(phrase, original) for phrase, original, _number in rows]


def _index_lexicon(
    rows: Iterable[tuple[str, str, int]] | Iterable[tuple[str, str]], source: str
) -> dict[str, tuple[tuple[tuple[str, ...], str, str], ...]]:
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for row in rows:
        words = tokenize(row[0]).words
        if words:
            index.setdefault(words[0], []).append((words, row[1], source))
    return {first: tuple(entries) for first, entries in index.items()}


# ---------------------------------------------------------------------------------------------------------
# The checker.


@dataclass
class _Scan:
    """One text tokenised, with its candidates before scoring (word indices into the text's words)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    forms: list[str]
    word_ids: list[int]
    clause: list[bool]
    run: list[int]
    unit_start: list[int] = field(default_factory=list)
    unit_end: list[int] = field(default_factory=list)
    unit_range: list[tuple[int, int]] = field(default_factory=list)
    unknown_at: list[int] = field(default_factory=list)
    fixed: list[tuple[int, int, str | None, str]] = field(default_factory=list)
    known_share: float = 1.0
    lower_words: int = 0


@dataclass(frozen=True)
class _Analysis:
    """Everything ``check`` needs about one text, as parallel arrays over its candidates."""

    starts: np.ndarray
    ends: np.ndarray
    features: np.ndarray  # (candidates, features)
    fixed_log_lr: np.ndarray  # NaN where the per-word model decides
    originals: list[str | None]
    reasons: list[str]
    # Share of the lower-case words the language model knows: low for text that is not English.
    known_share: float
    lower_words: int

    @property
    def english(self) -> bool:
        """Whether the text reads as English; the checks say nothing about other languages."""
        return self.lower_words < _MIN_WORDS_FOR_LANGUAGE or self.known_share >= _MIN_KNOWN_SHARE


class PhraseChecker:
    """Scores documents for spin; build it with ``load_checker``, which loads the data once.

    ``threshold`` is the score at which a document counts as spun (0.5 is the calibrated threshold).

    >>> checker = load_checker()
    >>> 0.0 <= checker.check("Officials said the road would reopen.").score <= 1.0
    True
    """

    def __init__(
        self,
        data: PhraseData,
        model: Model | None,
        user_lexicon: dict[str, tuple[tuple[tuple[str, ...], str, str], ...]] | None = None,
        threshold: float = 0.5,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be in (0, 1), not {threshold}")
        self.data = data
        self.model = model
        self.user_lexicon = user_lexicon or {}
        self.threshold = threshold
        self._lexicon_first = frozenset(self.user_lexicon) | frozenset(data.lexicon)
        self._typos: dict[str, bool] = {}  # word -> whether it looks like a typo of a common word

    # -- finding candidates -------------------------------------------------------------------------------

    def _scan(self, text: str, tokens: Tokens | None = None) -> _Scan:
        """Tokenise ``text`` (unless its ``tokens`` are given) and list its candidate units, unknown forms and
        lexicon matches (no scoring)."""
        data = self.data
        lm = data.lm
        ids, unknown = lm.ids, lm.unknown
        if tokens is None:
            tokens = tokenize(text)
        starts, ends = tokens.starts, tokens.ends
        n = len(tokens.words)
        # Possessives are looked up without their "'s" ("minister's" as "minister").
        forms = [w[:-2] if w.endswith("'s") and len(w) > 3 else w for w in tokens.words]
        word_ids = [ids.get(f, unknown) for f in forms]
        clause = [True] * (n + 1)  # clause[i]: a clause break lies before word i
        sentence = [True] * (n + 1)
        # run[i] counts the clause breaks up to word i: words i..j-1 share a clause iff run[i] == run[j - 1].
        run = [0] * (n + 1)
        breaks = 0
        for i in range(1, n):
            gap = text[ends[i - 1] : starts[i]]
            if gap == " ":
                clause[i] = sentence[i] = False
            else:
                clause[i] = not _CLAUSE_BREAKS.isdisjoint(gap)
                sentence[i] = not _SENTENCE_BREAKS.isdisjoint(gap)
                breaks += clause[i]
            run[i] = breaks
        run[n] = breaks + 1

        scan = _Scan(text, starts, ends, forms, word_ids, clause, run)
        table = data.forms
        multiword_first = data.multiword_first
        lexicon_first = self._lexicon_first
        skip_until = 0
        typos = 0
        for i in range(n):
            if i < skip_until:
                continue
            # Lexicon phrases are matched whatever their case ("Counterfeit Consciousness" in a title).
            if tokens.words[i] in lexicon_first:
                hit = self._lexicon_hit(tokens.words, i, n)
                if hit is not None:
                    length, original, source = hit
                    scan.fixed.append((i, i + length, original or None, source))
                    skip_until = i + length
                    continue
            word = forms[i]
            if word in _NEVER_SWAPPED or not word.isalpha():
                continue
            # A capitalised word inside a sentence is a name; spinners leave names alone, and so do we.
            if not sentence[i] and text[starts[i]].isupper():
                continue
            found = False
            if word in multiword_first:
                for length in range(min(multiword_first[word], _MAX_UNIT_WORDS, n - i), 1, -1):
                    j = i + length
                    if run[j - 1] == run[i]:
                        span = table.get(" ".join(forms[i:j]))
                        if span is not None:
                            scan.unit_start.append(i)
                            scan.unit_end.append(j)
                            scan.unit_range.append(span)
                            found = True
            span = table.get(word)
            if span is not None:
                scan.unit_start.append(i)
                scan.unit_end.append(i + 1)
                scan.unit_range.append(span)
            elif not found and word_ids[i] == unknown and len(word) > 3 and text[starts[i]].islower():
                if self._looks_like_typo(word):
                    typos += 1
                else:
                    scan.unknown_at.append(i)
        in_model = lm.in_model
        lower = [word_ids[i] for i in range(n) if forms[i].isalpha() and text[starts[i]].islower()]
        scan.lower_words = len(lower)
        scan.known_share = sum(bool(in_model[w]) for w in lower) / len(lower) if lower else 1.0
        if lower and typos / len(lower) >= _NOISY_TEXT:
            # OCR-level noise: the other unknown words are most likely misreadings too (two errors in one
            # word), not a spinner's swaps.
            scan.unknown_at.clear()
        return scan

    def _looks_like_typo(self, word: str) -> bool:
        """Whether an unknown ``word`` is one keystroke (or one missing space) away from a common word.

        Typos and OCR misreadings ("shoiild", "theinterim", "captan") are such near misses; a spinner swaps
        in real words, so they are not evidence of spinning and would flag every OCR-noised text.

        >>> typo = load_checker()._looks_like_typo
        >>> typo("shoiild"), typo("theinterim"), typo("qzxv")
        (True, True, False)
        """
        cached = self._typos.get(word)
        if cached is not None:
            return cached
        if len(self._typos) > 200_000:  # unbounded vocabularies (OCR output) must not grow it for ever
            self._typos.clear()
        self._typos[word] = found = self._near_common_word(word)
        return found

    def _near_common_word(self, word: str) -> bool:
        lm = self.data.lm
        ids, zipf = lm.ids, lm.zipf

        def common(w: str) -> bool:
            k = ids.get(w)
            return k is not None and zipf[k] >= _TYPO_TARGET_ZIPF

        n = len(word)
        for seen, meant in _LOOK_ALIKES:  # two letters read for one ("rn" for "m") or one for two
            at = word.find(seen)
            while at >= 0:
                if common(word[:at] + meant + word[at + len(seen) :]):
                    return True
                at = word.find(seen, at + 1)
        if any(common(word[:k] + word[k + 1 :]) for k in range(n)):  # a letter too many
            return True
        if any(common(word[:k]) and common(word[k:]) for k in range(2, n - 1)):  # a missing space
            return True
        for k in range(n + 1):
            for letter in _LETTERS:
                if common(word[:k] + letter + word[k:]):  # a letter missing
                    return True
                if k < n and letter != word[k] and common(word[:k] + letter + word[k + 1 :]):  # a letter misread
                    return True
        return False

    def _analyse_many(self, texts: Sequence[str], tokens: Sequence[Tokens] | None = None) -> list[_Analysis]:
        """Scan each text, then score the units of all of them in one vectorised pass.

        The texts are laid end to end, each followed by a clause break, so no bigram spans two texts;
        batching saves the fixed cost of the array operations, which dominates for short texts.
        """
        if tokens is None:
            scans = [self._scan(text) for text in texts]
        else:
            scans = [self._scan(text, t) for text, t in zip(texts, tokens, strict=True)]
        offsets = np.cumsum([0] + [len(s.forms) + 1 for s in scans])
        forms: list[str] = []
        word_ids: list[int] = []
        clause: list[bool] = []
        run: list[int] = []
        unit_start: list[int] = []
        unit_end: list[int] = []
        unit_range: list[tuple[int, int]] = []
        for scan, offset in zip(scans, offsets.tolist(), strict=False):
            base = run[-1] + 1 if run else 0
            forms += [*scan.forms, ""]
            word_ids += [*scan.word_ids, -1]
            clause += [*scan.clause[:-1], True]
            run += [r + base for r in scan.run]
            unit_start += [i + offset for i in scan.unit_start]
            unit_end += [j + offset for j in scan.unit_end]
            unit_range += scan.unit_range
        total = len(forms)

        # Per text: (first rows of its units in the scored arrays) and the scored rows themselves.
        features = np.zeros((0, _N_FEATURES))
        chosen_start = np.zeros(0, dtype=np.int64)
        chosen_end = np.zeros(0, dtype=np.int64)
        unit_originals: list[str | None] = []
        unit_reasons: list[str] = []
        if unit_start:
            first_word, end_word = np.array(unit_start), np.array(unit_end)
            chosen, features, best_alt = self._score_units(
                first_word, end_word, unit_range, word_ids[:-1], clause, total - 1
            )
            chosen_start, chosen_end = first_word[chosen], end_word[chosen]
            alt_text = self.data.alt_text
            unit_originals = [alt_text[b] for b in best_alt.tolist()]
            unit_reasons = [_RESTORE_REASON] * len(chosen)
            single_and_better = (chosen_end - chosen_start == 1) & (features[:, _F["gain"]] > 0)
            for k in np.flatnonzero(single_and_better).tolist():
                expression = self._broken_expression(forms, run, int(chosen_start[k]), total)
                if expression is not None:
                    features[k, _F["broken_expression"]] = 1.0
                    unit_originals[k], unit_reasons[k] = expression, _EXPRESSION_REASON
        bounds = np.searchsorted(chosen_start, offsets).tolist()
        return [
            self._assemble(scan, int(offsets[d]), features[bounds[d] : bounds[d + 1]],
                           chosen_start[bounds[d] : bounds[d + 1]], chosen_end[bounds[d] : bounds[d + 1]],
                           unit_originals[bounds[d] : bounds[d + 1]], unit_reasons[bounds[d] : bounds[d + 1]])
            for d, scan in enumerate(scans)
        ]

    @staticmethod
    def _assemble(
        scan: _Scan,
        offset: int,
        features: np.ndarray,
        unit_first: np.ndarray,
        unit_end: np.ndarray,
        originals: list[str | None],
        reasons: list[str],
    ) -> _Analysis:
        """One text's candidates in text order: scored units, unknown forms and lexicon matches."""
        starts, ends = scan.starts, scan.ends
        rows = [features]
        span_start = [starts[i - offset] for i in unit_first.tolist()]
        span_end = [ends[j - 1 - offset] for j in unit_end.tolist()]
        originals = list(originals)
        reasons = list(reasons)
        fixed_lr = [math.nan] * len(span_start)
        if scan.unknown_at:
            block = np.zeros((len(scan.unknown_at), _N_FEATURES))
            block[:, _F["unknown_form"]] = 1.0
            rows.append(block)
            span_start += [starts[i] for i in scan.unknown_at]
            span_end += [ends[i] for i in scan.unknown_at]
            originals += [None] * len(scan.unknown_at)
            reasons += [_UNKNOWN_REASON] * len(scan.unknown_at)
            fixed_lr += [math.nan] * len(scan.unknown_at)
        if scan.fixed:
            rows.append(np.zeros((len(scan.fixed), _N_FEATURES)))
            for i, j, replaced, source in scan.fixed:
                span_start.append(starts[i])
                span_end.append(ends[j - 1])
                originals.append(replaced)
                reasons.append(source)
                fixed_lr.append(_LEXICON_LOG_LR)
        order = np.argsort(np.array(span_start, dtype=np.int64), kind="stable")
        return _Analysis(
            starts=np.array(span_start, dtype=np.int64)[order],
            ends=np.array(span_end, dtype=np.int64)[order],
            features=np.vstack(rows)[order],
            fixed_log_lr=np.array(fixed_lr)[order],
            originals=[originals[k] for k in order],
            reasons=[reasons[k] for k in order],
            known_share=scan.known_share,
            lower_words=scan.lower_words,
        )

    def _analyse(self, text: str) -> _Analysis:
        return self._analyse_many([text])[0]

    def _score_units(
        self,
        unit_start: np.ndarray,
        unit_end: np.ndarray,
        unit_range: list[tuple[int, int]],
        word_ids: list[int],
        clause: list[bool],
        n: int,
    ) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Restore every unit with each of its alternatives at once; keep the best unit per first word.

        Returns the chosen units, their feature rows and the index of each one's best alternative.
        """
        data = self.data
        lm = data.lm
        ids = np.array(word_ids + [-1])
        breaks = np.array(clause)
        left = np.where(breaks[unit_start] | (unit_start == 0), -1, ids[np.maximum(unit_start - 1, 0)])
        right = np.where((unit_end >= n) | breaks[np.minimum(unit_end, n)], -1, ids[np.minimum(unit_end, n)])
        observed_first = ids[unit_start]
        observed_last = ids[unit_end - 1]

        # Every alternative of every unit, flattened.
        begins = np.array([r[0] for r in unit_range])
        counts = np.array([r[1] - r[0] for r in unit_range])
        owner = np.repeat(np.arange(len(unit_range)), counts)
        alt = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(begins, counts)

        # All the bigrams needed, looked up in one batch: the observed unit's sides, the inner bigrams of
        # multi-word units, and both sides of every alternative.
        multi = np.flatnonzero(unit_end - unit_start > 1)
        second = multi[unit_end[multi] - unit_start[multi] > 2]
        previous = [left, observed_last, left[owner], data.alt_last[alt],
                    ids[unit_start[multi]], ids[unit_start[second] + 1]]
        following = [observed_first, right, data.alt_first[alt], right[owner],
                     ids[unit_start[multi] + 1], ids[unit_start[second] + 2]]
        log_prob, listed = lm.follow(np.concatenate(previous), np.concatenate(following))
        cuts = np.cumsum([len(p) for p in previous])[:-1]
        observed_left, observed_right, alt_left, alt_right, inner_first, inner_second = np.split(log_prob, cuts)
        observed_left_listed, observed_right_listed, alt_left_listed, alt_right_listed, _, _ = np.split(listed, cuts)
        inner = np.zeros(len(unit_start))
        inner[multi] += inner_first
        inner[second] += inner_second
        observed = observed_left + inner + np.where(right >= 0, observed_right, 0.0)

        restored = alt_left + data.alt_inner[alt] + np.where(right[owner] >= 0, alt_right, 0.0)
        segment = np.cumsum(counts) - counts
        best_score = np.maximum.reduceat(restored, segment)
        is_best = restored == np.repeat(best_score, counts)
        first_best = np.flatnonzero(is_best)
        best = first_best[np.searchsorted(first_best, segment)]
        gain = best_score - observed

        # Per first word, the unit with the largest gain (the longer one on a tie: it was listed first).
        order = np.lexsort((-gain, unit_start))
        ordered_start = unit_start[order]
        c = order[np.r_[True, ordered_start[1:] != ordered_start[:-1]]]
        b = best[c]
        has_left = left[c] >= 0
        has_right = right[c] >= 0
        in_model = lm.in_model
        absent_left = has_left & ~observed_left_listed[c] & in_model[left[c]] & in_model[observed_first[c]]
        absent_right = has_right & ~observed_right_listed[c] & in_model[observed_last[c]] & in_model[right[c]]
        # A multi-word unit is as common as its rarest word.
        length = unit_end[c] - unit_start[c]
        zipf_observed = lm.zipf[ids[unit_start[c]]]
        for offset in (1, 2):
            other = lm.zipf[ids[np.minimum(unit_start[c] + offset, n)]]
            zipf_observed = np.where(length > offset, np.minimum(zipf_observed, other), zipf_observed)
        g = np.clip(gain[c], *_GAIN_RANGE)
        zipf_restored = data.alt_zipf[alt[b]]
        columns = [
            g,
            zipf_observed,
            zipf_restored,
            (observed_left_listed[c] & has_left).astype(float) + (observed_right_listed[c] & has_right),
            absent_left.astype(float) + absent_right,
            (alt_left_listed[b] & has_left).astype(float) + (alt_right_listed[b] & has_right),
            has_left.astype(float) + has_right,
            length > 1,
            data.alt_multiword[alt[b]],
            np.zeros(len(c)),  # unknown_form
            np.zeros(len(c)),  # broken_expression, set by the caller
            *(g > step for step in range(6)),
            g * zipf_observed,
            g * zipf_restored,
        ]
        features = np.column_stack(columns).astype(float)
        chosen = c.tolist()
        return chosen, features, alt[b]

    def _lexicon_hit(self, words: Sequence[str], i: int, n: int) -> tuple[int, str, str] | None:
        for table in (self.user_lexicon, self.data.lexicon):
            for phrase, original, source in table.get(words[i], ()):
                length = len(phrase)
                if i + length <= n and tuple(words[i : i + length]) == phrase:
                    return length, original, source
        return None

    def _broken_expression(self, forms: Sequence[str], run: Sequence[int], i: int, n: int) -> str | None:
        """The fixed expression word ``i`` breaks, if swapping it back for a synonym restores one."""
        data = self.data
        span = data.forms.get(forms[i])
        if span is None:
            return None
        # An expression of three or more words around word i holds one of its neighbours: the cheap test first.
        words = data.expression_words
        if not ((i > 0 and forms[i - 1] in words) or (i + 1 < n and forms[i + 1] in words)):
            return None
        options = [o for o in data.alt_text[span[0] : span[1]] if o in data.expression_fillers]
        if not options:
            return None
        # Only the words around i that belong to some expression can make one: stop at the first that does not.
        left = i
        while left > 0 and i - left < 4 and forms[left - 1] in words:
            left -= 1
        right = i + 1
        while right < n and right - i < 5 and forms[right] in words:
            right += 1
        for size in (3, 4, 5):
            for slot in range(size):
                start = i - slot
                end = start + size
                if start < left or end > right or run[start] != run[end - 1]:
                    continue
                others = (*forms[start:i], *forms[i + 1 : end])
                for filler in data.expressions.get((slot, others), ()):
                    if filler in options:
                        return " ".join((*forms[start:i], filler, *forms[i + 1 : end]))
        return None

    # -- scoring --------------------------------------------------------------------------------------------

    def _model(self) -> Model:
        if self.model is None:
            raise RuntimeError("no phrase model: run python -m benchmarks.phrase_bench --calibrate")
        return self.model

    def _log_lrs(self, analysis: _Analysis) -> np.ndarray:
        model = self._model()
        logits = analysis.features @ np.array(model.weights) + model.bias
        return np.where(np.isnan(analysis.fixed_log_lr), logits - model.prior_logit, analysis.fixed_log_lr)

    def candidates(self, text: str) -> list[Candidate]:
        """Every unit of ``text`` the checks looked at, with its features (for calibration and tests).

        >>> [(c.text, c.original) for c in load_checker().candidates("Rebels assailed the town.")][1]
        ('assailed', 'attacked')
        """
        analysis = self._analyse(text)
        return [
            Candidate(
                int(start),
                int(end),
                text[start:end],
                analysis.originals[k],
                tuple(float(x) for x in analysis.features[k]),
                analysis.reasons[k],
                None if math.isnan(analysis.fixed_log_lr[k]) else float(analysis.fixed_log_lr[k]),
            )
            for k, (start, end) in enumerate(zip(analysis.starts, analysis.ends, strict=True))
        ]

    def statistic(self, text: str) -> tuple[float, float]:
        """The document statistic before calibration, and the share of swapped words that fits best.

        >>> statistic, rate = load_checker().statistic("A short clean sentence.")
        >>> 0.0 <= rate <= 0.5
        True
        """
        analysis = self._analyse(text)
        if not analysis.english:
            return 0.0, 0.0
        return document_statistic(self._log_lrs(analysis))

    def check(self, text: str) -> SpinResult:
        """Score one document: ``score`` in [0, 1], ``spun`` at the calibrated threshold, and evidence.

        Evidence offsets index ``text`` as given.

        >>> result = load_checker().check("Rebels assailed the townspeople with a barrage of bombardments.")
        >>> all(0 <= e.start < e.end for e in result.evidence)
        True
        """
        return self._verdict(text, self._analyse(text))

    def check_many(
        self, texts: Iterable[str], batch_size: int = 64, *, tokens: Sequence[Tokens] | None = None
    ) -> list[SpinResult]:
        """``check`` every text; texts are scored ``batch_size`` at a time, which is faster for short ones.

        The results are exactly those of ``check`` on each text. ``tokens``, when the caller already has
        them (``dedup.normalize.tokenize`` of each text), saves tokenising again.

        >>> len(load_checker().check_many(["One text.", "Another text."]))
        2
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        texts = list(texts)
        if tokens is not None and len(tokens) != len(texts):
            raise ValueError(f"tokens must match texts: {len(tokens)} tokens for {len(texts)} texts")
        results: list[SpinResult] = []
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            batch_tokens = tokens[start : start + batch_size] if tokens is not None else None
            analyses = self._analyse_many(batch, batch_tokens)
            results += [self._verdict(t, a) for t, a in zip(batch, analyses, strict=True)]
        return results

    def _verdict(self, text: str, analysis: _Analysis) -> SpinResult:
        model = self._model()
        if not analysis.english:
            return SpinResult(score=0.0, spun=False, evidence=())
        log_lrs = self._log_lrs(analysis)
        statistic, rate = document_statistic(log_lrs)
        score = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, (statistic - model.threshold) / model.scale))))
        spun = score >= self.threshold
        evidence = _evidence(text, analysis, log_lrs, rate if spun else 0.0, model.strong_log_lr)
        # A verdict must be shown, not only computed: weak signals summed over a very long (or repeated)
        # text can pass the threshold with no phrase strong enough to point at; such a text is not flagged.
        return SpinResult(score=round(score, 6), spun=spun and bool(evidence), evidence=evidence)


def _evidence(
    text: str, analysis: _Analysis, log_lrs: np.ndarray, rate: float, strong: float
) -> tuple[Evidence, ...]:
    """Spans whose posterior of being a swap is at least one half, neighbours merged into one phrase.

    In a document judged spun, the prior of each word is the estimated share of swapped words, so the
    spans show where the spin is. Otherwise only findings that stand on their own are kept: lexicon
    phrases, and restorations whose likelihood ratio reaches ``strong`` (set on clean text so that such a
    span is rare there).
    """
    if rate > 0:
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs + math.log(rate / (1.0 - rate)))))
        keep = posterior >= _EVIDENCE_POSTERIOR
    else:
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs - strong)))
        keep = (log_lrs >= strong) | ~np.isnan(analysis.fixed_log_lr)
    chosen: list[Evidence] = []
    for k in np.flatnonzero(keep):
        start, end = int(analysis.starts[k]), int(analysis.ends[k])
        item = Evidence(start, end, text[start:end], analysis.originals[k], analysis.reasons[k],
                        round(float(posterior[k]), 4))
        previous = chosen[-1] if chosen else None
        if previous is not None and start <= previous.end + 1 and text[previous.end : start].strip() == "":
            # Adjacent swaps read as one phrase: "subsidised through" for "backed by".
            merged_end = max(end, previous.end)
            original = None
            if previous.original is not None and item.original is not None and start >= previous.end:
                original = f"{previous.original} {item.original}"
            chosen[-1] = Evidence(previous.start, merged_end, text[previous.start : merged_end],
                                  original or previous.original, previous.reason, max(previous.weight, item.weight))
        else:
            chosen.append(item)
    return tuple(chosen)


def document_statistic(log_lrs: np.ndarray) -> tuple[float, float]:
    """Generalised log-likelihood ratio of "a share of these words are swaps" against "none is".

    Each word is a swap with probability ``rate`` under the alternative, and then its likelihood ratio
    applies; the best rate of a small grid is taken. On clean text the statistic stays near zero whatever
    the length (its 99th percentile is about the same for 20 words and for 1,000), so one threshold holds
    for short and long documents; on spun text it grows with the number of swaps. Returns the statistic
    and the best rate.

    >>> document_statistic(np.array([5.0, 5.0, -1.0, -1.0]))[0] > document_statistic(np.array([-1.0] * 4))[0]
    True
    """
    if len(log_lrs) == 0:
        return 0.0, 0.0
    ratios = np.exp(np.minimum(log_lrs, 30.0))
    totals = np.log1p(_RATES[:, None] * (ratios[None, :] - 1.0)).sum(axis=1)
    best = int(np.argmax(totals))
    return float(totals[best]), float(_RATES[best])


def load_checker(phrase_lists: Sequence[str] = (), threshold: float = 0.5) -> PhraseChecker:
    """The phrase checker with the shipped data (read once per process) and the user's phrase lists.

    ``phrase_lists`` are paths of CSV (``phrase,original``) or JSON files; a bad file raises ``InputError``
    naming the file and line. ``threshold`` is the score at which a document counts as spun.

    >>> load_checker().check("").spun
    False
    """
    data, model = _shipped()
    user: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for path in phrase_lists:
        for first, entries in _index_lexicon(load_phrase_list(path), f"phrase list {Path(path).name}").items():
            user.setdefault(first, []).extend(entries)
    return PhraseChecker(data, model, {k: tuple(v) for k, v in user.items()}, threshold)
