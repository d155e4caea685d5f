"""``tokenize``'s compiled ASCII path (``dedup._core.ascii_words``) against its regular expression: the same
words and spans on random ASCII (every character ``WORD`` treats specially), on real text, and on empty input;
a text with any other character keeps the regular expression."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import kernels
from dedup.text.normalize import Tokens, tokenize

needs_core = pytest.mark.skipif(kernels.core is None, reason="the compiled kernels are not built here")

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
# Word characters, the joiners the expression looks at (apostrophe, backquote, point, comma), digits, other
# punctuation and white space, upper case included.
ASCII = st.text(st.sampled_from("aZ09_'`.,!?-\" \n\t\x00x5Q"), max_size=80)


def _reference(text: str) -> Tokens:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(kernels, "core", None)
        return tokenize(text)


@needs_core
@settings(max_examples=500, deadline=None)
@given(ASCII)
def test_ascii_words_equal_the_expression(text: str) -> None:
    assert tokenize(text) == _reference(text)


@needs_core
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_ascii_words_equal_the_expression_on_real_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ascii_text = text.encode("ascii", "replace").decode("ascii")  # the ASCII path, on these words
    assert tokenize(ascii_text) == _reference(ascii_text)
    assert tokenize(text) == _reference(text)  # other characters: the expression, both ways


@needs_core
def test_ascii_words_of_nothing_and_of_a_backquote() -> None:
    assert tokenize("") == _reference("") == Tokens((), (), ())
    assert tokenize("Rock`n`Roll, 1,000.5m") == _reference("Rock`n`Roll, 1,000.5m")
    assert tokenize("Rock`n`Roll").words == ("rock'n'roll",)


@needs_core
def test_the_kernel_refuses_other_text() -> None:
    assert kernels.core is not None
    with pytest.raises(ValueError, match="ASCII"):
        kernels.core.ascii_words("caf\u00e9")
