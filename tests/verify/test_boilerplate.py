"""Tests of dedup.verify.boilerplate: shared furniture goes, a story copied many times stays, min_docs is honoured."""

from __future__ import annotations

import pytest

from dedup.text.lines import line_keys
from dedup.verify.boilerplate import LineStats, boilerplate_spans

AD = "Advertisement"
SUBSCRIBE = "Subscribe now to keep reading: unlimited access for one low price."
WIRE_STORY = [
    "Troops pushed forward near the river on Monday, according to officials.",
    "The advance followed weeks of shelling that left the town without power.",
    "Aid groups said thousands of people had fled in the past few days.",
]


def stats_of(texts: list[str], min_docs: int) -> LineStats:
    stats = LineStats(min_docs=min_docs)
    for text in texts:
        stats.add(text)
    return stats


def boilerplate_lines(text: str, stats: LineStats) -> list[str]:
    return [text[s:e] for s, e in boilerplate_spans(text, stats)]


def story(i: int) -> str:
    """A different story for every ``i``: two lines no other document has."""
    return f"Story {i} opens with its own first sentence about the war.\nIts second line, number {i}, is its own too."


@pytest.mark.parametrize(("docs_with_line", "min_docs", "is_boilerplate"), [(4, 4, True), (3, 4, False), (10, 4, True)])
def test_a_line_shared_by_many_different_documents_is_boilerplate(
    docs_with_line: int, min_docs: int, is_boilerplate: bool
) -> None:
    texts = [f"{AD}\n{story(i)}" for i in range(docs_with_line)] + [story(100 + i) for i in range(10)]
    stats = stats_of(texts, min_docs)
    for text in texts[:docs_with_line]:
        assert boilerplate_lines(text, stats) == ([AD] if is_boilerplate else [])
    for text in texts[docs_with_line:]:
        assert boilerplate_lines(text, stats) == []


def test_a_story_copied_into_many_documents_is_not_boilerplate() -> None:
    # Fifty outlets run the same wire story, each with its own byline and the same subscription notice,
    # which also wraps a hundred and fifty other stories.
    wire = [f"By reporter {i} for outlet {i}\n" + "\n".join(WIRE_STORY) + f"\n{SUBSCRIBE}" for i in range(50)]
    others = [f"{story(i)}\n{SUBSCRIBE}" for i in range(150)]
    stats = stats_of(wire + others, min_docs=4)
    for text in wire:
        assert boilerplate_lines(text, stats) == [SUBSCRIBE]
    for text in others:
        assert boilerplate_lines(text, stats) == [SUBSCRIBE]


@pytest.mark.parametrize(("other_docs_with_ad", "is_boilerplate"), [(5, False), (9, False), (10, True), (40, True)])
def test_furniture_must_be_twice_as_common_as_the_story_around_it(
    other_docs_with_ad: int, is_boilerplate: bool
) -> None:
    # The story stands in 10 documents, each with the ad line; the ad also stands in other documents.
    # It is furniture for the story's documents once it is in at least twice as many documents as the story.
    copies = [f"{AD}\n" + "\n".join(WIRE_STORY) for _ in range(10)]
    others = [f"{AD}\n{story(i)}" for i in range(other_docs_with_ad)]
    stats = stats_of(copies + others, min_docs=2)
    assert boilerplate_lines(copies[0], stats) == ([AD] if is_boilerplate else [])
    assert boilerplate_lines(others[0], stats) == [AD]  # around a unique story, the ad is always furniture


def test_boilerplate_spans_point_at_each_occurrence_in_text_order() -> None:
    text = f"{AD}\n{story(1)}\n\n  {AD}  \n{SUBSCRIBE}"
    stats = stats_of([text] + [f"{AD}\n{SUBSCRIBE}\n{story(i)}" for i in range(2, 8)], min_docs=3)
    spans = boilerplate_spans(text, stats)
    assert [text[s:e] for s, e in spans] == [AD, f"  {AD}  ", SUBSCRIBE]
    assert spans == sorted(spans)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t"])
def test_no_lines_no_boilerplate(text: str) -> None:
    assert boilerplate_spans(text, stats_of([AD] * 5, min_docs=2)) == []


def test_a_document_the_stats_never_saw() -> None:
    stats = stats_of([f"{AD}\n{story(i)}" for i in range(6)], min_docs=3)
    assert boilerplate_lines(f"{AD}\n{story(99)}", stats) == [AD]
    assert boilerplate_lines(story(98), stats) == []


def test_line_stats_count_documents_not_occurrences() -> None:
    stats = stats_of([f"{AD}\n{AD}\n{AD}\n{story(1)}", story(2)], min_docs=2)
    key = line_keys(AD)[0][2]
    assert key is not None and stats.doc_freq[key] == 1
    assert boilerplate_lines(f"{AD}\n{story(1)}", stats) == []
