"""Tests of dedup.stages.exact: exact groups against a dict-based grouping of the normalised texts."""

from __future__ import annotations

import random

import pytest

from dedup.config import ScanConfig, SpinConfig
from dedup.engine.local import LocalEngine
from dedup.stages.analyse import Batch, BatchResult, analyse_batch
from dedup.stages.exact import exact_groups
from dedup.text.normalize import normalize

CONFIG = ScanConfig(spun_pairs=False, spin=SpinConfig(enabled=False))
POOL = ["The cat sat on the mat.", "A dog ran far away.", "Rain is forecast for Friday.", "", " \n ", "Ok."]


def variant(text: str, rng: random.Random) -> str:
    """The same text as the normalisation sees it: case and spacing changed."""
    text = text.upper() if rng.random() < 0.5 else text
    return text.replace(" ", rng.choice([" ", "  ", "\t", "\n"]))


def analysed(texts: list[str], size: int) -> list[BatchResult]:
    return [analyse_batch(Batch(s, texts[s : s + size], None, CONFIG)) for s in range(0, len(texts), size)]


def reference(texts: list[str]) -> tuple[list[int], list[tuple[int, int]]]:
    """Heads and (head, member) pairs, by grouping the normalised texts in a dict."""
    first: dict[str, int] = {}
    heads, pairs = [], []
    for i, text in enumerate(texts):
        key = normalize(text)
        if not key:
            heads.append(i)  # no words: no key, a head of its own
        elif key in first:
            pairs.append((first[key], i))
        else:
            first[key] = i
            heads.append(i)
    return heads, pairs


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("size", [1, 4, 50])
def test_exact_groups_equal_a_dict_grouping(seed: int, size: int) -> None:
    rng = random.Random(seed)
    texts = [variant(rng.choice(POOL), rng) for _ in range(rng.randint(0, 40))]
    ids = [f"d{i}" for i in range(len(texts))]
    found = exact_groups(analysed(texts, size), ids, LocalEngine(1))
    heads, pairs = reference(texts)
    assert found.heads == heads == sorted(heads)
    assert sorted((i, j) for i, j, _ in found.pairs) == sorted(pairs)
    for i, j, pair in found.pairs:
        assert (pair.a, pair.b, pair.relation, pair.score, pair.jaccard, pair.containment) == (
            ids[i], ids[j], "exact", 1.0, 1.0, 1.0)


def test_pairs_join_each_member_to_its_groups_first_document() -> None:
    texts = ["b text", "a text", "B  TEXT", "A TEXT", "b text", ""]
    found = exact_groups(analysed(texts, 2), list("uvwxyz"), LocalEngine(1))
    assert found.heads == [0, 1, 5]
    assert sorted((p.a, p.b) for _, _, p in found.pairs) == [("u", "w"), ("u", "y"), ("v", "x")]


def test_empty_texts_are_heads_of_their_own() -> None:
    found = exact_groups(analysed(["", "", "  "], 10), ["a", "b", "c"], LocalEngine(1))
    assert found.heads == [0, 1, 2] and found.pairs == []


def test_no_documents_no_groups() -> None:
    found = exact_groups([], [], LocalEngine(1))
    assert found.heads == [] and found.pairs == []
