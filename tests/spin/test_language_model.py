"""Tests of the language model (dedup.spin.language_model): vectorised look-ups against binary searches."""

from __future__ import annotations

import bisect

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.spin import PhraseChecker
from dedup.spin.language_model import BigramTable
from tests.spin.references import slow_follow, slow_follow2


def test_vectorised_bigram_lookup_matches_bisect(checker: PhraseChecker) -> None:
    lm = checker.data.lm
    rng = np.random.default_rng(7)
    listed = lm.keys[rng.integers(0, len(lm.keys), 150)]
    previous = np.concatenate([listed >> lm.key_bits, rng.integers(-1, lm.unknown + 1, 150)])
    word = np.concatenate([listed & ((1 << lm.key_bits) - 1), rng.integers(0, lm.unknown + 1, 150)])
    fast, found = lm.follow(previous, word)
    slow = [slow_follow(lm, int(p), int(w)) for p, w in zip(previous, word, strict=True)]
    assert fast.tolist() == slow  # the same bits, not merely close
    assert found[:150].all()
    keys = set(lm.keys.tolist())
    listed = [p >= 0 and (p << lm.key_bits | w) in keys for p, w in zip(previous.tolist(), word.tolist(), strict=True)]
    assert found.tolist() == listed


def test_vectorised_trigram_lookup_matches_bisect(checker: PhraseChecker) -> None:
    lm = checker.data.lm
    bits = lm.key_bits
    rng = np.random.default_rng(11)
    listed = lm.trigram_keys[rng.integers(0, len(lm.trigram_keys), 150)]
    mask = (1 << bits) - 1
    # Listed trigrams; random triples of words (mostly backed off), some with no word before.
    before = np.concatenate([listed >> 2 * bits, rng.integers(-1, lm.unknown + 1, 150)])
    previous = np.concatenate([(listed >> bits) & mask, rng.integers(0, lm.unknown + 1, 150)])
    word = np.concatenate([listed & mask, rng.integers(0, lm.unknown + 1, 150)])
    # Histories that are listed bigrams but with a word no trigram follows them with: back-off weights.
    history = lm.keys[rng.integers(0, len(lm.keys), 100)]
    before = np.concatenate([before, history >> bits])
    previous = np.concatenate([previous, history & mask])
    word = np.concatenate([word, rng.integers(0, lm.unknown + 1, 100)])
    fast, found = lm.follow2(before, previous, word)
    slow = [slow_follow2(lm, *map(int, t)) for t in zip(before, previous, word, strict=True)]
    assert np.allclose(fast, slow, rtol=0, atol=1e-9)
    assert found[:150].all()
    assert not found[150:300].all()


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.one_of(st.integers(0, 300), st.integers(0, 2**40)), max_size=300),
    st.lists(st.one_of(st.integers(0, 300), st.integers(0, 2**40)), max_size=60),
    st.sampled_from([None, 3, 6]),
    st.sampled_from([0, 20]),
)
def test_bigram_table_finds_what_a_binary_search_finds(
    keys: set[int], others: list[int], slot_bits: int | None, widen: int
) -> None:
    # With 8 or 64 slots most key sets do not fit: the keys left over must be found in the stash. Keys
    # shifted by 20 bits are too wide to pack with their positions (as the trigrams' are), when there is one.
    keys = {k << widen for k in keys}
    others = [k << widen for k in others]
    ordered = np.array(sorted(keys), dtype=np.int64)
    table = BigramTable(ordered, slot_bits)
    queries = np.array([*sorted(keys), *others], dtype=np.int64)
    expected = [bisect.bisect_left(ordered.tolist(), q) if q in keys else -1 for q in queries.tolist()]
    assert table.find(queries).tolist() == expected
    # Every key is in the table or the stash, once.
    filled = table.slots[table.slots >= 0]
    placed = (filled & ((1 << table.position_bits) - 1) if table.packed else filled).tolist()
    assert table.packed or widen
    assert sorted([*placed, *table.stash.tolist()]) == list(range(len(keys)))
