"""Tests of dedup.io.text_files: text files, encodings, byte-order marks, binary files, gzip and read errors."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from dedup.io import text_files
from dedup.io.options import ReadOptions
from dedup.model import Document
from tests.io.readers import assert_one_line_error, error_of, jsonl, read, write

# The hint of a binary-looking file, written out so that a change to its wording shows here.
BINARY = "Give text files (convert UTF-16 text to UTF-8 first)"


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


def test_the_encoding_option_reads_latin1(tmp_path: Path):
    path = write(tmp_path, "c.jsonl", '{"id": "x", "text": "caf\xe9"}\n'.encode("latin-1"))
    documents, _ = read([path], ReadOptions(encoding="latin-1"))
    assert documents[0].text == "café"


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
    assert_one_line_error(tmp_path, name, content, options, expected)


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

    monkeypatch.setattr(text_files, "open", refuse, raising=False)  # every reader opens its files there
    assert error_of([path]) == f"{path}: cannot read: permission denied. Check the file permissions"
