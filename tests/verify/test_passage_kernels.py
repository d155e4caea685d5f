"""The passage search's compiled kernels against their references: difflib's matching blocks
(``dedup.verify.blocks``) and the seeds of ``dedup.verify.passages._seeds``, on random words, random
Unicode text and real text (empty input included); with and without the kernels, the same passages."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import kernels
from dedup.verify import passages
from dedup.verify.blocks import matching_blocks, reference_blocks
from dedup.verify.passages import find_passages

needs_core = pytest.mark.skipif(kernels.core is None, reason="the compiled kernels are not built here")

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

# Few distinct words, so that long common runs and ties between equally long ones are frequent.
WORDS = st.lists(st.sampled_from(["the", "cat", "sat", "on", "mat", "\u00e9t\u00e9", "\u2019", ""]), max_size=60)
# Sentences from a small vocabulary: texts that share sentences and words, reworded and reordered.
SENTENCE = st.lists(st.sampled_from(["fire", "crews", "were", "called", "to", "Sydney", "at", "dawn", "the",
                                     "blaze", "12", "homes", "lost", "police", "said", "\u00e9t\u00e9"]),
                    min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
TEXT = st.lists(SENTENCE, max_size=12).map(" ".join)


def _without_kernels(monkeypatch: pytest.MonkeyPatch, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        m.setattr(kernels, "core", None)
        passages._verbatim_kept.clear()  # its kept answers came from the kernel
        try:
            return func(*args, **kwargs)
        finally:
            passages._verbatim_kept.clear()


@needs_core
@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS)
def test_blocks_equal_difflib(a: list[str], b: list[str]) -> None:
    assert matching_blocks(a, b) == reference_blocks(a, b)


@needs_core
@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=3), max_size=30), st.lists(st.text(max_size=3), max_size=30))
def test_blocks_equal_difflib_on_any_strings(a: list[str], b: list[str]) -> None:
    assert matching_blocks(a, b) == reference_blocks(a, b)


@needs_core
@pytest.mark.parametrize(("x", "y"), list(itertools.combinations(range(len(SEED_TEXTS)), 2)))
def test_blocks_equal_difflib_on_real_text(x: int, y: int) -> None:
    a, b = SEED_TEXTS[x].lower().split(), SEED_TEXTS[y].lower().split()
    assert matching_blocks(a, b) == reference_blocks(a, b)
    assert matching_blocks(a, a) == reference_blocks(a, a) == [(0, 0, len(a)), (len(a), len(a), 0)]


@needs_core
@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, st.integers(1, 40))
def test_passages_are_the_same_without_the_kernels(a: str, b: str, min_words: int) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        reference = _without_kernels(monkeypatch, find_passages, a, b, min_words=min_words)
    assert find_passages(a, b, min_words=min_words) == reference


@needs_core
@settings(max_examples=50, deadline=None)
@given(TEXT, TEXT)
def test_seeds_are_the_same_without_the_kernels(a: str, b: str) -> None:
    from dedup.text.normalize import tokenize

    vocabulary: dict[str, int] = {}
    ua, ub = passages._Units(a, tokenize(a), vocabulary), passages._Units(b, tokenize(b), vocabulary)
    i, j, isf = passages._seeds(ua, ub, len(vocabulary))
    with pytest.MonkeyPatch.context() as monkeypatch:
        ri, rj, risf = _without_kernels(monkeypatch, passages._seeds, ua, ub, len(vocabulary))
    assert i.tolist() == ri.tolist() and j.tolist() == rj.tolist() and isf.tolist() == risf.tolist()
    assert i.dtype == ri.dtype and j.dtype == rj.dtype


@needs_core
@pytest.mark.parametrize(("x", "y"), list(itertools.permutations(range(len(SEED_TEXTS)), 2)))
def test_passages_of_real_text_are_the_same_without_the_kernels(monkeypatch: pytest.MonkeyPatch, x: int,
                                                                 y: int) -> None:
    a = SEED_TEXTS[x]
    b = SEED_TEXTS[y][: len(SEED_TEXTS[y]) // 2] + a[len(a) // 3 :]  # half of one, then most of the other
    reference = _without_kernels(monkeypatch, find_passages, a, b, min_words=10)
    found = find_passages(a, b, min_words=10)
    assert found == reference and found  # b holds most of a: there is a passage to find


def test_empty_input() -> None:
    assert matching_blocks([], []) == reference_blocks([], []) == [(0, 0, 0)]
    assert find_passages("", "Some words here.") == ()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1,
                        max_size=6), max_size=20))
def test_facts_are_the_words_holding_a_digit(words: list[str]) -> None:
    from dedup.text.normalize import Tokens

    tokens = Tokens(tuple(words), tuple(range(len(words))), tuple(range(1, len(words) + 1)))
    expected = {w for w in words if any(c.isdecimal() for c in w)}  # \d: the Unicode decimal digits (Nd)
    assert passages._facts("", tokens, 0, len(words)) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab1\u0663\u00bd\u00b2x\x00 .,\u6771"), max_size=40))
def test_the_digit_words_pattern_finds_what_the_plain_one_does(text: str) -> None:
    plain = re.compile(r"[^\x00\d]*\d[^\x00]*").findall  # the pattern before: the same words, slower
    assert passages._DIGIT_WORDS(text) == plain(text)
