"""Stage 1, analyse a batch: everything a scan needs of each document, computed in a worker.

Per document: the exact-copy key, the keys of its lines (for boilerplate statistics), its word and character
shingle sets and sentence keys (verification), its anchors (the spun-copy channel), MinHash signatures of
its character sample and anchors, repeated passages, and the phrase checks' verdict. A batch's results travel
back as a few packed arrays (``Ragged``) rather than an object per document.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np

from dedup import kernels
from dedup.config import ScanConfig, SpinConfig
from dedup.model import Repeat, SpinResult
from dedup.sketch.features import MASK32, Features, batch_features, content_text, feature_arrays, sorted_distinct
from dedup.sketch.minhash import Permutations, signatures
from dedup.sketch.shingle import WordHasher
from dedup.spin import PhraseChecker, load_checker
from dedup.text.batch import TextBatch
from dedup.text.normalize import Tokens, tokenize
from dedup.text.sentences import SENTENCE_BREAK_MARKS
from dedup.text.words import SKELETON_WORDS
from dedup.timing import flush, timed
from dedup.verify.anchors import GENERIC_WORDS, anchor_features
from dedup.verify.repeats import find_repeats

__all__ = [
    "BATCH", "Batch", "BatchResult", "PairAnalysis", "Ragged", "analyse_batch", "analyse_pair", "anchor_signatures",
    "check_phrases", "pair_anchors", "phrase_checker", "reference_anchor_sets", "text_anchors",
]

# Documents analysed together: large enough that numpy, not Python, does the shingling; small enough that the
# batches share out evenly between workers (measured: 500 beat 2,000 by a quarter on the full scan of 10,000).
BATCH = 500


@dataclass(frozen=True, slots=True)
class Batch:
    start: int
    texts: list[str]
    boilerplate: list[list[tuple[int, int]]] | None
    config: ScanConfig
    # Only what verifying a pair and the character channel read: no anchors (nor their signatures), repeats
    # or phrase checks. A scan against an archive analyses its archived candidates so (a third of the cost)
    # and takes the anchors of the few that need them apart (``anchor_signatures``, ``text_anchors``).
    lean: bool = False


@dataclass(frozen=True, slots=True)
class Ragged:
    """Many arrays as one: their values end to end and where each starts (one more offset than arrays).

    A batch's results travel between processes in a few of these rather than as an object per document,
    which is what made sending them back cost as much as computing them.
    """

    values: np.ndarray
    offsets: list[int]  # a list: slicing with Python integers is several times faster than with numpy's

    @classmethod
    def of(cls, arrays: Sequence[np.ndarray], dtype: type) -> Ragged:
        values: np.ndarray = np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype)
        return cls(values, list(itertools.accumulate((len(a) for a in arrays), initial=0)))

    def __getitem__(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a worker returns for one batch: per document, in batch order."""

    start: int
    exact_keys: list[bytes]  # empty for a text with no words
    line_keys: Ragged  # distinct keys of each document's non-blank lines
    words: Ragged
    chars: Ragged
    sentences: Ragged
    anchors: Ragged
    passage_keys: Ragged
    lengths: np.ndarray
    repeats: dict[int, tuple[Repeat, ...]]  # only the documents that repeat a passage
    spins: list[SpinResult | None]
    char_sigs: np.ndarray
    anchor_sigs: np.ndarray

    def features(self, k: int) -> Features:
        """The verification features of the batch's ``k``-th document."""
        return Features(self.words[k], self.chars[k], self.sentences[k], int(self.lengths[k]),
                        anchors=self.anchors[k], passage_keys=self.passage_keys[k])


_HASHER = WordHasher()
_PERMUTATIONS: dict[tuple[int, int], Permutations] = {}
_CHECKERS: dict[SpinConfig, PhraseChecker] = {}


def phrase_checker(config: SpinConfig) -> PhraseChecker:
    """The phrase checker for ``config``, loaded once per process (its data takes a moment to load)."""
    if config not in _CHECKERS:
        _CHECKERS[config] = load_checker(config.phrase_lists, threshold=config.threshold)
    return _CHECKERS[config]


def analyse_batch(batch: Batch) -> BatchResult:
    """Everything a scan needs of one batch of documents (runs in a worker process).

    ``batch.boilerplate`` gives spans to leave out, or None on the first pass, when no line of the corpus is
    known to be boilerplate yet (exact keys, line keys and phrase checks are taken on that pass only).
    """
    hasher, config = _HASHER, batch.config
    perms = _permutations(config)
    first_pass = batch.boilerplate is None
    spans = batch.boilerplate or [[] for _ in batch.texts]
    contents = [content_text(t, s) for t, s in zip(batch.texts, spans, strict=True)]
    # On the first pass the contents are the texts: one reading of the batch serves both.
    read = TextBatch(contents)
    found = feature_arrays(read, config, perms)
    count = len(contents)
    # Anchors and phrase checks both want each text's tokens with offsets: tokenise once for both.
    # (The anchor kernel reads ASCII texts without them: then only the phrase checks need them here.)
    anchors_need_tokens = config.spun_pairs and kernels.core is None
    needs_tokens = (anchors_need_tokens or (config.spin.enabled and first_pass)) and not batch.lean
    tokens = [tokenize(c) for c in contents] if needs_tokens else None
    # Phrase checks read the text as given (boilerplate included), once: not again when boilerplate is redone.
    spins: list[SpinResult | None] = [None] * count
    if config.spin.enabled and first_pass and not batch.lean:
        with timed("analyse: phrase checks"):
            spins = list(phrase_checker(config.spin).check_many(batch.texts, tokens=tokens))
    exact_keys: list[bytes] = [b""] * count
    line_keys = Ragged.of([np.empty(0, dtype=np.int64)] * count, np.int64)
    if first_pass:
        exact_keys = _exact_keys(read)
        # Each line counts once per document.
        line_keys = Ragged(*read.line_key_sets())
    # The batch pass only flags possible repeats; the exact spans come from the slower per-document pass.
    repeats: dict[int, tuple[Repeat, ...]] = {}
    for k, may_repeat in enumerate(found.may_repeat.tolist()):
        if (may_repeat or spans[k]) and not batch.lean:
            text_tokens = tokens[k] if tokens is not None and not spans[k] else tokenize(batch.texts[k])
            if reps := find_repeats(text_tokens, hasher):
                repeats[k] = reps
    anchors = [np.empty(0, dtype=np.uint32)] * count
    if config.spun_pairs and not batch.lean:
        anchors = _anchor_sets(contents, tokens)
    flush()  # this process's stage timings, when the speed benchmark asks for them (dedup.timing)
    return BatchResult(
        start=batch.start,
        exact_keys=exact_keys,
        line_keys=line_keys,
        words=Ragged(found.words, found.word_offsets.tolist()),
        chars=Ragged(found.chars, found.char_offsets.tolist()),
        sentences=Ragged(found.sentences, found.sentence_offsets.tolist()),
        anchors=Ragged.of(anchors, np.uint32),
        passage_keys=Ragged(found.passage_keys, found.passage_offsets.tolist()),
        lengths=found.lengths,
        repeats=repeats,
        spins=spins,
        char_sigs=found.char_sigs,
        anchor_sigs=(signatures(anchors, perms) if config.spun_pairs and not batch.lean
                     else np.empty((0, perms.num_perm), np.uint32)),
    )


def _permutations(config: ScanConfig) -> Permutations:
    if (config.num_perm, config.seed) not in _PERMUTATIONS:
        _PERMUTATIONS[config.num_perm, config.seed] = Permutations(config.num_perm, config.seed)
    return _PERMUTATIONS[config.num_perm, config.seed]


def anchor_signatures(batch: Batch) -> tuple[Ragged, np.ndarray]:
    """Each text's anchors and their signatures, exactly as ``analyse_batch`` takes them, and nothing else
    (for the documents a ``lean`` batch left them out of, where the spun-copy channel needs them)."""
    spans = batch.boilerplate or [[] for _ in batch.texts]
    contents = [content_text(t, s) for t, s in zip(batch.texts, spans, strict=True)]
    anchors = _anchor_sets(contents)
    return Ragged.of(anchors, np.uint32), signatures(anchors, _permutations(batch.config))


def text_anchors(content: str) -> np.ndarray:
    """One text's anchors as ``analyse_batch`` takes them (``content``: the text after its boilerplate).

    >>> text_anchors("Mr Smith said 12 men left.").dtype
    dtype('uint32')
    """
    return _anchor_sets([content])[0]


def _exact_keys(read: TextBatch) -> list[bytes]:
    """Each text's exact-copy key: a digest of its normalised form (empty for a text with no words)."""
    return [blake2b(n, digest_size=16).digest() if n else b"" for n in read.normalized()]


def _anchor_sets(contents: Sequence[str], tokens: Sequence[Tokens] | None = None) -> list[np.ndarray]:
    """Each text's anchors (``dedup.verify.anchors``), hashed: sorted distinct uint32 arrays (``tokens``: the
    texts' ``tokenize``, taken here where needed when None).

    The compiled kernel takes the ASCII texts (nearly all), the reference the others: the same arrays."""
    if kernels.core is None or not contents:  # (no texts: the reference's one empty array, kept as it was)
        return reference_anchor_sets(contents, tokens or [tokenize(c) for c in contents])
    is_ascii = [c.isascii() for c in contents]
    ascii_at = [k for k, a in enumerate(is_ascii) if a]
    found: list[np.ndarray] = [np.empty(0, dtype=np.uint32)] * len(contents)
    if ascii_at:
        data = "".join(contents[k] for k in ascii_at).encode("ascii")
        ends = np.cumsum([len(contents[k]) for k in ascii_at], dtype=np.int64)
        values, offsets = kernels.call(kernels.core.ascii_anchors, np.frombuffer(data, dtype=np.uint8), ends,
                                       *_ANCHOR_WORDS, kernels.threads())
        cuts = offsets.tolist()
        for n, k in enumerate(ascii_at):
            found[k] = values[cuts[n] : cuts[n + 1]]
    others = [k for k, a in enumerate(is_ascii) if not a]
    if others:
        rest = reference_anchor_sets([contents[k] for k in others],
                                     [tokens[k] if tokens is not None else tokenize(contents[k]) for k in others])
        for k, anchors in zip(others, rest, strict=True):
            found[k] = anchors
    return found


# What the anchor kernel reads besides the texts, from the Python modules that define them: the skeleton words
# and the generic ones (each joined by newlines) and the ASCII marks before a capital that open a sentence
# (``break_before`` with ``closing_quotes=False``: the closing curly quote is not ASCII anyway).
_ANCHOR_WORDS = (
    "\n".join(sorted(SKELETON_WORDS)).encode("ascii"),
    "\n".join(sorted(GENERIC_WORDS)).encode("ascii"),
    "".join(sorted(m for m in SENTENCE_BREAK_MARKS if m.isascii())).encode("ascii"),
)


def reference_anchor_sets(contents: Sequence[str], tokens: Sequence[Tokens]) -> list[np.ndarray]:
    """``_anchor_sets`` in Python: the anchor kernel's reference."""
    found = [anchor_features(c, t) for c, t in zip(contents, tokens, strict=True)]
    # One call hashes the whole batch's anchors: per call, hashing has a fixed cost larger than per word.
    hashed = _HASHER.hash_words([a for doc in found for a in doc]) & MASK32
    cuts = np.cumsum([len(doc) for doc in found])[:-1]
    return [sorted_distinct(part).astype(np.uint32) for part in np.split(hashed, cuts)]


@dataclass(frozen=True, slots=True)
class PairAnalysis:
    """What verifying one pair needs of its two texts: their exact keys and features."""

    exact_keys: tuple[bytes, bytes]
    features: tuple[Features, Features]


def analyse_pair(a: str, b: str, config: ScanConfig) -> PairAnalysis:
    """The exact keys and verification features of two texts, equal to those a scan's first pass takes
    (``BatchResult.features``), without the rest of a batch's analysis (signatures, repeats, phrase checks)
    and without anchors, which a pair needs only now and then (``pair_anchors``)."""
    read = TextBatch([a, b])
    # As the packed arrays of a batch hold them (uint32), so that figures come out the same.
    feats = [Features(f.words.astype(np.uint32), f.chars.astype(np.uint32), f.sentences.astype(np.uint32),
                      int(f.length), passage_keys=f.passage_keys.astype(np.uint32))
             for f in batch_features(read, config)]
    key_a, key_b = _exact_keys(read)
    return PairAnalysis((key_a, key_b), (feats[0], feats[1]))


def pair_anchors(a: str, b: str, tokens: tuple[Tokens, Tokens] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The anchor sets of two texts, as the analyse stage takes them (``tokens``: their ``tokenize``)."""
    found = _anchor_sets([a, b], tokens)
    return found[0], found[1]


def check_phrases(job: tuple[list[str], SpinConfig]) -> list[SpinResult]:
    """The phrase checks alone, on a batch of texts (``dedup spin``)."""
    texts, spin_config = job
    return phrase_checker(spin_config).check_many(texts)
