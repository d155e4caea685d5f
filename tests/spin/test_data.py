"""Tests of the shipped data of the phrase checks (dedup.spin.data)."""

from __future__ import annotations

from importlib import resources

from dedup.spin import load_checker
from dedup.spin.data import shipped


def test_data_is_loaded_once() -> None:
    assert load_checker().data is load_checker().data is shipped()[0]


def test_every_data_file_says_where_it_came_from() -> None:
    folder = resources.files("dedup.data")
    names = {entry.name for entry in folder.iterdir() if entry.is_file()}
    data_files = {n for n in names if not n.endswith((".LICENSE", ".md", ".py", ".pyc"))}
    assert {"phrase_lm.npz", "phrase_alternatives.npz", "phrase_model.json"} <= data_files
    for name in data_files:
        assert f"{name}.LICENSE" in names, name
