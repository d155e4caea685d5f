"""Tests of the tortured-phrase benchmark's spinner (benchmarks.tortured.torture)."""

from __future__ import annotations

from benchmarks.tortured import Entry, torture


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
