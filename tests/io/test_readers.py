"""Tests of dedup.io.readers: every format, folder walking, re-reading, notices, and each error's exact text."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.errors import InputError, MissingDependencyError
from dedup.io import text_files
from dedup.io.corpus import Corpus
from dedup.io.notices import Notice, Notices
from dedup.io.options import ReadOptions
from dedup.model import Document

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def write(folder: Path, name: str, content: str | bytes) -> str:
    """Write ``content`` (text as UTF-8) to ``folder/name``, creating folders; return the path as a string."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def read(
    inputs: list[str], options: ReadOptions | None = None, stdin: bytes | None = None
) -> tuple[list[Document], Notices]:
    notices = Notices()
    corpus = Corpus(inputs, options or ReadOptions(), stdin=io.BytesIO(stdin) if stdin is not None else None)
    return list(corpus.documents(notices)), notices


def triples(documents: list[Document]) -> list[tuple[str, str, int | None]]:
    return [(document.id, document.text, document.line) for document in documents]


def error_of(inputs: list[str], options: ReadOptions | None = None, stdin: bytes | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read(inputs, options, stdin)
    return str(caught.value)


# --- formats --------------------------------------------------------------------------------------------

ARTICLES = [("a1", "First story.\nSecond line."), ("a2", "Другая история, «кавычки».")]


def _csv(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'{doc_id},"{text.replace(chr(34), chr(34) * 2)}"\r\n' for doc_id, text in rows)
    return "id,text\r\n" + body


@pytest.mark.parametrize(
    ("name", "content", "expected_lines"),
    [
        ("c.jsonl", jsonl(*({"id": i, "text": t} for i, t in ARTICLES)), [1, 2]),
        ("c.JSONL", jsonl(*({"id": i, "text": t} for i, t in ARTICLES)), [1, 2]),
        ("c.jsonl.gz", gzip.compress(jsonl(*({"id": i, "text": t} for i, t in ARTICLES)).encode()), [1, 2]),
        # The first text spans two lines inside its quotes, so the second row starts on line 4.
        ("c.csv", _csv(ARTICLES), [2, 4]),
    ],
)
def test_record_formats_give_id_text_and_line(tmp_path: Path, name: str, content: str | bytes, expected_lines):
    path = write(tmp_path, name, content)
    documents, notices = read([path])
    assert triples(documents) == [(i, t, n) for (i, t), n in zip(ARTICLES, expected_lines, strict=True)]
    assert {document.source for document in documents} == {path}
    assert notices.counts() == {}


@pytest.mark.parametrize("name", ["story.txt", "story.md", "STORY.TXT"])
def test_a_text_file_given_directly_is_one_document_with_its_path_as_id(tmp_path: Path, name: str):
    path = write(tmp_path, name, "Line one.\r\nLine two.\n")
    documents, _ = read([path])
    assert documents == [Document(path, "Line one.\r\nLine two.\n", path, None)]


def test_a_utf8_byte_order_mark_is_not_part_of_the_text_or_of_a_csv_header(tmp_path: Path):
    text_path = write(tmp_path, "a.txt", b"\xef\xbb\xbfHello")
    csv_path = write(tmp_path, "b.csv", b"\xef\xbb\xbfid,text\nb,World\n")
    documents, _ = read([text_path, csv_path])
    assert [document.text for document in documents] == ["Hello", "World"]
    assert documents[1].id == "b"


def test_blank_jsonl_lines_are_not_records_and_line_numbers_stay_physical(tmp_path: Path):
    path = write(tmp_path, "c.jsonl", '\n{"id": "x", "text": "a"}\n   \n{"id": "y", "text": "b"}\n\n')
    documents, _ = read([path])
    assert triples(documents) == [("x", "a", 2), ("y", "b", 4)]


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


def test_csv_accepts_a_field_far_above_the_csv_module_default_limit(tmp_path: Path):
    huge = "word " * 100_000  # 500,000 characters; the csv module's default limit is 131,072
    path = write(tmp_path, "big.csv", f'id,text\nbig,"{huge}"\n')
    documents, _ = read([path])
    assert documents[0].text == huge


def test_the_encoding_option_reads_latin1(tmp_path: Path):
    path = write(tmp_path, "c.jsonl", '{"id": "x", "text": "caf\xe9"}\n'.encode("latin-1"))
    documents, _ = read([path], ReadOptions(encoding="latin-1"))
    assert documents[0].text == "café"


# --- records ----------------------------------------------------------------------------------------------


def test_records_give_the_users_record_untouched_and_none_for_text_files(tmp_path: Path):
    record = {"id": "x", "text": "a", "extra": [1, {"k": None}]}
    folder = tmp_path / "in"
    write(folder, "a.jsonl", jsonl(record, record))
    write(folder, "b.csv", "text,id,n\nhello,y,3\n")
    write(folder, "c.txt", "plain")
    pairs = list(Corpus([str(folder)], ReadOptions()).records())
    assert [(document.id, original) for document, original in pairs] == [
        ("x", record),
        ("x#2", record),  # the document id is made unique; the record keeps the user's id
        ("y", {"text": "hello", "id": "y", "n": "3"}),
        ("c.txt", None),
    ]


# --- folders ----------------------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order_with_relative_ids(tmp_path: Path):
    folder = tmp_path / "corpus"
    for name in ["b.txt", "a/z.md", "a/b/c.txt", "A.txt", ".hidden.txt", ".git/x.txt", "notes.pdf", "a/README"]:
        write(folder, name, name)
    documents, notices = read([str(folder) + "/"])
    assert [document.id for document in documents] == ["A.txt", "a/b/c.txt", "a/z.md", "b.txt"]
    assert documents[1].source == os.path.join(str(folder) + "/", "a", "b", "c.txt")
    assert notices.counts() == {"skipped_file": 4}
    assert [notice.message for notice in notices.messages] == [
        f"{folder}/.git: skipped (hidden; give it by name to read it)",
        f"{folder}/.hidden.txt: skipped (hidden; give it by name to read it)",
        f"{folder}/a/README: skipped (unsupported file type '(no extension)')",
        f"{folder}/notes.pdf: skipped (unsupported file type '.pdf')",
    ]


def test_a_link_cycle_is_skipped_with_a_notice(tmp_path: Path):
    folder = tmp_path / "corpus"
    write(folder, "sub/a.txt", "a")
    os.symlink(folder, folder / "sub" / "loop")
    documents, notices = read([str(folder)])
    assert [document.id for document in documents] == ["sub/a.txt"]
    assert notices.messages == (
        Notice("skipped_file", f"{folder}/sub/loop: skipped (link back to a folder being read)"),
    )


def test_the_sample_articles_are_read_in_file_name_order():
    documents, notices = read([str(SEEDS)])
    assert [document.id for document in documents] == sorted(path.name for path in SEEDS.glob("*.txt"))
    assert all(document.text == (SEEDS / document.id).read_text("utf-8") for document in documents)
    assert notices.counts() == {}


# --- re-reading and stdin ---------------------------------------------------------------------------------


def test_a_corpus_streams_the_same_documents_again_even_if_the_folder_changes(tmp_path: Path):
    folder = tmp_path / "corpus"
    write(folder, "a.txt", "one")
    write(folder, "b.jsonl", jsonl({"id": "x", "text": "two"}, {"id": "x", "text": "three"}))
    corpus = Corpus([str(folder)], ReadOptions())
    first = list(corpus.documents(Notices()))
    write(folder, "c.txt", "added after the first pass")
    assert list(corpus.documents()) == first
    assert [document for document, _ in corpus.records()] == first


def test_stdin_is_read_as_jsonl_and_can_be_read_twice():
    data = jsonl({"id": "s1", "text": "from a pipe"}, {"id": "s2", "text": "second"}).encode()
    stdin = io.BytesIO(data)
    with Corpus(["-"], ReadOptions(), stdin=stdin) as corpus:
        first = list(corpus.documents())
        assert triples(first) == [("s1", "from a pipe", 1), ("s2", "second", 2)]
        assert {document.source for document in first} == {"<stdin>"}
        assert list(corpus.documents()) == first
        assert stdin.read() == b""  # consumed once, then served from the temporary copy


def test_gzipped_stdin_is_recognised_and_stdin_mixes_with_files(tmp_path: Path):
    path = write(tmp_path, "a.txt", "file")
    documents, _ = read([path, "-"], stdin=gzip.compress(jsonl({"id": "z", "text": "zipped"}).encode()))
    assert [document.id for document in documents] == [path, "z"]


# --- notices ----------------------------------------------------------------------------------------------


def test_duplicate_ids_are_kept_with_numbered_suffixes_that_never_collide(tmp_path: Path):
    records = [{"id": i, "text": str(n)} for n, i in enumerate(["a", "a#2", "a", "a", "b"])]
    path = write(tmp_path, "c.jsonl", jsonl(*records))
    documents, notices = read([path])
    assert [document.id for document in documents] == ["a", "a#2", "a#3", "a#4", "b"]
    assert [document.text for document in documents] == ["0", "1", "2", "3", "4"]
    assert notices.counts() == {"duplicate_id": 2}
    assert notices.messages[0] == Notice(
        "duplicate_id", f"{path}:3: id 'a' is already used; this record is kept as 'a#3'"
    )


def test_the_same_file_twice_gives_every_record_twice(tmp_path: Path):
    path = write(tmp_path, "a.txt", "x")
    documents, notices = read([path, path])
    assert [document.id for document in documents] == [path, f"{path}#2"]
    assert notices.counts() == {"duplicate_id": 1}


def test_empty_documents_are_kept_with_a_notice(tmp_path: Path):
    write(tmp_path, "in/empty.txt", "")
    write(tmp_path, "in/space.jsonl", jsonl({"id": "s", "text": " \n\t\u3000"}))
    documents, notices = read([str(tmp_path / "in")])
    assert [document.id for document in documents] == ["empty.txt", "s"]
    assert notices.counts() == {"empty": 2}
    assert notices.messages[1].message == f"{tmp_path}/in/space.jsonl:1: document 's' is empty"


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


def test_notices_count_everything_and_keep_the_first_few_per_kind():
    notices = Notices(keep=2)
    for number in range(5):
        notices.add("empty", f"e{number}")
    notices.add("duplicate_id", "d0")
    assert notices.counts() == {"empty": 5, "duplicate_id": 1}
    assert [notice.message for notice in notices.messages] == ["e0", "e1", "d0"]


# --- errors -----------------------------------------------------------------------------------------------

SUPPORTED = "Give .txt, .md, .jsonl, .jsonl.gz, .csv or .parquet files, or a folder"
GENERATED = "ids then default to '<file>:<line>'"
BINARY = "Give text files (convert UTF-16 text to UTF-8 first)"


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"),
    [
        pytest.param(
            "a.txt",
            b"ok\nbad \xff here",
            None,
            "{p}:2: not valid utf-8: byte 0xff at byte offset 7. Try --encoding latin-1",
            id="invalid-utf8-text",
        ),
        pytest.param(
            "a.jsonl",
            b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "caf\xe9"}\n',
            None,
            "{p}:2: not valid utf-8: byte 0xe9 at byte offset 50. Try --encoding latin-1",
            id="invalid-utf8-jsonl",
        ),
        pytest.param(
            "a.csv",
            b"id,text\nx,\x80\n",
            None,
            "{p}:2: not valid utf-8: byte 0x80 at byte offset 10. Try --encoding latin-1",
            id="invalid-utf8-csv",
        ),
        pytest.param(
            "a.txt",
            b"text\n\x00\x01",
            None,
            "{p}:2: looks binary (NUL byte at byte offset 5). " + BINARY,
            id="binary-text",
        ),
        pytest.param(
            "a.jsonl",
            "x\n".encode("utf-16"),
            None,
            "{p}:1: looks binary (NUL byte at byte offset 3). " + BINARY,
            id="binary-jsonl",
        ),
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
        pytest.param(
            "a.jsonl.gz",
            gzip.compress(jsonl({"id": "1", "text": "a" * 5000}).encode())[:-30],
            None,
            "{p}:1: corrupt gzip file (Compressed file ended before the end-of-stream marker was reached). "
            "Check the file is complete: gzip -t",
            id="gzip-truncated",
        ),
        pytest.param(
            "a.jsonl.gz",
            jsonl({"id": "1", "text": "a"}),
            None,
            "{p}: not a gzip file. Rename it to .jsonl if it is not compressed",
            id="gzip-not-gzip",
        ),
    ],
)
def test_bad_input_raises_one_line_naming_file_line_and_fix(
    tmp_path: Path, name: str, content: str | bytes, options: ReadOptions | None, expected: str
):
    path = write(tmp_path, name, content)
    message = error_of([path], options)
    assert message == expected.format(p=path)
    assert "\n" not in message


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (["missing.txt"], "missing.txt: no such file or folder. Check the path"),
        (["{tmp}/a.pdf"], "{tmp}/a.pdf: unsupported file type '.pdf'. " + SUPPORTED),
        (["-", "-"], "'-' (standard input) is given more than once. Give '-' once"),
        ([], "no input given. Give a file, a folder or '-' for JSONL on standard input"),
    ],
)
def test_construction_checks_the_inputs(tmp_path: Path, inputs: list[str], expected: str):
    write(tmp_path, "a.pdf", "%PDF")
    with pytest.raises(InputError) as caught:
        Corpus([path.format(tmp=tmp_path) for path in inputs], ReadOptions())
    assert str(caught.value) == expected.format(tmp=tmp_path)


def test_a_record_error_on_stdin_names_stdin_and_line():
    assert error_of(["-"], stdin=b'{"id": "a", "text": "x"}\nnot json\n') == (
        "<stdin>:2: invalid JSON: Expecting value (column 1). Each line must hold one complete JSON object"
    )


@pytest.mark.parametrize(
    ("files", "expected_hint"),
    [
        ({}, "Check the inputs hold .txt, .md, .jsonl, .jsonl.gz, .csv or .parquet files with documents"),
        ({"a.jsonl": "\n", "b.csv": "id,text\n"}, "Check the inputs hold"),
        ({"a.pdf": "x", "b.doc": "y"}, "2 file(s) of other types were skipped"),
    ],
)
def test_an_empty_corpus_raises_when_the_stream_ends(tmp_path: Path, files: dict[str, str], expected_hint: str):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in files.items():
        write(folder, name, content)
    message = error_of([str(folder)])
    assert message.startswith(f"no documents found in {folder}. {expected_hint}")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a file without permission")
def test_an_unreadable_file_names_the_permission(tmp_path: Path):
    path = write(tmp_path, "a.txt", "secret")
    os.chmod(path, 0)
    assert error_of([path]) == f"{path}: cannot read: permission denied. Check the file permissions"


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl"])
def test_a_permission_error_on_open_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str):
    # Runs even as root (where chmod does not stop reading): the open call itself is made to refuse.
    path = write(tmp_path, name, jsonl({"id": "1", "text": "a"}))

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(text_files, "open", refuse, raising=False)
    assert error_of([path]) == f"{path}: cannot read: permission denied. Check the file permissions"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"encoding": "no-such-codec"}, "unknown encoding 'no-such-codec'; try utf-8, latin-1 or cp1252"),
        ({"encoding": "utf-16"}, "encoding 'utf-16' is not ASCII-compatible; convert the files to UTF-8 first"),
        ({"text_field": ""}, "text_field must not be empty"),
    ],
)
def test_read_options_are_checked_when_built(kwargs: dict[str, str], expected: str):
    with pytest.raises(ValueError) as caught:
        ReadOptions(**kwargs)
    assert str(caught.value) == expected


# --- parquet ----------------------------------------------------------------------------------------------


def test_parquet_is_read_in_batches_with_row_numbers(tmp_path: Path):
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'dedup[parquet]')")
    import pyarrow.parquet as pq

    rows = 2500  # more than one record batch (1024 rows) and several row groups
    table = pa.table(
        {
            "id": list(range(rows)),
            "text": [f"text {n}" for n in range(rows)],
            "meta": [{"lang": "en", "n": n} for n in range(rows)],
        }
    )
    path = str(tmp_path / "c.parquet")
    pq.write_table(table, path, row_group_size=1000)
    corpus = Corpus([path], ReadOptions())
    documents = list(corpus.documents())
    assert [(d.id, d.text, d.line) for d in documents[:2]] == [("0", "text 0", 1), ("1", "text 1", 2)]
    assert len(documents) == rows and documents[-1].line == rows
    records = list(corpus.records())
    assert [document for document, _ in records] == documents
    assert records[7][1] == {"id": 7, "text": "text 7", "meta": {"lang": "en", "n": 7}}
    nested = list(Corpus([path], ReadOptions(id_field="meta.n")).documents())
    assert nested[3].id == "3"


def test_parquet_errors_name_the_file(tmp_path: Path):
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'dedup[parquet]')")
    path = write(tmp_path, "bad.parquet", b"not parquet at all")
    assert error_of([path]).startswith(f"{path}: not a valid parquet file (")


def test_parquet_without_pyarrow_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    direct = write(tmp_path, "c.parquet", b"PAR1")
    folder = tmp_path / "in"
    write(folder, "d.parquet", b"PAR1")
    # A None entry in sys.modules makes the import fail, as it would with pyarrow absent.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'dedup\[parquet\]'"):
        Corpus([direct], ReadOptions())
    with pytest.raises(MissingDependencyError, match=r"pip install 'dedup\[parquet\]'"):
        list(Corpus([str(folder)], ReadOptions()).documents())


# --- properties -------------------------------------------------------------------------------------------


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


def test_a_notice_prints_as_its_message():
    assert str(Notice("empty", "a.txt: document 'a.txt' is empty")) == "a.txt: document 'a.txt' is empty"


def test_shown_notices_say_how_many_more_of_each_kind_were_not_kept():
    notices = Notices(keep=2)
    for number in range(5):
        notices.add("empty", f"e{number}")
    notices.add("duplicate_id", "d0")
    assert notices.shown() == ("e0", "e1", "d0", "... and 3 more empty notices")


def test_the_stdin_copy_has_no_name_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = b'{"id": "a", "text": "One story."}\n{"id": "b", "text": "Another story."}\n'
    with Corpus(["-"], ReadOptions(), stdin=io.BytesIO(data)) as corpus:
        first = [document.id for document in corpus.documents(Notices())]
        assert list(tmp_path.iterdir()) == []  # nothing a kill -9 could leave behind
        assert [document.id for document in corpus.documents(Notices())] == first == ["a", "b"]
    assert list(tmp_path.iterdir()) == []


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


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("pipe.jsonl", '{"id": "a", "text": "One story."}\n', [("a", "One story.")]),
    ("pipe.txt", "One story.", [("pipe.txt", "One story.")]),
])
def test_a_named_pipe_is_read_by_its_name_and_can_be_read_twice(tmp_path, monkeypatch, name, data, expected):
    import threading

    monkeypatch.chdir(tmp_path)
    os.mkfifo(name)
    writer = threading.Thread(target=lambda: Path(name).write_text(data, encoding="utf-8"), daemon=True)
    writer.start()
    with Corpus([name], ReadOptions()) as corpus:
        first = [(d.id, d.text) for d in corpus.documents(Notices())]
        second = [(d.id, d.text) for d in corpus.documents(Notices())]
    writer.join(timeout=5)
    assert first == second == expected
