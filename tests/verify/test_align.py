"""Tests of dedup.verify.align: substitutions found with their spans, the figures, and is_spun, on words and texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup.verify.align as align_module
from dedup.text.normalize import tokenize
from dedup.text.words import ALIGNMENT_FUNCTION_WORDS as FUNCTION_WORDS
from dedup.verify.align import Alignment, align, is_spun

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
# Sample articles 000-003 only: 004 is the spun sample kept for the final demo.
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("00[0-3]_*.txt"))]

# Content words for generated texts: none is a function word, none shares letters enough with another to
# count as a respelling, so every replacement below is a real swap.
CONTENT = ["army", "town", "river", "minister", "winter", "garden", "market", "station", "pilot", "doctor"]
REPLACEMENTS = ["quilt", "zebra", "yacht", "xylophone", "vortex", "umbrella", "tundra", "saffron"]


def _slow_levenshtein(a: list[str], b: list[str]) -> int:
    """Textbook dynamic programme: the reference the fast alignment must agree with."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            "Rebels backed by Russian air power took the town.",
            "Rebels subsidized through Russian airpower took the town.",
            [("backed by", "subsidized through"), ("air power", "airpower")],
        ),
        (
            "It was easier said than done, officials said on Monday.",
            "It was simpler stated than accomplished, officials said on Monday.",
            # One stretch between two anchors ("was", "officials said"): the idiom is one substitution.
            [("easier said than done", "simpler stated than accomplished")],
        ),
        (
            "Prices fell when nervous traders sold.",
            "Prices fell at the point when anxious traders sold.",
            [("when nervous", "at the point when anxious")],
        ),
        (
            "The minister announced the plan on Monday.",
            "The minister announce the plan on Monday.",
            [],  # two forms of one word align as equal
        ),
        (
            "Troops with boots on the ground entered the northern city.",
            "Troops with boots on the floor entered the northern city.",
            [("ground", "floor")],
        ),
        ("The same words in the same order.", "The same words in the same order.", []),
    ],
)
def test_substitutions_are_found_with_their_spans(a: str, b: str, expected: list[tuple[str, str]]) -> None:
    result = align(a, b)
    assert [(s.a_text, s.b_text) for s in result.substitutions] == expected
    for s in result.substitutions:
        assert a[s.a_start : s.a_end] == s.a_text
        assert b[s.b_start : s.b_end] == s.b_text
    assert result.coverage == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [("", ""), ("", "Some words here."), ("Some words here.", "  ...  "), ("cat", "dog")],
)
def test_nothing_to_align_gives_zeros(a: str, b: str) -> None:
    result = align(a, b)
    assert (result.coverage, result.changed, result.score, result.matched, result.substitutions) == (0, 0, 0, 0, ())
    assert not is_spun(result)


def test_identical_texts_are_fully_aligned_and_unchanged() -> None:
    text = SEED_TEXTS[0]
    result = align(text, text)
    assert (result.coverage, result.changed, result.score, result.mutual) == (1.0, 0.0, 1.0, 1.0)
    assert result.matched == len(tokenize(text)) and not result.substitutions
    assert not is_spun(result)


@pytest.mark.parametrize(("i", "j"), [(0, 1), (0, 2), (1, 3), (2, 3)])
def test_distinct_stories_on_one_topic_barely_align(i: int, j: int) -> None:
    # The sample articles are four different stories about one war: nothing in them is derived.
    result = align(SEED_TEXTS[i], SEED_TEXTS[j])
    assert result.score < 0.3
    assert not is_spun(result)


def _swap_every(text: str, step: int) -> str:
    """Replace every ``step``-th word of ``text`` by an invented word, as a spinner would: never a function
    word, a figure or a capitalised word."""
    tokens = tokenize(text)
    pieces, cursor, count = [], 0, 0
    for k, (word, start, end) in enumerate(zip(tokens.words, tokens.starts, tokens.ends, strict=True)):
        if word in FUNCTION_WORDS or not word.isalpha() or text[start].isupper() or k % step:
            continue
        pieces += [text[cursor:start], "qx" + "".join(chr(97 + int(d)) for d in str(count)) + "zv"]
        cursor, count = end, count + 1
    return "".join(pieces) + text[cursor:]


@pytest.mark.parametrize("step", [3, 5, 9])
def test_a_spun_article_is_aligned_and_flagged(step: int) -> None:
    original = SEED_TEXTS[1]
    spun = _swap_every(original, step)
    result = align(original, spun)
    assert result.coverage > 0.95
    assert result.swapped == result.substituted > 0
    assert is_spun(result)
    assert all(s.b_text.startswith("qx") for s in result.substitutions)


ARMY = "The army attacked the town on Monday, officials said."


@pytest.mark.parametrize(
    ("original", "copy"),
    [
        (ARMY, ARMY.replace(".", "!")),
        (ARMY, ARMY.replace("Monday", "Tuesday")),
        (ARMY, "The army atacked the twon on Monday, oficials said."),
        ("Some 300 troops crossed in 2017 and 45 died.", "Some 320 troops crossed in 2018 and 47 died."),
    ],
)
def test_near_duplicates_are_not_spun(original: str, copy: str) -> None:
    # A changed figure, typos and one changed word are edits; spinning swaps many words for others.
    result = align(original, copy)
    assert result.coverage == 1.0
    assert not is_spun(result)


@pytest.mark.parametrize(
    ("original", "copy"),
    [
        (ARMY, ARMY.replace("Monday", "Tuesday")),  # a name changed: spinners keep names
        (ARMY, ARMY.replace("the town", "claims town")),  # a skeleton word changed: an editor's touch
        (ARMY, "The army atacked the towen on Monday, offcials said."),  # typos
        ("The tower and the bridge fell.", "The towen ancl the bridge fell."),  # OCR misreading of two words
        ("Some 300 troops crossed.", "Some 320 troops crossed."),  # a figure updated
    ],
)
def test_edits_are_substitutions_but_not_swaps(original: str, copy: str) -> None:
    result = align(original, copy)
    assert result.substituted > 0
    assert result.swapped == 0


def test_moved_sentences_count_in_score_not_in_coverage() -> None:
    first, second, third = (
        "Government forces retook the border crossing after heavy fighting overnight.",
        "Aid agencies warned that thousands of families were still trapped near the river.",
        "The minister promised new elections before the end of next year.",
    )
    result = align(f"{first} {second} {third}", f"{third} {first} {second}")
    assert result.coverage < 0.8
    assert result.moved > 0
    assert result.score > 0.95


def test_long_texts_go_through_sentences_and_agree_with_word_level(monkeypatch: pytest.MonkeyPatch) -> None:
    original = "\n\n".join(SEED_TEXTS)
    spun = _swap_every(original, 4)
    cells = len(tokenize(original)) * len(tokenize(spun))
    assert cells > align_module.SENTENCE_FIRST_CELLS  # long enough that a scan aligns them sentences first
    monkeypatch.setattr(align_module, "SENTENCE_FIRST_CELLS", cells)  # the reference: words only
    word_level = align(original, spun)
    monkeypatch.setattr(align_module, "SENTENCE_FIRST_CELLS", 0)
    sentence_first = align(original, spun)
    assert sentence_first.substitutions == word_level.substitutions
    assert sentence_first.coverage == pytest.approx(word_level.coverage)


def test_tokens_given_give_the_same_result() -> None:
    a, b = SEED_TEXTS[2], _swap_every(SEED_TEXTS[2], 4)
    assert align(a, b, tokens_a=tokenize(a), tokens_b=tokenize(b)) == align(a, b)


@given(
    st.lists(st.sampled_from(CONTENT + ["the", "of", "and", "in"]), min_size=0, max_size=40),
    st.lists(st.sampled_from(CONTENT + REPLACEMENTS + ["the", "of"]), min_size=0, max_size=40),
)
@settings(max_examples=150, deadline=None)
def test_invariants_hold_for_any_pair(wa: list[str], wb: list[str]) -> None:
    a, b = " ".join(wa), " ".join(wb)
    result = align(a, b)
    assert isinstance(result, Alignment)
    for value in (result.coverage, result.changed, result.score, result.mutual):
        assert 0.0 <= value <= 1.0
    assert result.score >= result.coverage
    assert result.swapped <= result.substituted
    assert result.matched + result.substituted <= min(len(wa), len(wb))
    previous_a = previous_b = -1
    for s in result.substitutions:
        assert a[s.a_start : s.a_end] == s.a_text and b[s.b_start : s.b_end] == s.b_text
        assert previous_a < s.a_start and previous_b < s.b_start  # in order, never overlapping
        previous_a, previous_b = s.a_end, s.b_end
    assert align(a, b) == result


@given(
    st.lists(st.sampled_from(CONTENT + ["the", "of"]), max_size=30),
    st.lists(st.sampled_from(CONTENT + REPLACEMENTS), max_size=30),
)
@settings(max_examples=150, deadline=None)
def test_word_alignment_is_an_optimal_edit_script(wa: list[str], wb: list[str]) -> None:
    # Each changed block costs the longer of its two sides; together they must make the edit distance.
    blocks = align_module._word_blocks(wa, wb)
    cost = sum(max(i2 - i1, j2 - j1) for equal, i1, i2, j1, j2 in blocks if not equal)
    assert cost == _slow_levenshtein(wa, wb)
    assert [w for equal, i1, i2, _, _ in blocks if equal for w in wa[i1:i2]] == [
        w for equal, _, _, j1, j2 in blocks if equal for w in wb[j1:j2]
    ]


@given(
    st.lists(st.sampled_from(CONTENT), min_size=6, max_size=40),
    st.data(),
)
@settings(max_examples=150, deadline=None)
def test_isolated_swaps_are_each_one_substitution(words: list[str], data: st.DataObject) -> None:
    # Swap words at least three apart: each swap sits between anchors and must come back exactly.
    positions = sorted(data.draw(st.sets(st.integers(0, len(words) - 1), max_size=len(words) // 3)))
    positions = [p for k, p in enumerate(positions) if k == 0 or p - positions[k - 1] >= 3]
    swapped = list(words)
    for k, p in enumerate(positions):
        swapped[p] = REPLACEMENTS[k % len(REPLACEMENTS)]
    result = align(" ".join(words), " ".join(swapped))
    assert [(s.a_text, s.b_text) for s in result.substitutions] == [(words[p], swapped[p]) for p in positions]
    assert result.coverage == 1.0
    assert result.matched == len(words) - len(positions)


# A paragraph and a rewrite of its second sentence phrase by phrase, as spinners at their usual rates write:
# between "senior sergeant potts" and "the bush" only lone function words ("the", "was") are kept, so the
# stretch (10 words against 13) is too long to be one substitution.
POLICE = ("Police pursued the stolen car along the Stuart Highway. Senior Sergeant Potts says the man was caught "
          "after the short chase through the bush and is being questioned by detectives.")
POLICE_SPUN = ("Police pursued the stolen car along the Stuart Highway. Senior Sergeant Potts puts forward the adult "
               "male was paid off following the fading pursuit direct the bush and is being questioned by detectives.")
# The same frame around a different clause: it keeps "the" too, but around pieces too long to be phrases.
POLICE_OTHER = ("Police pursued the stolen car along the Stuart Highway. Senior Sergeant Potts told reporters that "
                "the crowd of angry farmers who had gathered at the edge of the bush and is being questioned by "
                "detectives.")


def test_phrase_rewrites_in_a_row_are_bridged(monkeypatch: pytest.MonkeyPatch) -> None:
    result = align(POLICE, POLICE_SPUN)
    assert result.coverage == 1.0 and result.bridged == 10 and is_spun(result)
    # Each piece is a substitution of its own, with its spans.
    assert [(s.a_text, s.b_text) for s in result.substitutions] == [
        ("says", "puts forward"), ("man", "adult male"), ("caught after", "paid off following"),
        ("short chase through", "fading pursuit direct"),
    ]
    # The bridge is what covers it: without it, the stretch is a gap.
    monkeypatch.setattr(align_module, "BRIDGE_SPAN", 0)
    unbridged = align(POLICE, POLICE_SPUN)
    assert unbridged.bridged == 0 and unbridged.coverage == pytest.approx(20 / 30) and not is_spun(unbridged)


def test_an_unrelated_clause_is_not_bridged() -> None:
    result = align(POLICE, POLICE_OTHER)
    assert result.bridged == 0 and result.coverage == pytest.approx(20 / 30)
    assert not is_spun(result)


@pytest.mark.parametrize(
    ("n", "m", "pieces", "expected"),
    [
        (10, 13, [(1, 2), (1, 2), (2, 3), (3, 3)], True),  # the rewrite above
        (7, 6, [(3, 3), (1, 0), (2, 2)], True),  # a word dropped between two kept ones
        (13, 10, [(6, 6), (6, 3)], False),  # pieces too long to be phrases
        (9, 9, [(5, 5), (2, 2)], False),  # one piece too long is enough
        (5, 9, [(5, 9)], False),  # nothing kept inside: one stretch, is_substitution's to judge
        (6, 13, [(2, 4), (1, 4), (2, 4)], False),  # short pieces, but lopsided as a whole (BRIDGE_BALANCE)
        (7, 6, [(3, 3), (2, 0), (1, 2)], False),  # two words dropped together are material cut
        (17, 17, [(1, 1)] * 9, False),  # longer than BRIDGE_SPAN
        (16, 16, [(1, 1)] * 8, True),
    ],
)
def test_is_bridged(n: int, m: int, pieces: list[tuple[int, int]], expected: bool) -> None:
    assert align_module.is_bridged(n, m, pieces) is expected
