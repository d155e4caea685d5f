"""Tests of scripts/phrase_data/forms.py on a small hand-made thesaurus: synonymy is symmetric and leaves names
out, forms analyse into their lemmas and synonyms come back inflected like the form, commonest first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scripts.phrase_data.forms import (
    MAX_ALTERNATIVES,
    alternatives,
    analyses,
    inflections,
    irregular_forms,
    phrase_alternatives,
    synonym_graph,
    write_alternatives,
)

NO_EXCEPTIONS: dict[str, dict[str, str]] = {"noun": {}, "verb": {}, "adj": {}, "adv": {}}
EXCEPTIONS = {
    **NO_EXCEPTIONS,
    "verb": {"went": "go", "gone": "go", "did": "do", "carried": "carry", "carried out": "carry out"},
}
SYNSETS = {
    "noun": [{"premier", "prime minister", "Washington"}],
    "verb": [{"stop", "halt", "end"}, {"go", "move"}, {"carry out", "execute", "do"}],
    "adj": [],
    "adv": [],
}
MYTHES = {"halt": [("verb", ["cease"])]}
ZIPF = {w: 4.0 for w in ["premier", "prime", "minister", "stop", "halt", "end", "go", "move", "carry", "out",
                         "execute", "do", "cease", "stopped", "halted", "ended", "ceased", "moved", "went", "stopping",
                         "halting", "executed", "did", "carried"]}
ZIPF["cease"] = ZIPF["ceased"] = 1.0  # too rare to be worth restoring


def test_synonym_graph_is_symmetric_and_leaves_names_out() -> None:
    graph = synonym_graph(SYNSETS, MYTHES)
    assert graph[("halt", "verb")] == {"stop", "end", "cease"}
    assert ("halt" in graph[("cease", "verb")]) and ("stop" in graph[("halt", "verb")])
    assert all("Washington" not in synonyms and lemma != "Washington" for (lemma, _p), synonyms in graph.items())


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("stopped", [("stop", "verb", "ed")]),  # the doubled consonant undone
        ("halts", [("halt", "verb", "s")]),
        ("went", [("go", "verb", "ed")]),  # from the exception list
        ("halt", [("halt", "verb", "")]),
        ("unknown", []),
    ],
)
def test_analyses(form: str, expected: list[tuple[str, str, str]]) -> None:
    lemmas = set(synonym_graph(SYNSETS, MYTHES))
    assert analyses(form, lemmas, EXCEPTIONS) == expected


@pytest.mark.parametrize(
    ("lemma", "pos", "inflection", "expected"),
    [
        ("halt", "verb", "ed", ["halted"]),
        ("stop", "verb", "ing", ["stopping"]),  # only forms wordfreq knows: "stoping" is not one
        ("go", "verb", "ed", ["gone", "went"]),  # irregular forms first, every one of them
        ("carry out", "verb", "ed", ["carried out"]),  # a verb phrase inflects its first word
        ("halt", "verb", "", ["halt"]),
    ],
)
def test_inflections(lemma: str, pos: str, inflection: str, expected: list[str]) -> None:
    irregular = irregular_forms(EXCEPTIONS)
    assert inflections(lemma, pos, inflection, ZIPF, irregular) == expected


def test_irregular_forms_read_the_exception_lists() -> None:
    # Multi-word entries are left out: a phrase inflects through its first word.
    assert irregular_forms(EXCEPTIONS) == {
        ("go", "verb", "ed"): {"went", "gone"},
        ("do", "verb", "ed"): {"did"},
        ("carry", "verb", "ed"): {"carried"},
    }


def test_alternatives_are_inflected_like_the_form_and_common_enough() -> None:
    graph = synonym_graph(SYNSETS, MYTHES)
    table = alternatives(["halted", "premier"], graph, NO_EXCEPTIONS, ZIPF)
    assert table["halted"] == ["ended", "stopped"]  # "ceased" is too rare; ties in alphabetical order
    assert table["premier"] == ["prime minister"]
    assert all(len(options) <= MAX_ALTERNATIVES for options in table.values())


def test_phrase_alternatives_read_a_phrase_through_its_first_word() -> None:
    graph = synonym_graph(SYNSETS, MYTHES)
    table = phrase_alternatives(["carried out"], graph, EXCEPTIONS, ZIPF, irregular_forms(EXCEPTIONS))
    assert table == {"carried out": ["did", "executed"]}


def test_write_alternatives_round_trip(tmp_path: Path) -> None:
    table = {"halted": ["stopped", "ended"], "premier": ["prime minister"]}
    path = tmp_path / "phrase_alternatives.npz"
    assert write_alternatives(path, table) == 2
    with np.load(path) as data:
        forms = bytes(data["forms"]).decode("utf-8").split("\n")
        options = iter(bytes(data["alternatives"]).decode("utf-8").split("\n"))
        counts = data["counts"].tolist()
    assert {f: [next(options) for _ in range(c)] for f, c in zip(forms, counts, strict=True)} == table
