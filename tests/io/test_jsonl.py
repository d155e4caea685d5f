"""Tests of dedup.io.jsonl: JSONL files (plain and gzipped), blank lines, line numbers and JSON errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.io.options import ReadOptions
from tests.io.readers import assert_one_line_error, error_of, jsonl, read, triples, write

ARTICLES = [("a1", "First story.\nSecond line."), ("a2", "Другая история, «кавычки».")]


@pytest.mark.parametrize(
    ("name", "content", "expected_lines"),
    [
        ("c.jsonl", jsonl(*({"id": i, "text": t} for i, t in ARTICLES)), [1, 2]),
        ("c.JSONL", jsonl(*({"id": i, "text": t} for i, t in ARTICLES)), [1, 2]),
        ("c.jsonl.gz", gzip.compress(jsonl(*({"id": i, "text": t} for i, t in ARTICLES)).encode()), [1, 2]),
    ],
)
def test_jsonl_files_give_id_text_and_line(tmp_path: Path, name: str, content: str | bytes, expected_lines):
    path = write(tmp_path, name, content)
    documents, notices = read([path])
    assert triples(documents) == [(i, t, n) for (i, t), n in zip(ARTICLES, expected_lines, strict=True)]
    assert {document.source for document in documents} == {path}
    assert notices.counts() == {}


def test_blank_jsonl_lines_are_not_records_and_line_numbers_stay_physical(tmp_path: Path):
    path = write(tmp_path, "c.jsonl", '\n{"id": "x", "text": "a"}\n   \n{"id": "y", "text": "b"}\n\n')
    documents, _ = read([path])
    assert triples(documents) == [("x", "a", 2), ("y", "b", 4)]


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"),
    [
        pytest.param(
            "a.jsonl",
            '{"id": "1", "text": "ok"}\n{"id": "2", "text": "cut',
            None,
            "{p}:2: invalid JSON: Unterminated string starting at (column 21). "
            "Each line must hold one complete JSON object",
            id="malformed-json",
        ),
        pytest.param(
            "a.jsonl",
            '["id", "text"]\n',
            None,
            '{p}:1: expected a JSON object, got an array. Each line must be an object like {{"id": ..., "text": ...}}',
            id="not-an-object",
        ),
    ],
)
def test_bad_input_raises_one_line_naming_file_line_and_fix(
    tmp_path: Path, name: str, content: str | bytes, options: ReadOptions | None, expected: str
):
    assert_one_line_error(tmp_path, name, content, options, expected)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"id": "a", "text": ' + "[" * 200_000 + "]" * 200_000 + "}",
         "in.jsonl:2: JSON nested too deeply to read. Flatten the record"),
        ('{"id": ' + "7" * 5000 + ', "text": "x"}',
         "in.jsonl:2: a number too long to read (Exceeds the limit (4300 digits) for integer string conversion:"
         " value has 5000 digits). Write it as a string"),
    ],
)
def test_json_no_reader_can_hold_is_an_error_naming_its_line(tmp_path, monkeypatch, line, error):
    monkeypatch.chdir(tmp_path)
    Path("in.jsonl").write_text('{"id": "ok", "text": "fine"}\n' + line + "\n", encoding="utf-8")
    assert error_of(["in.jsonl"]) == error


@settings(max_examples=60, deadline=None)
@given(
    records=st.dictionaries(st.text(min_size=1), st.text(), min_size=1, max_size=8),
    ensure_ascii=st.booleans(),
    gzipped=st.booleans(),
)
def test_a_jsonl_file_of_any_id_and_text_strings_round_trips_exactly(
    records: dict[str, str], ensure_ascii: bool, gzipped: bool
):
    data = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=ensure_ascii) + "\n" for i, t in records.items())
    raw = data.encode("utf-8")
    documents, _ = read(["-"], stdin=gzip.compress(raw) if gzipped else raw)
    assert [(document.id, document.text) for document in documents] == list(records.items())
    assert [document.line for document in documents] == list(range(1, len(records) + 1))
