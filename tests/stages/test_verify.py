"""Tests of dedup.stages.verify: a chunk's verdicts are ``decide_pair``'s, and large clusters list each member
with the representative only."""

from __future__ import annotations

import random

import numpy as np
import pytest

import dedup.stages.verify
from dedup.config import ScanConfig, SpinConfig
from dedup.engine.local import LocalEngine
from dedup.io.textstore import TextStore
from dedup.stages.analyse import Batch, analyse_batch
from dedup.stages.cluster import UnionFind, build_clusters
from dedup.stages.exact import exact_groups
from dedup.stages.table import FeatureTable
from dedup.stages.verify import VerifyState, list_big_clusters, verify_candidates, verify_chunk
from dedup.verify.pair import decide_pair
from tests.copies import SEEDS, lifted_sources

CONFIG = ScanConfig(spin=SpinConfig(enabled=False))


def state_of(texts: list[str]) -> VerifyState:
    results = [analyse_batch(Batch(s, texts[s : s + 4], None, CONFIG)) for s in range(0, len(texts), 4)]
    ids = [f"d{i:02d}" for i in range(len(texts))]
    store = TextStore()
    store.extend(texts)
    return VerifyState(ids, exact_groups(results, ids, LocalEngine(1)).heads, FeatureTable(results), store, CONFIG)


def edited(text: str, rng: random.Random, changes: int) -> str:
    words = text.split(" ")
    for _ in range(changes):
        words[rng.randrange(len(words))] = f"edit{rng.randrange(999)}"
    return " ".join(words)


@pytest.fixture(scope="module")
def mixed() -> VerifyState:
    rng = random.Random(1)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    texts += [edited(texts[0], rng, 6), texts[1][: len(texts[1]) // 3], texts[2].upper(), edited(texts[3], rng, 200)]
    return state_of(texts)


def all_pairs(n: int) -> np.ndarray:
    return np.array([(x, y) for x in range(n) for y in range(x + 1, n)], dtype=np.int64)


def test_a_chunk_gives_decide_pairs_verdicts(mixed: VerifyState) -> None:
    candidates = all_pairs(len(mixed.heads))
    found = verify_chunk(mixed, candidates)
    expected = []
    for x, y in candidates.tolist():
        i, j = mixed.heads[x], mixed.heads[y]
        texts = (mixed.store.get(i), mixed.store.get(j))
        pair = decide_pair(mixed.ids[i], mixed.ids[j], mixed.features[i], mixed.features[j], CONFIG,
                           texts=lambda texts=texts: texts)  # type: ignore[misc]
        if pair.relation:
            expected.append((i, j, pair))
    assert found == expected
    # Seed 3 with 200 of its words overwritten is no copy any more, but stretches of it still are passages.
    assert {(i, j): p.relation for i, j, p in found} == {(0, 5): "near_duplicate", (1, 6): "partial",
                                                         (3, 8): "passage"}


def test_the_exact_copy_is_no_head(mixed: VerifyState) -> None:
    assert 7 not in mixed.heads and len(mixed.heads) == len(mixed.ids) - 1


def test_verify_candidates_yields_what_chunks_find_and_ticks(mixed: VerifyState) -> None:
    candidates = all_pairs(len(mixed.heads))
    ticks: list[int] = []
    joined = UnionFind(len(mixed.ids))
    found = [t for chunk in verify_candidates(mixed, candidates, joined, LocalEngine(1), ticks.append) for t in chunk]
    assert found == verify_chunk(mixed, candidates)
    assert ticks == [len(candidates)]
    assert joined.find(0) == joined.find(5) and joined.find(0) != joined.find(1)


@pytest.fixture
def family(monkeypatch: pytest.MonkeyPatch) -> tuple[VerifyState, list, list]:
    """Eight near copies of one text (and one other): past a limit lowered to 3 members."""
    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 3)
    rng = random.Random(3)
    base = SEEDS[0].read_text(encoding="utf-8")
    texts = [edited(base, rng, 3) for _ in range(8)] + [SEEDS[1].read_text(encoding="utf-8")]
    texts[5] = base + " One more sentence at the end."  # the longest: the representative
    state = state_of(texts)
    pairs = verify_chunk(state, all_pairs(len(state.heads)))
    clusters = build_clusters(state.ids, [len(t) for t in texts], ((i, j) for i, j, _ in pairs))
    return state, pairs, clusters


def test_a_big_cluster_lists_each_member_with_its_representative(family: tuple[VerifyState, list, list]) -> None:
    state, pairs, clusters = family
    (cluster,) = clusters
    assert len(cluster.members) == 8 and cluster.representative == "d05"
    assert len(pairs) == 8 * 7 // 2
    index_of = {doc: i for i, doc in enumerate(state.ids)}
    kept, not_listed = list_big_clusters(pairs, clusters, index_of, state)
    assert [(i, j) for i, j, _ in kept] == sorted((min(i, 5), max(i, 5)) for i in range(8) if i != 5)
    assert not_listed == {cluster.id: 8 * 7 // 2 - 7}


def test_a_missing_pair_with_the_representative_is_verified_then(family: tuple[VerifyState, list, list]) -> None:
    state, pairs, clusters = family
    index_of = {doc: i for i, doc in enumerate(state.ids)}
    without = [t for t in pairs if (t[0], t[1]) != (2, 5)]  # member 2 joined only through the others
    kept, not_listed = list_big_clusters(without, clusters, index_of, state)
    assert (2, 5) in [(i, j) for i, j, _ in kept]
    assert [t for t in kept if (t[0], t[1]) == (2, 5)] == [t for t in pairs if (t[0], t[1]) == (2, 5)]
    assert not_listed == {clusters[0].id: 8 * 7 // 2 - 7}


def test_clusters_within_the_limit_are_left_alone(mixed: VerifyState) -> None:
    pairs = verify_chunk(mixed, all_pairs(len(mixed.heads)))
    clusters = build_clusters(mixed.ids, [1] * len(mixed.ids), ((i, j) for i, j, _ in pairs))
    index_of = {doc: i for i, doc in enumerate(mixed.ids)}
    assert list_big_clusters(pairs, clusters, index_of, mixed) == (pairs, {})


@pytest.fixture
def lifted(monkeypatch: pytest.MonkeyPatch) -> tuple[VerifyState, list, list]:
    """Sources each lifted whole into two longer documents, past a limit lowered to 3 members: ``partial``
    pairs chain the sources and the documents holding them into one cluster, though no family (near copies
    two by two) is larger than two."""
    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 3)
    sources, holders = lifted_sources(5)
    state = state_of(sources + holders)
    pairs = verify_chunk(state, all_pairs(len(state.heads)))
    clusters = build_clusters(state.ids, [len(t) for t in sources + holders],
                              ((i, j) for i, j, p in pairs if p.relation in dedup.stages.verify.COPY_RELATIONS))
    return state, pairs, clusters


def test_a_big_cluster_chained_by_partial_pairs_lists_them_all(lifted: tuple[VerifyState, list, list]) -> None:
    state, pairs, clusters = lifted
    (cluster,) = clusters
    assert len(cluster.members) == 9
    held = {(k, 5 + h) for h in range(4) for k in (h, h + 1)}  # source k inside holder 5 + h
    assert {(i, j) for i, j, p in pairs if p.relation == "partial"} >= held
    index_of = {doc: i for i, doc in enumerate(state.ids)}
    kept, not_listed = list_big_clusters(pairs, clusters, index_of, state)
    assert kept == pairs  # no family past the limit: nothing to drop
    assert not_listed == {cluster.id: 9 * 8 // 2 - len(pairs)}


def test_a_big_family_inside_a_cluster_is_still_listed_with_the_representative_only(
    family: tuple[VerifyState, list, list],
) -> None:
    state, pairs, clusters = family
    # The family's pairs are near copies: no family would be past the limit if they were partial copies.
    assert {p.relation for _, _, p in pairs} <= dedup.stages.verify.FAMILY_RELATIONS
    assert dedup.stages.verify.families(pairs, len(state.ids)).largest == 8


def heavily_spun(paragraphs: list[str]) -> list[str]:
    """Each paragraph and its copy spun at 90% by the fit spinners one after the other (``benchmarks.spin_fit``),
    names and figures kept: some such copies keep under SPUN_CANDIDATE of their character n-grams."""
    from benchmarks.spin_fit import FIT_SPINNERS
    from benchmarks.spinner import ThesaurusNotInstalled

    try:
        return [t for k, p in enumerate(paragraphs) for t in (p, FIT_SPINNERS["chained"](p, 0.9, k))]
    except ThesaurusNotInstalled:
        return []


SCREENED = {
    "no spin": ScanConfig(spin=SpinConfig(enabled=False), spun_pairs=False, passages=False),
    "no passages": ScanConfig(spin=SpinConfig(enabled=False), passages=False),
}


@pytest.fixture(scope="module", params=list(SCREENED))
def screened(request: pytest.FixtureRequest) -> VerifyState:
    """Copies made every way (edited, trimmed, upper-cased, spun, sentences shared) of the sample articles and
    of the speed corpus's kind of text, in a state whose config screens candidates (passages off)."""
    rng = random.Random(2)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    for k, text in enumerate(list(texts)):
        texts += [edited(text, rng, 3 + 40 * k), text[: len(text) // (2 + k)], text.upper(), text[:400] + texts[0]]
    sentences = [s for text in texts[:5] for s in text.split(". ")]
    texts += [". ".join(rng.sample(sentences, 6)) for _ in range(12)]
    texts += ["", "Short one.", "Ünïcödé — text 東京 " * 20]
    # Paragraphs spun hard (names and figures kept): some keep under SPUN_CANDIDATE of their character
    # n-grams, where only their names let them be aligned; the screen must leave those open.
    texts += heavily_spun([p for text in texts[:5] for p in text.split("\n\n") if len(p.split()) > 40][:20])
    config = SCREENED[request.param]
    results = [analyse_batch(Batch(s, texts[s : s + 4], None, config)) for s in range(0, len(texts), 4)]
    ids = [f"d{i:02d}" for i in range(len(texts))]
    store = TextStore()
    store.extend(texts)
    return VerifyState(ids, exact_groups(results, ids, LocalEngine(1)).heads, FeatureTable(results), store, config)


def test_only_pairs_decide_pair_finds_no_copy_are_screened_out(screened: VerifyState) -> None:
    assert dedup.stages.verify.screens(screened)
    candidates = all_pairs(len(screened.heads))
    open_ = dedup.stages.verify.open_pairs(screened, candidates)
    closed = 0
    for (x, y), is_open in zip(candidates.tolist(), open_, strict=True):
        i, j = screened.heads[x], screened.heads[y]
        texts = (screened.store.get(i), screened.store.get(j))
        pair = decide_pair(screened.ids[i], screened.ids[j], screened.features[i], screened.features[j],
                           screened.config, texts=lambda texts=texts: texts)  # type: ignore[misc]
        if not is_open:
            closed += 1
            assert pair.relation == "", (i, j)
    assert 0 < closed < len(candidates), "the screen both drops and keeps pairs here"


def test_the_screen_changes_no_verdict(screened: VerifyState, monkeypatch: pytest.MonkeyPatch) -> None:
    candidates = all_pairs(len(screened.heads))
    found = verify_chunk(screened, candidates)
    assert {p.relation for _, _, p in found} >= {"near_duplicate", "partial"}
    monkeypatch.setattr(dedup.stages.verify, "screens", lambda state: False)
    assert verify_chunk(screened, candidates) == found


def test_no_screen_where_passages_are_searched(mixed: VerifyState) -> None:
    assert mixed.config.passages and not dedup.stages.verify.screens(mixed)


def test_a_pair_with_a_redone_document_is_decided_in_full(screened: VerifyState) -> None:
    candidates = all_pairs(len(screened.heads))
    before = dedup.stages.verify.open_pairs(screened, candidates)
    assert not all(before)
    redone = screened.heads[0]
    screened.features.redone[redone] = screened.features[redone]
    try:
        after = dedup.stages.verify.open_pairs(screened, candidates)
    finally:
        del screened.features.redone[redone]
    for (x, y), was, now in zip(candidates.tolist(), before, after, strict=True):
        assert now == (was or 0 in (x, y))
