"""Tests of dedup.io.corpus: inputs checked, folders walked, re-reading, stdin and pipes, ids made unique."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.io.corpus import Corpus
from dedup.io.notices import Notice, Notices
from dedup.io.options import ReadOptions
from tests.io.readers import error_of, jsonl, read, triples, write

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


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


def test_a_reused_id_is_never_renamed_to_an_id_a_later_record_has(tmp_path: Path):
    # The user's own "a#2" comes after the reused "a": it keeps its id, and the reused one takes "a#3".
    records = [{"id": i, "text": str(n)} for n, i in enumerate(["a", "a", "a#2", "a#3x"])]
    path = write(tmp_path, "c.jsonl", jsonl(*records))
    corpus = Corpus([path], ReadOptions())
    notices = Notices()
    assert [document.id for document in corpus.documents(notices)] == ["a", "a#3", "a#2", "a#3x"]
    assert notices.counts() == {"duplicate_id": 1}
    assert [document.id for document in corpus.documents()] == ["a", "a#3", "a#2", "a#3x"]  # the same again


def test_bad_records_are_skipped_counted_and_kept_in_the_rejects_file(tmp_path: Path):
    lines = '{"id": "a", "text": "one"}\n{bad\n{"id": "c", "body": "x"}\n[1]\n{"id": "d", "text": "four"}\n'
    good_csv = write(tmp_path, "b.csv", 'id,text\ne,five\nf,"stray\ng,six\n')
    path = write(tmp_path, "a.jsonl", lines)
    rejects = io.StringIO()
    corpus = Corpus([path, good_csv], ReadOptions(on_bad_record="skip"), rejects=rejects)
    notices = Notices()
    assert [document.id for document in corpus.documents(notices)] == ["a", "d", "e"]
    assert notices.counts() == {"bad_record": 4}
    assert notices.messages[0].message.startswith(f"{path}:2: invalid JSON")
    written = [json.loads(line) for line in rejects.getvalue().splitlines()]
    assert [(entry["source"], entry["line"]) for entry in written] == [
        (path, 2), (path, 3), (path, 4), (good_csv, 3)
    ]
    assert written[0]["raw"] == "{bad\n" and written[1]["record"] == {"id": "c", "body": "x"}
    assert written[3]["raw"] == 'f,"stray\ng,six\n'  # the rest of the file the open quote took: kept, not lost
    assert "no text field 'text'" in written[1]["error"]
    # A second pass skips the same records and writes no second copy of them.
    assert [document.id for document in corpus.documents()] == ["a", "d", "e"]
    assert len(rejects.getvalue().splitlines()) == 4


def test_without_skip_a_bad_record_still_stops_the_read(tmp_path: Path):
    path = write(tmp_path, "a.jsonl", '{"id": "a", "text": "one"}\n{bad\n')
    assert error_of([path]).startswith(f"{path}:2: invalid JSON")


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


SUPPORTED = "Give .txt, .md, .jsonl, .jsonl.gz, .csv or .parquet files, or a folder"


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


def test_the_stdin_copy_has_no_name_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = b'{"id": "a", "text": "One story."}\n{"id": "b", "text": "Another story."}\n'
    with Corpus(["-"], ReadOptions(), stdin=io.BytesIO(data)) as corpus:
        first = [document.id for document in corpus.documents(Notices())]
        assert list(tmp_path.iterdir()) == []  # nothing a kill -9 could leave behind
        assert [document.id for document in corpus.documents(Notices())] == first == ["a", "b"]
    assert list(tmp_path.iterdir()) == []


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
