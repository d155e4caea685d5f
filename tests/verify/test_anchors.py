"""Tests of dedup.verify.anchors: the skeleton, and features that survive word swaps but differ between stories."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text.normalize import tokenize
from dedup.text.words import SKELETON_WORDS
from dedup.verify.anchors import SKELETON_NGRAM, anchor_features, is_kept, skeleton

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
# Sample articles 000-003 only: 004 is the spun sample kept for the final demo.
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("00[0-3]_*.txt"))]

CONTENT = ["attack", "town", "fierce", "launched", "border", "quickly", "soldiers", "northern", "by", "over"]
SYNONYMS = ["assault", "city", "ferocious", "started", "frontier", "rapidly", "troops", "boreal", "set on"]
NAMES = ["Kabul", "Putin", "Mosul"]
KEPT = ["the", "a", "was", "they", "and", "had", "it", "not", "2017", "300"]


def _features(text: str) -> list[str]:
    return anchor_features(text, tokenize(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("Rebels backed by Russian air power took Kabul in 2001. The town fell.", "_ russian _ kabul _ 2001 the _"),
        # "Kabul" opens the second sentence but is a name: the same word is capitalised mid-sentence too.
        ("Troops left Kabul. Kabul was quiet.", "_ kabul kabul was _"),
        # "Officials" opens a sentence and is nowhere else capitalised: an ordinary word.
        ('Officials said it was over. "They had gone," he said.', "_ it was _ they had _ he _"),
    ],
)
def test_skeleton(text: str, expected: str) -> None:
    assert " ".join(skeleton(text, tokenize(text))) == expected


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Officials in Kabul said 300 troops left.", ["kabul", "300"]),
        ('He said: "Troops will stay." They did not.', ["he", "will", "they", "did", "not"]),
        ("The UN and Mr Putin met in 2017.", ["the", "un", "and", "mr", "putin", "2017"]),
    ],
)
def test_is_kept(text: str, kept: list[str]) -> None:
    tokens = tokenize(text)
    assert [w for k, w in enumerate(tokens.words) if is_kept(text, tokens, k)] == kept


def test_features_are_sorted_distinct_and_of_two_kinds() -> None:
    features = _features(SEED_TEXTS[0])
    assert features == sorted(set(features))
    assert {f[:2] for f in features} == {"s:", "n:"}


@pytest.mark.parametrize("text", ["", "   ", "...!"])
def test_no_words_no_features(text: str) -> None:
    assert _features(text) == []


def test_generic_skeleton_ngrams_are_dropped() -> None:
    # "the _ and the _" is in every other story; only n-grams with a rarer kept word may anchor.
    features = _features("The cat and the dog and the bird and the fish ran.")
    assert features == []


def test_multiword_names_are_one_unit() -> None:
    text = "The Construction Forestry Mining and Energy Union met in Melbourne on 12 March."
    names = [f for f in _features(text) if f.startswith("n:")]
    assert names == [
        "n:construction+forestry+mining energy+union melbourne",
        "n:energy+union melbourne 12+march",
    ]


@pytest.mark.parametrize(("i", "j"), [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)])
def test_distinct_stories_share_few_features(i: int, j: int) -> None:
    # Four different stories about one war: anchors must not make them candidates of one another.
    a, b = set(_features(SEED_TEXTS[i])), set(_features(SEED_TEXTS[j]))
    assert len(a & b) / len(a | b) < 0.05


@st.composite
def _story_and_spin(draw: st.DrawFn) -> tuple[str, str]:
    """A text of sentences made of kept words, names, and content words; and the same with content swapped."""
    sentences, spun = [], []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(st.sampled_from(CONTENT + NAMES + KEPT), min_size=1, max_size=15))
        swapped = [draw(st.sampled_from(SYNONYMS)) if w in CONTENT else w for w in words]
        sentences.append(" ".join(words) + ".")
        spun.append(" ".join(swapped) + ".")
    return " ".join(sentences), " ".join(spun)


@given(_story_and_spin())
@settings(max_examples=200, deadline=None)
def test_swapping_content_words_keeps_every_feature(pair: tuple[str, str]) -> None:
    # What a spinner does (content words and prepositions swapped for one or more other words) never
    # touches a skeleton word, a name or a figure, so the features are exactly the same.
    original, spun = pair
    assert _features(original) == _features(spun)


@given(st.lists(st.sampled_from(CONTENT + NAMES + KEPT), max_size=40))
@settings(max_examples=100, deadline=None)
def test_skeleton_keeps_kept_words_in_order(words: list[str]) -> None:
    text = " ".join(["The", *words])  # no name opens the text, so every capital is a name
    skel = skeleton(text, tokenize(text))
    kept = ["the"] + [w.lower() for w in words if w in SKELETON_WORDS or w in NAMES or w.isdigit()]
    assert [w for w in skel if w != "_"] == kept
    assert "_ _" not in " ".join(skel)  # a run of swappable words is one placeholder


@given(st.lists(st.sampled_from(["the", "a", "an", "and", "was", "it", "2001", "town", "fell", "fast"]), max_size=16))
@settings(max_examples=200, deadline=None)
def test_skeleton_ngrams_match_a_slow_reference(words: list[str]) -> None:
    # Every run of SKELETON_NGRAM skeleton tokens (or the whole skeleton, if shorter) but the runs made only of
    # placeholders and the commonest words, read off the skeleton the obvious way.
    text = " ".join(words)
    skel = skeleton(text, tokenize(text))
    runs = [skel[i : i + SKELETON_NGRAM] for i in range(max(len(skel) - SKELETON_NGRAM, 0) + 1)] if skel else []
    expected = {"s:" + " ".join(run) for run in runs if not set(run) <= {"_", "the", "a", "an", "and"}}
    assert {f for f in _features(text) if f.startswith("s:")} == expected
