"""Per-document features for verification, computed for a whole batch of documents at once.

For each document: its word n-gram set (the reported figures), a fixed sample of its character n-grams (the
LSH channel and the OCR-robust figures), the hashes of its sentences (the shared-sentence channel), its
passage keys (the passage channel), its length in words, and whether it may repeat a passage. The batch's
tokens come from ``dedup.text.batch`` (array operations over the bytes of the batch, with no Python call per
word for ASCII text); every n-gram of the batch is then formed, hashed, sampled and made distinct by a handful
of numpy operations over the whole batch. The results equal those of the per-document functions in
``dedup.sketch.shingle`` (tested so).

Where the compiled kernels are built (``dedup.kernels``), ``feature_arrays`` takes all of it, and the MinHash
signatures of the character sets, in one call per batch: the kernel tokenises each ASCII text itself and
forms, sorts and makes distinct each document's n-grams while they are in cache, documents shared out between
threads with the GIL released, and returns flat arrays (``FeatureArrays``) rather than an array per document.
``reference_batch_features`` is the numpy form, which tests hold it equal to.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dedup import kernels
from dedup.config import ScanConfig
from dedup.sketch.minhash import Permutations, signatures
from dedup.sketch.shingle import char_shingles, in_sample, ngram_hashes, sampled_char_shingles, sorted_distinct
from dedup.text.batch import MARK_HASH, TOKEN_TABLES, TextBatch, TokenArrays
from dedup.text.hashing import WordHasher, mix64, span_sums, window_sums
from dedup.text.words import ALIGNMENT_FUNCTION_WORDS

__all__ = [
    "MASK32", "FeatureArrays", "Features", "batch_features", "content_text", "feature_arrays",
    "reference_batch_features", "sorted_distinct",
]

MASK32 = np.uint64(0xFFFFFFFF)
# Words in a row that make a passage worth reporting as repeated (see ``dedup.verify.repeats``).
REPEAT_WORDS = 8
# Content words in a row that make one passage key (``_passage_sets``). Two, not three: a word swapped,
# dropped or put in breaks two keys, not three. On the fit half of the PAN 2013 training corpus, of the
# randomly obfuscated pairs in which compare finds a passage, 58% share 8 three-word keys held by at most 10
# documents and 90% share 8 two-word ones (translated: 66% -> 87%), for 12% more Reuters-21578 pairs
# (4,452 against 3,967; see dedup.stages.candidates).
PASSAGE_KEY_WORDS = 2


@dataclass(frozen=True, slots=True)
class Features:
    """What verification needs of one document: sorted distinct hash arrays and its length in words."""

    words: np.ndarray
    chars: np.ndarray
    sentences: np.ndarray
    length: int
    may_repeat: bool = False
    anchors: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))
    passage_keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))


def content_text(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the character ``spans`` (boilerplate lines), lines kept apart.

    >>> content_text("Advertisement\\nThe story.", [(0, 13)])
    '\\nThe story.'
    """
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _grams(
    hashes: np.ndarray, doc: np.ndarray, n: int, sample: int = 1, *, mix: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every run of ``n`` values inside one document (only those ``in_sample`` when ``sample`` > 1),
    and that document's index. ``mix=False`` skips the final mixing, for a quick test of equality only."""
    width = len(hashes) - n + 1
    if width <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    acc = window_sums(hashes, n)  # as ngram_sums has it for each document's own windows
    keep = doc[:width] == doc[n - 1 :]
    if sample > 1:
        keep &= in_sample(acc, sample)
    kept = acc[keep]
    return (mix64(kept) if mix else kept) & MASK32, doc[:width][keep]


def _split_distinct(values: np.ndarray, doc: np.ndarray, count: int) -> list[np.ndarray]:
    """Per-document sorted distinct values (uint32), from values tagged with their document index."""
    keys = sorted_distinct((doc.astype(np.uint64) << np.uint64(32)) | values)
    cuts = np.searchsorted(keys >> np.uint64(32), np.arange(count + 1, dtype=np.uint64))
    low = (keys & MASK32).astype(np.uint32)
    return [low[cuts[i] : cuts[i + 1]] for i in range(count)]


@dataclass(frozen=True, slots=True)
class FeatureArrays:
    """The features of a batch of texts as flat arrays: document ``i``'s word set is
    ``words[word_offsets[i]:word_offsets[i + 1]]`` (uint32, sorted, distinct), and so on for the others.

    ``char_sigs`` holds the MinHash signatures of the character sets, one row per text (no rows when no
    permutations were asked for).
    """

    words: np.ndarray
    word_offsets: np.ndarray  # int64, one more than texts
    chars: np.ndarray
    char_offsets: np.ndarray
    sentences: np.ndarray
    sentence_offsets: np.ndarray
    passage_keys: np.ndarray
    passage_offsets: np.ndarray
    lengths: np.ndarray  # int64, words per text
    may_repeat: np.ndarray  # bool
    char_sigs: np.ndarray  # (texts, num_perm) uint32

    @classmethod
    def of(cls, found: Sequence[Features], perms: Permutations | None) -> FeatureArrays:
        """The arrays of per-text ``Features`` (and the signatures of their character sets)."""
        def packed(sets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            values = np.concatenate(sets).astype(np.uint32, copy=False) if sets else np.empty(0, np.uint32)
            return values, np.concatenate(([0], np.cumsum([len(x) for x in sets], dtype=np.int64)))

        chars = [f.chars for f in found]
        sigs = signatures(chars, perms) if perms is not None else np.empty((0, 0), dtype=np.uint32)
        return cls(*packed([f.words for f in found]), *packed(chars), *packed([f.sentences for f in found]),
                   *packed([f.passage_keys for f in found]), np.array([f.length for f in found], dtype=np.int64),
                   np.array([f.may_repeat for f in found], dtype=bool), sigs)

    def features(self) -> list[Features]:
        """Per text, as ``batch_features`` gives them."""
        w, c, s, p = (o.tolist() for o in (self.word_offsets, self.char_offsets, self.sentence_offsets,
                                            self.passage_offsets))
        return [
            Features(self.words[w[i] : w[i + 1]], self.chars[c[i] : c[i + 1]], self.sentences[s[i] : s[i + 1]],
                     length, repeat, passage_keys=self.passage_keys[p[i] : p[i + 1]])
            for i, (length, repeat) in enumerate(zip(self.lengths.tolist(), self.may_repeat.tolist(), strict=True))
        ]


def feature_arrays(
    texts: Sequence[str] | TextBatch, config: ScanConfig, perms: Permutations | None = None
) -> FeatureArrays:
    """The features of each text as flat arrays, and the signatures of their character sets under ``perms``.

    >>> f = feature_arrays(["One two three four. Five six seven eight.", ""], ScanConfig(), Permutations(16, 1))
    >>> f.lengths.tolist(), f.word_offsets.tolist(), f.char_sigs.shape
    ([8, 0], [0, 6, 6], (2, 16))
    """
    batch = texts if isinstance(texts, TextBatch) else TextBatch(texts)
    if kernels.core is None or config.shingle != "word":  # character shingles: the numpy path only
        return FeatureArrays.of(reference_batch_features(batch, config), perms)
    sizes = (config.ngram, config.char_ngram, config.char_sample, config.sentence_min_words, PASSAGE_KEY_WORDS,
             REPEAT_WORDS)
    a, b = (perms.a, perms.b) if perms is not None else (np.empty(0, np.uint32), np.empty(0, np.uint32))
    # The ASCII texts (as read or once folded) as bytes, which the kernel tokenises itself; the others' tokens.
    ascii_batch, others = batch.ascii, batch.other_tokens()
    raw = np.frombuffer(ascii_batch.raw, dtype=np.uint8) if ascii_batch else np.empty(0, np.uint8)
    data = ascii_batch.data if ascii_batch else np.empty(0, np.uint8)
    text_end = np.ascontiguousarray(ascii_batch.text_end if ascii_batch else np.empty(0), dtype=np.int64)
    found = kernels.call(
        kernels.core.batch_features, raw, data, text_end, np.array(batch.ascii_at, dtype=np.int64),
        (others.hashes, others.doc, others.is_mark, others.codes, others.code_doc), len(batch.texts),
        TOKEN_TABLES, MARK_HASH, sizes, _function_hashes(), a, b, kernels.threads(),
    )
    (words, word_offsets), (chars, char_offsets), (sentences, sentence_offsets), (passages, passage_offsets) = found[:4]
    return FeatureArrays(words, word_offsets, chars, char_offsets, sentences, sentence_offsets, passages,
                         passage_offsets, *found[4:])


def batch_features(texts: Sequence[str] | TextBatch, config: ScanConfig) -> list[Features]:
    """The features of each text (boilerplate already taken out: see ``content_text``).

    >>> f = batch_features(["One two three four. Five six seven eight."], ScanConfig())[0]
    >>> f.length, len(f.words), len(f.sentences)
    (8, 6, 0)
    """
    if kernels.core is None or config.shingle != "word":
        return reference_batch_features(texts, config)
    return feature_arrays(texts, config).features()


def reference_batch_features(texts: Sequence[str] | TextBatch, config: ScanConfig) -> list[Features]:
    """``batch_features`` in numpy over the whole batch: the compiled kernel's reference."""
    batch = texts if isinstance(texts, TextBatch) else TextBatch(texts)
    count = len(batch.texts)
    if count == 0:
        return []
    tokens = batch.tokens()
    is_mark = tokens.is_mark
    word_hashes, doc_of_word = tokens.hashes[~is_mark], tokens.doc[~is_mark]
    lengths = np.bincount(doc_of_word, minlength=count).astype(np.int64)
    # Sentence of each word: marks before it in the batch; words of one sentence are consecutive.
    sentence_of_word = np.cumsum(is_mark)[~is_mark]
    # Each text's words joined by single spaces, as codes: a text's codes end with a 0 when it has words.
    joined_sizes = np.bincount(tokens.code_doc, minlength=count) - (lengths > 0)

    # Word n-grams. A document shorter than n words gets one shingle of all its words, as word_shingles does.
    n = config.ngram
    if config.shingle == "word":
        grams, grams_doc = _grams(word_hashes, doc_of_word, n)
        word_sets = _split_distinct(grams, grams_doc, count)
        for i in np.flatnonzero((lengths > 0) & (lengths < n)).tolist():
            word_sets[i] = sorted_distinct(ngram_hashes(word_hashes[doc_of_word == i], n)).astype(np.uint32)
    else:
        word_sets = [char_shingles(_joined(tokens, i), n).astype(np.uint32) for i in range(count)]

    # Character n-grams of the words joined by single spaces, all documents in one buffer.
    char_sets = _char_sets(tokens, joined_sizes, config.char_ngram, config.char_sample)

    # Sentence hashes: the n-gram hash of a whole sentence, for sentences long enough to mean something.
    if len(sentence_of_word):
        starts = np.flatnonzero(np.concatenate(([True], sentence_of_word[1:] != sentence_of_word[:-1])))
        sentence_lengths = np.diff(np.append(starts, len(sentence_of_word)))
        doc_of_sentence = doc_of_word[starts]
    else:
        sentence_lengths = doc_of_sentence = np.empty(0, dtype=np.int64)
    sentence_sets = _sentence_sets(word_hashes, sentence_lengths, doc_of_sentence, count, config.sentence_min_words)

    passage_sets = _passage_sets(word_hashes, doc_of_word, count)

    # Repeated passages are rare: flag the documents that hold a repeated window; dedup.verify.repeats finds the spans.
    # (A chance collision only sends a document to that exact pass, so the window sums need no mixing.)
    windows, windows_doc = _grams(word_hashes, doc_of_word, REPEAT_WORDS, mix=False)
    keyed = np.sort((windows_doc.astype(np.uint64) << np.uint64(32)) | windows)
    repeated = keyed[1:][keyed[1:] == keyed[:-1]]
    repeating = set((repeated >> np.uint64(32)).astype(np.int64).tolist())

    return [
        Features(word_sets[i], char_sets[i], sentence_sets[i], int(lengths[i]), i in repeating,
                 passage_keys=passage_sets[i])
        for i in range(count)
    ]


@functools.cache
def _function_hashes() -> np.ndarray:
    return np.sort(WordHasher().hash_words(sorted(ALIGNMENT_FUNCTION_WORDS)))


def _passage_sets(word_hashes: np.ndarray, doc_of_word: np.ndarray, count: int) -> list[np.ndarray]:
    """Each document's passage keys: every run of ``PASSAGE_KEY_WORDS`` consecutive content words, hashed
    whatever their order (a sum of mixed word hashes), so that a passage reworded at random (words shuffled,
    a word dropped or swapped here and there) keeps many of them."""
    function = _function_hashes()
    slots = np.minimum(np.searchsorted(function, word_hashes), len(function) - 1)
    content = function[slots] != word_hashes
    hashes, doc = mix64(word_hashes[content]), doc_of_word[content]
    n = PASSAGE_KEY_WORDS
    if len(hashes) < n:
        return [np.empty(0, dtype=np.uint32) for _ in range(count)]
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(hashes) + 1, dtype=np.uint64)
        np.cumsum(hashes, out=prefix[1:])
        sums = prefix[n:] - prefix[:-n]
    keep = doc[: len(sums)] == doc[n - 1 :]
    return _split_distinct(mix64(sums[keep]) & MASK32, doc[: len(sums)][keep], count)


def _joined(tokens: TokenArrays, doc: int) -> str:
    """Text ``doc``'s words joined by single spaces, back from the codes."""
    return tokens.codes[tokens.code_doc == doc][:-1].tobytes().decode("utf-32-le")


def _char_sets(tokens: TokenArrays, sizes: np.ndarray, n: int, sample: int) -> list[np.ndarray]:
    count = len(sizes)
    codes, doc = tokens.codes, tokens.code_doc.copy()
    doc[codes == 0] = -1  # the 0 closing each text belongs to no document, so no n-gram spans two texts
    with np.errstate(over="ignore"):
        values = codes.astype(np.uint64)
        values *= np.uint64(0x9E3779B97F4A7C15)
        values += np.uint64(1)
    grams, grams_doc = _grams(values, doc, n, sample)
    keep = grams_doc >= 0
    sets = _split_distinct(grams[keep], grams_doc[keep], count)
    # Texts shorter than n characters: one shingle of the whole text, as sampled_char_shingles gives.
    for i in np.flatnonzero((sizes > 0) & (sizes < n)).tolist():
        sets[i] = sampled_char_shingles(_joined(tokens, i), n, sample).astype(np.uint32)
    return sets


def _sentence_sets(
    word_hashes: np.ndarray, sentence_lengths: np.ndarray, doc_of_sentence: np.ndarray, count: int, min_words: int
) -> list[np.ndarray]:
    if len(sentence_lengths) == 0:
        return [np.empty(0, dtype=np.uint32) for _ in range(count)]
    ends = np.cumsum(sentence_lengths)
    long_enough = sentence_lengths >= min_words
    # A sentence's key is the n-gram hash of all its words, as sentence_keys has it.
    sums = span_sums(word_hashes, (ends - sentence_lengths)[long_enough], ends[long_enough])
    hashes = mix64(sums) & MASK32
    return _split_distinct(hashes, doc_of_sentence[long_enough], count)
