"""Tests of dedup.io.textstore: every text comes back exactly as it went in, in any order of reads and writes."""

from __future__ import annotations

import contextlib
import os
import pickle
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.io.textstore import TextStore

# Any code point, lone surrogates included: readers may hand over text decoded with "surrogateescape".
ANY_CHAR = st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr))
TEXTS = st.lists(st.text(ANY_CHAR, max_size=30), max_size=20)


@given(TEXTS, st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_round_trip(texts: list[str], rnd: random.Random) -> None:
    with TextStore() as store:
        for i, text in enumerate(texts):
            assert store.append(text) == i
            # A read moves the file position; the next write must still land at the end, not over a text.
            j = rnd.randrange(i + 1)
            assert store.get(j) == texts[j]
        assert len(store) == len(texts)
        assert list(store) == texts
        assert [store.get(i) for i in reversed(range(len(texts)))] == texts[::-1]


@pytest.mark.parametrize(
    "text",
    ["", "caf\u00e9", "\U0001f600 emoji", "\ud800", "a\udfffb", "\ud83d\ude00", "\x00nul\x00", "line\r\nbreak"],
)
def test_round_trip_examples(text: str) -> None:
    with TextStore() as store:
        store.append("before")
        index = store.append(text)
        store.append("after")
        assert store.get(index) == text


@given(TEXTS)
@settings(max_examples=20, deadline=None)
def test_a_pickled_store_holds_the_same_texts_in_a_file_of_its_own(texts: list[str]) -> None:
    # How a scan's state reaches engines on other machines (Spark broadcasts it pickled).
    with TextStore() as store:
        for text in texts:
            store.append(text)
        with pickle.loads(pickle.dumps(store)) as copy:
            assert list(copy) == texts
            copy.append("more")  # appends to its own file: the original is untouched
            assert copy.get(len(texts)) == "more" and len(store) == len(texts)


def test_missing_index_raises() -> None:
    with TextStore() as store:
        store.append("only")
        with pytest.raises(IndexError):
            store.get(1)


def test_closed_store_cannot_be_read() -> None:
    with TextStore() as store:
        store.append("text")
    with pytest.raises(ValueError):
        store.get(0)


def _open_files_in(folder: Path) -> list[str]:
    """What this process's open file descriptors point at inside ``folder``, as /proc names them."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the descriptor os.listdir read /proc through is closed by now
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(folder) + os.sep):
                found.append(target)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc to see the store's open file")
def test_the_store_leaves_no_file_behind_even_on_sigkill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The file is unlinked as soon as it is made (O_TMPFILE or unlink-after-open), so nothing can be left in
    # the temporary folder by any exit, a SIGKILL included: the folder stays empty while the store is open,
    # though the store's file is open there (so the empty folder is not a store writing somewhere else).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with TextStore() as store:
        store.append("x" * 1000)
        assert list(tmp_path.iterdir()) == []
        opened = _open_files_in(tmp_path)
        assert len(opened) == 1 and opened[0].endswith(" (deleted)"), opened
        assert store.get(0) == "x" * 1000
    assert _open_files_in(tmp_path) == []
