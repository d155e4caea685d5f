"""The language model of the phrase checks: bigram and trigram back-off probabilities over word ids.

The model comes from the CMU Sphinx US English model, packed by ``scripts/build_phrase_data.py``
(``phrase_lm.npz``, ``phrase_lm3.npz``; ``dedup.spin.data`` loads it). The checks ask it millions of
questions per batch, so every look-up takes whole arrays of word ids, and the listed n-grams are found
through a hash table built once (``BigramTable``) rather than by searching the sorted keys. The look-ups
have compiled twins (``dedup._core.lm_follow``, ``lm_follow2``, ``lm_find``: one pass over the ids, where numpy
makes a dozen arrays); the numpy methods (``follow_reference`` ...) stay as the references, used when
``dedup.kernels.core`` is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from dedup import kernels

__all__ = ["BigramTable", "LanguageModel"]


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
    # The keys' positions in a hash table (``BigramTable``), for look-ups without searching ``keys``.
    table: BigramTable
    bigram_backoff: np.ndarray  # back-off weight of each listed bigram (as history of a trigram)
    trigram_keys: np.ndarray  # the listed trigrams, sorted: (first << 2 * key_bits) | (second << key_bits) | word
    trigram_probs: np.ndarray  # log10 P(word | first second) of each
    trigram_table: BigramTable

    @property
    def unknown(self) -> int:
        """The id of words outside the vocabulary."""
        return len(self.unigram) - 1

    @cached_property
    def kernel_args(self) -> tuple[Any, ...]:
        """The arrays the compiled look-ups read, in the order ``dedup._core.lm_follow`` takes them."""
        return (self.unigram, self.backoff, self.in_model, self.probs, self.key_bits, self.table.kernel_args,
                self.bigram_backoff, self.trigram_probs, self.trigram_table.kernel_args)

    def follow(self, previous: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 P(word | previous) for arrays of ids, and whether the bigram is listed.

        ``previous == -1`` means no previous word in the clause: the unigram probability is used.

        >>> from dedup.spin.data import shipped
        >>> lm = shipped()[0].lm
        >>> ids = np.array([lm.ids["backed"]]), np.array([lm.ids["by"]])
        >>> bool(lm.follow(*ids)[0][0] > lm.follow(np.array([-1]), ids[1])[0][0])
        True
        """
        if kernels.core is not None:
            return kernels.call(kernels.core.lm_follow, self.kernel_args, _ids(previous), _ids(word))
        return self.follow_reference(previous, word)

    def follow_reference(self, previous: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``follow`` in numpy: the reference of ``dedup._core.lm_follow``."""
        # previous == -1 reads the last entry, the unknown word's: back-off 0 and not in the model, which is
        # just what "no previous word" needs (the unigram probability, and no bigram to look up).
        log_prob = self.backoff[previous] + self.unigram[word]
        listed = np.zeros(len(word), dtype=bool)
        # Only pairs of two words the model knows can be listed; the others need no look-up.
        searched = np.flatnonzero(self.in_model[previous] & self.in_model[word])
        if len(searched):
            at = self.table.find_reference((previous[searched] << self.key_bits) | word[searched])
            found = np.flatnonzero(at >= 0)
            hits = searched[found]
            listed[hits] = True
            log_prob[hits] = self.probs[at[found]]
        return log_prob, listed

    def follow2(self, before: np.ndarray, previous: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 P(word | before previous) for arrays of ids, and whether the trigram is listed.

        ``before == -1`` (or ``previous == -1``) means no such word in the clause: the bigram (or unigram)
        probability is used. An unlisted trigram backs off: the history's weight plus the bigram's.

        >>> from dedup.spin.data import shipped
        >>> lm = shipped()[0].lm
        >>> ids = [np.array([lm.ids[w]]) for w in ("one", "of", "the")]
        >>> bool(lm.follow2(*ids)[0][0] > lm.follow(*ids[1:])[0][0])
        True
        """
        if kernels.core is not None:
            return kernels.call(kernels.core.lm_follow2, self.kernel_args, _ids(before), _ids(previous), _ids(word))
        return self.follow2_reference(before, previous, word)

    def follow2_reference(
        self, before: np.ndarray, previous: np.ndarray, word: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``follow2`` in numpy: the reference of ``dedup._core.lm_follow2``."""
        log_prob, _ = self.follow_reference(previous, word)
        listed = np.zeros(len(word), dtype=bool)
        # Only a history of two words the model knows has a weight, and only then can the trigram be listed.
        searched = np.flatnonzero((before >= 0) & self.in_model[before] & self.in_model[previous])
        if len(searched):
            a, b, c = before[searched], previous[searched], word[searched]
            history = self.table.find_reference((a << self.key_bits) | b)
            log_prob[searched] += np.where(history >= 0, self.bigram_backoff[history], 0.0)
            at = self.trigram_table.find_reference((a << (2 * self.key_bits)) | (b << self.key_bits) | c)
            found = np.flatnonzero(at >= 0)
            listed[searched[found]] = True
            log_prob[searched[found]] = self.trigram_probs[at[found]]
        return log_prob, listed


def _ids(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int64)


class BigramTable:
    """Where each of a sorted array of distinct non-negative keys is: a cuckoo hash table built once.

    A key sits in one of two slots (the top bits of the key times one of two odd multipliers), packed with its
    position in the array as ``key << position_bits | position``; -1 is an empty slot. A look-up reads both
    slots of every query at once, two gathers with no loop and no search, where a binary search of the two
    million bigram keys misses the cache at almost every step. With at most half the slots used, placing the
    keys by eviction succeeds in practice; the rare key left without a slot goes to a sorted ``stash``, read
    by binary search for the keys the table misses.

    >>> table = BigramTable(np.array([3, 8, 20]))
    >>> table.find(np.array([8, 5, 20])).tolist()
    [1, -1, 2]
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

    @property
    def kernel_args(self) -> tuple[Any, ...]:
        """The table as the compiled look-ups take it: (slots, keys, stash, slot_bits, position_bits)."""
        return self.slots, self.keys, self.stash, self.slot_bits, self.position_bits

    def find(self, queries: np.ndarray) -> np.ndarray:
        """The position in ``keys`` of each of ``queries`` (non-negative int64), -1 for those not there."""
        if kernels.core is not None:
            return kernels.call(kernels.core.lm_find, self.kernel_args, _ids(queries))
        return self.find_reference(queries)

    def find_reference(self, queries: np.ndarray) -> np.ndarray:
        """``find`` in numpy: the reference of ``dedup._core.lm_find``."""
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
