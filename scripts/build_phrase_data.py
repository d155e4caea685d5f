"""Derive the compact data files of the phrase checks (``dedup/data/phrase_*``) from their public sources.

Run again whenever a source changes; the output is deterministic for the same sources::

    apt-get install wordnet-base mythes-en-us pocketsphinx-en-us   # WordNet 3.0, MyThes, CMU language model
    pip install wordfreq numpy                                     # (build time only for wordfreq)
    python scripts/build_phrase_data.py

What it writes (read by ``dedup/spin/data.py``):

``phrase_lm.npz``
    A bigram back-off language model of English in compact form. Vocabulary: every word of the generic
    US English model of CMU Sphinx (``en-us.lm.bin``, a pruned trigram model of 72,547 words) that is a
    plain lower-case word, plus every word of wordfreq's ``large`` English list with Zipf >= 1.5. Per word:
    its log10 unigram probability (the CMU model's; for words it lacks, wordfreq's frequency brought to
    the same scale), its back-off weight, its Zipf frequency and whether the CMU model knows it.
    Bigrams: the CMU model's ~2 million bigrams of such words, with their log10 probabilities (0.1
    steps), as sorted integer keys. (``--min-unigram``/``--min-shift`` prune it further: 4.1 MB instead
    of 5.2, at a measurable loss of accuracy, so the default keeps every bigram.)
``phrase_lm3.npz``
    The trigram layer of that model, in its word ids: the CMU model's 1.58 million trigrams of such words
    as sorted 64-bit keys with their log10 probabilities, and the back-off weight of each bigram of
    ``phrase_lm.npz`` (see ``write_trigram_model``).
``phrase_alternatives.npz``
    For each word form (and each multi-word thesaurus entry) the synonyms it may have replaced, inflected
    like the form, most frequent first (see ``write_alternatives``). Synonymy is the union of WordNet 3.0
    synsets and the MyThes synonyms and similar terms, made symmetric (if a spinner can turn *x* into *y*,
    undoing the swap turns *y* back into *x*).
``phrase_expressions.tsv.gz``
    ``expression``: WordNet's multi-word lemmas of three to five common words, the fixed expressions and
    compounds a word-for-word swap breaks ("in the long run", "carry out", "prime minister").

The curated files next to them (``idioms_en.txt``, ``spinner_lexicon_en.csv``) are written by hand and are
not produced here. Each output gets a ``<name>.LICENSE`` file naming its sources and their licences.
"""

from __future__ import annotations

import argparse
import gzip
import math
import re
import struct
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["main"]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "dedup" / "data"
DEFAULT_WORDNET = Path("/usr/share/wordnet")
DEFAULT_MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")
DEFAULT_CMU = Path("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
# Bigram log-probabilities are stored in steps of 1/PROB_SCALE (log10 units) as one byte.
PROB_SCALE = 10
# Optional pruning: a bigram is dropped when one of its words is rarer than ``min_unigram`` (log10
# probability) or when its probability is within ``min_shift`` (log10) of what backing off would give, so
# dropping it changes the model by less than that. The defaults keep everything.
MIN_UNIGRAM = -99.0
MIN_SHIFT = 0.0
# Unigram log-probabilities and back-off weights are stored in steps of 1/UNIGRAM_SCALE as int16.
UNIGRAM_SCALE = 1000
# Word ids take this many bits of a bigram key: key = first << KEY_BITS | second.
KEY_BITS = 18

# Words rarer than this (Zipf 1.5 is about one in 30 million words) are left out: a form that rare is
# treated as "rare" at run time, which is all the checks need to know about it.
MIN_ZIPF = 1.5
# An alternative must be at least this common to be worth restoring: news writers rarely use rarer words,
# and every extra alternative is one more chance of a false alarm on clean text.
MIN_ALT_ZIPF = 2.0
# Most alternatives kept per form, most frequent first; the original of a swap is nearly always among the
# commonest synonyms of the word that replaced it.
MAX_ALTERNATIVES = 8
MAX_EXPRESSION_WORDS = 5

_WORD_SHAPE = re.compile(r"[a-z]+(?:'[a-z]+)?")
_POS_FILES = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv"}
_MYTHES_POS = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv"}
_ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")

# WordNet's "morphy" detachment rules: (suffix, replacement, form).
_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "noun": (("s", "", "s"), ("ses", "s", "s"), ("xes", "x", "s"), ("zes", "z", "s"), ("ches", "ch", "s"),
             ("shes", "sh", "s"), ("men", "man", "s"), ("ies", "y", "s")),
    "verb": (("s", "", "s"), ("ies", "y", "s"), ("es", "e", "s"), ("es", "", "s"), ("ed", "e", "ed"),
             ("ed", "", "ed"), ("ing", "e", "ing"), ("ing", "", "ing")),
    "adj": (("er", "", "er"), ("est", "", "est"), ("er", "e", "er"), ("est", "e", "est")),
    "adv": (),
}
_VOWELS = frozenset("aeiou")


# ---------------------------------------------------------------------------------------------------------
# Sources.


def read_zipf(min_zipf: float) -> dict[str, float]:
    """wordfreq's English ``large`` list down to ``min_zipf``, plain lower-case words only."""
    import wordfreq

    found: dict[str, float] = {}
    for word in wordfreq.iter_wordlist("en", "large"):
        zipf = wordfreq.zipf_frequency(word, "en", "large")
        if zipf < min_zipf:
            break  # the list is sorted by frequency
        if _WORD_SHAPE.fullmatch(word):
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


def _bit_fields(data: np.ndarray, offsets: np.ndarray, width: int) -> np.ndarray:
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
    word = _bit_fields(middle, offsets[:-1], word_bits)
    if order == 2:  # the bigrams are the longest order: a probability code only
        prob = centres[0][_bit_fields(middle, offsets[:-1] + word_bits, 16)] * to_log10
        bigram_backoff = np.zeros(n_bigrams, dtype=np.float32)
    else:
        codes = _bit_fields(middle, offsets[:-1] + word_bits, 32)
        prob = centres[0][codes >> 16] * to_log10
        bigram_backoff = centres[1][codes & 0xFFFF] * to_log10
    nexts = np.asarray(unigrams["next"], dtype=np.int64)
    per_word = (nexts[1:] - nexts[:-1]).astype(np.int64)
    predicted = np.repeat(np.arange(n_words), per_word)
    tri = [np.zeros(0, dtype=np.int64)] * 3 + [np.zeros(0, dtype=np.float32)]
    if order > 2:
        # Trigrams under bigram k: records next[k] .. next[k + 1] - 1 (the extra record holds the end).
        nexts = _bit_fields(middle, offsets + word_bits + 32, next_bits)
        n_trigrams = int(nexts[-1])
        # (The header may count a few more bigrams than were stored: room for dummy ones left unused.)
        if n_bigrams > counts[1] or n_trigrams != counts[2]:
            raise SystemExit(f"error: {path}: read {n_bigrams} bigrams and {n_trigrams} trigrams, "
                             f"expected up to {counts[1]} and {counts[2]}")
        data, total_bits, _ = levels[1]
        offsets = np.arange(n_trigrams, dtype=np.int64) * total_bits
        if order == 3:
            tri_prob = centres[2][_bit_fields(data, offsets + word_bits, 16)] * to_log10
        else:
            tri_prob = centres[2][_bit_fields(data, offsets + word_bits, 32) >> 16] * to_log10
        parent = np.repeat(np.arange(n_bigrams), nexts[1:] - nexts[:-1])
        tri = [_bit_fields(data, offsets, word_bits), word[parent], predicted[parent], tri_prob]
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
    for pos, suffix in _POS_FILES.items():
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


# ---------------------------------------------------------------------------------------------------------
# Synonymy and morphology.


def synonym_graph(
    synsets: dict[str, list[set[str]]], mythes: dict[str, list[tuple[str, list[str]]]]
) -> dict[tuple[str, str], set[str]]:
    """Symmetric synonymy between lower-case lemmas of one part of speech: ``(lemma, pos) -> lemmas``."""
    graph: dict[tuple[str, str], set[str]] = defaultdict(set)

    def link(a: str, b: str, pos: str) -> None:
        # Capitalised members are names ("Washington"); a spinner that keeps names never swaps them in.
        if a == b or not a.islower() or not b.islower():
            return
        graph[(a, pos)].add(b)
        graph[(b, pos)].add(a)

    for pos, groups in synsets.items():
        for group in groups:
            members = sorted(group)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    link(a, b, pos)
    for head, senses in mythes.items():
        for pos, terms in senses:
            for term in terms:
                link(head, term, pos)
    return graph


def analyses(
    form: str, lemmas: set[tuple[str, str]], exceptions: dict[str, dict[str, str]]
) -> list[tuple[str, str, str]]:
    """Every ``(lemma, pos, inflection)`` reading of a word form whose lemma the thesauri know."""
    found: list[tuple[str, str, str]] = []
    for pos in _POS_FILES:
        if (form, pos) in lemmas:
            found.append((form, pos, ""))
        lemma = exceptions[pos].get(form)
        if lemma is not None and (lemma, pos) in lemmas:
            found.append((lemma, pos, _exception_form(form, pos)))
        for suffix, replacement, inflection in _RULES[pos]:
            if form.endswith(suffix) and len(form) > len(suffix) + 1:
                stem = form[: -len(suffix)] + replacement
                candidates = [stem]
                # "stopped" -> "stop", "planning" -> "plan": undo the doubled final consonant.
                if replacement == "" and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                    candidates.append(stem[:-1])
                for lemma in candidates:
                    if (lemma, pos) in lemmas:
                        found.append((lemma, pos, inflection))
    return list(dict.fromkeys(found))


def _exception_form(form: str, pos: str) -> str:
    if pos == "noun":
        return "s"
    if pos == "verb":
        return "ing" if form.endswith("ing") else "s" if form.endswith("s") else "ed"
    if pos in ("adj", "adv"):
        return "est" if form.endswith("st") else "er"
    return ""


def inflections(
    lemma: str, pos: str, inflection: str, zipf: dict[str, float], irregular: dict[tuple[str, str, str], set[str]]
) -> list[str]:
    """Forms of ``lemma`` carrying ``inflection``, known to wordfreq; irregular forms first."""
    if not inflection:
        return [lemma]
    words = lemma.split(" ")
    # A verb phrase inflects its first word ("carried out"), anything else its last ("prime ministers").
    index = 0 if pos == "verb" else len(words) - 1
    head = words[index]
    forms = sorted(irregular.get((head, pos, inflection), set()))
    if not forms:
        forms = [f for f in _regular(head, inflection) if f in zipf]
        forms.sort(key=lambda f: -zipf[f])
        forms = forms[:1]
    return [" ".join([*words[:index], f, *words[index + 1 :]]) for f in forms]


def _regular(base: str, inflection: str) -> list[str]:
    consonant_y = base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS
    doubled = base + base[-1] if base and base[-1] not in "aeiouwxy" else base
    if inflection == "s":
        if consonant_y:
            return [base[:-1] + "ies"]
        return [base + "es", base + "s"]
    if inflection == "ed":
        if consonant_y:
            return [base[:-1] + "ied"]
        if base.endswith("e"):
            return [base + "d"]
        return [base + "ed", doubled + "ed"]
    if inflection == "ing":
        if base.endswith("ie"):
            return [base[:-2] + "ying"]
        if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
            return [base[:-1] + "ing"]
        return [base + "ing", doubled + "ing"]
    if inflection in ("er", "est"):
        if consonant_y:
            return [base[:-1] + "i" + inflection]
        if base.endswith("e"):
            return [base + inflection[1:]]
        return [base + inflection, doubled + inflection]
    return [base]


def irregular_forms(exceptions: dict[str, dict[str, str]]) -> dict[tuple[str, str, str], set[str]]:
    """``(lemma, pos, inflection) -> forms`` read off WordNet's exception lists ("go" -> "went", "gone")."""
    table: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for pos, forms in exceptions.items():
        for form, lemma in forms.items():
            if " " not in form and form != lemma:
                table[(lemma, pos, _exception_form(form, pos))].add(form)
    return table


def alternatives(
    forms: Iterable[str],
    graph: dict[tuple[str, str], set[str]],
    exceptions: dict[str, dict[str, str]],
    zipf: dict[str, float],
) -> dict[str, list[str]]:
    """For each form, the synonyms (inflected like it) that a swap may have replaced, commonest first."""
    lemmas = set(graph)
    irregular = irregular_forms(exceptions)
    result: dict[str, list[str]] = {}
    for form in forms:
        scored: dict[str, float] = {}
        for lemma, pos, inflection in analyses(form, lemmas, exceptions):
            for synonym in graph[(lemma, pos)]:
                for candidate in inflections(synonym, pos, inflection, zipf, irregular):
                    words = candidate.split(" ")
                    if candidate == form or form in words or len(words) > 3:
                        continue
                    if not all(w in zipf for w in words):
                        continue
                    # A phrase is as common as its rarest word, less a penalty: phrases are rarer than words.
                    commonness = min(zipf[w] for w in words) - 0.5 * (len(words) - 1)
                    if commonness >= MIN_ALT_ZIPF:
                        scored[candidate] = max(scored.get(candidate, -1.0), commonness)
        if scored:
            ranked = sorted(scored, key=lambda c: (-scored[c], c))
            result[form] = ranked[:MAX_ALTERNATIVES]
    return result


# ---------------------------------------------------------------------------------------------------------
# Output.


def _write_lines(path: Path, lines: Iterable[str]) -> int:
    count = 0
    # mtime=0 keeps the gzip bytes identical from one run to the next.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        for line in lines:
            handle.write(line.encode("utf-8") + b"\n")
            count += 1
    return count


_LICENCES = {
    "wordfreq": (
        "wordfreq 3.x (PyPI, https://github.com/rspeer/wordfreq) by Robyn Speer: code Apache-2.0, word "
        "frequency data CC BY-SA 4.0 (built from Wikipedia, subtitles, news, books, web text, Twitter and "
        "Reddit; see the wordfreq README for the sources' own terms). The Zipf values here are a derived "
        "work of that data and are shared under CC BY-SA 4.0."
    ),
    "cmu": (
        "CMU Sphinx US English language model en-us.lm.bin (Debian package pocketsphinx-en-us 0.8+5prealpha), "
        "Copyright 1995-2014 Carnegie Mellon University, 2014-2015 Alpha Cephei Inc., BSD 2-clause licence: "
        "redistribution in binary form must reproduce the copyright notice, the conditions and the "
        "disclaimer (THIS SOFTWARE IS PROVIDED BY CARNEGIE MELLON UNIVERSITY 'AS IS' AND ANY EXPRESSED OR "
        "IMPLIED WARRANTIES ... ARE DISCLAIMED); see /usr/share/doc/pocketsphinx-en-us/copyright."
    ),
    "wordnet": (
        "WordNet 3.0 (Debian package wordnet-base), Copyright 2006 by Princeton University, WordNet 3.0 "
        "licence: permission to use, copy, modify and distribute for any purpose without fee, provided the "
        "copyright notice and disclaimer appear on all copies. THIS DATABASE IS PROVIDED 'AS IS' AND "
        "PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. See "
        "/usr/share/doc/wordnet-base/copyright for the full text."
    ),
    "mythes": (
        "MyThes English (USA) thesaurus th_en_US_v2 (Debian package mythes-en-us, from the LibreOffice "
        "dictionaries), itself generated from Princeton WordNet; distributed by LibreOffice under the "
        "WordNet licence above (Debian lists dictionaries/en/* under Kevin Atkinson's permissive licence "
        "and the collection under MPL-2.0; see /usr/share/doc/mythes-en-us/copyright)."
    ),
}


def _licence(path: Path, what: str, sources: list[str]) -> None:
    text = [
        f"{path.name}: {what}",
        "",
        "Derived by scripts/build_phrase_data.py in this repository (run it again to rebuild). Sources:",
        "",
    ]
    text += [f"- {_LICENCES[s]}" for s in sources]
    path.with_name(path.name + ".LICENSE").write_text("\n".join(text) + "\n", encoding="utf-8")


def lm_vocabulary(cmu: CmuModel, zipf: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """The words of ``phrase_lm.npz`` in id order (sorted), and each CMU word's id among them (-1: left out)."""
    cmu_index = {w: i for i, w in enumerate(cmu.words) if _WORD_SHAPE.fullmatch(w)}
    vocabulary = sorted(set(cmu_index) | set(zipf))
    if len(vocabulary) >= 1 << KEY_BITS:
        raise SystemExit(f"error: {len(vocabulary)} words do not fit in {KEY_BITS}-bit ids")
    remap = np.full(len(cmu.words), -1, dtype=np.int64)
    for new_id, word in enumerate(vocabulary):
        old_id = cmu_index.get(word)
        if old_id is not None:
            remap[old_id] = new_id
    return vocabulary, remap


def lm_bigrams(cmu: CmuModel, remap: np.ndarray, *, min_unigram: float, min_shift: float) -> np.ndarray:
    """Indices of the CMU bigrams ``phrase_lm.npz`` keeps, in the order of their keys there."""
    first = remap[cmu.first]
    second = remap[cmu.second]
    shift = cmu.prob - (cmu.backoff[cmu.first] + cmu.unigram[cmu.second])
    common = (cmu.unigram[cmu.first] >= min_unigram) & (cmu.unigram[cmu.second] >= min_unigram)
    kept = np.flatnonzero((first >= 0) & (second >= 0) & common & (np.abs(shift) >= min_shift))
    return kept[np.argsort((first[kept] << KEY_BITS) | second[kept])]


def write_language_model(
    path: Path,
    cmu: CmuModel,
    zipf: dict[str, float],
    *,
    prob_scale: int = PROB_SCALE,
    min_unigram: float = MIN_UNIGRAM,
    min_shift: float = MIN_SHIFT,
) -> int:
    """Write ``phrase_lm.npz``; returns the number of bigrams kept."""
    vocabulary, remap = lm_vocabulary(cmu, zipf)
    cmu_index = {cmu.words[i]: i for i in np.flatnonzero(remap >= 0).tolist()}
    # wordfreq and the CMU model count on different scales; words both know well line them up.
    shared = [w for w in cmu_index if zipf.get(w, 0.0) >= 4.0]
    offset = float(np.median([cmu.unigram[cmu_index[w]] - (zipf[w] - 9.0) for w in shared]))
    unigram = np.empty(len(vocabulary))
    backoff = np.zeros(len(vocabulary))
    zipf_values = np.empty(len(vocabulary))
    in_model = np.zeros(len(vocabulary), dtype=np.uint8)
    for new_id, word in enumerate(vocabulary):
        old_id = cmu_index.get(word)
        if old_id is not None:
            in_model[new_id] = 1
            unigram[new_id] = cmu.unigram[old_id]
            backoff[new_id] = cmu.backoff[old_id]
            zipf_values[new_id] = zipf.get(word, cmu.unigram[old_id] - offset + 9.0)
        else:
            unigram[new_id] = zipf[word] - 9.0 + offset
            zipf_values[new_id] = zipf[word]
    kept = lm_bigrams(cmu, remap, min_unigram=min_unigram, min_shift=min_shift)
    keys = (remap[cmu.first[kept]] << KEY_BITS) | remap[cmu.second[kept]]
    probs = np.clip(np.round(-cmu.prob[kept] * prob_scale), 0, 255).astype(np.uint8)
    deltas = np.diff(keys, prepend=0).astype(np.uint32)
    # Deltas stored as four byte planes: the high planes are nearly all zero and compress to almost nothing.
    planes = deltas.view(np.uint8).reshape(-1, 4).T.copy()
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            words=np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8),
            unigram=np.round(unigram * UNIGRAM_SCALE).astype(np.int16),
            backoff=np.round(backoff * UNIGRAM_SCALE).astype(np.int16),
            zipf=np.clip(np.round(zipf_values * 10), 0, 255).astype(np.uint8),
            in_model=in_model,
            key_planes=planes,
            probs=probs,
            scales=np.array([prob_scale, UNIGRAM_SCALE, KEY_BITS], dtype=np.int32),
        )
    return int(len(keys))


def write_trigram_model(
    path: Path,
    cmu: CmuModel,
    zipf: dict[str, float],
    *,
    min_unigram: float = MIN_UNIGRAM,
    min_shift: float = MIN_SHIFT,
) -> int:
    """Write ``phrase_lm3.npz``, the trigram layer over ``phrase_lm.npz``; returns the number of trigrams.

    In ``phrase_lm.npz``'s word ids: ``keys``, the sorted trigram keys ``a << 2 * key_bits | b << key_bits
    | c`` (uint64) of the CMU trigrams "a b c" whose three words all have ids; ``probs``, their log10
    P(c | a b) (float16); ``backoff``, the log10 back-off weight of each bigram of ``phrase_lm.npz``, in
    the order of its keys (float16; 0 for a bigram no trigram extends); ``key_bits``. A trigram the
    file lacks backs off: log10 P(c | a b) = backoff(a b) + log10 P(c | b), backoff(a b) = 0 when
    ``phrase_lm.npz`` lacks "a b" too.
    """
    _vocabulary, remap = lm_vocabulary(cmu, zipf)
    if 3 * KEY_BITS > 64:
        raise SystemExit(f"error: three {KEY_BITS}-bit word ids do not fit in a 64-bit key")
    kept = lm_bigrams(cmu, remap, min_unigram=min_unigram, min_shift=min_shift)
    ids = [remap[words] for words in (cmu.tri_first, cmu.tri_second, cmu.tri_third)]
    known = (ids[0] >= 0) & (ids[1] >= 0) & (ids[2] >= 0)
    keys = np.zeros(int(known.sum()), dtype=np.uint64)
    for word_ids in ids:
        keys = (keys << np.uint64(KEY_BITS)) | word_ids[known].astype(np.uint64)
    order = np.argsort(keys)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            keys=keys[order],
            probs=cmu.tri_prob[known][order].astype(np.float16),
            backoff=cmu.bigram_backoff[kept].astype(np.float16),
            key_bits=np.array([KEY_BITS], dtype=np.int32),
        )
    return int(len(keys))


def write_alternatives(path: Path, table: dict[str, list[str]]) -> int:
    """Write ``phrase_alternatives.npz``: ``forms`` and ``alternatives`` as newline-joined UTF-8 text and
    ``counts`` (how many alternatives each form has, in order). Word ids are resolved when loading.
    """
    forms = sorted(table)
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            forms=np.frombuffer("\n".join(forms).encode("utf-8"), dtype=np.uint8),
            alternatives=np.frombuffer("\n".join(a for f in forms for a in table[f]).encode("utf-8"), dtype=np.uint8),
            counts=np.array([len(table[f]) for f in forms], dtype=np.uint8),
        )
    return len(forms)


def build(out: Path, wordnet: Path, mythes_path: Path, cmu_path: Path, **pruning: float) -> dict[str, int]:
    """Build every data file into ``out`` and return how many records each holds.

    ``pruning`` goes to ``write_language_model`` (``prob_scale``, ``min_unigram``, ``min_shift``); the
    bigram pruning also to ``write_trigram_model``, which gives a back-off weight to each bigram kept.
    """
    zipf = read_zipf(MIN_ZIPF)
    cmu = read_cmu_trie(cmu_path)
    synsets, exceptions, multiword = read_wordnet(wordnet)
    mythes = read_mythes(mythes_path)
    graph = synonym_graph(synsets, mythes)
    for (lemma, _pos) in list(graph):
        if " " in lemma:
            multiword.add(lemma)

    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    lm_path = out / "phrase_lm.npz"
    counts[lm_path.name] = write_language_model(lm_path, cmu, zipf, **pruning)  # type: ignore[arg-type]
    _licence(lm_path, "bigram back-off language model: vocabulary, unigram and bigram log-probabilities, "
             "back-off weights and Zipf frequencies", ["cmu", "wordfreq"])
    lm3_path = out / "phrase_lm3.npz"
    bigram_pruning = {k: v for k, v in pruning.items() if k in ("min_unigram", "min_shift")}
    counts[lm3_path.name] = write_trigram_model(lm3_path, cmu, zipf, **bigram_pruning)
    _licence(lm3_path, "trigram layer of the back-off language model phrase_lm.npz: trigram "
             "log-probabilities and the back-off weights of its bigrams, in its word ids", ["cmu", "wordfreq"])

    # Forms worth an entry: every known word, and every multi-word thesaurus entry made of known words
    # (with its verb inflections, since a spinner writes "carried out" as readily as "carry out").
    irregular = irregular_forms(exceptions)
    forms: set[str] = set(zipf)
    for lemma in multiword:
        words = lemma.split(" ")
        if 2 <= len(words) <= 4 and all(w in zipf for w in words):
            forms.add(lemma)
            for inflection in ("s", "ed", "ing"):
                forms.update(inflections(lemma, "verb", inflection, zipf, irregular))
    # Multi-word forms are looked up as they are, so they are analysed through their first word's lemma.
    table = alternatives(sorted(f for f in forms if " " not in f), graph, exceptions, zipf)
    table.update(_phrase_alternatives(sorted(f for f in forms if " " in f), graph, exceptions, zipf, irregular))
    alt_path = out / "phrase_alternatives.npz"
    counts[alt_path.name] = write_alternatives(alt_path, table)
    _licence(alt_path, "synonyms each word form may have replaced, inflected, commonest first",
             ["wordnet", "mythes", "wordfreq"])

    # Two-word compounds are left to the language model; expressions of three to five common words.
    expressions = sorted(
        e for e in multiword
        if 3 <= len(e.split(" ")) <= MAX_EXPRESSION_WORDS
        and all(w in zipf and zipf[w] >= 3.0 for w in e.split(" "))
    )
    expr_path = out / "phrase_expressions.tsv.gz"
    counts[expr_path.name] = _write_lines(expr_path, expressions)
    _licence(expr_path, "multi-word expressions (fixed phrases and compounds) of common words",
             ["wordnet", "mythes", "wordfreq"])
    return counts


def _phrase_alternatives(
    phrases: list[str],
    graph: dict[tuple[str, str], set[str]],
    exceptions: dict[str, dict[str, str]],
    zipf: dict[str, float],
    irregular: dict[tuple[str, str, str], set[str]],
) -> dict[str, list[str]]:
    """Alternatives of multi-word forms: the phrase itself as a lemma, or its first word inflected."""
    lemmas = set(graph)
    result: dict[str, list[str]] = {}
    for phrase in phrases:
        first, rest = phrase.split(" ", 1)
        readings = [(phrase, pos, "") for pos in _POS_FILES if (phrase, pos) in lemmas]
        for head_lemma, pos, inflection in analyses(first, _first_words(lemmas), exceptions):
            candidate = f"{head_lemma} {rest}"
            if pos == "verb" and inflection and (candidate, "verb") in lemmas:
                readings.append((candidate, "verb", inflection))
        scored: dict[str, float] = {}
        for lemma, pos, inflection in readings:
            for synonym in graph[(lemma, pos)]:
                for candidate in inflections(synonym, pos, inflection, zipf, irregular):
                    words = candidate.split(" ")
                    if candidate == phrase or len(words) > 3 or not all(w in zipf for w in words):
                        continue
                    commonness = min(zipf[w] for w in words) - 0.5 * (len(words) - 1)
                    if commonness >= MIN_ALT_ZIPF:
                        scored[candidate] = max(scored.get(candidate, -1.0), commonness)
        if scored:
            result[phrase] = sorted(scored, key=lambda c: (-scored[c], c))[:MAX_ALTERNATIVES]
    return result


_FIRST_WORDS: dict[int, set[tuple[str, str]]] = {}


def _first_words(lemmas: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``(first word, "verb")`` of every multi-word verb lemma, so "carried" analyses as "carry"."""
    key = id(lemmas)
    if key not in _FIRST_WORDS:
        _FIRST_WORDS[key] = {
            (lemma.split(" ", 1)[0], "verb") for lemma, pos in lemmas if pos == "verb" and " " in lemma
        }
    return _FIRST_WORDS[key]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: dedup/data)")
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET, help="WordNet 3.0 dict folder")
    parser.add_argument("--mythes", type=Path, default=DEFAULT_MYTHES, help="MyThes .dat file")
    parser.add_argument("--cmu", type=Path, default=DEFAULT_CMU, help="CMU Sphinx trie language model")
    parser.add_argument("--min-unigram", type=float, default=MIN_UNIGRAM, help="bigram pruning: rarest word kept")
    parser.add_argument("--min-shift", type=float, default=MIN_SHIFT, help="bigram pruning: least shift kept")
    parser.add_argument("--prob-scale", type=int, default=PROB_SCALE, help="bigram probability steps per log10")
    args = parser.parse_args(argv)
    for path, package in ((args.wordnet, "wordnet-base"), (args.mythes, "mythes-en-us"),
                          (args.cmu, "pocketsphinx-en-us")):
        if not path.exists():
            raise SystemExit(f"error: {path} is missing. Install it with: apt-get install {package}")
    counts = build(args.out, args.wordnet, args.mythes, args.cmu, prob_scale=args.prob_scale,
                   min_unigram=args.min_unigram, min_shift=args.min_shift)
    for name, count in counts.items():
        size = (args.out / name).stat().st_size
        print(f"{name}: {count} records, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
