"""The phrase checks' compiled kernels (``lm_follow``, ``lm_follow2``, ``lm_find``, ``tree_log_odds``) against
their numpy references, on random ids and features and on the words of real text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dedup import kernels
from dedup.errors import KernelError
from dedup.spin.data import shipped
from dedup.spin.word_model import N_FEATURES
from dedup.text.normalize import tokenize

pytestmark = pytest.mark.skipif(not kernels.compiled(), reason="the compiled kernels are not built")

DATA, MODEL = shipped()
LM = DATA.lm
# Ids of every kind: in the model, the unknown word, and -1 (which reads the unknown word's entry).
IDS = st.integers(min_value=-1, max_value=LM.unknown)


def _ids(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _same(got: tuple[np.ndarray, ...], want: tuple[np.ndarray, ...]) -> None:
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


def _real_ids(text: str) -> np.ndarray:
    return _ids([LM.ids.get(w.lower(), LM.unknown) for w in tokenize(text).words])


REAL = (
    "The minister said on Monday that the talks would resume next week, after rebels backed by heavy air power "
    "took the town. Prices of oil rose again in Asia, and the central bank left its rates unchanged."
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(IDS, IDS), max_size=300))
def test_follow_equals_its_reference_on_random_ids(pairs: list[tuple[int, int]]) -> None:
    previous, word = _ids([p for p, _ in pairs]), _ids([w for _, w in pairs])
    _same(LM.follow(previous, word), LM.follow_reference(previous, word))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(IDS, IDS, IDS), max_size=300))
def test_follow2_equals_its_reference_on_random_ids(triples: list[tuple[int, int, int]]) -> None:
    before, previous, word = (_ids([t[k] for t in triples]) for k in range(3))
    _same(LM.follow2(before, previous, word), LM.follow2_reference(before, previous, word))


def test_the_look_ups_equal_their_references_on_real_text() -> None:
    ids = _real_ids(REAL)
    assert (ids != LM.unknown).sum() > 30  # most of the words are in the model: listed bigrams get read
    _same(LM.follow(ids[:-1], ids[1:]), LM.follow_reference(ids[:-1], ids[1:]))
    _same(LM.follow2(ids[:-2], ids[1:-1], ids[2:]), LM.follow2_reference(ids[:-2], ids[1:-1], ids[2:]))
    listed = LM.follow(ids[:-1], ids[1:])[1]
    assert listed.any() and not listed.all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(LM.keys) - 1), max_size=200),
       st.lists(st.integers(min_value=0, max_value=2**40), max_size=100))
def test_find_equals_its_reference_on_listed_and_other_keys(listed: list[int], other: list[int]) -> None:
    queries = np.concatenate([LM.keys[np.array(listed, dtype=np.int64)], _ids(other)]).astype(np.int64)
    _same((LM.table.find(queries),), (LM.table.find_reference(queries),))


def test_the_look_ups_of_nothing_are_empty() -> None:
    empty = _ids([])
    _same(LM.follow(empty, empty), LM.follow_reference(empty, empty))
    _same(LM.follow2(empty, empty, empty), LM.follow2_reference(empty, empty, empty))
    _same((LM.table.find(empty),), (LM.table.find_reference(empty),))


@pytest.mark.skipif(MODEL is None, reason="no shipped phrase model")
@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(0, 40), st.just(N_FEATURES)),
                  elements=st.one_of(st.floats(-50, 50), st.just(np.nan))))
def test_tree_log_odds_equals_its_reference_bit_for_bit(features: np.ndarray) -> None:
    assert MODEL is not None
    got, want = MODEL.log_odds(features), MODEL.log_odds_reference(features)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_an_id_outside_the_model_is_a_kernel_error_not_a_crash() -> None:
    with pytest.raises(KernelError):
        LM.follow(_ids([LM.unknown + 10]), _ids([0]))
