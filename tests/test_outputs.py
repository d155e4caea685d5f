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
