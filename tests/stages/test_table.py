"""Tests of dedup.stages.table: a document's features found in its batch, redone ones taking precedence."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.config import ScanConfig, SpinConfig
from dedup.sketch.features import Features, batch_features
from dedup.stages.analyse import Batch, analyse_batch
from dedup.stages.table import FeatureTable

CONFIG = ScanConfig(spin=SpinConfig(enabled=False))
# Texts of different lengths, so that each document's features differ; the last batch is shorter.
TEXTS = [" ".join(f"word{i}x{k}" for k in range(3 + i)) + ". " + "Line two.\nLine three here." for i in range(11)]
SIZE = 4


@pytest.fixture(scope="module")
def table_and_expected() -> tuple[FeatureTable, list[Features]]:
    batches = [analyse_batch(Batch(s, TEXTS[s : s + SIZE], None, CONFIG)) for s in range(0, len(TEXTS), SIZE)]
    assert [len(b.exact_keys) for b in batches] == [4, 4, 3]
    return FeatureTable(batches), batch_features(TEXTS, CONFIG)


def test_every_document_is_found_across_the_batches(table_and_expected: tuple[FeatureTable, list[Features]]) -> None:
    table, expected = table_and_expected
    assert table.size == SIZE
    for i, want in enumerate(expected):
        assert table[i].words.tolist() == want.words.tolist(), i
        assert table[i].chars.tolist() == want.chars.tolist(), i
        assert table[i].length == want.length
        assert table.sentences(i).tolist() == want.sentences.tolist()
    assert len(table.line_keys(10)) == 2


def test_lengths_and_char_sizes(table_and_expected: tuple[FeatureTable, list[Features]]) -> None:
    table, expected = table_and_expected
    docs = np.array([10, 0, 5, 5, 3])
    assert table.lengths(docs).tolist() == [expected[i].length for i in docs.tolist()]
    assert table.char_sizes(docs).tolist() == [len(expected[i].chars) for i in docs.tolist()]


def test_redone_features_take_precedence() -> None:
    batches = [analyse_batch(Batch(s, TEXTS[s : s + SIZE], None, CONFIG)) for s in range(0, len(TEXTS), SIZE)]
    table = FeatureTable(batches)
    first = table[9]
    again = batch_features(["A different text, of seven words here."], CONFIG)[0]
    table.redone[9] = again
    assert table[9] is again and table.sentences(9) is again.sentences
    assert table.lengths(np.array([9, 8])).tolist() == [7, table[8].length]
    assert table.char_sizes(np.array([8, 9])).tolist() == [len(table[8].chars), len(again.chars)]
    assert table[8].length != 7 and first.length != 7
    # Line keys stay the first pass's: the boilerplate counts were taken on it.
    assert table.line_keys(9).tolist() == batches[2].line_keys[1].tolist()


def test_an_empty_table() -> None:
    table = FeatureTable([])
    assert table.lengths(np.array([], dtype=np.int64)).tolist() == []
    assert table.char_sizes(np.array([], dtype=np.int64)).tolist() == []


@pytest.mark.parametrize("name", ["words", "chars"])
def test_packed_sets_are_each_documents_set(table_and_expected: tuple[FeatureTable, list[Features]],
                                            name: str) -> None:
    table, expected = table_and_expected
    parts, per_part = table.packed(name)
    assert per_part == SIZE and len(parts) == 3
    for i, want in enumerate(expected):
        values, offsets = parts[i // per_part]
        k = i % per_part
        assert values[offsets[k] : offsets[k + 1]].tolist() == getattr(want, name).tolist(), i
    assert table.packed(name)[0] is parts, "made once"
