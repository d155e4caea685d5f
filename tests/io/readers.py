"""What the reader tests share: writing an input file, reading inputs as a scan reads them, the error."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from dedup.errors import InputError
from dedup.io.corpus import Corpus
from dedup.io.notices import Notices
from dedup.io.options import ReadOptions
from dedup.model import Document


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


def assert_one_line_error(folder: Path, name: str, content: str | bytes, options: ReadOptions | None,
                          expected: str) -> None:
    """Reading ``content`` as file ``name`` fails with exactly ``expected`` (``{p}``: the file's path), on one
    line."""
    path = write(folder, name, content)
    message = error_of([path], options)
    assert message == expected.format(p=path)
    assert "\n" not in message
