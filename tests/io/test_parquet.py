"""Tests of dedup.io.parquet: rows read in batches, nested fields, bad files, and pyarrow missing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from dedup.errors import InputError, MissingDependencyError
from dedup.io.corpus import Corpus
from dedup.io.options import ReadOptions
from tests.io.readers import write


def error_of(inputs: list[str]) -> str:
    with pytest.raises(InputError) as caught:
        list(Corpus(inputs, ReadOptions()).documents())
    return str(caught.value)


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
