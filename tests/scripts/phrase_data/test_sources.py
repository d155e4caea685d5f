"""Tests of scripts/phrase_data/sources.py: the WordNet and MyThes readers on small files written here, the
bit-field reader against a plain one, and the CMU trie reader on the Debian model where it is installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.phrase_data.sources import POS_FILES, bit_fields, read_cmu_trie, read_mythes, read_wordnet

CMU_MODEL = Path("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")

DATA = {
    "noun": [
        "  1 This software and database is being provided to you, the LICENSEE, by",
        "09906986 18 n 03 chancellor 0 premier 1 prime_minister 0 005 @ 10164747 n 0000 | the head of government",
        "09906987 18 n 02 Washington 0 capital 0 000 | a city",
    ],
    "verb": ["02022162 38 v 02 carry_out 0 execute 0 000 | put into effect"],
    "adj": ["00001740 00 a 02 able 0 capable(p) 0 000 | having the means"],
    "adv": [],
}
EXCEPTIONS = {"noun": ["men man"], "verb": ["carried_out carry_out", "went go"], "adj": ["abler able"], "adv": []}


def write_wordnet(folder: Path) -> Path:
    for pos, suffix in POS_FILES.items():
        (folder / f"data.{suffix}").write_text("".join(line + "\n" for line in DATA[pos]), encoding="utf-8")
        (folder / f"{suffix}.exc").write_text("".join(line + "\n" for line in EXCEPTIONS[pos]), encoding="utf-8")
    return folder


def test_read_wordnet_synsets_exceptions_and_multiword_lemmas(tmp_path: Path) -> None:
    synsets, exceptions, multiword = read_wordnet(write_wordnet(tmp_path))
    assert synsets["noun"] == [{"chancellor", "premier", "prime minister"}, {"Washington", "capital"}]
    assert synsets["adj"] == [{"able", "capable"}]  # the (p) position marker is dropped
    assert synsets["adv"] == []
    assert exceptions["verb"] == {"carried out": "carry out", "went": "go"}
    assert multiword == {"prime minister", "carry out"}


def test_read_mythes_keeps_synonyms_and_similar_terms(tmp_path: Path) -> None:
    path = tmp_path / "th.dat"
    path.write_text(
        "UTF-8\npremier|2\n(adj)|prime|first (similar term)|last (antonym)\n"
        "(noun)|Prime Minister|head of state (generic term)|leader (related term)\nodd|1\n(other)|strange\n",
        encoding="utf-8",
    )
    entries = read_mythes(path)
    assert entries == {"premier": [("adj", ["prime", "first"]), ("noun", ["Prime Minister"])]}


def test_read_cmu_trie_refuses_another_file(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"ARPA or anything else")
    with pytest.raises(SystemExit, match="is not a CMU Sphinx trie language model"):
        read_cmu_trie(path)


def _plain_bit_field(data: bytes, offset: int, width: int) -> int:
    """Bits ``offset .. offset + width - 1`` of ``data`` read as one little-endian integer."""
    return (int.from_bytes(data, "little") >> offset) & ((1 << width) - 1)


@given(st.binary(min_size=1, max_size=24), st.data())
@settings(deadline=None)
def test_bit_fields_equal_a_plain_reading(raw: bytes, data: st.DataObject) -> None:
    width = data.draw(st.integers(1, 57))
    offsets = data.draw(st.lists(st.integers(0, 8 * len(raw) - 1), max_size=6))
    padded = np.frombuffer(raw + bytes(8), dtype=np.uint8)  # the reader wants 8 bytes past the last field
    fields = bit_fields(padded, np.array(offsets, dtype=np.int64), width).tolist()
    assert fields == [_plain_bit_field(raw + bytes(8), o, width) for o in offsets]


@pytest.mark.skipif(not CMU_MODEL.exists(), reason="needs the Debian package pocketsphinx-en-us")
def test_read_cmu_trie_reads_the_debian_model() -> None:
    model = read_cmu_trie(CMU_MODEL)
    assert len(model.words) == len(model.unigram) == len(model.backoff) == 72547
    assert len(model.first) == len(model.second) == len(model.prob) == len(model.bigram_backoff)
    assert np.all(model.prob <= 0) and np.all(model.tri_prob <= 0)  # log10 probabilities
    # Every trigram "a b c" extends a stored bigram "b c".
    bigrams = model.first * len(model.words) + model.second
    assert np.isin(model.tri_second * len(model.words) + model.tri_third, bigrams).all()
