"""Readers of the sources of the phrase data: wordfreq's Zipf list, the CMU Sphinx trie language model,
WordNet 3.0 and the MyThes thesaurus.

Each reader returns plain Python or numpy data and knows nothing of the files built from it
(``scripts/build_phrase_data.py`` puts them together).
"""

from __future__ import annotations

import math
import re
import struct
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "POS_FILES", "WORD_SHAPE", "CmuModel", "bit_fields", "read_cmu_trie", "read_mythes", "read_wordnet", "read_zipf",
]

WORD_SHAPE = re.compile(r"[a-z]+(?:'[a-z]+)?")
POS_FILES = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv"}
_MYTHES_POS = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv"}
_ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")


def read_zipf(min_zipf: float) -> dict[str, float]:
    """wordfreq's English ``large`` list down to ``min_zipf``, plain lower-case words only."""
    import wordfreq

    found: dict[str, float] = {}
    for word in wordfreq.iter_wordlist("en", "large"):
        zipf = wordfreq.zipf_frequency(word, "en", "large")
        if zipf < min_zipf:
            break  # the list is sorted by frequency
        if WORD_SHAPE.fullmatch(word):
            found[word] = zipf
    return found


def _required_bits(value: int) -> int:
    bits = 0
    while value:
        value >>= 1
        bits += 1
    return bits


@dataclass(frozen=True)
class CmuModel:
    """The unigrams, bigrams and trigrams of a CMU Sphinx trie language model (log10 probabilities).

    Bigram ``k`` is "``first[k]`` ``second[k]``" with back-off weight ``bigram_backoff[k]``; trigram ``k``
    is "``tri_first[k]`` ``tri_second[k]`` ``tri_third[k]``". A model of order 2 has no trigrams.
    """

    words: list[str]
    unigram: np.ndarray
    backoff: np.ndarray
    first: np.ndarray
    second: np.ndarray
    prob: np.ndarray
    bigram_backoff: np.ndarray
    tri_first: np.ndarray
    tri_second: np.ndarray
    tri_third: np.ndarray
    tri_prob: np.ndarray


def bit_fields(data: np.ndarray, offsets: np.ndarray, width: int) -> np.ndarray:
    """The ``width``-bit (at most 57) unsigned fields starting at bit ``offsets`` of ``data``.

    Each is read as a little-endian 64-bit window starting at its byte, the way sphinxbase's ``bitarr``
    packs them; ``data`` must extend at least 8 bytes past the last field.
    """
    offsets = offsets.astype(np.uint64)
    starts = (offsets >> np.uint64(3)).astype(np.int64)
    window = np.zeros(len(offsets), dtype=np.uint64)
    for byte in range(8):
        window |= data[starts + byte].astype(np.uint64) << np.uint64(8 * byte)
    window >>= offsets & np.uint64(7)
    return (window & np.uint64((1 << width) - 1)).astype(np.int64)


def read_cmu_trie(path: Path) -> CmuModel:
    """Decode a CMU Sphinx "Trie Language Model" binary (sphinxbase ``ngram_model_trie``) up to trigrams.

    Layout: the header text, the order (one byte), the n-gram counts (uint32 each), the quantiser type
    (int32) and its tables (per middle order 2**16 probability and 2**16 back-off centres, then 2**16
    probability centres of the longest order, float32 in logmath base 1.0001), the unigrams
    (``count + 1`` records of float32 probability, float32 back-off, uint32 index of their first
    bigram), one bit-packed array per higher order (``count + 1`` records and 8 bytes of padding), and
    the NUL-separated word strings. A middle record (here the bigrams) is the word id, a 32-bit code
    (16-bit probability code above the 16-bit back-off code) and the index of its first record of the
    next order; a record of the longest order (here the trigrams) is the word id and a 16-bit probability
    code. The trie is reversed: a bigram "a b" is stored under the unigram "b" with "a" as the record's
    word, and a trigram "a b c" under the bigram record of "b c" with "a" as the record's word.
    (``sphinx_lm_convert`` in Debian's sphinxbase-utils aborts when writing this model as ARPA, hence
    this reader.)
    """
    raw = path.read_bytes()
    header = b"Trie Language Model"
    if not raw.startswith(header):
        raise SystemExit(f"error: {path} is not a CMU Sphinx trie language model")
    order = raw[len(header)]
    position = len(header) + 1
    counts = struct.unpack_from(f"<{order}I", raw, position)
    position += 4 * order
    if order < 2:
        raise SystemExit(f"error: {path} has no bigrams")
    (quant_type,) = struct.unpack_from("<i", raw, position)
    position += 4
    if quant_type != 1:
        raise SystemExit(f"error: {path} uses quantisation {quant_type}; only 16-bit (1) is supported")
    table = 1 << 16
    # Per middle order n (2 .. order - 1) its probability centres, then its back-off centres; then the
    # probability centres of the longest order.
    centres = np.frombuffer(raw, "<f4", table * (2 * (order - 2) + 1), position).reshape(-1, table)
    position += centres.nbytes
    n_words = counts[0]
    record = np.dtype([("prob", "<f4"), ("backoff", "<f4"), ("next", "<u4")])
    unigrams = np.frombuffer(raw, record, n_words + 1, position)
    position += record.itemsize * (n_words + 1)
    word_bits = _required_bits(n_words)
    # (bytes, bits per record, bits of the pointer to the next order) of the bigrams, trigrams, ...
    levels: list[tuple[np.ndarray, int, int]] = []
    for n in range(2, order + 1):
        next_bits = _required_bits(counts[n]) if n < order else 0
        total_bits = word_bits + (16 if n == order else 32 + next_bits)
        size = ((1 + counts[n - 1]) * total_bits + 7) // 8 + 8
        levels.append((np.frombuffer(raw[position : position + size] + bytes(16), np.uint8), total_bits, next_bits))
        position += size
    (length,) = struct.unpack_from("<i", raw, position)
    words = raw[position + 4 : position + 4 + length].split(b"\0")[:-1]
    if len(words) != n_words:
        raise SystemExit(f"error: {path}: read {len(words)} words, expected {n_words}")

    to_log10 = math.log10(1.0001)
    middle, total_bits, next_bits = levels[0]
    n_bigrams = int(unigrams["next"][-1])
    offsets = np.arange(n_bigrams + 1, dtype=np.int64) * total_bits
    word = bit_fields(middle, offsets[:-1], word_bits)
    if order == 2:  # the bigrams are the longest order: a probability code only
        prob = centres[0][bit_fields(middle, offsets[:-1] + word_bits, 16)] * to_log10
        bigram_backoff = np.zeros(n_bigrams, dtype=np.float32)
    else:
        codes = bit_fields(middle, offsets[:-1] + word_bits, 32)
        prob = centres[0][codes >> 16] * to_log10
        bigram_backoff = centres[1][codes & 0xFFFF] * to_log10
    nexts = np.asarray(unigrams["next"], dtype=np.int64)
    per_word = (nexts[1:] - nexts[:-1]).astype(np.int64)
    predicted = np.repeat(np.arange(n_words), per_word)
    tri = [np.zeros(0, dtype=np.int64)] * 3 + [np.zeros(0, dtype=np.float32)]
    if order > 2:
        # Trigrams under bigram k: records next[k] .. next[k + 1] - 1 (the extra record holds the end).
        nexts = bit_fields(middle, offsets + word_bits + 32, next_bits)
        n_trigrams = int(nexts[-1])
        # (The header may count a few more bigrams than were stored: room for dummy ones left unused.)
        if n_bigrams > counts[1] or n_trigrams != counts[2]:
            raise SystemExit(f"error: {path}: read {n_bigrams} bigrams and {n_trigrams} trigrams, "
                             f"expected up to {counts[1]} and {counts[2]}")
        data, total_bits, _ = levels[1]
        offsets = np.arange(n_trigrams, dtype=np.int64) * total_bits
        if order == 3:
            tri_prob = centres[2][bit_fields(data, offsets + word_bits, 16)] * to_log10
        else:
            tri_prob = centres[2][bit_fields(data, offsets + word_bits, 32) >> 16] * to_log10
        parent = np.repeat(np.arange(n_bigrams), nexts[1:] - nexts[:-1])
        tri = [bit_fields(data, offsets, word_bits), word[parent], predicted[parent], tri_prob]
    return CmuModel(
        words=[w.decode("utf-8", "replace") for w in words],
        unigram=unigrams["prob"][:n_words] * to_log10,
        backoff=unigrams["backoff"][:n_words] * to_log10,
        first=word,
        second=predicted,
        prob=prob,
        bigram_backoff=bigram_backoff,
        tri_first=tri[0],
        tri_second=tri[1],
        tri_third=tri[2],
        tri_prob=tri[3],
    )


def read_wordnet(folder: Path) -> tuple[dict[str, list[set[str]]], dict[str, dict[str, str]], set[str]]:
    """WordNet synsets per part of speech, its exception lists (form -> lemma), and its multi-word lemmas."""
    synsets: dict[str, list[set[str]]] = {}
    exceptions: dict[str, dict[str, str]] = {}
    multiword: set[str] = set()
    for pos, suffix in POS_FILES.items():
        groups: list[set[str]] = []
        with (folder / f"data.{suffix}").open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("  "):  # licence header
                    continue
                fields = line.split()
                count = int(fields[3], 16)
                words = {_ADJ_MARKER.sub("", w).replace("_", " ") for w in fields[4 : 4 + 2 * count : 2]}
                groups.append(words)
                multiword.update(w.lower() for w in words if " " in w and w.islower())
        synsets[pos] = groups
        table: dict[str, str] = {}
        with (folder / f"{suffix}.exc").open(encoding="utf-8") as handle:
            for line in handle:
                form, *lemmas = line.split()
                if lemmas:
                    table.setdefault(form.replace("_", " "), lemmas[0].replace("_", " "))
        exceptions[pos] = table
    return synsets, exceptions, multiword


def read_mythes(path: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """MyThes entries: headword -> [(part of speech, synonyms and similar terms)]."""
    entries: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    with path.open(encoding="utf-8", errors="replace") as handle:
        next(handle)  # the encoding line
        head = ""
        for line in handle:
            line = line.rstrip("\n")
            if not line.startswith("("):
                head = line.rsplit("|", 1)[0]
                continue
            fields = line.split("|")
            pos = _MYTHES_POS.get(fields[0].strip("()"))
            if pos is None:
                continue
            # Hypernyms, antonyms and loose relations are not synonyms; "similar terms" are near-synonyms.
            terms = [
                t.removesuffix(" (similar term)").strip()
                for t in fields[1:]
                if not t.endswith(("(generic term)", "(antonym)", "(related term)"))
            ]
            entries[head].append((pos, terms))
    return entries

