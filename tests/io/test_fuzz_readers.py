"""Fuzzing the readers: whatever bytes a file holds, reading it yields documents or one InputError.

Bounded (a few hundred examples per format, no deadline) so that it runs in CI on every push.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.errors import InputError
from dedup.io.corpus import Corpus
from dedup.io.notices import Notices
from dedup.io.options import ReadOptions

FORMATS = (".jsonl", ".csv", ".txt", ".jsonl.gz")
# Bytes that matter to the formats, mixed with anything at all.
PIECES = st.sampled_from([b'"', b",", b"\n", b"\r", b"{", b"}", b"[", b"]", b":", b'"id"', b'"text"', b"\\",
                          b"\xff", b"\xe9", b"\x00", b"id,text\n", b'"\\ud800"', b"1e999", b"9" * 5000])
CONTENT = st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=40).map(b"".join)


def _read_all(path: Path) -> list[tuple[str, str]]:
    with Corpus([str(path)], ReadOptions()) as corpus:
        return [(d.id, d.text) for d in corpus.documents(Notices())]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=CONTENT, suffix=st.sampled_from(FORMATS))
def test_any_bytes_give_documents_or_one_input_error(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(content)
        try:
            documents = _read_all(path)
        except InputError as error:
            assert "\n" not in str(error)  # one line, as the command line shows it
        else:
            assert all(isinstance(i, str) and isinstance(t, str) for i, t in documents)


RECORD = st.fixed_dictionaries({"id": st.text(min_size=1, max_size=12), "text": st.text(min_size=1, max_size=60)})


@settings(max_examples=100, deadline=None)
@given(records=st.lists(RECORD, min_size=1, max_size=6, unique_by=lambda r: r["id"]))
def test_valid_jsonl_records_read_back_as_written(records: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        assert _read_all(path) == [(r["id"], r["text"]) for r in records]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=CONTENT, suffix=st.sampled_from((".jsonl", ".csv")))
def test_skipping_bad_records_loses_no_line(content: bytes, suffix: str) -> None:
    # Under --on-bad-record skip every line of a record file ends up in a document or in the rejects file
    # (or the whole file is refused, for its encoding or a NUL byte): nothing is dropped unseen.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(content)
        rejects = io.StringIO()
        try:
            with Corpus([str(path)], ReadOptions(on_bad_record="skip"), rejects=rejects) as corpus:
                documents = list(corpus.records(Notices()))
        except InputError as error:
            assert "\n" not in str(error)
            return
        rejected = [json.loads(line) for line in rejects.getvalue().splitlines()]
        for entry in rejected:
            assert entry["source"] == str(path) and isinstance(entry["line"], int)
            assert ("raw" in entry) != ("record" in entry)
        if suffix == ".jsonl":
            # The file was read, so it decodes; blank lines (by Python's str.isspace, as the reader) hold none.
            lines = content.decode("utf-8-sig").split("\n")  # a byte-order mark only at the file's start
            records = [line for line in lines if line.strip()]
            assert len(documents) + len(rejected) == len(records)
