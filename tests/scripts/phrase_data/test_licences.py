"""Tests of scripts/phrase_data/licences.py: a rebuild writes the licence files that are shipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.phrase_data.licences import LICENCES, write_licence

DATA = Path(__file__).resolve().parents[3] / "dedup" / "data"
# Each built file with the sources its licence names (as ``build_phrase_data.build`` passes them).
SOURCES = {
    "phrase_lm.npz": ["cmu", "wordfreq"],
    "phrase_lm3.npz": ["cmu", "wordfreq"],
    "phrase_alternatives.npz": ["wordnet", "mythes", "wordfreq"],
    "phrase_expressions.tsv.gz": ["wordnet", "mythes", "wordfreq"],
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_licence_written_is_the_shipped_licence(name: str, tmp_path: Path) -> None:
    shipped = (DATA / f"{name}.LICENSE").read_text(encoding="utf-8")
    what = shipped.split("\n", 1)[0].removeprefix(f"{name}: ")
    write_licence(tmp_path / name, what, SOURCES[name])
    assert (tmp_path / f"{name}.LICENSE").read_text(encoding="utf-8") == shipped


def test_every_source_has_a_licence_text_and_is_used() -> None:
    assert set(LICENCES) == {source for sources in SOURCES.values() for source in sources}
