"""Tests of dedup.io.fields: ids and texts taken out of records, generated ids, and each field error's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.io.notices import Notice
from dedup.io.options import ReadOptions
from tests.io.readers import assert_one_line_error, jsonl, read, write


def test_numbers_as_ids_become_strings(tmp_path: Path):
    path = write(tmp_path, "c.jsonl", jsonl({"id": 12, "text": "a"}, {"id": 1.5, "text": "b"}))
    documents, _ = read([path])
    assert [document.id for document in documents] == ["12", "1.5"]


@pytest.mark.parametrize(
    ("record", "options", "expected"),
    [
        ({"meta": {"id": "m1"}, "body": {"text": "deep"}}, ReadOptions("meta.id", "body.text"), ("m1", "deep")),
        ({"meta.id": "literal", "meta": {"id": "nested"}, "text": "t"}, ReadOptions("meta.id"), ("literal", "t")),
        ({"a": {"b": {"c": 3}}, "text": "t"}, ReadOptions("a.b.c"), ("3", "t")),
    ],
)
def test_dotted_fields_reach_into_nested_objects_and_a_literal_key_wins(tmp_path: Path, record, options, expected):
    documents, _ = read([write(tmp_path, "c.jsonl", jsonl(record))], options)
    assert (documents[0].id, documents[0].text) == expected


def test_ids_default_to_file_and_line_when_no_record_has_an_id(tmp_path: Path):
    write(tmp_path, "in/sub/c.jsonl", jsonl({"url": "u1", "text": "a"}, {"url": "u2", "text": "b"}))
    documents, notices = read([str(tmp_path / "in")])
    assert [document.id for document in documents] == ["sub/c.jsonl:1", "sub/c.jsonl:2"]
    assert notices.messages == (
        Notice(
            "generated_id",
            f"{tmp_path}/in/sub/c.jsonl: records have no 'id' field; ids are 'sub/c.jsonl:<line>'"
            " (use --id-field url to use that field)",
        ),
    )


GENERATED = "ids then default to '<file>:<line>'"


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"),
    [
        pytest.param(
            "a.jsonl",
            jsonl({"id": "1", "title": "T", "body": "Long text here"}),
            None,
            "{p}:1: no text field 'text' (fields: id, title, body). Try --text-field body",
            id="missing-text-known-name",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": "1", "headline": "T", "story_html": "A much longer text"}),
            None,
            "{p}:1: no text field 'text' (fields: id, headline, story_html). Try --text-field story_html",
            id="missing-text-longest-string",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": "1", "n": 3}),
            None,
            "{p}:1: no text field 'text' (fields: id, n). Use --text-field KEY to name the field holding the text",
            id="missing-text-no-candidate",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": "1", "text": None, "content": "c"}),
            None,
            "{p}:1: text field 'text' is null, not a string. Try --text-field content",
            id="text-null",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": "1", "text": ["a", "b"]}),
            None,
            "{p}:1: text field 'text' is an array, not a string. Check the record",
            id="text-array",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": "1", "text": "a"}, {"text": "b", "n": 1}),
            None,
            "{p}:2: no id field 'id' (fields: text, n). Give every record an 'id' field, or none (" + GENERATED + ")",
            id="id-missing-in-some",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"text": "a"}, {"id": "2", "text": "b"}),
            None,
            "{p}:2: this record has an id field 'id' but the first record of the file has none. "
            "Give every record an 'id' field, or none (" + GENERATED + ")",
            id="id-present-after-none",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"uuid": "u", "text": "a"}),
            ReadOptions(id_field="doc_id"),
            "{p}:1: no id field 'doc_id' (fields: uuid, text). Try --id-field uuid",
            id="explicit-id-field-missing",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": None, "text": "a"}),
            None,
            "{p}:1: id field 'id' is null, not a string or number. Check the record, or use --id-field KEY",
            id="id-null",
        ),
        pytest.param(
            "a.jsonl",
            jsonl({"id": True, "text": "a"}),
            None,
            "{p}:1: id field 'id' is a boolean, not a string or number. Check the record, or use --id-field KEY",
            id="id-boolean",
        ),
        pytest.param("a.csv", "id,text\n,a\n", None, "{p}:2: id field 'id' is empty. Give it an id", id="id-empty-csv"),
    ],
)
def test_bad_input_raises_one_line_naming_file_line_and_fix(
    tmp_path: Path, name: str, content: str | bytes, options: ReadOptions | None, expected: str
):
    assert_one_line_error(tmp_path, name, content, options, expected)
