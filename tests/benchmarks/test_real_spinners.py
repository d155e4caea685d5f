"""Tests of the real-spinner families: deterministic, honour the rate, keep sentences, paragraphs and offsets,
and keep away from the idioms held back for testing."""

from __future__ import annotations

import pytest

from benchmarks import spinner_sources
from benchmarks.devdata import split_sentences
from benchmarks.real_spinners import FAMILIES, eligible_slots, spin
from benchmarks.spinner import THESAURUS_PACKAGES, ThesaurusNotInstalled, load_thesaurus
from benchmarks.spinner_sources import TORTURED_PATH, idiom_spans, learn_profile, split_idioms

TEXT = (
    "Hundreds of residents were forced to leave their homes in the hills east of Canberra on Tuesday, after "
    "strong winds pushed a huge bushfire towards the small town. About 300 firefighters took part in "
    'back-burning operations overnight, officials said. "We are confident the fire will be contained by '
    'Friday," Mr Smith told reporters at the same time.\n\nThe blaze has already destroyed 12 houses and damaged '
    "a school before the prime minister arrived. Police closed the main highway in the wake of the fire, and "
    "authorities warned drivers to avoid the area until further notice. When the weekly rain comes, crews "
    "hope to bring the fire under control in the long run."
)
RATES = (0.15, 0.3, 0.45)


@pytest.fixture(scope="module", autouse=True)
def _data_or_skip() -> None:
    for name in ("mythes", "wordnet"):
        try:
            load_thesaurus(name)
        except ThesaurusNotInstalled:
            pytest.skip(f"the {name} thesaurus is not installed: apt-get install {THESAURUS_PACKAGES[name]}")
    if not TORTURED_PATH.exists():
        pytest.skip(f"the tortured-phrase half is missing: {TORTURED_PATH}")


@pytest.fixture(params=sorted(FAMILIES))
def family(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_same_seed_same_output_and_seeds_differ(family: str) -> None:
    first = FAMILIES[family](TEXT, 0.4, 7)
    assert FAMILIES[family](TEXT, 0.4, 7) == first
    assert any(FAMILIES[family](TEXT, 0.4, seed).text != first.text for seed in range(8, 12))


@pytest.mark.parametrize("rate", RATES)
def test_changes_the_share_of_slots_asked(family: str, rate: float) -> None:
    slots = eligible_slots(TEXT, family)
    assert len(slots) >= 4, "the test text should give every family something to change"
    spun = FAMILIES[family](TEXT, rate, 3)
    assert len(spun.swaps) == round(rate * len(slots))
    assert spun.text != TEXT


@pytest.mark.parametrize("rate", [*RATES, 1.0])
def test_keeps_sentences_and_paragraph_breaks(family: str, rate: float) -> None:
    spun = FAMILIES[family](TEXT, rate, 5)
    assert len(split_sentences(spun.text)) == len(split_sentences(TEXT))
    assert [len(split_sentences(p)) for p in spun.text.split("\n\n")] == [
        len(split_sentences(p)) for p in TEXT.split("\n\n")
    ]


@pytest.mark.parametrize("seed", range(4))
def test_swap_offsets_point_at_both_texts(family: str, seed: int) -> None:
    spun = FAMILIES[family](TEXT, 0.5, seed)
    previous_end = 0
    for old_start, old_end, old, new_start, new_end, new in spun.swaps:
        assert TEXT[old_start:old_end] == old
        assert spun.text[new_start:new_end] == new
        assert new != old and old_start >= previous_end
        previous_end = old_end


def test_idiom_family_breaks_even_idioms_and_never_odd_ones() -> None:
    even, odd = split_idioms()
    # A text made of odd-line idioms and nothing else must give the idiom family nothing to do.
    odd_text = ". ".join(idiom.capitalize() for idiom in odd if "'" not in idiom) + "."
    spans = idiom_spans(odd_text, odd)
    for family in ("idiom", "mixed"):
        for old_start, old_end, *_rest in spin(odd_text, 1.0, 1, family).swaps:
            assert not any(a < old_end and old_start < b for a, b in spans), family
    # And with the even half it does break idioms: "take part in", "at the same time" are even lines.
    broken = {s[2].lower() for s in spin(TEXT, 1.0, 1, "idiom").swaps}
    assert broken & set(even)


def test_split_idioms_uses_line_numbers() -> None:
    even, odd = split_idioms()
    lines = spinner_sources.IDIOMS_PATH.read_text(encoding="utf-8").splitlines()
    assert all(lines.index(idiom) % 2 == 1 for idiom in even)  # 0-based index odd = 1-based line even
    assert all(lines.index(idiom) % 2 == 0 for idiom in odd)


def test_function_family_writes_real_spinner_habits() -> None:
    swaps = {(s[2].lower(), s[5].lower()) for s in spin(TEXT, 1.0, 2, "function").swaps}
    assert all(new in spinner_sources.FUNCTION_SWAPS[old] for old, new in swaps)
    assert any(" " in new for _old, new in swaps), "some function words become phrases"


def test_profile_is_counted_from_the_list() -> None:
    profile = learn_profile()
    assert sum(profile.kinds.values()) == pytest.approx(1.0)
    assert all(sum(shares) == pytest.approx(1.0) for shares in profile.swapped.values())
    assert profile.kinds["same"] > profile.kinds["grow"] > 0


def test_rate_outside_range_is_refused() -> None:
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        spin(TEXT, 1.5, 1)
    with pytest.raises(ValueError, match="family must be one of"):
        eligible_slots(TEXT, "nonsense")
