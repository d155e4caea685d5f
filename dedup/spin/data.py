"""The shipped data of the phrase checks (``dedup/data``), loaded once per process.

Signals and where their data come from (``dedup/data``, built by ``scripts/build_phrase_data.py``):

- reverse substitution: synonyms from WordNet 3.0 and the MyThes thesaurus, made symmetric; a trigram
  back-off language model from the CMU Sphinx US English model (2 million bigrams, 1.6 million trigrams);
  word frequencies from ``wordfreq``;
- rare forms: a lower-case word no word list knows ("thrusted"), typical of naive re-inflection;
- broken fixed expressions: a WordNet multi-word lemma or a hand-curated idiom (``idioms_en.txt``) with
  one word swapped for a synonym;
- a curated lexicon of known spinner substitutions (``spinner_lexicon_en.csv``).

``shipped`` reads them all (``PhraseData``) with the calibrated model (``phrase_model.json``).
"""

from __future__ import annotations

import functools
import gzip
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import repeat

import numpy as np

from dedup.spin.language_model import BigramTable, LanguageModel
from dedup.spin.lexicon import Lexicon, index_lexicon, read_phrase_csv
from dedup.spin.word_model import Model
from dedup.text.normalize import tokenize
from dedup.text.words import PHRASE_FUNCTION_WORDS

__all__ = ["MAX_UNIT_WORDS", "PhraseData", "expression_keys", "multiword_keys", "shipped"]

# The data folder is no package (it has no __init__.py): it is read through dedup's own, which a zipped copy
# of dedup (Spark's --py-files) can find too; zipimport finds no folder that is not a package.
_PACKAGE, _DATA = "dedup", "data"
# log10 unigram probability of a word the vocabulary does not hold (rarer than anything in it).
_UNKNOWN_LOG_PROB = -9.0
# The longest thesaurus entry a unit of a text may be, in words.
MAX_UNIT_WORDS = 3


@dataclass(frozen=True, eq=False)
class PhraseData:
    """The reference tables, loaded once; see ``scripts/build_phrase_data.py`` for their making."""

    lm: LanguageModel
    # form -> (first, end) range into the flat alternative arrays below.
    forms: dict[str, tuple[int, int]]
    # first word of a multi-word form -> its longest length in words.
    multiword_first: dict[str, int]
    # Every word of a multi-word form numbered, and the sorted keys (``multiword_keys``) of the forms of
    # two and three words: a vectorised test that spares most string look-ups.
    multiword_words: dict[str, int]
    multiword_keys: np.ndarray
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
    # The expression words numbered, and the sorted keys of (slot, other words) of all the expressions
    # (``expression_keys``): a vectorised quick test for all the words of a batch at once.
    expression_numbers: dict[str, int]
    expression_keys: np.ndarray
    # first word -> ((phrase words, original, source), ...).
    lexicon: Lexicon


def _data_file(name: str) -> bytes:
    return resources.files(_PACKAGE).joinpath(_DATA, name).read_bytes()


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
    with np.load(io.BytesIO(_data_file("phrase_lm3.npz"))) as npz:
        if int(npz["key_bits"][0]) != key_bits or len(npz["backoff"]) != len(keys):
            raise ValueError("phrase_lm3.npz does not match phrase_lm.npz; rebuild both")
        trigram_keys = npz["keys"].astype(np.int64)
        trigram_probs = npz["probs"].astype(np.float32)
        bigram_backoff = npz["backoff"].astype(np.float32)
    return LanguageModel(
        ids=dict(zip(words, range(len(words)), strict=True)),
        unigram=unigram,
        backoff=backoff,
        zipf=zipf,
        in_model=in_model,
        keys=keys,
        probs=probs,
        key_bits=key_bits,
        table=BigramTable(keys),
        bigram_backoff=bigram_backoff,
        trigram_keys=trigram_keys,
        trigram_probs=trigram_probs,
        trigram_table=BigramTable(trigram_keys),
    )


def _word_ids(ids: dict[str, int], words: Iterable[str], unknown: int) -> np.ndarray:
    """Ids of ``words``, ``unknown`` for the ones the vocabulary lacks."""
    return np.fromiter(map(ids.get, words, repeat(unknown)), dtype=np.int64)


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
    multiword_words: dict[str, int] = {}
    for form in form_list:
        if " " in form:
            head, length = form.split(" ", 1)[0], form.count(" ") + 1
            multiword_first[head] = max(multiword_first.get(head, 1), length)
            for word in form.split(" "):
                multiword_words.setdefault(word, len(multiword_words))
    # The forms of two and three words as the numbers of their words (-1: no third word).
    short = [form.split(" ") for form in form_list if 1 <= form.count(" ") < MAX_UNIT_WORDS]
    numbered = [
        np.array([multiword_words[words[k]] if k < len(words) else -1 for words in short], dtype=np.int64)
        for k in range(3)
    ]
    alt_first = _word_ids(ids, [t.partition(" ")[0] for t in alt_text], unknown)
    alt_multiword = np.array([" " in t for t in alt_text])
    # A one-word alternative ends with its first word; only the multi-word ones need a look-up of the last.
    alt_last = alt_first.copy()
    alt_last[alt_multiword] = _word_ids(ids, [t.rpartition(" ")[2] for t in alt_text if " " in t], unknown)
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
            if word not in PHRASE_FUNCTION_WORDS:  # a function word is never the swapped slot
                expressions.setdefault((slot, words[:slot] + words[slot + 1 :]), []).append(word)
    numbers: dict[str, int] = {}
    by_shape: dict[tuple[int, int], list[list[int]]] = {}  # (size, slot) -> the other words' numbers
    for slot, others in expressions:
        by_shape.setdefault((len(others) + 1, slot), []).append([numbers.setdefault(w, len(numbers)) for w in others])
    keys_by_shape = [
        expression_keys(size, slot, list(np.array(rows, dtype=np.int64).T), len(numbers))
        for (size, slot), rows in by_shape.items()
    ]
    lexicon_rows = read_phrase_csv(_data_file("spinner_lexicon_en.csv").decode("utf-8"), "spinner_lexicon_en.csv")
    return PhraseData(
        lm=lm,
        forms=forms,
        multiword_first=multiword_first,
        multiword_words=multiword_words,
        multiword_keys=np.unique(multiword_keys(numbered[0], numbered[1], numbered[2], len(multiword_words))),
        alt_text=alt_text,
        alt_first=alt_first,
        alt_last=alt_last,
        alt_inner=inner,
        alt_zipf=alt_zipf,
        alt_multiword=alt_multiword,
        expressions={key: tuple(dict.fromkeys(words)) for key, words in expressions.items()},
        expression_fillers=frozenset(w for words in expressions.values() for w in words),
        expression_words=frozenset(numbers),
        expression_numbers=numbers,
        expression_keys=np.unique(np.concatenate([np.zeros(0, dtype=np.uint64), *keys_by_shape])),
        lexicon=index_lexicon(lexicon_rows, "known spinner substitution"),
    )


def multiword_keys(first: np.ndarray, second: np.ndarray, third: np.ndarray, count: int) -> np.ndarray:
    """Keys of runs of two or three words (``third`` -1 for none) from their numbers in
    ``PhraseData.multiword_words`` (``count`` of them). Like ``expression_keys``, the arithmetic wraps
    around: a key found is a hint, a key not found a sure no.
    """
    base = np.uint64(count + 1)
    third = np.where(third < 0, count, third)  # count is no word's number
    return (first.astype(np.uint64) * base + second.astype(np.uint64)) * base + third.astype(np.uint64)


def expression_keys(size: int, slot: int, others: Sequence[np.ndarray], base: int) -> np.ndarray:
    """Keys of expressions of ``size`` words with the swapped word at ``slot``, from the numbers of their
    other words (``PhraseData.expression_numbers``; ``base`` is how many there are).

    The arithmetic wraps around (uint64), so two expressions may share a key: a key found is a hint, to be
    confirmed with the words themselves, and a key not found a sure no.
    """
    key = np.full(len(others[0]), size * 8 + slot, dtype=np.uint64)
    for numbers in others:
        key = key * np.uint64(base) + numbers.astype(np.uint64)
    return key


@functools.cache
def shipped() -> tuple[PhraseData, Model | None]:
    """The shipped data and model, read once per process.

    >>> shipped()[0] is shipped()[0]
    True
    """
    data = _load_data()
    try:
        model: Model | None = Model.from_json(json.loads(_data_file("phrase_model.json")))
    except (FileNotFoundError, ValueError):
        model = None  # only before the first calibration, or after the features changed
    return data, model
