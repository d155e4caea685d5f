"""Tests of the tortured-phrase benchmark's spinner (benchmarks.tortured.torture)."""

from __future__ import annotations

from benchmarks.tortured import Entry, substitutions, torture, torture_words


def test_phrases_are_replaced_as_whole_words_keeping_a_capital() -> None:
    entries = [Entry("information mining", "data mining", 0), Entry("bosom", "breast", 1)]
    text = "Data mining of breast scans. Breastfeeding and data mining again."
    spun, used = torture(text, entries, per_text=8)
    assert spun == "Information mining of bosom scans. Breastfeeding and information mining again."
    assert used == 2


def test_at_most_per_text_phrases_and_no_overlap() -> None:
    entries = [Entry("information mining", "data mining", 0), Entry("information", "data", 0),
               Entry("bosom", "breast", 1)]
    spun, used = torture("Data mining, data and breast.", entries, per_text=2)
    # "data mining" is taken first, "data" alone then only where it is not inside it; the third phrase waits.
    assert spun == "Information mining, information and breast."
    assert used == 2


def test_substitutions_are_the_word_for_word_changes_of_equal_length_entries() -> None:
    entries = [Entry("information mining", "data mining", 0), Entry("huge information", "big data", 0),
               Entry("recognizable proof", "identification", 0), Entry("Information gain", "data gain", 1)]
    # "data" seen written as "information" three times; the two-for-one entry gives no word substitution.
    assert substitutions(entries) == {"data": ["information"], "big": ["huge"]}


def test_torture_words_replaces_known_words_and_says_where() -> None:
    table = {"data": ["information"], "big": ["huge", "large"]}
    text, swaps = torture_words("Big data, big plans. The data stayed.", table, 1.0, seed=1)
    assert text == "Huge information, huge plans. The information stayed."
    assert [text[s:e] for s, e in swaps] == ["Huge", "information", "huge", "information"]
    assert torture_words("Big data.", table, 0.0, seed=1) == ("Big data.", [])
