"""Tests of dedup.api: ``scan`` and ``check_spin`` take paths, a corpus or documents (streamed), and how they are
run never changes the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import dedup.stages.pipeline
from dedup import Document, LocalEngine, ScanConfig, check_spin, scan
from dedup.config import SpinConfig
from dedup.io.corpus import Corpus
from dedup.io.options import ReadOptions

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
NO_PHRASES = ScanConfig(spin=SpinConfig(enabled=False))  # the phrase checks cost time and change no pair


def seed_documents() -> list[Document]:
    # A folder's documents are named by their file names.
    return [Document(p.name, p.read_text(encoding="utf-8")) for p in SEED_PATHS]


@pytest.fixture(scope="module")
def seed_report() -> dict:
    return scan([Document(d.id, d.text) for d in seed_documents()], engine=LocalEngine(1)).to_dict()


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param(lambda: str(SEEDS), id="folder as str"),
        pytest.param(lambda: SEEDS, id="folder as Path"),
        pytest.param(lambda: [p.name for p in SEED_PATHS], id="list of files"),  # ids as given: run in SEEDS
        pytest.param(lambda: Corpus([str(SEEDS)], ReadOptions()), id="Corpus"),
        pytest.param(seed_documents, id="list of Documents"),
        pytest.param(lambda: (d for d in seed_documents()), id="generator of Documents"),
    ],
)
def test_every_form_of_input_gives_the_same_report(inputs, seed_report: dict,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDS)
    report = scan(inputs(), workers=1)
    assert report.to_dict() == seed_report
    assert [d.id for d in report.documents] == [p.name for p in SEED_PATHS]


def test_a_scan_finds_the_copies_among_documents() -> None:
    story = SEED_PATHS[1].read_text(encoding="utf-8")
    docs = [Document("orig", story), Document("loud", story.upper()), Document("other", SEED_PATHS[2].read_text())]
    report = scan(docs, NO_PHRASES, workers=1)
    assert [(p.a, p.b, p.relation) for p in report.pairs] == [("orig", "loud", "exact")]
    assert [c.members for c in report.clusters] == [("orig", "loud")]


def _counted(total: int, pulled: list[int]) -> Iterator[Document]:
    """``total`` distinct short documents; ``pulled[0]`` counts how many were taken so far."""
    for i in range(total):
        pulled[0] += 1
        yield Document(f"d{i}", f"Note {i} of {i * 7}.")


def test_a_generator_is_consumed_as_the_scan_goes() -> None:
    pulled = [0]
    at_first_tick: list[int] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage == "analysing" and not at_first_tick:
            at_first_tick.append(pulled[0])

    report = scan(_counted(2_000, pulled), NO_PHRASES, workers=1, progress=progress)
    assert len(report.documents) == pulled[0] == 2_000
    assert 0 < at_first_tick[0] < 2_000  # the first batch was analysed before the stream was read to its end


def test_a_generator_streams_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 10)
    pulled = [0]
    seen: list[tuple[int, int]] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage == "analysing" and total is None:
            seen.append((done, pulled[0]))

    scan(_counted(100, pulled), NO_PHRASES, workers=1, progress=progress)
    assert [done for done, _ in seen] == list(range(10, 101, 10))
    # One engine keeps at most two batches ahead of the one analysed: never the whole stream at once.
    assert all(taken <= done + 20 for done, taken in seen)
    assert seen[0][1] < 100


def test_check_spin_consumes_a_generator_as_it_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 40)  # the phrase checks take batches of BATCH // 4
    pulled = [0]
    at_first_tick: list[int] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage == "checking" and not at_first_tick:
            at_first_tick.append(pulled[0])

    report = check_spin(_counted(200, pulled), workers=1, progress=progress)
    assert len(report.documents) == pulled[0] == 200
    assert 0 < at_first_tick[0] < 200


def test_documents_then_a_path_is_a_type_error_naming_the_item() -> None:
    items = [Document("a", "One story."), str(SEED_PATHS[0]), Document("c", "Another story.")]
    with pytest.raises(TypeError, match=r"^item 2 is a str, not a Document: .*not a mix"):
        scan(items, workers=1)


def test_paths_then_a_document_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not a mix"):
        scan([str(SEED_PATHS[0]), Document("a", "One story.")], workers=1)


def test_paths_then_a_document_names_the_item() -> None:
    with pytest.raises(TypeError, match="item 2"):
        scan([str(SEED_PATHS[0]), Document("a", "One story.")], workers=1)


def test_check_spin_refuses_a_mix_too() -> None:
    with pytest.raises(TypeError, match=r"^item 2 is a int"):
        check_spin([Document("a", "One story."), 7], workers=1)  # type: ignore[list-item]


@pytest.fixture(scope="module")
def copies() -> list[Document]:
    """The seeds, each with a trimmed and an edited copy: pairs of every usual kind, over several batches."""
    docs = []
    for path in SEED_PATHS:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        docs.append(Document(path.stem, text))
        docs.append(Document(path.stem + "-trimmed", "\n".join(lines[: len(lines) // 2])))
        docs.append(Document(path.stem + "-edited", text.replace(" the ", " a ", 5)))
    return docs


def test_workers_and_engine_do_not_change_the_report(copies: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 4)  # several batches, so two workers share them
    one = scan(copies, workers=1).to_dict()
    assert one["pairs"], "the copies must be found"
    assert scan(copies, workers=2).to_dict() == one
    assert scan(iter(copies), engine=LocalEngine(2)).to_dict() == one
    assert scan(copies, workers=2, engine=LocalEngine(1)).to_dict() == one  # the engine wins over workers


def test_check_spin_workers_do_not_change_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 4)
    one = check_spin(SEEDS, workers=1).to_dict()
    assert check_spin(seed_documents(), engine=LocalEngine(2)).to_dict() == one


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param(lambda: str(SEEDS), id="folder"),
        pytest.param(lambda: [SEED_PATHS[3].name, SEED_PATHS[4].name], id="list of files"),
        pytest.param(lambda: Corpus([str(SEEDS)], ReadOptions()), id="Corpus"),
        pytest.param(seed_documents, id="list of Documents"),
        pytest.param(lambda: iter(seed_documents()), id="generator of Documents"),
    ],
)
def test_check_spin_flags_the_spun_seed_only(inputs, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(SEEDS)
    report = check_spin(inputs(), workers=1)
    assert report.pairs == () and report.clusters == ()
    spun = [d.id for d in report.documents if d.spin is not None and d.spin.spun]
    assert spun == [SEED_PATHS[4].name]
    assert report.text(SEED_PATHS[4].name) == SEED_PATHS[4].read_text(encoding="utf-8")


@pytest.fixture
def noisy_folder(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("A story about the harbour and the boats in it.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4")
    rows = [{"id": "x", "text": "First record here."}, {"id": "x", "text": "Second record here."}]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("run", [scan, check_spin])
@pytest.mark.parametrize("as_corpus", [False, True])
def test_the_readers_notices_reach_the_report(noisy_folder: Path, run, as_corpus: bool) -> None:  # noqa: ANN001
    inputs = Corpus([str(noisy_folder)], ReadOptions()) if as_corpus else str(noisy_folder)
    report = run(inputs, workers=1)
    assert report.notices == {"skipped_file": 1, "empty": 1, "duplicate_id": 1}
    assert report.summary["notices"] == {"duplicate_id": 1, "empty": 1, "skipped_file": 1}
    assert len(report.notice_messages) == 3
    assert any("c.pdf" in m for m in report.notice_messages)
    assert any("'x#2'" in m for m in report.notice_messages)
    assert [d.id for d in report.documents] == ["a.txt", "b.txt", "x", "x#2"]


def test_documents_given_directly_have_no_notices() -> None:
    report = scan([Document("a", ""), Document("b", "Words.")], NO_PHRASES, workers=1)
    assert report.notices == {} and report.notice_messages == ()


def test_read_options_pass_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"key": "k1", "body": "caf\u00e9 story"}, ensure_ascii=False) + "\n", encoding="latin-1")
    report = scan(path, NO_PHRASES, id_field="key", text_field="body", encoding="latin-1", workers=1)
    assert [(d.id, d.chars) for d in report.documents] == [("k1", len("caf\u00e9 story"))]
    assert report.text("k1") == "caf\u00e9 story"
