"""The pairs CSV: every id reads back as one cell, and none runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main

TEXT = (
    "The council voted on Tuesday to close the old bridge to lorries after engineers found cracks in two of "
    "its supports, and said repairs would take at least a year to complete."
)


def _pairs_csv(tmp_path: Path, ids: list[str]) -> list[list[str]]:
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": TEXT}) + "\n" for i in ids), encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(main, ["scan", str(corpus), "-q", "--no-spin", "--workers", "1", "--pairs", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_id_is_written_as_text(tmp_path: Path, start: str) -> None:
    formula = start + 'HYPERLINK("http://x")'
    rows = _pairs_csv(tmp_path, [formula, "plain"])
    assert rows[0] == ["a", "b", "relation", "score", "jaccard", "containment"]
    assert len(rows) == 2
    assert {rows[1][0], rows[1][1]} == {"'" + formula, "plain"}


def test_a_carriage_return_in_an_id_does_not_split_the_row(tmp_path: Path) -> None:
    rows = _pairs_csv(tmp_path, ["one\rtwo", "plain"])
    assert len(rows) == 2
    assert {rows[1][0], rows[1][1]} == {"one\rtwo", "plain"}


def test_ordinary_ids_are_written_unquoted(tmp_path: Path) -> None:
    _pairs_csv(tmp_path, ["first", "second"])
    row = (tmp_path / "pairs.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith(("first,second,", "second,first,"))


def test_a_lone_surrogate_reaches_every_output_and_reads_back(tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    records = [{"id": "a\ud800", "text": TEXT + " \ud800"}, {"id": "b", "text": TEXT + " \ud800"}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    outs = {name: tmp_path / name for name in ("r.json", "c.jsonl", "k.jsonl", "x.jsonl", "p.csv", "h.html")}
    args = ["--json", "r.json", "--clusters", "c.jsonl", "--keep", "k.jsonl", "--removed", "x.jsonl",
            "--pairs", "p.csv", "--html", "h.html"]
    result = CliRunner().invoke(main, ["scan", str(corpus), "-q", "--workers", "1",
                                       *[str(tmp_path / a) if a in outs else a for a in args]])
    assert result.exit_code == 0, result.output
    kept = [json.loads(line) for line in outs["k.jsonl"].read_text(encoding="utf-8").splitlines()]
    removed = [json.loads(line) for line in outs["x.jsonl"].read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in kept + removed] == ["a\ud800", "b"]  # nothing the user gave is lost
    assert kept[0]["text"] == records[0]["text"]
    cluster = json.loads(outs["c.jsonl"].read_text(encoding="utf-8"))
    assert cluster["members"] == ["a\ud800", "b"]
    assert json.loads(outs["r.json"].read_text(encoding="utf-8"))["documents"][0]["id"] == "a\ud800"
    # CSV and HTML cannot hold a lone surrogate as a character: both write its JSON escape.
    with open(outs["p.csv"], encoding="utf-8", newline="") as fh:
        assert [row[:3] for row in csv.reader(fh)][1] == ["a\\ud800", "b", "exact"]
    assert '"id":"a\\ud800"' in outs["h.html"].read_text(encoding="utf-8")
