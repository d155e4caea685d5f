"""The anchor kernel (``dedup._core.ascii_anchors``) equals its Python reference
(``dedup.stages.analyse.reference_anchor_sets``: ``anchor_features`` hashed), on random ASCII with every mark
the skeleton reads, on mixed Unicode text (whose non-ASCII texts the reference takes), on real text and on
empty input; and bad input is a one-line error, not a crash."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import kernels
from dedup.errors import KernelError
from dedup.stages.analyse import _ANCHOR_WORDS, _anchor_sets, reference_anchor_sets
from dedup.text.normalize import tokenize

_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"})
REPO = Path(__file__).resolve().parent.parent
REAL = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").rglob("*.txt"))]
# The same texts in ASCII (accents dropped, curly quotes and dashes made plain): the kernel's own input.
REAL_ASCII = [unicodedata.normalize("NFKD", t.translate(_PLAIN)).encode("ascii", "ignore").decode() for t in REAL]

needs_core = pytest.mark.skipif(kernels.core is None, reason="the compiled kernels are not built here")

# Capitals after and away from every break mark, figures with their inner dots and commas, joiners, skeleton
# words and generic ones, so that names, figures, placeholders and generic n-grams all occur.
_PIECES = ["The", "the", "a", "An", "and", "was", "it's", "Kabul", "kabul", "Taliban", "said", "troops", "3.5",
           "1,000", "2001", "U.S.", "x`y", "don't", "_", "__", "Mr", "in", "of", "by"]
_GAPS = [" ", " ", " ", ". ", "! ", "? ", ": ", "; ", "\n", '"', ' "', "' ", ", ", "(", ") ", "-", "...", "\t"]
ASCII_TEXT = st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=40).map(
    lambda parts: "".join(w + g for w, g in parts))
RAW_ASCII = st.text(st.sampled_from("aZk09_ '`.,!?\";:)(\n\tBx5"), max_size=80)
UNICODE = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
NEWSY = st.text(st.sampled_from("abcXYZ019 .,'\u2019`\n\u201c\u201d\u2014-\u00e9\u00c9\u00df\ufb01!?\t:;"),
                max_size=100)


def _equal(texts: list[str]) -> None:
    got = _anchor_sets(texts)
    want = reference_anchor_sets(texts, [tokenize(t) for t in texts])
    assert len(got) == len(want)
    if not texts:
        assert [g.tolist() for g in got] == [w.tolist() for w in want]
        return
    for g, w, text in zip(got, want, texts, strict=True):
        assert g.dtype == np.uint32 and w.dtype == np.uint32
        assert g.tolist() == w.tolist(), text


@needs_core
@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ASCII_TEXT, RAW_ASCII), max_size=6))
def test_ascii_anchors_equal_the_reference(texts: list[str]) -> None:
    _equal(texts)


@needs_core
@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(ASCII_TEXT, NEWSY, UNICODE), max_size=6))
def test_mixed_texts_equal_the_reference(texts: list[str]) -> None:
    _equal(texts)


@needs_core
def test_real_text_and_empty_input_equal_the_reference() -> None:
    assert REAL and all(t.isascii() for t in REAL_ASCII)
    _equal(REAL)
    _equal(REAL_ASCII)
    _equal(REAL + REAL_ASCII)
    _equal([])
    _equal(["", " ", "..."])
    # Each real text alone, and many threads over a large batch.
    for text in REAL_ASCII:
        _equal([text])
    before = kernels.threads()
    kernels.set_threads(2)
    try:
        _equal((REAL_ASCII + REAL) * 20)
    finally:
        kernels.set_threads(before)


@needs_core
def test_anchors_of_a_real_text_are_not_empty() -> None:
    # Guards against both sides giving nothing: a news text has names and a skeleton.
    found = _anchor_sets(REAL_ASCII)
    assert all(len(a) > 100 for a in found)


@needs_core
def test_bad_input_is_a_kernel_error() -> None:
    data = np.frombuffer(b"abc\xc3\xa9", dtype=np.uint8)
    with pytest.raises(KernelError):
        kernels.call(kernels.core.ascii_anchors, data, np.array([5], dtype=np.int64), *_ANCHOR_WORDS, 1)
    with pytest.raises(KernelError):
        kernels.call(kernels.core.ascii_anchors, data[:3], np.array([4], dtype=np.int64), *_ANCHOR_WORDS, 1)
