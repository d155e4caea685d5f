"""Per-document features for verification, computed for a whole batch of documents at once.

For each document: its word n-gram set (the reported figures), a fixed sample of its character n-grams (the
LSH channel and the OCR-robust figures), the hashes of its sentences (the shared-sentence channel), its
length in words, and whether it may repeat a passage. Python touches each document once (a regular
expression splits it into sentences and words, and a dictionary gives each word its hash); every n-gram of
the batch is then formed, hashed, sampled and made distinct by a handful of numpy operations over the
whole batch. The results equal those of the per-document functions in ``dedup.shingle`` (tested so).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dedup.batch_text import MARK, TokenArrays, ascii_tokens, merge, token_arrays
from dedup.config import ScanConfig
from dedup.normalize import SENTENCE_END, WORD, normalize_word
from dedup.shingle import _MULTIPLIERS, _mix64, char_shingles, ngram_hashes

__all__ = ["MASK32", "Features", "batch_features", "content_text", "sorted_distinct"]

MASK32 = np.uint64(0xFFFFFFFF)
# Words in a row that make a passage worth reporting as repeated (see ``dedup.repeats``).
REPEAT_WORDS = 8


@dataclass(frozen=True, slots=True)
class Features:
    """What verification needs of one document: sorted distinct hash arrays and its length in words."""

    words: np.ndarray
    chars: np.ndarray
    sentences: np.ndarray
    length: int
    may_repeat: bool = False
    anchors: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))


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


# The tokens of one ASCII text: one findall gives the words and, as tokens of their own, the sentence ends (end
# punctuation, after any closing quotes, followed by space; or a line break), which become the marker token.
# Batches of ASCII texts go through dedup.batch_text instead, which is tested to equal this.
_ASCII_TOKEN = re.compile(r"[a-z0-9_]+(?:['`][a-z0-9_]+)*(?:[.,][0-9]+)*|[.!?](?=[\"')\]]*\s)|\n")
_ENDS = frozenset(".!?\n")


def _tokens(text: str) -> list[str]:
    """The words of ``text`` with a ``MARK`` token wherever a sentence ends, and at the end.

    >>> _tokens("It's 3.5. Yes")
    ["it's", '3.5', '\\x01', 'yes', '\\x01']
    """
    if text.isascii():
        lowered = text.lower()
        if "`" in lowered:  # the backquote is an apostrophe, as normalize() has it
            lowered = lowered.replace("`", "'")
        # A mark closes the text too, so no sentence runs on into the next document of a batch.
        return [MARK if t in _ENDS else t for t in _ASCII_TOKEN.findall(lowered)] + [MARK]
    tokens: list[str] = []
    for sentence in SENTENCE_END.split(text):
        tokens.extend(normalize_word(w) for w in WORD.findall(sentence))
        tokens.append(MARK)
    return tokens


def _grams(hashes: np.ndarray, doc: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every run of ``n`` values inside one document, and that document's index."""
    width = len(hashes) - n + 1
    if width <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    with np.errstate(over="ignore"):
        acc = np.zeros(width, dtype=np.uint64)
        for k in range(n):
            acc = acc + hashes[k : k + width] * _MULTIPLIERS[k % len(_MULTIPLIERS)] + np.uint64(k)
    valid = doc[: width] == doc[n - 1 :]
    return _mix64(acc[valid]) & MASK32, doc[:width][valid]


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: measured many times faster than numpy 2's hash-based unique on uint64.

    >>> sorted_distinct(np.array([3, 1, 3], dtype=np.uint64)).tolist()
    [1, 3]
    """
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _split_distinct(values: np.ndarray, doc: np.ndarray, count: int) -> list[np.ndarray]:
    """Per-document sorted distinct values (uint32), from values tagged with their document index."""
    keys = sorted_distinct((doc.astype(np.uint64) << np.uint64(32)) | values)
    cuts = np.searchsorted(keys >> np.uint64(32), np.arange(count + 1, dtype=np.uint64))
    low = (keys & MASK32).astype(np.uint32)
    return [low[cuts[i] : cuts[i + 1]] for i in range(count)]


def _batch_tokens(texts: Sequence[str]) -> TokenArrays:
    """The tokens of ``texts``: ASCII ones by array operations over the batch, the others text by text."""
    ascii_at = [i for i, t in enumerate(texts) if t.isascii()]
    others = [i for i, t in enumerate(texts) if not t.isascii()]
    parts = []
    if ascii_at:
        part = ascii_tokens([texts[i] for i in ascii_at])
        if others:  # number the texts as in the whole batch
            where = np.array(ascii_at, dtype=np.int64)
            part = TokenArrays(part.hashes, where[part.doc], part.is_mark, part.codes, where[part.code_doc])
        parts.append(part)
    if others:
        parts.append(token_arrays([_tokens(texts[i]) for i in others], others))
    return merge(parts)


def batch_features(texts: Sequence[str], config: ScanConfig) -> list[Features]:
    """The features of each text (boilerplate already taken out: see ``content_text``).

    >>> f = batch_features(["One two three four. Five six seven eight."], ScanConfig())[0]
    >>> f.length, len(f.words), len(f.sentences)
    (8, 6, 0)
    """
    count = len(texts)
    if count == 0:
        return []
    tokens = _batch_tokens(texts)
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

    # Repeated passages are rare: flag the documents that hold a repeated window; dedup.repeats finds the spans.
    windows, windows_doc = _grams(word_hashes, doc_of_word, REPEAT_WORDS)
    keyed = np.sort((windows_doc.astype(np.uint64) << np.uint64(32)) | windows)
    repeated = keyed[1:][keyed[1:] == keyed[:-1]]
    repeating = set((repeated >> np.uint64(32)).astype(np.int64).tolist())

    return [
        Features(word_sets[i], char_sets[i], sentence_sets[i], int(lengths[i]), i in repeating) for i in range(count)
    ]


def _joined(tokens: TokenArrays, doc: int) -> str:
    """Text ``doc``'s words joined by single spaces, back from the codes."""
    codes = tokens.codes[tokens.code_doc == doc][:-1]
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


def _char_sets(tokens: TokenArrays, sizes: np.ndarray, n: int, sample: int) -> list[np.ndarray]:
    count = len(sizes)
    codes, doc = tokens.codes, tokens.code_doc.copy()
    doc[codes == 0] = -1  # the 0 closing each text belongs to no document, so no n-gram spans two texts
    with np.errstate(over="ignore"):
        values = codes * np.uint64(0x9E3779B97F4A7C15) + np.uint64(1)
    grams, grams_doc = _grams(values, doc, n)
    keep = grams_doc >= 0
    grams, grams_doc = grams[keep], grams_doc[keep]
    if sample > 1:
        keep = grams % np.uint64(sample) == 0
        grams, grams_doc = grams[keep], grams_doc[keep]
    sets = _split_distinct(grams, grams_doc, count)
    # Texts shorter than n characters: one shingle of the whole text, as char_shingles gives.
    for i in np.flatnonzero((sizes > 0) & (sizes < n)).tolist():
        full = char_shingles(_joined(tokens, i), n)
        sets[i] = (full if sample <= 1 else full[full % np.uint64(sample) == 0]).astype(np.uint32)
    return sets


def _sentence_sets(
    word_hashes: np.ndarray, sentence_lengths: np.ndarray, doc_of_sentence: np.ndarray, count: int, min_words: int
) -> list[np.ndarray]:
    if len(sentence_lengths) == 0:
        return [np.empty(0, dtype=np.uint32) for _ in range(count)]
    starts = np.concatenate(([0], np.cumsum(sentence_lengths)[:-1]))
    position = np.arange(len(word_hashes), dtype=np.int64) - np.repeat(starts, sentence_lengths)
    with np.errstate(over="ignore"):
        parts = word_hashes * _MULTIPLIERS[position % len(_MULTIPLIERS)] + position.astype(np.uint64)
        sums = np.add.reduceat(parts, starts)
    long_enough = sentence_lengths >= min_words
    hashes = _mix64(sums[long_enough]) & MASK32
    return _split_distinct(hashes, doc_of_sentence[long_enough], count)
