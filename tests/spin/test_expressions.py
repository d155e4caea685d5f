"""Tests of the broken fixed expressions (dedup.spin.expressions)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.spin import PhraseChecker
from dedup.spin.expressions import EXPRESSION_SHAPES, broken_expression, expression_shapes
from dedup.text.normalize import tokenize


def test_broken_fixed_expression_is_restored(checker: PhraseChecker) -> None:
    text = "Officials said the delay was a blessing in camouflage for the project."
    (found,) = [c for c in checker.candidates(text) if c.text == "camouflage"]
    assert found.original == "a blessing in disguise"
    assert "fixed expression" in found.reason


def _slow_broken_expression(checker: PhraseChecker, forms: list[str], run: list[int], i: int) -> str | None:
    # Every window of three to five words around word i in one clause, looked up as it is.
    data = checker.data
    span = data.forms.get(forms[i])
    if span is None:
        return None
    options = set(data.alt_text[span[0] : span[1]])
    for size in (3, 4, 5):
        for slot in range(size):
            start, end = i - slot, i - slot + size
            if start < 0 or end > len(forms) or run[start] != run[end - 1]:
                continue
            others = (*forms[start:i], *forms[i + 1 : end])
            for filler in data.expressions.get((slot, others), ()):
                if filler in options:
                    return " ".join((*forms[start:i], filler, *forms[i + 1 : end]))
    return None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "blessing", "in", "camouflage", "disguise", "the", "kicked", "bucket", "pail",
                                 "spilled", "beans", "legumes", ",", "."]), max_size=14))
def test_broken_expressions_match_a_slow_search(checker: PhraseChecker, words: list[str]) -> None:
    text = " ".join(words)
    scan = checker.scan([text], [tokenize(text)])
    slots = np.arange(len(scan.forms))
    shapes = expression_shapes(checker.data, scan, slots)
    for k in slots.tolist():
        tried = [shape for shape, hit in zip(EXPRESSION_SHAPES, shapes[k], strict=True) if hit]
        expected = _slow_broken_expression(checker, scan.forms, scan.run.tolist(), k)
        assert broken_expression(checker.data, scan.forms, k, tried) == expected
