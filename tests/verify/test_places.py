"""Tests of dedup.verify.places and the long-text paths that use it: candidates instead of every pair."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import process
from rapidfuzz.distance import Indel

from dedup.verify import align, derivation
from dedup.verify.places import candidate_places

WORDS = [f"w{k}" for k in range(40)] + ["the", "of", "a"] * 5


def _sentences(rng: random.Random, count: int) -> list[list[str]]:
    return [rng.choices(WORDS, k=rng.randint(3, 12)) for _ in range(count)]


def test_a_word_held_by_too_many_places_seeds_nothing() -> None:
    places = [["the", f"x{k}"] for k in range(100)]
    assert candidate_places([["the", "x7"]], places, max_postings=64) == [[7]]
    assert candidate_places([["the", "nowhere"]], places, max_postings=64) == [list(range(16))]  # its rarest
    assert len(candidate_places([["the"]], places, max_postings=100)[0]) == 16  # at most per_row
    # A row of common words only is looked for near its own position in the text.
    assert candidate_places([["y"], ["the"]], places, max_postings=64) == [[], list(range(42, 58))]


def _chain_total(sa: list[list[str]], sb: list[list[str]], pairs: list[tuple[int, int]]) -> float:
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in zip(pairs, pairs[1:], strict=False))
    return sum(align.Levenshtein.normalized_similarity(sa[i], sb[j]) for i, j in pairs)


@pytest.mark.parametrize("seed", range(20))
def test_the_candidate_pairing_finds_the_best_chain_when_every_place_is_a_candidate(seed: int) -> None:
    # With at most 16 sentences a side, every sentence sharing a word is a candidate: the sparse pairing
    # must then reach the dense dynamic programme's best total exactly.
    rng = random.Random(seed)
    sa, sb = _sentences(rng, rng.randint(1, 16)), _sentences(rng, rng.randint(1, 16))
    sb[rng.randrange(len(sb))] = list(sa[0])  # at least one strong pair
    dense, sparse = align._pair_sentences(sa, sb), align._pair_candidate_sentences(sa, sb)
    assert _chain_total(sa, sb, sparse) == pytest.approx(_chain_total(sa, sb, dense))


@pytest.mark.parametrize("seed", range(10))
def test_candidate_runs_choose_as_the_full_matrix_does(seed: int) -> None:
    rng = random.Random(seed)
    rows, runs = _sentences(rng, 12), _sentences(rng, 14)
    dense_runs, dense_held = derivation._best_runs(rows, runs)
    for i, (row, candidates) in enumerate(zip(rows, candidate_places(rows, runs), strict=True)):
        best, held = derivation._best_run(row, [runs[j] for j in candidates], candidates)
        assert held == dense_held[i]
        if held > 0:
            assert best == dense_runs[i]
    distance = process.cdist(rows, runs, scorer=Indel.distance, workers=1)
    assert distance.shape == (12, 14)


def test_long_texts_go_through_candidates_and_keep_their_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup.compare import compare_texts

    # Words drawn as in prose: a few very common, most rare (Zipf's law over 3,000 words).
    rng = random.Random(4)
    vocabulary = [f"w{k}" for k in range(3000)]
    weights = [1 / (k + 1) for k in range(3000)]
    sentences = [" ".join(rng.choices(vocabulary, weights, k=rng.randint(8, 16))).capitalize() + "."
                 for _ in range(120)]
    a = " ".join(sentences)
    words = a.split(" ")
    for _ in range(40):
        words[rng.randrange(len(words))] = "changed"
    b = " ".join(words)
    full = compare_texts(a, b)
    calls: list[int] = []
    real = align.candidate_places
    monkeypatch.setattr(align, "DENSE_PAIRS", 100)
    monkeypatch.setattr(derivation, "DENSE_PAIRS", 100)
    monkeypatch.setattr(align, "SENTENCE_FIRST_CELLS", 100)
    monkeypatch.setattr(align, "candidate_places", lambda *x, **k: calls.append(1) or real(*x, **k))
    sparse = compare_texts(a, b)
    assert calls  # the candidate path was taken
    assert sparse.relation == full.relation == "near_duplicate"
    assert sparse.score == pytest.approx(full.score, abs=0.02)
