"""Tests of scripts/build_phrase_data.py: it runs both ways, names the package of a missing source, writes
deterministic gzip, and rebuilds the shipped files byte for byte where its sources are installed.

The rebuild (some 15 s) needs wordnet-base, mythes-en-us and pocketsphinx-en-us from Debian and wordfreq
from PyPI; ``test_rebuild_gives_the_shipped_files`` skips when one is missing.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
from pathlib import Path

import pytest

from scripts import build_phrase_data
from scripts.build_phrase_data import DEFAULT_CMU, DEFAULT_MYTHES, DEFAULT_WORDNET, main, write_lines
from tests.scripts.running import help_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "dedup" / "data"
BUILT = ["phrase_lm.npz", "phrase_lm3.npz", "phrase_alternatives.npz", "phrase_expressions.tsv.gz"]


@pytest.mark.parametrize("command", [["scripts/build_phrase_data.py"], ["-m", "scripts.build_phrase_data"]],
                         ids=["file", "module"])
def test_help_works_both_ways(command: list[str]) -> None:
    shown = help_text(command)
    assert "Derive the compact data files of the phrase checks" in shown
    assert "--min-unigram" in shown


def test_a_missing_source_names_its_package(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="Install it with: apt-get install wordnet-base"):
        main(["--wordnet", str(tmp_path / "missing"), "--out", str(tmp_path)])


def test_write_lines_is_deterministic_gzip(tmp_path: Path) -> None:
    # (gzip records the file's name, so both runs write the same name, in two folders.)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "lines.gz", tmp_path / "b" / "lines.gz"
    assert write_lines(first, ["in the long run", "carry out"]) == 2
    write_lines(second, ["in the long run", "carry out"])
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()) == b"in the long run\ncarry out\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(
    importlib.util.find_spec("wordfreq") is None
    or not all(p.exists() for p in (DEFAULT_WORDNET, DEFAULT_MYTHES, DEFAULT_CMU)),
    reason="needs wordfreq and the Debian packages wordnet-base, mythes-en-us and pocketsphinx-en-us",
)
def test_rebuild_gives_the_shipped_files(tmp_path: Path) -> None:
    counts = build_phrase_data.build(tmp_path, DEFAULT_WORDNET, DEFAULT_MYTHES, DEFAULT_CMU)
    assert sorted(counts) == sorted(BUILT)
    for name in BUILT:
        for file in (name, f"{name}.LICENSE"):
            assert _sha256(tmp_path / file) == _sha256(SHIPPED / file), file
