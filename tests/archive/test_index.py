"""The archive index: a scan against it gives exactly the full scan's pairs that touch a new document."""

from __future__ import annotations

import json
import random
import re
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup import Document, Index, ScanConfig
from dedup.archive import FORMAT, inflated
from dedup.errors import ConfigError, DedupError, InputError
from dedup.report.report import Report

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
FURNITURE = ["Advertisement", "Subscribe to our newsletter for the latest news.", "Read more: local politics"]


def corpus(seed: int, n: int = 60) -> list[Document]:
    """Documents made of the sample articles' paragraphs: exact, near and partial copies, stories sharing a
    few paragraphs, and site furniture lines standing in a handful of them (boilerplate near its threshold)."""
    rng = random.Random(seed)
    paragraphs = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")
                  if len(p.split()) > 12]
    docs: list[str] = []
    for _ in range(n):
        kind = rng.random()
        if docs and kind < 0.15:
            docs.append(rng.choice(docs))  # an exact copy
        elif docs and kind < 0.4:
            words = rng.choice(docs).split(" ")
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(["said", "quickly", "river", "council"])
            docs.append(" ".join(words))  # a near copy
        else:
            body = rng.sample(paragraphs, rng.randint(2, 5))
            if rng.random() < 0.4:
                body.insert(rng.randrange(len(body) + 1), rng.choice(FURNITURE))
            docs.append("\n\n".join(body))
    return [Document(f"d{k:03d}", text) for k, text in enumerate(docs)]


def pairs_json(report: Report, touching: set[str] | None = None) -> list[str]:
    found = report.to_dict()["pairs"]
    return sorted(json.dumps(p, sort_keys=True) for p in found
                  if touching is None or p["a"] in touching or p["b"] in touching)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_scan_against_the_index_gives_the_full_scans_pairs(tmp_path: Path, seed: int) -> None:
    docs = corpus(seed)
    cut = random.Random(seed).randint(20, 45)
    archive, new = docs[:cut], docs[cut:]
    full = dedup.scan(docs, workers=1)
    with Index(tmp_path / "archive.db") as index:
        index.add(archive[: cut // 2])
        index.add(archive[cut // 2 :])  # two adds: the second restates boilerplate the first could not see
        against = index.scan(new)
    expected = pairs_json(full, {d.id for d in new})
    assert expected, "the corpus should hold pairs touching new documents"
    assert pairs_json(against) == expected
    sides = {d["id"]: d["side"] for d in against.to_dict()["documents"]}
    assert all(sides[d.id] == "new" for d in new)
    assert {sides[i] for p in against.pairs for i in (p.a, p.b) if i not in {d.id for d in new}} <= {"archive"}


@pytest.mark.parametrize("workers", [1, 2])
def test_the_new_documents_are_reported_as_a_full_scan_reports_them(tmp_path: Path, workers: int) -> None:
    # On two workers the phrase checks run in a process of their own beside the work on the archive.
    docs = corpus(4)
    archive, new = docs[:35], docs[35:]
    full = dedup.scan(docs, workers=1)
    with Index(tmp_path / "archive.db", engine=dedup.LocalEngine(workers)) as index:
        index.add(archive)
        against = index.scan(new)
    assert pairs_json(against) == pairs_json(full, {d.id for d in new})
    expected = {d["id"]: d for d in full.to_dict()["documents"]}
    reported = [d for d in against.to_dict()["documents"] if d.pop("side") == "new"]
    assert [d["id"] for d in reported] == [d.id for d in new]
    assert reported == [expected[d.id] for d in new]
    assert any(d["spin"]["score"] > 0 for d in reported)


@pytest.mark.parametrize("config", [ScanConfig(), ScanConfig(lsh_threshold=0.9, passages=False)],
                         ids=["default", "spun-copy-channel-alone"])
def test_spun_copies_of_archived_documents_are_found_as_a_full_scan_finds_them(tmp_path: Path,
                                                                              config: ScanConfig) -> None:
    # The archived documents' anchors are taken only where the spun-copy channel or a pair's alignment needs
    # them (dedup.archive); the second settings leave that channel alone to propose the spun copies.
    from benchmarks.spinner import ThesaurusNotInstalled, spin

    archive = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    try:
        new = [Document(f"spun{k}", spin(archive[k].text, 0.3, seed=k).text) for k in range(3)]
    except ThesaurusNotInstalled:
        pytest.skip("the spinner's thesaurus is not installed")
    full = dedup.scan(archive + new, config, workers=1)
    with Index(tmp_path / "archive.db", config) as index:
        index.add(archive)
        against = index.scan(new)
    assert pairs_json(against) == pairs_json(full, {d.id for d in new})
    assert sum(p.relation == "spun" for p in against.pairs) >= 2


def test_adding_after_a_scan_keeps_the_index_equal_to_a_full_scan(tmp_path: Path) -> None:
    docs = corpus(7, n=70)
    first, second, third = docs[:30], docs[30:50], docs[50:]
    with Index(tmp_path / "a.db") as index:
        index.add(first)
        middle = index.scan(second, add=True)
        last = index.scan(third)
        assert index.info()["documents"] == 50
    assert pairs_json(middle) == pairs_json(dedup.scan(first + second, workers=1), {d.id for d in second})
    assert pairs_json(last) == pairs_json(dedup.scan(docs, workers=1), {d.id for d in third})


def test_a_line_that_becomes_boilerplate_with_the_new_documents_is_taken_out_of_the_archived_ones(
        tmp_path: Path) -> None:
    story = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8").split("\n\n")
    line = "Sign up for our morning briefing and get the day's news first."
    archived = [Document(f"a{k}", f"{line}\n\n{story[k]}\n\n{story[k + 1]}") for k in range(3)]
    new = [Document("n0", f"{line}\n\n{story[0]}\n\n{story[1]}\n\nA paragraph of our own here.")]
    full = dedup.scan(archived + new, workers=1)
    with Index(tmp_path / "a.db") as index:
        index.add(archived)
        against = index.scan(new)
    assert pairs_json(against) == pairs_json(full, {"n0"})
    assert [(p.a, p.b) for p in against.pairs] == [("a0", "n0")]


def test_new_near_copies_joining_a_family_past_the_listing_limit_pair_with_its_representative(
        tmp_path: Path) -> None:
    # Past LISTED_CLUSTER_LIMIT members a family lists only its pairs with the representative (an archived
    # one: the archive is kept), whatever order the candidates were verified in (dedup.archive's docstring).
    from dedup.stages.verify import LISTED_CLUSTER_LIMIT

    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")

    def near(k: int) -> str:
        words = text.split(" ")
        for at in random.Random(k).sample(range(len(words)), 3):
            words[at] = f"changed{k}"
        return " ".join(words)

    archived = [Document(f"a{k:03d}", near(k)) for k in range(LISTED_CLUSTER_LIMIT + 5)]
    new = [Document(f"n{k}", near(1000 + k)) for k in range(4)]
    with Index(tmp_path / "a.db", ScanConfig(spin=dedup.SpinConfig(enabled=False))) as index:
        index.add(archived)
        report = index.scan(new)
    [cluster] = report.clusters
    assert cluster.representative.startswith("a") and {d.id for d in new} <= set(cluster.members)
    assert len(cluster.members) == len(archived) + len(new)
    for d in new:  # each new copy is listed with the representative, and only with it
        partners = {p.a if p.b == d.id else p.b for p in report.pairs if d.id in (p.a, p.b)}
        assert partners == {cluster.representative}
    assert {p.relation for p in report.pairs} == {"near_duplicate"}


def test_exact_copies_of_archived_documents_pair_with_the_archived_one_and_are_removed(tmp_path: Path) -> None:
    text = (SEEDS / sorted(SEEDS.glob("*.txt"))[1].name).read_text(encoding="utf-8")
    with Index(tmp_path / "a.db") as index:
        index.add([Document("old", text), Document("old copy", text)])
        report = index.scan([Document("new", text), Document("new copy", text.upper())])
    assert [(p.a, p.b, p.relation) for p in report.pairs] == [("old", "new", "exact"), ("old", "new copy", "exact")]
    assert [c.representative for c in report.clusters] == ["old"]
    assert report.summary["removed"] == 2 and report.summary["documents"] == 2


def test_settings_other_than_the_index_s_are_refused_by_name(tmp_path: Path) -> None:
    with Index(tmp_path / "a.db") as index:
        index.add(corpus(1, n=5))
        with pytest.raises(ConfigError, match="ngram 3 in the index, 4 here"):
            index.scan(corpus(2, n=3), ScanConfig(ngram=4))
        assert index.config().ngram == 3
        # The phrase checks and the keep policy decide nothing stored: any will do.
        index.scan([Document("x", "A short text.")], ScanConfig(keep_policy="first"))


def test_ids_already_archived_or_repeated_are_refused(tmp_path: Path) -> None:
    with Index(tmp_path / "a.db") as index:
        index.add([Document("a", "One story about the river.")])
        with pytest.raises(InputError, match="'a' is in the index already"):
            index.scan([Document("a", "Another.")])
        with pytest.raises(InputError, match="duplicate id 'b'"):
            index.add([Document("b", "x"), Document("b", "y")])
        assert index.info()["documents"] == 1


def test_a_failed_add_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    docs = corpus(4, n=30)

    def failing():  # type: ignore[no-untyped-def]
        yield from docs[10:20]
        raise InputError("broken record", path="x.jsonl", line=11)

    with Index(tmp_path / "a.db") as index:
        index.add(docs[:10])
        before = index.scan(docs[20:])
        with pytest.raises(InputError):
            index.add(failing())
        assert index.info()["documents"] == 10
        assert pairs_json(index.scan(docs[20:])) == pairs_json(before)


def test_remove_gives_the_index_of_the_documents_left(tmp_path: Path) -> None:
    docs = corpus(5, n=50)
    archive, new = docs[:35], docs[35:]
    gone = {d.id for d in archive[::3]}
    left = [d for d in archive if d.id not in gone]
    with Index(tmp_path / "a.db") as index:
        index.add(archive)
        assert index.remove(sorted(gone)) == len(gone)
        assert index.info()["documents"] == len(left)
        against = index.scan(new)
        with pytest.raises(InputError, match="not in the index"):
            index.remove(["nobody"])
    assert pairs_json(against) == pairs_json(dedup.scan(left + new, workers=1), {d.id for d in new})


def test_what_is_not_an_index_gets_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DedupError, match="no index here. Create one with: dedup index add"):
        Index(tmp_path / "missing.db", create=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DedupError, match="not a dedup index"):
        Index(junk)
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE mine (x)")
    with pytest.raises(DedupError, match="not a dedup index"):
        Index(other)
    with sqlite3.connect(other) as db:  # and it was left alone
        assert [n for (n,) in db.execute("SELECT name FROM sqlite_master")] == ["mine"]


def test_the_index_stays_near_the_size_of_its_input(tmp_path: Path) -> None:
    docs = corpus(6, n=400)
    with Index(tmp_path / "a.db") as index:
        index.add(docs)
        size = index.info()["bytes"]
    raw = sum(len(json.dumps({"id": d.id, "text": d.text}).encode()) + 1 for d in docs)
    # Copies compress well against the preset dictionary; a corpus of distinct news measures 1.3-1.6x.
    assert size < 1.5 * raw, (size, raw)


def test_a_second_writer_waits_then_gets_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.index.store as store

    monkeypatch.setattr(store, "WRITER_WAIT", 0.2)
    path = tmp_path / "a.db"
    with Index(path) as first, Index(path) as second:
        first.add(corpus(1, n=5))
        with first.store.writing():  # the first writer holds the lock
            with pytest.raises(DedupError, match="being written by another process"):
                second.add([Document("late", "A late story about the river and the bridge.")])
            assert len(second.scan([Document("reader", "Readers go on meanwhile.")]).documents) == 1
        assert second.add([]) == 0 and second.info()["documents"] == 5


def test_an_index_of_another_format_is_refused_with_what_to_do(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with Index(path) as index:
        index.add(corpus(1, n=5))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'dedup.index/0' WHERE key = 'format'")
    db.close()
    expected = f"index format 'dedup.index/0', this dedup reads {FORMAT!r}. Build the index again"
    with Index(path) as index, pytest.raises(DedupError, match=re.escape(expected)):
        index.scan(corpus(2, n=3))


@settings(max_examples=200, deadline=None)
@given(text=st.text(), zdict=st.sampled_from([b"", b"the river bridge council said", bytes(range(256)) * 128]))
def test_a_record_text_inflates_as_zlib_inflates_it(text: str, zdict: bytes) -> None:
    """``inflated`` (raw inflate, the dictionary's checksum taken once) gives what zlib gives, on any text."""
    packer = zlib.compressobj(9, zdict=zdict) if zdict else zlib.compressobj(9)
    stream = packer.compress(text.encode("utf-8", "surrogatepass")) + packer.flush()
    unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
    text_bytes = unpacker.decompress(stream) + unpacker.flush()
    assert inflated(stream, zdict) == text_bytes
    assert inflated(stream + b"tail", zdict) == text_bytes  # zlib too ignores what follows the stream


def test_a_damaged_record_text_raises_zlibs_error() -> None:
    zdict = b"the river bridge council said" * 10
    packer = zlib.compressobj(9, zdict=zdict)
    stream = bytearray(packer.compress(b"The council said the bridge over the river opens in May.") + packer.flush())
    stream[-1] ^= 0x01  # the text's checksum
    with pytest.raises(zlib.error, match="incorrect data check"):
        inflated(bytes(stream), zdict)
    with pytest.raises(zlib.error):  # another dictionary
        inflated(bytes(stream), b"another dictionary")
    cut = bytes(stream[:-6])  # zlib's decompressobj gives what it could of a cut stream; so does inflated
    unpacker = zlib.decompressobj(zdict=zdict)
    assert inflated(cut, zdict) == unpacker.decompress(cut) + unpacker.flush()
