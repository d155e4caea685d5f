"""Tests of dedup.stages.boilerplate: which heads hold a common line, and that only they are analysed again."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from dedup.config import ScanConfig, SpinConfig
from dedup.engine.local import LocalEngine
from dedup.io.textstore import TextStore
from dedup.sketch.features import batch_features, content_text
from dedup.sketch.minhash import Permutations, signatures
from dedup.stages.analyse import Batch, BatchResult, analyse_batch
from dedup.stages.boilerplate import common_line_documents, redo_without_boilerplate
from dedup.stages.table import FeatureTable
from dedup.text.lines import line_keys
from dedup.verify.boilerplate import boilerplate_spans

CONFIG = ScanConfig(spin=SpinConfig(enabled=False))
AD = "Advertisement"
STORIES = [
    "The council met on Tuesday to discuss the budget for the coming year and approved it.",
    "Heavy rain flooded the valley roads overnight and several villages were cut off by water.",
    "The football club signed a young striker from Brazil on a contract lasting four seasons.",
    "A new museum of modern art opened its doors in the old harbour warehouse this weekend.",
    "Scientists reported a sharp fall in the number of bees found across the southern farms.",
    "The airline cancelled dozens of flights after a strike by ground staff at the main airport.",
]


def corpus() -> list[str]:
    """Four stories wrapped in the ad line, one exact copy (also wrapped) of the first, and two without it."""
    wrapped = [f"{AD}\n{s}\nShare this article" for s in STORIES[:4]]
    return [*wrapped, wrapped[0], *STORIES[4:]]


def analysed(texts: list[str]) -> list[BatchResult]:
    return [analyse_batch(Batch(s, texts[s : s + 3], None, CONFIG)) for s in range(0, len(texts), 3)]


def reference_common(texts: list[str], heads: list[int], min_docs: int) -> list[int]:
    """The heads holding a line that stands in ``min_docs`` heads or more, by counting lines in a Counter."""
    keys = {i: {k for _, _, k in line_keys(texts[i]) if k is not None} for i in heads}
    freq = Counter(k for i in heads for k in keys[i])
    return [i for i in heads if any(freq[k] >= min_docs for k in keys[i])]


@pytest.mark.parametrize(("heads", "min_docs"), [
    ([0, 1, 2, 3, 5, 6], 4),  # the exact copy (4) is no head: it does not count
    ([0, 1, 2, 3, 5, 6], 5),
    ([0, 1, 2, 3, 4, 5, 6], 5),  # were it a head, its lines would count
    ([0, 1, 2, 3, 5, 6], 2),
    ([1, 5], 2),
    ([], 2),
])
def test_common_line_documents_are_the_heads_holding_a_common_line(heads: list[int], min_docs: int) -> None:
    texts = corpus()
    table = FeatureTable(analysed(texts))
    redo, lines = common_line_documents(table, heads, min_docs)
    assert redo == reference_common(texts, heads, min_docs)
    expected_freq = Counter(k for i in heads for k in {k for _, _, k in line_keys(texts[i]) if k is not None})
    assert dict(lines.doc_freq) == dict(expected_freq)


def test_the_wrapped_stories_are_found() -> None:
    table = FeatureTable(analysed(corpus()))
    redo, _ = common_line_documents(table, [0, 1, 2, 3, 5, 6], 4)
    assert redo == [0, 1, 2, 3]


def test_redo_replaces_the_features_of_those_documents_only() -> None:
    texts = corpus()
    results = analysed(texts)
    table = FeatureTable(results)
    heads = [0, 1, 2, 3, 5, 6]
    redo, lines = common_line_documents(table, heads, 4)
    store = TextStore()
    store.extend(texts)
    sigs = np.concatenate([r.char_sigs for r in results])
    spun_sigs = np.concatenate([r.anchor_sigs for r in results])
    before, before_spun = sigs.copy(), spun_sigs.copy()
    first = [table[i] for i in range(len(texts))]
    repeats: dict = {}

    redo_without_boilerplate(redo, lines, store, CONFIG, LocalEngine(1), table=table, repeats=repeats, sigs=sigs,
                             spun_sigs=spun_sigs)

    assert sorted(table.redone) == redo == [0, 1, 2, 3]
    contents = [content_text(texts[i], boilerplate_spans(texts[i], lines)) for i in redo]
    assert all(AD not in c and "Share this article" not in c for c in contents)
    expected = batch_features(contents, CONFIG)
    perms = Permutations(CONFIG.num_perm, CONFIG.seed)
    for k, i in enumerate(redo):
        assert table[i].words.tolist() == expected[k].words.tolist()
        assert table[i].length == expected[k].length == len(STORIES[i].split())
        assert table.boilerplate[i] == boilerplate_spans(texts[i], lines)
        assert sigs[i].tolist() == signatures([expected[k].chars], perms)[0].tolist()
        assert sigs[i].tolist() != before[i].tolist() and spun_sigs[i].tolist() != before_spun[i].tolist()
    for i in (4, 5, 6):  # the others keep their first analysis
        assert table[i] is not None and table[i].words.tolist() == first[i].words.tolist()
        assert sigs[i].tolist() == before[i].tolist() and spun_sigs[i].tolist() == before_spun[i].tolist()
    assert repeats == {}


def test_redo_of_nothing_changes_nothing() -> None:
    texts = corpus()
    results = analysed(texts)
    table = FeatureTable(results)
    _, lines = common_line_documents(table, [0, 1], 4)
    sigs = np.concatenate([r.char_sigs for r in results])
    before = sigs.copy()
    store = TextStore()
    store.extend(texts)
    redo_without_boilerplate([], lines, store, CONFIG, LocalEngine(1), table=table, repeats={}, sigs=sigs,
                             spun_sigs=np.concatenate([r.anchor_sigs for r in results]))
    assert table.redone == {} and sigs.tolist() == before.tolist()
