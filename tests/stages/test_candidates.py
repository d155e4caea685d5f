"""Tests of dedup.stages.candidates: planted copies of each kind are proposed, texts too short to judge are not."""

from __future__ import annotations

import random
import string
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dedup.config import ScanConfig, SpinConfig
from dedup.engine.local import LocalEngine
from dedup.stages.analyse import Batch, analyse_batch
from dedup.stages.candidates import find_candidates
from dedup.stages.table import FeatureTable
from dedup.verify.relations import MIN_JUDGED_WORDS

SEEDS = sorted((Path(__file__).resolve().parents[2] / "examples" / "seeds").glob("*.txt"))
CONFIG = ScanConfig(spin=SpinConfig(enabled=False))
SHORT = "the army said the talks went well"  # MIN_JUDGED_WORDS - 1 words
assert len(SHORT.split()) == MIN_JUDGED_WORDS - 1


def candidates(texts: list[str], heads: list[int], config: ScanConfig = CONFIG, workers: int = 1) -> np.ndarray:
    results = [analyse_batch(Batch(s, texts[s : s + 4], None, config)) for s in range(0, len(texts), 4)]
    sigs = np.concatenate([r.char_sigs for r in results])
    spun_sigs = np.concatenate([r.anchor_sigs for r in results])
    return find_candidates(heads, FeatureTable(results), sigs, spun_sigs, config, LocalEngine(workers))


def spun(text: str) -> str:
    """A spun copy: a third of the content words swapped for synonyms (by hand, no thesaurus needed)."""
    from benchmarks.spinner import ThesaurusNotInstalled, spin

    try:
        return spin(text, 0.35, seed=2).text
    except ThesaurusNotInstalled:
        swaps = {"said": "stated", "forces": "troops", "city": "metropolis", "town": "township", "border": "frontier",
                 "government": "administration", "fighters": "combatants", "control": "command", "left": "remaining"}
        return " ".join(swaps.get(w, w) for w in text.split(" "))


@pytest.fixture(scope="module")
def planted() -> tuple[list[str], dict[str, tuple[int, int]]]:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    words = texts[0].split(" ")
    for k in range(5, len(words), 60):
        words[k] = "changed"
    paragraphs = texts[1].split("\n\n")
    texts += [
        " ".join(words),  # 5: near copy of 0
        "\n\n".join(paragraphs[: len(paragraphs) // 3]),  # 6: trimmed copy of 1 (its first sentences)
        spun(texts[2]),  # 7: spun copy of 2
        SHORT,  # 8
        SHORT.replace("well", "badly"),  # 9: near copy of 8, too short to judge
        SHORT + " " + texts[3],  # 10: 3 with a short line before
    ]
    return texts, {"near": (0, 5), "trimmed": (1, 6), "spun": (2, 7), "extended": (3, 10)}


def as_set(found: np.ndarray, heads: list[int]) -> set[tuple[int, int]]:
    return {(heads[x], heads[y]) for x, y in found.tolist()}


def test_planted_copies_are_proposed(planted: tuple[list[str], dict[str, tuple[int, int]]]) -> None:
    texts, pairs = planted
    heads = list(range(len(texts)))
    found = as_set(candidates(texts, heads), heads)
    for kind, pair in pairs.items():
        assert pair in found, kind


def test_texts_too_short_to_judge_take_no_part(planted: tuple[list[str], dict[str, tuple[int, int]]]) -> None:
    texts, _ = planted
    heads = list(range(len(texts)))
    found = as_set(candidates(texts, heads), heads)
    assert not any(8 in pair or 9 in pair for pair in found)


def test_each_channel_proposes_its_copy(planted: tuple[list[str], dict[str, tuple[int, int]]]) -> None:
    texts, pairs = planted
    heads = list(range(len(texts)))
    without_spun = as_set(candidates(texts, heads, ScanConfig(spun_pairs=False, spin=SpinConfig(enabled=False))),
                          heads)
    assert pairs["near"] in without_spun and pairs["trimmed"] in without_spun


def test_output_is_sorted_distinct_positions_in_the_heads(
    planted: tuple[list[str], dict[str, tuple[int, int]]],
) -> None:
    texts, pairs = planted
    heads = [0, 1, 2, 5, 6, 7, 8, 9]  # positions, not documents, come out
    found = candidates(texts, heads)
    assert found.ndim == 2 and found.shape[1] == 2
    rows = [tuple(r) for r in found.tolist()]
    assert rows == sorted(set(rows))
    assert all(0 <= x < y < len(heads) for x, y in rows)
    assert {(0, 3), (1, 4), (2, 5)} <= set(rows)


def test_workers_do_not_change_the_candidates(planted: tuple[list[str], dict[str, tuple[int, int]]]) -> None:
    texts, _ = planted
    heads = list(range(len(texts)))
    assert candidates(texts, heads, workers=2).tolist() == candidates(texts, heads).tolist()


def test_touching_keeps_exactly_the_pairs_of_the_later_heads(
        planted: tuple[list[str], dict[str, tuple[int, int]]]) -> None:
    # A scan against an archive asks only for the pairs of its new documents (the last heads).
    texts, copies = planted
    heads = list(range(len(texts)))
    results = [analyse_batch(Batch(s, texts[s : s + 4], None, CONFIG)) for s in range(0, len(texts), 4)]
    sigs = np.concatenate([r.char_sigs for r in results])
    spun_sigs = np.concatenate([r.anchor_sigs for r in results])
    table = FeatureTable(results)
    every = find_candidates(heads, table, sigs, spun_sigs, CONFIG, LocalEngine(1))
    for touching in (0, 5, 7, len(heads)):
        found = find_candidates(heads, table, sigs, spun_sigs, CONFIG, LocalEngine(1), touching=touching)
        assert found.tolist() == every[every[:, 1] >= touching].tolist()
    assert {copies["near"], copies["spun"]} <= {tuple(p) for p in every[every[:, 1] >= 5].tolist()}


def test_no_head_no_candidate() -> None:
    texts = [SEEDS[0].read_text(encoding="utf-8")]
    assert candidates(texts, []).shape == (0, 2)


def test_documents_left_out_of_channel_3_are_in_none_of_its_pairs(
        planted: tuple[list[str], dict[str, tuple[int, int]]]) -> None:
    texts, copies = planted
    heads = list(range(len(texts)))
    # Channels 1 and 4 held back, so that channel 3 alone proposes the spun copy.
    config = replace(CONFIG, lsh_threshold=0.9, passages=False)
    results = [analyse_batch(Batch(s, texts[s : s + 4], None, config)) for s in range(0, len(texts), 4)]
    sigs = np.concatenate([r.char_sigs for r in results])
    spun_sigs = np.concatenate([r.anchor_sigs for r in results])
    table = FeatureTable(results)

    def found(among: list[int], spun_pairs: bool = True, anchored: np.ndarray | None = None) -> set[tuple[int, int]]:
        run = replace(config, spun_pairs=spun_pairs)
        return as_set(find_candidates(among, table, sigs, spun_sigs, run, LocalEngine(1), anchored=anchored), among)

    assert found(heads, anchored=np.ones(len(heads), dtype=bool)) == found(heads)
    a, b = copies["spun"]
    anchored = np.ones(len(heads), dtype=bool)
    anchored[b] = False
    # Reference: the other channels over every document, with all of them over those anchored (too few
    # documents here for a key to pass a channel's limit, so the other channels propose the same there).
    others = found(heads, spun_pairs=False)
    expected = others | found([h for h in heads if anchored[h]])
    assert found(heads, anchored=anchored) == expected
    assert (a, b) in found(heads) and (a, b) not in others  # channel 3 alone proposes the spun copy
    assert (a, b) not in found(heads, anchored=anchored)


def test_a_passage_with_every_third_content_word_swapped_is_proposed() -> None:
    # Every run of three content words holds a swapped one, so keys of three words in a row keep nothing;
    # keys of two keep a third of the passage's pairs of content words.
    from dedup.text.words import ALIGNMENT_FUNCTION_WORDS

    paragraphs = [p for p in SEEDS[1].read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 50][:2]
    passage = "\n\n".join(paragraphs)
    words, content = [], 0
    for w in passage.split(" "):
        if w.strip(".,\"'").lower() not in ALIGNMENT_FUNCTION_WORDS:
            content += 1
            if content % 3 == 0:
                w = f"swap{content}"
        words.append(w)
    reworded = " ".join(words)
    texts = [SEEDS[0].read_text(encoding="utf-8") + "\n\n" + passage,
             reworded + "\n\n" + SEEDS[3].read_text(encoding="utf-8"), SEEDS[2].read_text(encoding="utf-8")]
    assert [0, 1] not in candidates(texts, [0, 1, 2], replace(CONFIG, passages=False)).tolist()  # no other channel
    assert [0, 1] in candidates(texts, [0, 1, 2]).tolist()


def test_the_passage_channel_proposes_a_pair_from_its_number_of_shared_keys() -> None:
    # Made-up words, so that the texts share nothing but the run planted in both: n + 1 content words in a
    # row are n passage keys (two content words in a row each).
    from dedup.stages.candidates import PASSAGE_CHANNEL_KEYS
    from dedup.verify.pair import PASSAGE_MIN_KEYS

    rng = random.Random(3)

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(9))

    def texts(keys: int) -> list[str]:
        run = " ".join(word() for _ in range(keys + 1))
        a, b, c = (" ".join(word() for _ in range(60)) for _ in range(3))
        return [f"{a[:300]} {run} {a[300:]}.", f"{b[:300]} {run} {b[300:]}.", f"{c}."]

    assert candidates(texts(PASSAGE_CHANNEL_KEYS), [0, 1, 2]).tolist() == [[0, 1]]
    assert candidates(texts(PASSAGE_CHANNEL_KEYS - 1), [0, 1, 2]).tolist() == []
    # Every pair the channel proposes passes the verify stage's own gate on shared keys, so it is searched.
    assert PASSAGE_MIN_KEYS <= PASSAGE_CHANNEL_KEYS
