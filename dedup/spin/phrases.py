"""Phrase checks: does one document read as machine-spun, with no source at hand?

A thesaurus spinner swaps words for synonyms without reading the context, and leaves fingerprints: words
that fit their neighbours far worse than an ordinary synonym would ("forfeited" where "lost" belongs),
fixed expressions broken by a swap, and forms no writer uses. For every candidate word (or multi-word
thesaurus entry) of a document the checker **undoes the swap**: it tries each synonym the word may have
replaced, inflected like it, and asks a language model how much more likely the restored phrase is than
the observed one (a bigram model picks the best synonym; a trigram model then reads two words each side).
A few features of that comparison go into a per-word model (small boosted regression trees) whose
output is a likelihood ratio "swapped" against "written". The ratios of all the words are pooled into one
document statistic, a generalised likelihood-ratio test over the share of swapped words
(``document_statistic``), which the calibration turns into ``score`` in [0, 1] (0.5 at the threshold);
``spun = score >= threshold``. Evidence spans are the words most likely swapped, each with the wording it
probably replaced. Text that is not English (most of its words unknown to the model) is not judged.

Signals and where their data come from (``dedup/data``, built by ``scripts/build_phrase_data.py``):

- reverse substitution: synonyms from WordNet 3.0 and the MyThes thesaurus, made symmetric; a trigram
  back-off language model from the CMU Sphinx US English model (2 million bigrams, 1.6 million trigrams);
  word frequencies from ``wordfreq``;
- rare forms: a lower-case word no word list knows ("thrusted"), typical of naive re-inflection;
- broken fixed expressions: a WordNet multi-word lemma or a hand-curated idiom (``idioms_en.txt``) with
  one word swapped for a synonym;
- a curated lexicon of known spinner substitutions (``spinner_lexicon_en.csv``) and the user's own phrase
  lists (CSV ``phrase,original`` or JSON), matched word for word.

Calibration (``python -m benchmarks.phrase_bench --calibrate`` writes ``dedup/data/phrase_model.json``).
Clean text: the Lee corpus of ABC news (``benchmarks/devdata.py``, 339 articles after removing re-runs).
Spun text: the same articles run through ``benchmarks/spinner.py`` with each of its two thesauri (MyThes,
WordNet) and three synonym choices (uniform over the thesaurus' candidates, and weighted towards common
words, hard or half as hard, as readable commercial spinners choose), at rates drawn uniformly from 12-55 %.
Articles at even positions form the training split. The per-word model is fitted there: words overlapping a
swap are the positives, every candidate of the clean articles a negative. The threshold is the 99.5th
percentile of the statistic over clean training text of many lengths (each article, its first 80-600
characters, and runs of three and six articles joined), so about one clean text in 200 is flagged, short or
long. Articles at odd positions are held out for the reported figures (``benchmarks/phrase_bench.py``). The
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
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from dedup.errors import InputError
from dedup.model import Evidence, SpinResult
from dedup.text.normalize import Tokens, tokenize

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
    "gain_left",  # the left side's share of the gain (0 with no left neighbour), clipped like the gain
    "gain_right",  # the right side's share
    "gain_weaker_side",  # the smaller gain of the sides there are: a swap fits worse on both sides
    "fit_left",  # log10 P(word | left) - log10 P(word): how well the observed unit fits its left neighbour
    "fit_right",  # log10 P(right | word) - log10 P(right): how well it fits its right neighbour
    "better_share",  # share of the unit's alternatives that read more likely than the observed wording
    "gain3",  # like "gain", under the trigram model: the words around the unit, two each side, clipped
    "gain3>0",
    "gain3>2",
    "gain3>4",
    "observed_trigrams_known",  # of the trigrams through the unit's edges (0-3), how many the model lists
    "restored_trigrams_known",
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
# The (size, slot) of the fixed expressions a swapped word may break, in the order they are tried: three to
# five words, the swapped one anywhere in them.
_EXPRESSION_SHAPES = tuple((size, slot) for size in (3, 4, 5) for slot in range(size))
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
# check_many scores texts together up to this many characters: at its peak a batch takes about 170 bytes per
# character of text (some 50 MB here), and past about 256 news texts of 1 KB larger batches are no faster.
_BATCH_CHARS = 300_000
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
    keys: np.ndarray  # the listed bigrams, sorted: (previous << key_bits) | word
    probs: np.ndarray  # log10 P(word | previous) of each key
    key_bits: int
    # The keys' positions in a hash table (``_BigramTable``), for look-ups without searching ``keys``.
    table: _BigramTable
    bigram_backoff: np.ndarray  # back-off weight of each listed bigram (as history of a trigram)
    trigram_keys: np.ndarray  # the listed trigrams, sorted: (first << 2 * key_bits) | (second << key_bits) | word
    trigram_probs: np.ndarray  # log10 P(word | first second) of each
    trigram_table: _BigramTable

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
        # previous == -1 reads the last entry, the unknown word's: back-off 0 and not in the model, which is
        # just what "no previous word" needs (the unigram probability, and no bigram to look up).
        log_prob = self.backoff[previous] + self.unigram[word]
        listed = np.zeros(len(word), dtype=bool)
        # Only pairs of two words the model knows can be listed; the others need no look-up.
        searched = np.flatnonzero(self.in_model[previous] & self.in_model[word])
        if len(searched):
            at = self.table.find((previous[searched] << self.key_bits) | word[searched])
            found = np.flatnonzero(at >= 0)
            hits = searched[found]
            listed[hits] = True
            log_prob[hits] = self.probs[at[found]]
        return log_prob, listed

    def follow2(self, before: np.ndarray, previous: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 P(word | before previous) for arrays of ids, and whether the trigram is listed.

        ``before == -1`` (or ``previous == -1``) means no such word in the clause: the bigram (or unigram)
        probability is used. An unlisted trigram backs off: the history's weight plus the bigram's.

        >>> lm = _shipped()[0].lm
        >>> ids = [np.array([lm.ids[w]]) for w in ("one", "of", "the")]
        >>> bool(lm.follow2(*ids)[0][0] > lm.follow(*ids[1:])[0][0])
        True
        """
        log_prob, _ = self.follow(previous, word)
        listed = np.zeros(len(word), dtype=bool)
        # Only a history of two words the model knows has a weight, and only then can the trigram be listed.
        searched = np.flatnonzero((before >= 0) & self.in_model[before] & self.in_model[previous])
        if len(searched):
            a, b, c = before[searched], previous[searched], word[searched]
            history = self.table.find((a << self.key_bits) | b)
            log_prob[searched] += np.where(history >= 0, self.bigram_backoff[history], 0.0)
            at = self.trigram_table.find((a << (2 * self.key_bits)) | (b << self.key_bits) | c)
            found = np.flatnonzero(at >= 0)
            listed[searched[found]] = True
            log_prob[searched[found]] = self.trigram_probs[at[found]]
        return log_prob, listed


class _BigramTable:
    """Where each of a sorted array of distinct non-negative keys is: a cuckoo hash table built once.

    A key sits in one of two slots (the top bits of the key times one of two odd multipliers), packed with its
    position in the array as ``key << position_bits | position``; -1 is an empty slot. A look-up reads both
    slots of every query at once, two gathers with no loop and no search, where a binary search of the two
    million bigram keys misses the cache at almost every step. With at most half the slots used, placing the
    keys by eviction succeeds in practice; the rare key left without a slot goes to a sorted ``stash``, read
    by binary search for the keys the table misses.
    """

    MULTIPLIERS = (-0x61C8864680B583EB, -0x3D4D51C2D82B14B1)  # 0x9E3779B97F4A7C15 and 0xC2B2AE3D27D4EB4F
    MAX_ROUNDS = 1000

    def __init__(self, keys: np.ndarray, slot_bits: int | None = None) -> None:
        if slot_bits is None:
            slot_bits = max(2 * len(keys) - 1, 1).bit_length()
        self.slot_bits = slot_bits
        self.position_bits = max(len(keys) - 1, 1).bit_length()
        # Keys too wide to pack with their positions (the trigrams') are read back from ``keys`` instead.
        self.packed = not len(keys) or int(keys.max()).bit_length() + self.position_bits <= 63
        self.keys = keys
        # Built with the keys' positions (int32, half the memory to walk), packed with the keys at the end.
        positions = np.full(1 << slot_bits, -1, dtype=np.int32)
        homes = [self._home(keys, multiplier) for multiplier in self.MULTIPLIERS]
        # Each key first tries its first slot, then the ones left out their second, if free: most keys are
        # placed without moves.
        pending = np.arange(len(keys), dtype=np.int32)
        positions[homes[0]] = pending  # where keys vie for a slot, one of them gets it
        pending = pending[positions[homes[0]] != pending]
        slots = homes[1][pending]
        free = np.flatnonzero(positions[slots] < 0)
        positions[slots[free]] = pending[free]
        placed = np.zeros(len(pending), dtype=bool)
        placed[free] = positions[slots[free]] == pending[free]
        pending = pending[~placed]
        # The rest move in: each takes a slot of its own, and a key it displaces moves to its other slot.
        target = homes[0][pending]
        for _ in range(self.MAX_ROUNDS):
            if not len(pending):
                break
            occupant = positions[target]
            positions[target] = pending
            won = positions[target] == pending
            displaced = won & (occupant >= 0)
            pending = np.concatenate([pending[~won], occupant[displaced]])
            left = np.concatenate([target[~won], target[displaced]])
            target = np.where(homes[0][pending] == left, homes[1][pending], homes[0][pending])
        self.stash = np.sort(pending).astype(np.int64)  # positions in keys, so sorted like the keys
        del homes, pending, target  # before the packed table is made: a lower peak of memory
        if not self.packed:
            self.slots = positions
            return
        filled = np.flatnonzero(positions >= 0)
        at = positions[filled].astype(np.int64)
        self.slots = np.full(1 << slot_bits, -1, dtype=np.int64)
        self.slots[filled] = (keys[at] << self.position_bits) | at

    def _home(self, keys: np.ndarray, multiplier: int) -> np.ndarray:
        # Multiplicative hashing: the product wraps around in int64; its top bits, masked after the
        # arithmetic shift, are the slot.
        return ((keys * np.int64(multiplier)) >> (64 - self.slot_bits)) & ((1 << self.slot_bits) - 1)

    def find(self, queries: np.ndarray) -> np.ndarray:
        """The position in ``keys`` of each of ``queries`` (non-negative int64), -1 for those not there."""
        low = (1 << self.position_bits) - 1
        at = np.full(len(queries), -1, dtype=np.int64)
        for multiplier in self.MULTIPLIERS:
            entry = self.slots[self._home(queries, multiplier)]
            if self.packed:
                at = np.where((entry >> self.position_bits) == queries, entry & low, at)
            else:
                at = np.where((entry >= 0) & (self.keys[entry] == queries), entry, at)
        if len(self.stash):
            missed = np.flatnonzero(at < 0)
            stashed = self.keys[self.stash]
            where = np.minimum(np.searchsorted(stashed, queries[missed]), len(stashed) - 1)
            hit = stashed[where] == queries[missed]
            at[missed[hit]] = self.stash[where[hit]]
        return at


@dataclass(frozen=True, eq=False)
class PhraseData:
    """The reference tables, loaded once; see ``scripts/build_phrase_data.py`` for their making."""

    lm: LanguageModel
    # form -> (first, end) range into the flat alternative arrays below.
    forms: dict[str, tuple[int, int]]
    # first word of a multi-word form -> its longest length in words.
    multiword_first: dict[str, int]
    # Every word of a multi-word form numbered, and the sorted keys (``_multiword_keys``) of the forms of
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
    # (``_expression_keys``): a vectorised quick test for all the words of a batch at once.
    expression_numbers: dict[str, int]
    expression_keys: np.ndarray
    # first word -> ((phrase words, original, source), ...).
    lexicon: dict[str, tuple[tuple[tuple[str, ...], str, str], ...]]


@dataclass(frozen=True)
class Model:
    """The calibrated per-word model and document threshold (``phrase_model.json``).

    The per-word model is an ensemble of small regression trees over ``FEATURES`` (gradient boosting, fitted
    by ``benchmarks/phrase_bench.py``) whose summed leaves are the log-odds that a word is a swap. Each tree
    is held as a complete binary tree of ``depth`` levels: slot ``k`` sends a row left when ``row[feature[k]]
    <= split[k]``, its children are slots ``2k + 1`` and ``2k + 2``, and the ``2 ** depth`` leaves follow. A
    leaf of the fitted tree above the last level becomes a slot that sends every row left (split +inf) down to
    a leaf holding its value.
    """

    baseline: float  # log-odds before any tree
    feature: np.ndarray  # (trees, 2 ** depth - 1)
    split: np.ndarray  # (trees, 2 ** depth - 1)
    value: np.ndarray  # (trees, 2 ** depth)
    depth: int
    prior_logit: float
    threshold: float
    scale: float
    strong_log_lr: float
    provenance: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> Model:
        """Build from the parsed ``phrase_model.json``; refuses a model fitted for other features.

        The file lists each tree's nodes as fitted: ``feature`` (-1 at a leaf), ``split``, ``left``, ``right``
        (indices into the tree's nodes, root first) and ``value`` (at the leaves).
        """
        if tuple(raw["features"]) != FEATURES or "trees" not in raw:  # type: ignore[arg-type]
            raise ValueError("phrase_model.json was fitted for other features; rerun phrase_bench --calibrate")
        depth = int(raw["depth"])  # type: ignore[call-overload]
        trees: list[dict[str, list[float]]] = raw["trees"]  # type: ignore[assignment]
        inner = (1 << depth) - 1
        feature = np.zeros((len(trees), inner), dtype=np.int64)
        split = np.full((len(trees), inner), np.inf)
        value = np.zeros((len(trees), inner + 1))
        for t, tree in enumerate(trees):
            pending = [(0, 0)]  # (node of the fitted tree, slot of the complete tree)
            while pending:
                node, slot = pending.pop()
                if tree["feature"][node] < 0:
                    while slot < inner:  # down the left-most path to a leaf slot
                        slot = 2 * slot + 1
                    value[t, slot - inner] = tree["value"][node]
                    continue
                if slot >= inner:
                    raise ValueError(f"phrase_model.json: tree {t} is deeper than its stated depth {depth}")
                feature[t, slot] = int(tree["feature"][node])
                split[t, slot] = float(tree["split"][node])
                pending += [(int(tree["left"][node]), 2 * slot + 1), (int(tree["right"][node]), 2 * slot + 2)]
        return cls(
            baseline=float(raw["baseline"]),  # type: ignore[arg-type]
            feature=feature,
            split=split,
            value=value,
            depth=depth,
            prior_logit=float(raw["prior_logit"]),  # type: ignore[arg-type]
            threshold=float(raw["threshold"]),  # type: ignore[arg-type]
            scale=float(raw["scale"]),  # type: ignore[arg-type]
            strong_log_lr=float(raw["strong_log_lr"]),  # type: ignore[arg-type]
            provenance=dict(raw.get("provenance", {})),  # type: ignore[call-overload]
        )

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """The log-odds that each row of ``features`` is a swap.

        Tree by tree and level by level, every slot of the level is tested on whole feature columns (no
        per-row look-up) and each row keeps the test of the slot it is at. Only element-wise work, the
        trees added one after another: a row gets the same bits in any batch.
        """
        out = np.full(len(features), self.baseline)
        columns = np.ascontiguousarray(features.T)
        # Trees share many tests (the booster splits at the edges of a few hundred bins): each is done once.
        done: dict[tuple[int, float], np.ndarray] = {}

        def test(feature: int, split: float) -> np.ndarray:
            found = done.get((feature, split))
            if found is None:
                found = done[feature, split] = columns[feature] <= split
            return found

        for tree in range(len(self.feature)):
            feature, split = self.feature[tree].tolist(), self.split[tree].tolist()
            went_left: list[np.ndarray] = []  # per level above, whether each row went left there
            for level in range(self.depth):
                first = (1 << level) - 1
                # The tests of the level's slots in path order (left first); each row's is picked by undoing
                # the path from its last turn up.
                tests = [test(feature[slot], split[slot]) for slot in range(first, 2 * first + 1)]
                for turn in reversed(went_left):
                    tests = [tests[k] if tests[k] is tests[k + 1] else np.where(turn, tests[k], tests[k + 1])
                             for k in range(0, len(tests), 2)]
                went_left.append(tests[0])
            leaf = np.zeros(len(features), dtype=np.uint8)
            for turn in went_left:
                leaf <<= 1
                leaf |= ~turn
            out += self.value[tree][leaf]
        return out


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
        table=_BigramTable(keys),
        bigram_backoff=bigram_backoff,
        trigram_keys=trigram_keys,
        trigram_probs=trigram_probs,
        trigram_table=_BigramTable(trigram_keys),
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
    short = [form.split(" ") for form in form_list if 1 <= form.count(" ") < _MAX_UNIT_WORDS]
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
            if word not in _FUNCTION_WORDS:
                expressions.setdefault((slot, words[:slot] + words[slot + 1 :]), []).append(word)
    numbers: dict[str, int] = {}
    by_shape: dict[tuple[int, int], list[list[int]]] = {}  # (size, slot) -> the other words' numbers
    for slot, others in expressions:
        by_shape.setdefault((len(others) + 1, slot), []).append([numbers.setdefault(w, len(numbers)) for w in others])
    expression_keys = [
        _expression_keys(size, slot, list(np.array(rows, dtype=np.int64).T), len(numbers))
        for (size, slot), rows in by_shape.items()
    ]
    lexicon_rows = _read_phrase_csv(_data_file("spinner_lexicon_en.csv").decode("utf-8"), "spinner_lexicon_en.csv")
    return PhraseData(
        lm=lm,
        forms=forms,
        multiword_first=multiword_first,
        multiword_words=multiword_words,
        multiword_keys=np.unique(_multiword_keys(numbered[0], numbered[1], numbered[2], len(multiword_words))),
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
        expression_keys=np.unique(np.concatenate([np.zeros(0, dtype=np.uint64), *expression_keys])),
        lexicon=_index_lexicon(lexicon_rows, "known spinner substitution"),
    )


def _multiword_keys(first: np.ndarray, second: np.ndarray, third: np.ndarray, count: int) -> np.ndarray:
    """Keys of runs of two or three words (``third`` -1 for none) from their numbers in
    ``PhraseData.multiword_words`` (``count`` of them). Like ``_expression_keys``, the arithmetic wraps
    around: a key found is a hint, a key not found a sure no.
    """
    base = np.uint64(count + 1)
    third = np.where(third < 0, count, third)  # count is no word's number
    return (first.astype(np.uint64) * base + second.astype(np.uint64)) * base + third.astype(np.uint64)


def _expression_keys(size: int, slot: int, others: Sequence[np.ndarray], base: int) -> np.ndarray:
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
def _shipped() -> tuple[PhraseData, Model | None]:
    """The shipped data and model, read once per process."""
    data = _load_data()
    try:
        model: Model | None = Model.from_json(json.loads(_data_file("phrase_model.json")))
    except (FileNotFoundError, ValueError):
        model = None  # only before the first calibration, or after the features changed
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
class _Analysis:
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


def _break_kinds(breaks: dict[str, int]) -> np.ndarray:
    """A table over code points: each break character's kind, 0 for any other (and for the last entry,
    which every code point past the table reads)."""
    table = np.zeros(max(map(ord, breaks)) + 2, dtype=np.uint8)
    for char, kind in breaks.items():
        table[ord(char)] = kind
    return table


# 1 for a clause break, 2 for a sentence break (which ends a clause too).
_BREAK_KINDS = _break_kinds({**dict.fromkeys(_CLAUSE_BREAKS, 1), **dict.fromkeys(_SENTENCE_BREAKS, 2)})


def _read_slots(
    texts: Sequence[str], starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the characters of a batch say about each slot (see ``_Scan``): whether a clause break, and
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


def _contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in the sorted array ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[where] == keys


class _Vocabulary:
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
            self.SWAPPABLE: [a and form not in _NEVER_SWAPPED for a, form in zip(alpha, forms, strict=True)],
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
        self._longest_common: int | None = None  # length of the longest common word, found on first need
        self._vocabulary = _Vocabulary(data, self._lexicon_first)

    # -- finding candidates -------------------------------------------------------------------------------

    def _scan(self, texts: Sequence[str], tokens: Sequence[Tokens]) -> _Scan:
        """Lay the texts end to end as word slots and list their candidate units, unknown forms and lexicon
        matches (no scoring).

        What depends on a word alone comes from the checker's vocabulary (worked out once per distinct
        word); what depends on its place (clause breaks, names, multi-word forms) from arrays over all the
        slots. Only the few slots that may start a multi-word form or a lexicon phrase, or hold an unknown
        form, are visited one by one.
        """
        data = self.data
        lm = data.lm
        table = data.forms
        sizes = np.array([len(t) + 1 for t in tokens], dtype=np.int64)  # the words and the separator
        offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        total = int(offsets[-1])
        slots = np.arange(total)
        doc = np.repeat(np.arange(len(tokens)), sizes)
        separators = offsets[1:] - 1
        pairs = list(zip(texts, tokens, strict=True))
        words = list(chain.from_iterable((*t.words, "") for t in tokens))
        starts = np.fromiter(chain.from_iterable((*t.starts, len(text)) for text, t in pairs), np.int64, total)
        ends = np.fromiter(chain.from_iterable((*t.ends, len(text)) for text, t in pairs), np.int64, total)
        clause, sentence, upper, lower = _read_slots(texts, starts, ends, offsets)
        run_array = np.cumsum(clause) - 1
        run = run_array.tolist()  # for the look-ups one slot at a time

        vocabulary = self._vocabulary
        numbers = vocabulary.number(words)  # first: it may grow the facts
        facts = vocabulary.facts[numbers]
        forms = words.copy()
        for k in np.flatnonzero(facts[:, vocabulary.POSSESSIVE]).tolist():
            forms[k] = words[k][:-2]  # looked up without its "'s" ("minister's" as "minister")
        word_ids = facts[:, vocabulary.WORD_ID].copy()
        word_ids[separators] = -1
        alpha = facts[:, vocabulary.ALPHA].astype(bool)
        has_alternatives = facts[:, vocabulary.HAS_ALTERNATIVES].astype(bool)
        multiword_length = facts[:, vocabulary.MULTIWORD_LENGTH]
        # A capitalised word inside a sentence is a name; spinners leave names alone, and so do we.
        candidate = facts[:, vocabulary.SWAPPABLE].astype(bool) & ~(upper & ~sentence)

        # Lexicon phrases are matched whatever their case ("Counterfeit Consciousness" in a title); their
        # words are not candidates.
        fixed: list[tuple[int, int, str | None, str]] = []
        skip_until = 0
        for k in np.flatnonzero(facts[:, vocabulary.LEXICON]).tolist():
            hit = self._lexicon_hit(words, k, int(separators[doc[k]])) if k >= skip_until else None
            if hit is not None:
                length, original, source = hit
                fixed.append((k, k + length, original or None, source))
                candidate[k : k + length] = False
                skip_until = k + length

        # Multi-word forms ("carry out"): a slot is looked up only where it and the next word share a clause
        # and the numbers of the next one or two words make a form's key, tested for all the slots at once.
        # A word with a space in it (rare, from Unicode compatibility forms) may hold several words of a
        # form: where one follows, the slot is always looked up.
        remaining = separators[doc] - slots  # words of the text from each slot on
        multi = np.flatnonzero(
            candidate
            & (multiword_length > 0)
            & (remaining >= 2)
            & (run_array == run_array[np.minimum(slots + 1, total - 1)])
        )
        number = facts[:, vocabulary.MULTIWORD_NUMBER]
        has_third = remaining[multi] >= 3
        third_slot = np.minimum(multi + 2, total - 1)
        first, second, third = number[multi], number[multi + 1], np.where(has_third, number[third_slot], -1)
        count = len(data.multiword_words)
        two = (first >= 0) & (second >= 0)
        pair = two & _contains(data.multiword_keys, _multiword_keys(first, second, np.full_like(first, -1), count))
        triple = two & (third >= 0) & _contains(data.multiword_keys, _multiword_keys(first, second, third, count))
        spaced = facts[:, vocabulary.SPACED].astype(bool)
        multi = multi[pair | triple | spaced[multi + 1] | (has_third & spaced[third_slot])]
        found = np.zeros(total, dtype=bool)
        multi_units: list[tuple[int, int, int, int]] = []
        for k, longest, left in zip(multi.tolist(), multiword_length[multi].tolist(), remaining[multi].tolist(),
                                    strict=True):
            for length in range(min(longest, _MAX_UNIT_WORDS, left), 1, -1):
                j = k + length
                if run[j - 1] == run[k]:
                    span = table.get(" ".join(forms[k:j]))
                    if span is not None:
                        multi_units.append((k, j, *span))
                        found[k] = True
        single = np.flatnonzero(candidate & has_alternatives)
        multi_array = np.array(multi_units, dtype=np.int64).reshape(-1, 4)
        unit_start = np.concatenate([multi_array[:, 0], single])
        unit_end = np.concatenate([multi_array[:, 1], single + 1])
        order = np.lexsort((unit_start - unit_end, unit_start))  # by first slot, the longer unit first
        single_alternatives = facts[single][:, [vocabulary.ALT_FIRST, vocabulary.ALT_END]]
        unit_alternatives = np.concatenate([multi_array[:, 2:], single_alternatives])[order]

        # Lower-case words no word list knows; in OCR-level noise (many typos) none of them counts: they are
        # most likely misreadings too (two errors in one word), not a spinner's swaps.
        lower_word = alpha & lower
        lower_words = np.bincount(doc[lower_word], minlength=len(tokens)).tolist()
        known = np.bincount(doc[lower_word & lm.in_model[word_ids]], minlength=len(tokens)).tolist()
        long = facts[:, vocabulary.LONG].astype(bool)
        maybe_unknown = candidate & ~has_alternatives & ~found & (word_ids == lm.unknown) & long & lower
        typos = [0] * len(tokens)
        unknown_at: list[int] = []
        for k in np.flatnonzero(maybe_unknown).tolist():
            if self._looks_like_typo(forms[k]):
                typos[doc[k]] += 1
            else:
                unknown_at.append(k)
        noisy = [n > 0 and t / n >= _NOISY_TEXT for t, n in zip(typos, lower_words, strict=True)]
        return _Scan(
            offsets=offsets,
            doc=doc,
            starts=starts,
            ends=ends,
            forms=forms,
            word_ids=word_ids,
            clause=clause,
            run=run_array,
            expression_number=facts[:, vocabulary.EXPRESSION_NUMBER],
            unit_start=unit_start[order],
            unit_end=unit_end[order],
            unit_alternatives=unit_alternatives,
            unknown_at=np.array([k for k in unknown_at if not noisy[doc[k]]], dtype=np.int64),
            fixed=fixed,
            known_share=[k / n if n else 1.0 for k, n in zip(known, lower_words, strict=True)],
            lower_words=lower_words,
        )

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
        """The edits behind :meth:`_looks_like_typo`, bounded in the length of ``word``.

        Each edit builds a string of about ``len(word)`` letters for each of ``len(word)`` positions, so the
        work is quadratic in the word's length (one 100k-character "word" took minutes). Every edit but the
        missing space changes the length by at most one, and a missing space splits the word in two common
        words, so a word longer than twice the longest common word cannot be a near miss of one: it is
        answered at once, with the same answer the full search would give.
        """
        lm = self.data.lm
        ids, zipf = lm.ids, lm.zipf
        if self._longest_common is None:
            self._longest_common = max((len(w) for w, k in ids.items() if zipf[k] >= _TYPO_TARGET_ZIPF), default=0)
        n = len(word)
        if n > 2 * self._longest_common:
            return False

        def common(w: str) -> bool:
            k = ids.get(w)
            return k is not None and zipf[k] >= _TYPO_TARGET_ZIPF

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
        """Scan the texts as one batch, then score the units of all of them in one vectorised pass.

        The texts are laid end to end, each followed by a clause break, so no bigram spans two texts;
        batching saves the fixed cost of the array operations, which dominates for short texts.
        """
        if tokens is None:
            tokens = [tokenize(text) for text in texts]
        scan = self._scan(texts, tokens)
        features = np.zeros((0, _N_FEATURES))
        chosen_start = np.zeros(0, dtype=np.int64)
        chosen_end = np.zeros(0, dtype=np.int64)
        originals: list[str | None] = []
        reasons: list[str] = []
        alternatives = np.zeros((0, 2), dtype=np.int64)
        if len(scan.unit_start):
            chosen, features, best_alt = self._score_units(scan)
            chosen_start, chosen_end = scan.unit_start[chosen], scan.unit_end[chosen]
            alternatives = scan.unit_alternatives[chosen]
            alt_text = self.data.alt_text
            originals = list(map(alt_text.__getitem__, best_alt.tolist()))
            reasons = [_RESTORE_REASON] * len(chosen)
            single_and_better = np.flatnonzero((chosen_end - chosen_start == 1) & (features[:, _F["gain"]] > 0))
            shapes = self._expression_shapes(scan, chosen_start[single_and_better])
            # Only the few units with an expression around them are looked at one by one.
            around = np.flatnonzero(shapes.any(axis=1))
            units = single_and_better[around]
            for k, at, found in zip(units.tolist(), chosen_start[units].tolist(), shapes[around].tolist(),
                                    strict=True):
                tried = [shape for shape, hit in zip(_EXPRESSION_SHAPES, found, strict=True) if hit]
                expression = self._broken_expression(scan.forms, at, tried)
                if expression is not None:
                    features[k, _F["broken_expression"]] = 1.0
                    originals[k], reasons[k] = expression, _EXPRESSION_REASON
        return self._assemble(scan, features, chosen_start, chosen_end, originals, reasons, alternatives)

    @staticmethod
    def _assemble(
        scan: _Scan,
        features: np.ndarray,
        unit_start: np.ndarray,
        unit_end: np.ndarray,
        originals: list[str | None],
        reasons: list[str],
        alternatives: np.ndarray,
    ) -> list[_Analysis]:
        """Each text's candidates in text order: scored units, unknown forms and lexicon matches."""
        unknown, fixed = scan.unknown_at, scan.fixed
        first = np.concatenate([unit_start, unknown, np.array([i for i, *_ in fixed], dtype=np.int64)])
        last = np.concatenate([unit_end, unknown + 1, np.array([j for _, j, *_ in fixed], dtype=np.int64)]) - 1
        unknown_rows = np.zeros((len(unknown), _N_FEATURES))
        unknown_rows[:, _F["unknown_form"]] = 1.0
        rows = np.vstack([features, unknown_rows, np.zeros((len(fixed), _N_FEATURES))])
        fixed_lr = np.full(len(first), math.nan)
        fixed_lr[len(first) - len(fixed) :] = _LEXICON_LOG_LR
        originals = [*originals, *[None] * len(unknown), *(replaced for *_, replaced, _ in fixed)]
        reasons = [*reasons, *[_UNKNOWN_REASON] * len(unknown), *(source for *_, source in fixed)]
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
            _Analysis(
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

    def _analyse(self, text: str) -> _Analysis:
        return self._analyse_many([text])[0]

    def _score_units(self, scan: _Scan) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Restore every unit with each of its alternatives at once; keep the best unit per first word.

        Returns the chosen units, their feature rows and the index of each one's best alternative.
        """
        data = self.data
        lm = data.lm
        unit_start, unit_end = scan.unit_start, scan.unit_end
        ids = scan.word_ids
        breaks = scan.clause
        n = len(ids) - 1
        left = np.where(breaks[unit_start] | (unit_start == 0), -1, ids[np.maximum(unit_start - 1, 0)])
        right = np.where((unit_end >= n) | breaks[np.minimum(unit_end, n)], -1, ids[np.minimum(unit_end, n)])
        observed_first = ids[unit_start]
        observed_last = ids[unit_end - 1]

        # Every alternative of every unit, flattened.
        begins = scan.unit_alternatives[:, 0]
        counts = scan.unit_alternatives[:, 1] - begins
        owner = np.repeat(np.arange(len(unit_start)), counts)
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

        # Per first word, the unit with the largest gain (the longer one on a tie: it was listed first). The
        # units of one first word are neighbours, since the units are in order of their first word.
        group = np.flatnonzero(np.r_[True, unit_start[1:] != unit_start[:-1]])
        group_best = np.maximum.reduceat(gain, group)
        first_best_unit = np.flatnonzero(gain == np.repeat(group_best, np.diff(np.r_[group, len(gain)])))
        c = first_best_unit[np.searchsorted(first_best_unit, group)]
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
        gain_left = np.clip(alt_left[b] - observed_left[c], *_GAIN_RANGE)
        gain_right = np.where(has_right, np.clip(alt_right[b] - observed_right[c], *_GAIN_RANGE), 0.0)
        weaker = np.where(has_left & has_right, np.minimum(gain_left, gain_right),
                          np.where(has_right, gain_right, gain_left))
        fit_left = np.where(has_left, observed_left[c] - lm.unigram[observed_first[c]], 0.0)
        fit_right = np.where(has_right, observed_right[c] - lm.unigram[np.maximum(right[c], 0)], 0.0)
        better = np.add.reduceat((restored > np.repeat(observed, counts)).astype(float), segment)[c] / counts[c]
        gain3, observed3, restored3 = self._trigram_gain(scan, unit_start[c], unit_end[c], left[c], right[c],
                                                         inner[c], alt[b])
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
            gain_left,
            gain_right,
            weaker,
            fit_left,
            fit_right,
            better,
            gain3,
            *(gain3 > step for step in (0, 2, 4)),
            observed3,
            restored3,
        ]
        features = np.column_stack(columns).astype(float)
        chosen = c.tolist()
        return chosen, features, alt[b]

    def _trigram_gain(
        self, scan: _Scan, start: np.ndarray, end: np.ndarray, left: np.ndarray, right: np.ndarray,
        inner: np.ndarray, alt: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Under the trigram model, log10 likelihood ratio of each unit's words restored with ``alt`` over
        the observed ones (clipped to ``_GAIN_RANGE``), and how many of the trigrams through the unit's edges
        the model lists, observed and restored.

        The words read are the unit's first one given the two before it, the one after the unit given the
        unit's last two, and the second after given the last and the first after; inside a multi-word unit
        or alternative (``inner``, ``alt_inner``) the bigram probabilities of ``gain`` are used. Words across a
        clause break are not context (``left`` and ``right`` are -1 then, as the second neighbours are).
        """
        data = self.data
        lm = data.lm
        ids = scan.word_ids
        breaks = scan.clause
        n = len(ids) - 1
        second_left = np.where((left < 0) | (start < 2) | breaks[np.maximum(start - 1, 0)], -1,
                               ids[np.maximum(start - 2, 0)])
        second_right = np.where((right < 0) | (end + 1 > n) | breaks[np.minimum(end + 1, n)], -1,
                                ids[np.minimum(end + 1, n)])
        has_right = right >= 0
        has_second = second_right >= 0
        # The word before the unit's last one: its own second-last word, or the left neighbour for one word.
        observed_last = ids[end - 1]
        observed_penult = np.where(end - start > 1, ids[np.maximum(end - 2, 0)], left)
        alt_penult = np.where(data.alt_multiword[alt], -1, left)  # a multi-word alternative's: bigram only
        scores = []
        for first, last, penult, within in ((ids[start], observed_last, observed_penult, inner),
                                            (data.alt_first[alt], data.alt_last[alt], alt_penult, data.alt_inner[alt])):
            p_first, l_first = lm.follow2(second_left, left, first)
            p_right, l_right = lm.follow2(penult, last, right)
            p_second, l_second = lm.follow2(last, right, second_right)
            total = p_first + within + np.where(has_right, p_right, 0.0) + np.where(has_second, p_second, 0.0)
            listed = l_first.astype(float) + (l_right & has_right) + (l_second & has_second)
            scores.append((total, listed))
        (observed, observed_listed), (restored, restored_listed) = scores
        return np.clip(restored - observed, *_GAIN_RANGE), observed_listed, restored_listed

    def _lexicon_hit(self, words: Sequence[str], i: int, n: int) -> tuple[int, str, str] | None:
        for table in (self.user_lexicon, self.data.lexicon):
            for phrase, original, source in table.get(words[i], ()):
                length = len(phrase)
                if i + length <= n and tuple(words[i : i + length]) == phrase:
                    return length, original, source
        return None

    def _expression_shapes(self, scan: _Scan, at: np.ndarray) -> np.ndarray:
        """For each slot of ``at`` and each shape of ``_EXPRESSION_SHAPES``, whether the words around it make
        the rest of a fixed expression of that shape: all in one clause, all expression words, and their key
        among the expressions' (a test of all the slots at once, which may say yes wrongly, never no).
        """
        data = self.data
        # Four slots of padding each side, numbered -1 (no expression word) and with runs -1 and -2 (unlike
        # any slot's), so that every window around a slot reads inside the arrays and none past the ends is ok.
        pad = np.full(4, -1)
        numbers = np.concatenate([pad, scan.expression_number, pad])
        run = np.concatenate([pad, scan.run, pad - 1])
        at = at + len(pad)
        hits = np.zeros((len(at), len(_EXPRESSION_SHAPES)), dtype=bool)
        for column, (size, slot) in enumerate(_EXPRESSION_SHAPES):
            window = [at - slot + offset for offset in range(size)]
            ok = run[window[0]] == run[window[-1]]
            others = [numbers[k] for offset, k in enumerate(window) if offset != slot]
            for other in others:
                ok &= other >= 0
            rows = np.flatnonzero(ok)
            keys = _expression_keys(size, slot, [other[rows] for other in others], len(data.expression_numbers))
            hits[rows, column] = _contains(data.expression_keys, keys)
        return hits

    def _broken_expression(self, forms: Sequence[str], i: int, shapes: Iterable[tuple[int, int]]) -> str | None:
        """The fixed expression word ``i`` breaks, if swapping it back for a synonym restores one.

        ``shapes`` are the (size, slot) of the expressions to try, in order: those ``_expression_shapes``
        finds around word ``i`` (the others cannot be one).
        """
        data = self.data
        span = data.forms.get(forms[i])
        if span is None:
            return None
        options = [o for o in data.alt_text[span[0] : span[1]] if o in data.expression_fillers]
        if not options:
            return None
        for size, slot in shapes:
            start = i - slot
            end = start + size
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
        logits = model.log_odds(analysis.features)
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
        return self._verdicts([text], [self._analyse(text)])[0]

    def check_many(
        self, texts: Iterable[str], batch_size: int = 256, *, tokens: Sequence[Tokens] | None = None
    ) -> list[SpinResult]:
        """``check`` every text; texts are scored together, up to ``batch_size`` of them and about 300,000
        characters at a time: much faster for short texts, and bounded memory for long ones.

        The results are exactly those of ``check`` on each text. ``tokens``, when the caller already has
        them (``dedup.text.normalize.tokenize`` of each text), saves tokenising again.

        >>> len(load_checker().check_many(["One text.", "Another text."]))
        2
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        texts = list(texts)
        if tokens is not None and len(tokens) != len(texts):
            raise ValueError(f"tokens must match texts: {len(tokens)} tokens for {len(texts)} texts")
        results: list[SpinResult] = []
        start = 0
        while start < len(texts):
            end, chars = start + 1, len(texts[start])
            while end < len(texts) and end - start < batch_size and chars + len(texts[end]) <= _BATCH_CHARS:
                chars += len(texts[end])
                end += 1
            batch = texts[start:end]
            batch_tokens = tokens[start:end] if tokens is not None else None
            analyses = self._analyse_many(batch, batch_tokens)
            results += self._verdicts(batch, analyses)
            start = end
        return results

    def _verdicts(self, texts: Sequence[str], analyses: Sequence[_Analysis]) -> list[SpinResult]:
        """The verdicts of ``check`` on texts analysed together.

        Element-wise arithmetic gives each element the same bits in whatever array it is done, so it runs
        over the candidates of all the texts at once (the per-word trees too, ``Model.log_odds``); each
        text's sums (whose rounding depends on the array's layout) are still done on its own, as for the
        text alone (``_statistics``). The results are those of checking one text at a time.
        """
        model = self._model()
        judged = [k for k, analysis in enumerate(analyses) if analysis.english]
        sizes = [len(analyses[k].starts) for k in judged]
        bounds = np.zeros(len(judged) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        logits = model.log_odds(np.concatenate([np.zeros((0, _N_FEATURES)), *(analyses[k].features for k in judged)]))
        fixed = np.concatenate([np.zeros(0), *(analyses[k].fixed_log_lr for k in judged)])
        log_lrs = np.where(np.isnan(fixed), logits - model.prior_logit, fixed)
        statistics, rates = _statistics(log_lrs, bounds)
        scores = [
            1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, (statistic - model.threshold) / model.scale))))
            for statistic in statistics
        ]
        # In a text judged spun, the prior of each word is the estimated share of swapped words, so the spans
        # show where the spin is. Otherwise only findings that stand on their own are kept: lexicon phrases,
        # and restorations whose likelihood ratio reaches ``strong_log_lr`` (set on clean text so that such a
        # span is rare there). Either way the posterior is the logistic of the ratio plus an offset.
        strong = model.strong_log_lr
        by_rate = [score >= self.threshold and rate > 0 for score, rate in zip(scores, rates, strict=True)]
        offsets = [math.log(rate / (1.0 - rate)) if use else -strong for use, rate in zip(by_rate, rates, strict=True)]
        posterior = 1.0 / (1.0 + np.exp(-(log_lrs + np.repeat(offsets, sizes))))
        keep = np.where(np.repeat(by_rate, sizes), posterior >= _EVIDENCE_POSTERIOR,
                        (log_lrs >= strong) | ~np.isnan(fixed))
        kept = np.flatnonzero(keep)
        cuts = np.searchsorted(kept, bounds).tolist()
        results = [SpinResult(score=0.0, spun=False, evidence=()) for _ in analyses]
        runs = [_runs(texts[k], analyses[k], kept[cuts[j] : cuts[j + 1]] - int(bounds[j]))
                for j, k in enumerate(judged)]
        # The original wordings of merged runs, chosen jointly for all the texts at once.
        joint = iter(_restore_jointly([(texts[k], analyses[k], run) for k, text_runs in zip(judged, runs, strict=True)
                                       for run in text_runs if _restorable(analyses[k], run)], self.data))
        for j, k in enumerate(judged):
            lo, hi = int(bounds[j]), int(bounds[j + 1])
            evidence = _evidence(texts[k], analyses[k], runs[j], posterior[lo:hi], joint)
            spun = scores[j] >= self.threshold
            # A verdict must be shown, not only computed: weak signals summed over a very long (or repeated)
            # text can pass the threshold with no phrase strong enough to point at; such a text is not flagged.
            results[k] = SpinResult(score=round(scores[j], 6), spun=spun and bool(evidence), evidence=evidence)
        return results


def _runs(text: str, analysis: _Analysis, kept: np.ndarray) -> list[list[int]]:
    """The candidates ``kept`` (in text order) in runs of neighbours: spans that overlap or that only spaces
    part read as one phrase ("subsidised through" for "backed by")."""
    runs: list[list[int]] = []
    for k in kept.tolist():
        if runs:
            end, start = int(analysis.ends[runs[-1][-1]]), int(analysis.starts[k])
            if start <= end + 1 and text[end:start].strip() == "":
                runs[-1].append(k)
                continue
        runs.append([k])
    return runs


def _apart(analysis: _Analysis, run: list[int]) -> bool:
    """Whether no candidate of a run overlaps the next."""
    return all(analysis.starts[b] >= analysis.ends[a] for a, b in itertools.pairwise(run))


def _restorable(analysis: _Analysis, run: list[int]) -> bool:
    """Whether a run's original is chosen jointly: two or more restored words, none overlapping the next."""
    return len(run) > 1 and all(analysis.reasons[k] == _RESTORE_REASON for k in run) and _apart(analysis, run)


def _evidence(text: str, analysis: _Analysis, runs: list[list[int]], posterior: np.ndarray,
              joint: Iterator[str | None]) -> tuple[Evidence, ...]:
    """One span per run of candidates, weighted by the run's highest ``posterior`` of being a swap.

    Each word's likely original was chosen against its neighbours as they stand, swapped too, so a run's
    original is chosen again, jointly: ``joint`` yields, in order, the choice for each run ``_restorable``
    accepts (None when the words as they stand read best; then the words' own originals are joined).
    """
    chosen: list[Evidence] = []
    for run in runs:
        start, end = int(analysis.starts[run[0]]), max(int(analysis.ends[k]) for k in run)
        originals = [analysis.originals[k] for k in run]
        joined = " ".join(o for o in originals if o is not None)
        # Overlapping candidates, or one with no original to name: the first candidate's original.
        original = joined if _apart(analysis, run) and None not in originals else originals[0]
        if _restorable(analysis, run):
            original = next(joint) or joined
        chosen.append(Evidence(start, end, text[start:end], original, analysis.reasons[run[0]],
                               round(float(max(posterior[k] for k in run)), 4)))
    return tuple(chosen)


# The word just before a span, and just after it, with nothing but spaces between.
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'\u2019-]*)\s+$")
_WORD_AFTER = re.compile(r"\s+([^\W\d_][\w'\u2019-]*)")


def _restore_jointly(runs: Sequence[tuple[str, _Analysis, list[int]]], data: PhraseData) -> list[str | None]:
    """The likeliest wording of each run of adjacent restored words: each word as it stands or one of the
    synonyms it may have replaced, chosen together under the bigram model (a Viterbi pass over the run),
    with the words either side of the run as context when only spaces part them from it. None for a run
    whose likeliest reading is the text as it stands. The bigrams of all the runs are looked up at once.
    """
    lm = data.lm
    ids, unknown = lm.ids, lm.unknown
    previous: list[int] = []
    following: list[int] = []
    # Per run: for each word, its readings' first and last word ids (as it stands first, then its
    # alternatives) and its alternatives' range; whether it has a right context.
    plans = []
    for text, analysis, run in runs:
        start = int(analysis.starts[run[0]])
        before = _WORD_BEFORE.search(text, max(0, start - 64), start)  # a window: the pattern ends at the span
        after = _WORD_AFTER.match(text, int(analysis.ends[run[-1]]))
        spans = [analysis.alternatives[k].tolist() for k in run]
        observed = [[ids.get(w, unknown) for w in text[int(analysis.starts[k]) : int(analysis.ends[k])].lower().split()]
                    for k in run]
        firsts = [seen[:1] + data.alt_first[a:b].tolist() for seen, (a, b) in zip(observed, spans, strict=True)]
        lasts = [seen[-1:] + data.alt_last[a:b].tolist() for seen, (a, b) in zip(observed, spans, strict=True)]
        # The bigrams, in the order the pass reads them: inside the words as they stand, from the left context
        # into the first word's readings, between neighbours' readings, into the right context.
        for seen in observed:
            previous += seen[:-1]
            following += seen[1:]
        left = ids.get(before.group(1).lower(), unknown) if before else -1
        previous += [left] * len(firsts[0])
        following += firsts[0]
        for position in range(1, len(run)):
            for last in lasts[position - 1]:
                previous += [last] * len(firsts[position])
                following += firsts[position]
        if after:
            previous += lasts[-1]
            following += [ids.get(after.group(1).lower(), unknown)] * len(lasts[-1])
        plans.append((text, analysis, run, spans, observed, firsts, bool(after)))
    if not plans:
        return []
    log_prob = iter(lm.follow(np.array(previous, dtype=np.int64), np.array(following, dtype=np.int64))[0].tolist())
    restored: list[str | None] = []
    for text, analysis, run, spans, observed, firsts, has_right in plans:
        inners = [[sum(next(log_prob) for _ in seen[1:]), *data.alt_inner[a:b].tolist()]
                  for seen, (a, b) in zip(observed, spans, strict=True)]
        # score[o]: the best log-probability of the run so far, ending with reading o of the current word.
        score = [next(log_prob) + inner for inner in inners[0]]
        back: list[list[int]] = []
        for position in range(1, len(run)):
            steps = [[next(log_prob) for _ in firsts[position]] for _ in score]
            totals = [[score[p] + steps[p][o] for p in range(len(score))] for o in range(len(firsts[position]))]
            pointers = [max(range(len(row)), key=row.__getitem__) for row in totals]
            score = [row[p] + inner for row, p, inner in zip(totals, pointers, inners[position], strict=True)]
            back.append(pointers)
        if has_right:
            score = [value + next(log_prob) for value in score]
        path = [max(range(len(score)), key=score.__getitem__)]
        for pointers in reversed(back):
            path.append(pointers[path[-1]])
        path.reverse()
        if not any(path):  # every word as it stands: the context does not name an original
            restored.append(None)
            continue
        restored.append(" ".join(text[int(analysis.starts[k]) : int(analysis.ends[k])] if choice == 0
                                 else data.alt_text[spans[position][0] + choice - 1]
                                 for position, (k, choice) in enumerate(zip(run, path, strict=True))))
    return restored


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
    statistics, rates = _statistics(log_lrs, np.array([0, len(log_lrs)]))
    return statistics[0], rates[0]


def _statistics(log_lrs: np.ndarray, bounds: np.ndarray) -> tuple[list[float], list[float]]:
    """``document_statistic`` of each run ``log_lrs[bounds[j] : bounds[j + 1]]``: (0.0, 0.0) for an empty one.

    The statistic sums, for each rate, ``log1p(rate * (ratio - 1))`` over the run's words. The terms of all
    the runs are computed at once, but each run is summed on its own, and as a (rates, words) array of its
    own: numpy sums an array pairwise along its inner axis, so the rounding of a sum depends on how the
    terms are laid out, and this layout is the one a single run has always been summed in.
    """
    rates = len(_RATES)
    sizes = np.diff(bounds)
    ratios = np.exp(np.minimum(log_lrs, 30.0))
    # Run j's block of terms, rates * sizes[j] long, starts at rates * bounds[j]; in it, term i is for rate
    # i // sizes[j] and word i % sizes[j].
    width = np.repeat(sizes, rates * sizes)
    rate, word = np.divmod(np.arange(rates * len(log_lrs)) - np.repeat(rates * bounds[:-1], rates * sizes), width)
    terms = np.log1p(_RATES[rate] * (ratios[word + np.repeat(bounds[:-1], rates * sizes)] - 1.0))
    statistics, best_rates = [], []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if hi == lo:
            statistics.append(0.0)
            best_rates.append(0.0)
            continue
        totals = terms[rates * lo : rates * hi].reshape(rates, hi - lo).sum(axis=1)
        best = int(np.argmax(totals))
        statistics.append(float(totals[best]))
        best_rates.append(float(_RATES[best]))
    return statistics, best_rates


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
