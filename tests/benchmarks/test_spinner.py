"""Tests of the benchmark spinner: swaps honour the rate, keep names, numbers and punctuation, and replay."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import spinner
from benchmarks.spinner import THESAURUS_PACKAGES, ThesaurusNotInstalled, eligible_units, load_thesaurus, spin

TEXT = (
    "Hundreds of residents were forced to leave their homes in the hills east of Canberra on Tuesday, after "
    "strong winds pushed a huge bushfire towards the small town. About 300 firefighters carried out back-burning "
    'operations overnight, officials said. "We are confident the fire will be contained by Friday," Mr Smith '
    "told reporters.\n\nThe blaze has already destroyed 12 houses and damaged a school. Police closed the main "
    "highway, and authorities warned drivers to avoid the area until further notice. Rain is forecast for the "
    "weekend, which would help crews bring the fire under control."
)


def _thesaurus_or_skip(name: str) -> str:
    try:
        load_thesaurus(name)
    except ThesaurusNotInstalled:
        pytest.skip(f"the {name} thesaurus is not installed: apt-get install {THESAURUS_PACKAGES[name]}")
    return name


@pytest.fixture(params=["mythes", "wordnet"])
def thesaurus(request: pytest.FixtureRequest) -> str:
    return _thesaurus_or_skip(request.param)


def _mid_sentence_names(text: str) -> list[str]:
    # A capitalised word not preceded by sentence-ending punctuation, a quote or a line break.
    return [m.group(1) for m in re.finditer(r"(?<=[a-z,] )([A-Z][a-z]+)", text)]


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.:]*", text)


def _skeleton(text: str) -> str:
    # Punctuation and line breaks in order: what a spinner must leave exactly as it was.
    return re.sub(r"[A-Za-z' -]", "", text)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_seed_gives_the_same_spin(thesaurus: str, seed: int) -> None:
    assert spin(TEXT, 0.4, seed, thesaurus) == spin(TEXT, 0.4, seed, thesaurus)


def test_different_seeds_give_different_spins(thesaurus: str) -> None:
    assert len({spin(TEXT, 0.4, seed, thesaurus).text for seed in range(5)}) > 1


@settings(max_examples=30, deadline=None)
@given(rate=st.floats(0.0, 1.0), seed=st.integers(0, 2**31))
def test_rate_is_the_share_of_eligible_units_swapped(rate: float, seed: int) -> None:
    name = _thesaurus_or_skip("mythes")
    units = eligible_units(TEXT, name)
    assert len(spin(TEXT, rate, seed, name).swaps) == round(rate * len(units))


@settings(max_examples=30, deadline=None)
@given(rate=st.floats(0.0, 1.0), seed=st.integers(0, 2**31))
def test_swaps_replay_the_spun_text(rate: float, seed: int) -> None:
    name = _thesaurus_or_skip("mythes")
    spun = spin(TEXT, rate, seed, name)
    rebuilt, cursor = [], 0
    for old_start, old_end, old, new_start, new_end, new in spun.swaps:
        assert TEXT[old_start:old_end] == old
        assert spun.text[new_start:new_end] == new
        assert new.lower() != old.lower()
        rebuilt += [TEXT[cursor:old_start], new]
        cursor = old_end
    assert "".join(rebuilt) + TEXT[cursor:] == spun.text


@pytest.mark.parametrize("rate", [0.3, 1.0])
def test_names_numbers_and_punctuation_are_kept(thesaurus: str, rate: float) -> None:
    spun = spin(TEXT, rate, 7, thesaurus).text
    assert _mid_sentence_names(spun) == _mid_sentence_names(TEXT)
    assert _numbers(spun) == _numbers(TEXT)
    assert _skeleton(spun) == _skeleton(TEXT)
    # Spelt-out numbers are figures too.
    assert spun.startswith("Hundreds of")


def test_capitalisation_follows_the_original(thesaurus: str) -> None:
    spun = spin(TEXT, 1.0, 3, thesaurus)
    assert spun.swaps
    for _old_start, _old_end, old, _new_start, _new_end, new in spun.swaps:
        assert old[0].isupper() == new[0].isupper(), (old, new)


def test_rate_zero_changes_nothing(thesaurus: str) -> None:
    assert spin(TEXT, 0.0, 1, thesaurus) == spinner.Spun(TEXT, [])


@pytest.mark.parametrize("word", ["the", "of", "were", "their", "Canberra", "Smith", "Tuesday", "300", "12"])
def test_function_words_names_and_numbers_are_not_eligible(thesaurus: str, word: str) -> None:
    assert word not in {unit.text for unit in eligible_units(TEXT, thesaurus)}


@pytest.mark.parametrize("phrase", ["carried out"])
def test_multi_word_entries_are_one_unit(thesaurus: str, phrase: str) -> None:
    assert phrase in {unit.text for unit in eligible_units(TEXT, thesaurus)}


def test_contractions_and_compounds_are_left_alone(thesaurus: str) -> None:
    text = "The minister didn't attend the cross-border talks."
    texts = {unit.text for unit in eligible_units(text, thesaurus)}
    assert not texts & {"didn", "t", "cross", "border"}


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        spin(TEXT, rate, 1)


def test_unknown_thesaurus_is_refused() -> None:
    with pytest.raises(ValueError, match="thesaurus must be one of"):
        load_thesaurus("roget")


@pytest.mark.parametrize(
    ("base", "form", "pos", "expected"),
    [
        ("attack", "ed", "verb", "attacked"),
        ("seize", "ed", "verb", "seized"),
        ("carry", "ed", "verb", "carried"),
        ("stop", "ing", "verb", "stopping"),
        ("take", "ing", "verb", "taking"),
        ("tell", "ed", "verb", "told"),
        ("army", "s", "noun", "armies"),
        ("church", "s", "noun", "churches"),
        ("man", "s", "noun", "men"),
        ("big", "er", "adj", "bigger"),
        ("easy", "er", "adj", "easier"),
        ("good", "er", "adj", "better"),
    ],
)
def test_inflection_carried_to_the_synonym(base: str, form: str, pos: str, expected: str) -> None:
    assert spinner._inflect_word(base, form, pos) == expected


def test_verb_phrases_inflect_their_first_word() -> None:
    assert spinner._inflect("carry out", "ed", "verb") == "carried out"
    assert spinner._inflect("air force", "s", "noun") == "air forces"
