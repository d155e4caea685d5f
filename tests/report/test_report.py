"""Tests of dedup.report.report: the report's summary counts, and its JSON form (schema, rounding, bytes)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from dedup import Cluster, Document, DocumentResult, Evidence, LocalEngine, Pair, Repeat, ScanConfig, SpinResult, scan
from dedup.report.report import SCHEMA, Report

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def report(**kwargs: object) -> Report:
    documents = (
        DocumentResult("a", 100, SpinResult(0.1234567891, False), (Repeat(0, 10, 2), Repeat(20, 30, 2))),
        DocumentResult("b", 90, SpinResult(0.9, True, (Evidence(3, 8, "huge", "big", "synonym"),))),
        DocumentResult("c", 80),
        DocumentResult("d", 70, SpinResult(0.7, True)),
        DocumentResult("e", 60),
    )
    pairs = (
        Pair("a", "b", "exact", 1.0, 1.0, 1.0),
        Pair("a", "c", "partial", 0.91234567, 0.3, 0.95, {"char_jaccard": 0.25, "char_containment": 0.9}),
        Pair("d", "e", "spun", 0.8, 0.1, 0.2),
    )
    clusters = (Cluster(1, ("a", "b", "c"), "a"), Cluster(2, ("d", "e"), "d"))
    return Report(ScanConfig(), documents, pairs, clusters, **kwargs)  # type: ignore[arg-type]


def test_the_schema_is_exactly_dedup_report_1() -> None:
    assert SCHEMA == "dedup.report/1"
    assert report().to_dict()["schema"] == "dedup.report/1"
    assert json.loads(report().to_json())["schema"] == "dedup.report/1"


def test_summary_counts() -> None:
    summary = report(notices={"empty": 2, "duplicate_id": 1}).summary
    assert summary == {
        "documents": 5,
        "pairs": 3,
        "relations": {"exact": 1, "near_duplicate": 0, "partial": 1, "spun": 1},
        "clusters": 2,
        "kept": 5 - 3,
        "removed": (3 - 1) + (2 - 1),  # every member of a cluster but the one kept
        "spun_documents": 2,
        "documents_with_repeats": 1,
        "notices": {"duplicate_id": 1, "empty": 2},
    }
    assert list(summary["notices"]) == ["duplicate_id", "empty"]  # sorted, whatever order they came in


def test_pairs_not_listed_appear_only_when_there_are_some() -> None:
    assert "pairs_not_listed" not in report().summary
    assert all("pairs_not_listed" not in c for c in report().to_dict()["clusters"])
    found = report(pairs_not_listed={1: 4})
    assert found.summary["pairs_not_listed"] == 4
    assert [c.get("pairs_not_listed") for c in found.to_dict()["clusters"]] == [4, None]


def test_to_dict_holds_every_finding_with_figures_rounded() -> None:
    out = report().to_dict()
    assert list(out) == ["schema", "config", "summary", "documents", "pairs", "clusters"]
    assert out["config"] == asdict(ScanConfig())
    assert out["documents"][0] == {
        "id": "a", "chars": 100, "spin": {"score": 0.123457, "spun": False, "evidence": []},
        "repeats": [{"start": 0, "end": 10, "count": 2}, {"start": 20, "end": 30, "count": 2}],
    }
    assert out["documents"][1]["spin"]["evidence"] == [
        {"start": 3, "end": 8, "text": "huge", "original": "big", "reason": "synonym"}]
    assert out["documents"][2]["spin"] is None
    assert out["pairs"][1] == {"a": "a", "b": "c", "relation": "partial", "score": 0.912346, "jaccard": 0.3,
                               "containment": 0.95, "char_containment": 0.9, "char_jaccard": 0.25, "passages": []}
    assert out["clusters"] == [{"id": 1, "members": ["a", "b", "c"], "representative": "a"},
                               {"id": 2, "members": ["d", "e"], "representative": "d"}]


def test_workers_are_not_in_the_config() -> None:
    # How a scan is run is no part of its result.
    assert "workers" not in report().to_dict()["config"]
    assert "workers" not in scan([Document("a", "One story.")], engine=LocalEngine(1)).to_dict()["config"]


def test_json_is_deterministic() -> None:
    first = report(notices={"empty": 1}).to_json()
    assert first == report(notices={"empty": 1}).to_json() and first.endswith("}\n")
    assert json.loads(first) == json.loads(json.dumps(report(notices={"empty": 1}).to_dict()))  # tuples: lists
    assert report().to_json(indent=None).count("\n") == 1


def test_the_same_scan_gives_the_same_bytes() -> None:
    docs = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    docs.append(Document("copy", docs[0].text.upper()))
    first = scan(docs, engine=LocalEngine(1))
    assert first.pairs
    assert first.to_json() == scan(docs, engine=LocalEngine(1)).to_json()


def test_json_keeps_non_ascii_text() -> None:
    found = Report(ScanConfig(), (DocumentResult("caf\u00e9", 4),), (), ())
    assert '"caf\u00e9"' in found.to_json()


def test_texts_are_read_through_the_reports_source() -> None:
    found = Report(ScanConfig(), (), (), (), texts={"a": "Text of a."}.__getitem__)
    assert found.text("a") == "Text of a."
    with pytest.raises(LookupError, match="without access to the texts"):
        report().text("a")


def test_the_text_source_is_no_part_of_equality() -> None:
    assert Report(ScanConfig(), (), (), (), texts=str) == Report(ScanConfig(), (), (), ())
