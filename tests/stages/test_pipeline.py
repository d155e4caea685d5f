"""End-to-end properties of a scan: every reported pair checks out against a brute-force computation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dedup import Document, LocalEngine, ScanConfig, scan
from dedup.config import SpinConfig
from dedup.text.normalize import normalize, tokenize
from dedup.verify.relations import MIN_JUDGED_WORDS
from tests.copies import near_copies, with_exact_copies_of_a_member

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def word_grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = tokenize(text).words
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    rng = random.Random(7)
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        docs.append(Document(path.stem, text))
        docs.append(Document(path.stem + "-trimmed", "\n".join(lines[: max(2, len(lines) * 6 // 10)])))
        words = text.split(" ")
        for _ in range(4):
            words[rng.randrange(len(words))] = rng.choice(["alpha", "beta", "gamma"])
        docs.append(Document(path.stem + "-edited", " ".join(words)))
    return docs


def test_every_pair_matches_brute_force(corpus: list[Document]) -> None:
    report = scan(corpus, ScanConfig(), engine=LocalEngine(1))
    text = {d.id: d.text for d in corpus}
    assert report.pairs, "the copies must be found"
    for pair in report.pairs:
        a, b = word_grams(text[pair.a]), word_grams(text[pair.b])
        inter = len(a & b)
        # Shingles are 32-bit hashes, so two different word triples collide now and then (about once in 8,000
        # pairs of 500-shingle texts; one such pair is in this corpus): a figure may miss by a shingle or two.
        slack = 2 / min(len(a), len(b))
        assert pair.jaccard == pytest.approx(inter / len(a | b), abs=slack), (pair.a, pair.b)
        assert pair.containment == pytest.approx(inter / min(len(a), len(b)), abs=slack), (pair.a, pair.b)


def test_copies_pair_with_their_source_only(corpus: list[Document]) -> None:
    report = scan(corpus, ScanConfig(), engine=LocalEngine(1))
    for pair in report.pairs:
        assert pair.a.split("-")[0] == pair.b.split("-")[0], (pair.a, pair.b, pair.relation)
    found = {(p.a, p.b) for p in report.pairs}
    for d in corpus:
        if "-" in d.id:
            source = d.id.split("-")[0]
            assert (source, d.id) in found or (d.id, source) in found, d.id


def test_workers_do_not_change_the_report(corpus: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.stages.pipeline

    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 4)  # several batches, so two workers really share them
    one = scan(corpus, ScanConfig(), engine=LocalEngine(1)).to_dict()
    two = scan(corpus, ScanConfig(), engine=LocalEngine(2)).to_dict()
    assert "workers" not in one["config"]  # a run option: the report does not record it
    assert one == two


@pytest.mark.parametrize("workers", [1, 2])
def test_spun_copies_are_found_and_labelled(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.stages.pipeline
    from benchmarks.spinner import ThesaurusNotInstalled, spin

    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 3)  # several batches, so workers really share them
    originals = [Document(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))[:4]]
    try:
        copies = [Document(d.id + "-spun", spin(d.text, 0.35, seed=1).text) for d in originals]
    except ThesaurusNotInstalled:
        pytest.skip("the mythes thesaurus is not installed: apt-get install mythes-en-us")
    report = scan(originals + copies, ScanConfig(), engine=LocalEngine(workers))
    spun = {(p.a, p.b) for p in report.pairs if p.relation == "spun"}
    assert spun == {(d.id, d.id + "-spun") for d in originals}


def test_blank_documents_scan_cleanly() -> None:
    # A batch with no word and no line at all must not trip the batch arrays.
    report = scan(
        [Document("a", ""), Document("b", "  \n\t "), Document("c", "\n")], ScanConfig(), engine=LocalEngine(1)
    )
    assert [d.id for d in report.documents] == ["a", "b", "c"]
    assert report.pairs == () and all(d.repeats == () for d in report.documents)


def test_a_big_cluster_of_near_copies_lists_each_member_with_its_representative(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dedup.stages.verify

    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 20)
    docs = near_copies(120, seed=3)
    report = scan(docs, ScanConfig(), engine=LocalEngine(1))
    (cluster,) = report.clusters
    assert len(cluster.members) == 120
    rep = cluster.representative
    assert len(report.pairs) == 119
    assert all(rep in (p.a, p.b) and p.relation == "near_duplicate" for p in report.pairs)
    entry = report.to_dict()["clusters"][0]
    assert entry["pairs_not_listed"] == 120 * 119 // 2 - 119
    assert report.summary["pairs_not_listed"] == entry["pairs_not_listed"]


def test_an_exact_copy_in_a_big_cluster_is_named_in_a_pair_and_has_a_removal_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dedup.stages.verify
    from dedup.io.outputs import removal_reasons

    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 5)
    docs = with_exact_copies_of_a_member(near_copies(12, seed=5))
    report = scan(docs, ScanConfig(), engine=LocalEngine(1))
    (cluster,) = report.clusters
    assert cluster.representative == "d000" and len(cluster.members) == 15
    named = {d for p in report.pairs for d in (p.a, p.b)}
    assert named == set(cluster.members)
    reasons = removal_reasons(report)
    assert {reasons[f"copy{k}"]["reason"] for k in range(3)} == {"exact"}
    assert len(reasons) == 14


def test_texts_too_short_to_judge_are_paired_only_when_exact() -> None:
    # Unrelated texts of a few words drawn from a small vocabulary share 3-grams and align by chance.
    rng = random.Random(3)
    words = [
        "the",
        "army",
        "said",
        "forces",
        "near",
        "city",
        "border",
        "talks",
        "were",
        "held",
        "after",
        "attack",
        "on",
        "town",
        "by",
        "rebels",
    ]
    docs = [
        Document(f"t{i}", " ".join(rng.choice(words) for _ in range(rng.randint(3, MIN_JUDGED_WORDS - 1))))
        for i in range(400)
    ]
    docs.append(Document("copy", docs[0].text))
    report = scan(docs, ScanConfig(spin=SpinConfig(enabled=False)), engine=LocalEngine(1))
    text = {d.id: d.text for d in docs}
    assert ("t0", "copy") in {(p.a, p.b) for p in report.pairs}
    # Texts this short also repeat by chance; such a repeat is an exact copy too, and only those pair.
    for pair in report.pairs:
        assert pair.relation == "exact" and normalize(text[pair.a]) == normalize(text[pair.b]), pair
    for cluster in report.clusters:
        assert len({normalize(text[m]) for m in cluster.members}) == 1, cluster


def test_a_report_without_texts_says_so() -> None:
    from dedup.stages.pipeline import scan as scan_documents

    docs = [Document("a", "The cat sat on the mat today."), Document("b", "the  cat sat on the mat TODAY.")]
    kept, dropped = scan_documents(docs, engine=LocalEngine(1)), scan_documents(docs, engine=LocalEngine(1),
                                                                              keep_texts=False)
    assert kept.text("a") == docs[0].text and kept.to_dict() == dropped.to_dict()
    with pytest.raises(LookupError, match="without access to the texts"):
        dropped.text("a")
