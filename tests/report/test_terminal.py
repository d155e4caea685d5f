"""The terminal summaries show what a document holds literally: no rich markup, no raw escape sequence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main

TEXT = (
    "The council voted on Tuesday to close the old bridge to lorries after engineers found cracks in two of "
    "its supports, and said repairs would take at least a year to complete."
)
SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HOSTILE_IDS = ["[/]", "[bold]x", "a\x1b]0;owned\x07b", "c\x1b[2Jd", "e\rf", "g\u202eh"]


@pytest.mark.parametrize("command", [["scan", "--no-phrase-checks"], ["spin", "--all"]])
@pytest.mark.parametrize("doc_id", HOSTILE_IDS)
def test_ids_reach_the_terminal_literally(tmp_path: Path, command: list[str], doc_id: str) -> None:
    corpus = tmp_path / "in.jsonl"
    records = [{"id": doc_id, "text": TEXT}, {"id": doc_id + "2", "text": TEXT}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(main, [*command, str(corpus), "--workers", "1"])
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in result.output
    # scan lists the pair, spin --all every document: both show the ids as given, controls as escapes.
    shown = doc_id.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\r", "\\r")
    shown = shown.replace("\u202e", "\\u202e")
    assert shown in result.output and shown + "2" in result.output


def test_a_flagged_document_heads_its_evidence_with_its_id_shown_literally(tmp_path: Path) -> None:
    spun = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "[/]x\x1b[2J", "text": spun}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["spin", str(corpus), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "[/]x\\x1b[2J (score" in result.output


def test_the_summary_says_how_many_pairs_of_large_clusters_were_not_listed(tmp_path: Path, monkeypatch) -> None:
    import dedup.stages.verify

    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 3)
    words = TEXT.split()
    records = [{"id": f"d{k}", "text": " ".join(words[:k] + ["edit"] + words[k + 1:])} for k in range(6)]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(corpus), "--no-spin", "--workers", "1"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "pairs in large clusters not listed" in line)
    assert line.split()[-1] == "10"  # 6 members: 15 pairs, of which the 5 with the representative are listed
