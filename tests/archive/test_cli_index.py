"""``dedup index add/info/remove`` and ``dedup scan --against [--add]`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dedup.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def run(*args: str, input: str | None = None):  # noqa: A002 - click's name
    return CliRunner().invoke(main, list(args), input=input)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def seed_records() -> list[dict]:
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]


def test_add_info_scan_against_and_keep_removed(tmp_path: Path) -> None:
    archive = write_jsonl(tmp_path / "archive.jsonl", seed_records())
    index = tmp_path / "archive.db"
    result = run("index", "add", str(archive), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "5 documents added; 5 in" in result.output
    info = json.loads(run("index", "info", str(index), "--json").output)
    assert info["documents"] == 5 and info["format"] == "dedup.index/2" and info["config"]["ngram"] == 3

    copy = seed_records()[1]["text"]
    new = write_jsonl(tmp_path / "new.jsonl", [
        {"id": "copy", "text": copy + "\nReporting by our staff."},
        {"id": "fresh", "text": "A new story about something else entirely, told in a dozen plain words."},
    ])
    report, kept, removed = tmp_path / "r.json", tmp_path / "keep.jsonl", tmp_path / "removed.jsonl"
    result = run("scan", str(new), "--against", str(index), "--add", "--json", str(report), "--keep", str(kept),
                 "--removed", str(removed), "--quiet")
    assert result.exit_code == 0, result.output
    found = json.loads(report.read_text(encoding="utf-8"))
    assert [(p["a"], p["b"], p["relation"]) for p in found["pairs"]] == [(seed_records()[1]["id"], "copy",
                                                                          "near_duplicate")]
    assert {d["id"]: d["side"] for d in found["documents"]} == {seed_records()[1]["id"]: "archive", "copy": "new",
                                                                 "fresh": "new"}
    assert found["summary"]["documents"] == 2 and found["summary"]["archived_documents"] == 1
    # Only new records are written: the archived one is kept already, the copy of it removed.
    assert [json.loads(line)["id"] for line in kept.read_text().splitlines()] == ["fresh"]
    assert [json.loads(line)["dedup"]["duplicate_of"] for line in removed.read_text().splitlines()] == [
        seed_records()[1]["id"]]
    assert json.loads(run("index", "info", str(index), "--json").output)["documents"] == 7  # --add

    ids = tmp_path / "ids.txt"
    ids.write_text("copy\nfresh\n", encoding="utf-8")
    result = run("index", "remove", str(ids), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "2 documents removed; 5 left" in result.output


def test_usage_errors_and_mismatched_settings(tmp_path: Path) -> None:
    archive = write_jsonl(tmp_path / "a.jsonl", seed_records()[:2])
    index = tmp_path / "a.db"
    assert run("index", "add", str(archive), "--index", str(index), "--ngram", "4", "-q").exit_code == 0
    more = write_jsonl(tmp_path / "b.jsonl", seed_records()[2:])
    result = run("index", "add", str(more), "--index", str(index), "--ngram", "5")
    assert result.exit_code == 1
    assert "ngram 4 in the index, 5 here" in result.output
    # Without settings given, a scan against the index takes the index's own.
    assert run("scan", str(more), "--against", str(index), "-q").exit_code == 0
    result = run("scan", str(more), "--against", str(index), "--ngram", "3")
    assert result.exit_code == 1 and "ngram 4 in the index, 3 here" in result.output
    result = run("scan", str(more), "--add")
    assert result.exit_code == 2 and "--add goes with --against" in result.output
    result = run("scan", str(more), "--against", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no index here. Create one with: dedup index add" in result.output
    result = run("scan", str(archive), "--against", str(index))
    assert result.exit_code == 1 and "is in the index already" in result.output
    assert run("index", "info", str(tmp_path / "none.db")).exit_code == 1
