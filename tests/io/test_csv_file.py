"""Tests of dedup.io.csv_file: CSV rows, their line numbers, huge fields, and quoting and header errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.io.options import ReadOptions
from tests.io.readers import assert_one_line_error, error_of, read, triples, write

ARTICLES = [("a1", "First story.\nSecond line."), ("a2", "Другая история, «кавычки».")]


def _csv(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'{doc_id},"{text.replace(chr(34), chr(34) * 2)}"\r\n' for doc_id, text in rows)
    return "id,text\r\n" + body


def test_csv_rows_give_id_text_and_line(tmp_path: Path):
    # The first text spans two lines inside its quotes, so the second row starts on line 4.
    path = write(tmp_path, "c.csv", _csv(ARTICLES))
    documents, notices = read([path])
    assert triples(documents) == [(i, t, n) for (i, t), n in zip(ARTICLES, [2, 4], strict=True)]
    assert {document.source for document in documents} == {path}
    assert notices.counts() == {}


def test_csv_accepts_a_field_far_above_the_csv_module_default_limit(tmp_path: Path):
    huge = "word " * 100_000  # 500,000 characters; the csv module's default limit is 131,072
    path = write(tmp_path, "big.csv", f'id,text\nbig,"{huge}"\n')
    documents, _ = read([path])
    assert documents[0].text == huge


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"),
    [
        pytest.param(
            "a.csv",
            "id,text\nx,a\ny,b,c\n",
            None,
            "{p}:3: row has 3 fields, the header has 2. Check the quoting of this row",
            id="csv-extra-field",
        ),
        pytest.param(
            "a.csv",
            "id,text,id\nx,a,y\n",
            None,
            "{p}:1: duplicate column 'id' in the header. Rename one of the columns",
            id="csv-duplicate-column",
        ),
    ],
)
def test_bad_input_raises_one_line_naming_file_line_and_fix(
    tmp_path: Path, name: str, content: str | bytes, options: ReadOptions | None, expected: str
):
    assert_one_line_error(tmp_path, name, content, options, expected)


def _csv_file(tmp_path, rows):
    path = tmp_path / "in.csv"
    path.write_text("id,text\n" + "".join(rows), encoding="utf-8")
    return str(path)


def test_a_stray_quote_in_a_csv_is_an_error_naming_its_row(tmp_path):
    rows = [f"{i},row number {i} of the file\n" for i in range(1, 1001)]
    rows[2] = '3,"a stray quote opens here\n'
    path = _csv_file(tmp_path, rows)
    assert error_of([path]) == (
        f"{path}:4: a quoted field is never closed: this record runs to the end of the file."
        " Check the quoting of this row"
    )


def test_a_csv_record_over_too_many_lines_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr("dedup.io.csv_file.CSV_MAX_RECORD_LINES", 5)
    rows = ['1,"one\n', *["more\n"] * 6, 'end"\n', "2,fine\n"]
    path = _csv_file(tmp_path, rows)
    assert error_of([path]) == (
        f"{path}:2: a record spans 8 lines, more than 5 (a stray quote). Check the quoting of this row"
    )


def test_csv_records_over_several_lines_are_still_read(tmp_path):
    path = _csv_file(tmp_path, ['1,"first line\nsecond line"\n', "2,fine\n"])
    assert [(d.id, d.text) for d in read([path])[0]] == [("1", "first line\nsecond line"), ("2", "fine")]
