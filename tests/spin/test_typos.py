"""Tests of typos and OCR misreadings (dedup.spin.typos): near misses of common words are not spin."""

from __future__ import annotations

import random
import time

import pytest

from dedup.spin import PhraseChecker, load_checker
from dedup.spin.typos import Typos, longest_common_word, near_common_word
from tests.spin.samples import SEEDS


@pytest.mark.parametrize("rate", [0.02, 0.04])
def test_ocr_noise_is_not_spinning(rate: float) -> None:
    rng = random.Random(11)
    look_alikes = {"m": "rn", "l": "1", "e": "c", "o": "0", "u": "ii", "h": "li"}
    for name in ("000_c5747d1115790d1d.txt", "001_7accc43c01826d1b.txt", "002_142733eb08f806b7.txt"):
        text = (SEEDS / name).read_text(encoding="utf-8")
        noised = []
        for char in text:
            draw = rng.random()
            if char.isalpha() and draw < rate / 3:
                noised.append(look_alikes.get(char, char + char))  # a misread or doubled letter
            elif char.isalpha() and draw < rate / 2:
                continue  # a dropped letter
            else:
                noised.append(char)
        result = load_checker().check("".join(noised))
        assert not result.spun, (name, rate, result.score, [e.text for e in result.evidence][:5])


@pytest.mark.parametrize("word", [
    "disproportionatelydisproportionately",  # two of the longest common words run together: a missing space
    "disproportionatelydisproportionatelyx",  # one letter past the bound
    "disproportionatelx",
    "x" * 60,
])
def test_typo_bound_answers_as_the_full_search(checker: PhraseChecker, word: str) -> None:
    """A word longer than twice the longest common word is answered at once, as the full search answers."""
    lm = checker.data.lm
    # With a bound of 10**9 no word is too long: every edit is tried.
    assert near_common_word(word, lm, longest_common_word(lm)) == near_common_word(word, lm, 10**9)


def test_typos_are_remembered_and_forgotten_past_the_limit(checker: PhraseChecker,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Typos, "LIMIT", 2)
    typos = Typos(checker.data.lm)
    words = ["shoiild", "qzxv", "theinterim", "captan"]
    assert [typos.looks_like_typo(w) for w in words] == [True, False, True, True]
    assert typos.longest == longest_common_word(checker.data.lm)
    assert typos.seen == {"captan": True}  # past two words remembered, it started afresh


def test_one_long_word_is_checked_in_linear_time(checker: PhraseChecker) -> None:
    """A 30k-character "word" took 12 s when every edit of it was built and looked up."""
    word = "".join("abcdefghij"[(k * 7) % 10] for k in range(30_000))
    started = time.perf_counter()
    result = checker.check(f"The army said on Monday that {word} was seen near the border.")
    assert time.perf_counter() - started < 3.0
    assert not result.spun
