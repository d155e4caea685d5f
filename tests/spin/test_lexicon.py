"""Tests of the phrase lists (dedup.spin.lexicon): the shipped lexicon and the user's own lists."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dedup.errors import InputError
from dedup.spin import PhraseChecker, document_statistic, load_checker, load_phrase_list
from dedup.spin.analysis import LEXICON_LOG_LR
from dedup.spin.lexicon import index_lexicon, lexicon_hit


def test_one_lexicon_phrase_alone_does_not_make_a_text_spun(checker: PhraseChecker) -> None:
    statistic, _ = document_statistic(np.array([LEXICON_LOG_LR]))
    assert checker.model is not None and statistic < checker.model.threshold_for(1)


def test_lexicon_phrase_is_evidence_even_in_clean_text(checker: PhraseChecker) -> None:
    # A sentence of clean context around it: in nine words alone, one phrase and two weak hints can reach the
    # threshold (the design only guarantees that one lexicon phrase alone does not).
    text = ("Researchers used counterfeit consciousness to sort the images. The project took three years and "
            "cost about two million dollars, the university said.")
    result = checker.check(text)
    assert not result.spun
    (evidence,) = result.evidence
    assert (evidence.text, evidence.original) == ("counterfeit consciousness", "artificial intelligence")


# ---------------------------------------------------------------------------------------------------------
# User phrase lists.


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.csv", "phrase,original\nprofound neural nets,deep neural networks\n"),
        ("list.txt", "# tortured phrases\nprofound neural nets,deep neural networks\n"),
        ("list.json", json.dumps({"profound neural nets": "deep neural networks"})),
        ("list.json", json.dumps([{"phrase": "profound neural nets", "original": "deep neural networks"}])),
        ("list.json", json.dumps([["profound neural nets", "deep neural networks"]])),
    ],
)
def test_user_phrase_lists_are_matched(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_phrase_list(str(path)) == [("profound neural nets", "deep neural networks")]
    text = "The team trained Profound Neural Nets on the archive."
    (evidence,) = load_checker([str(path)]).check(text).evidence
    assert (evidence.text, evidence.original) == ("Profound Neural Nets", "deep neural networks")
    assert name in evidence.reason


@pytest.mark.parametrize(
    ("name", "content", "where", "fix"),
    [
        ("bad.csv", "phrase,original\nonly one column\n", "bad.csv:2", "phrase,original"),
        ("bad.csv", "phrase,original\n ,nothing\n", "bad.csv:2", "Give the phrase"),
        ("bad.json", '{"a": "b",\n "c": }', "bad.json:2", "quotes and commas"),
        ("bad.json", '[\n {"phrase": "fine", "original": "ok"},\n {"original": "no phrase"}\n]', "bad.json:3", "Use"),
        ("bad.json", '"just a string"', "bad.json:1", "Use"),
    ],
)
def test_bad_phrase_lists_name_file_line_and_fix(tmp_path: Path, name: str, content: str, where: str,
                                                 fix: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_checker([str(path)])
    message = str(caught.value)
    assert message.startswith(str(tmp_path / where))
    assert fix in message


@pytest.mark.parametrize(
    ("name", "data"), [("missing.csv", None), ("latin1.csv", "caf\xe9,coffee\n".encode("latin-1"))]
)
def test_unreadable_phrase_lists(tmp_path: Path, name: str, data: bytes | None) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError, match=name):
        load_phrase_list(str(path))


def test_lexicon_hit_takes_the_first_list_and_stays_inside_the_text() -> None:
    user = index_lexicon([("profound neural nets", "deep neural networks")], "phrase list mine.csv")
    shipped = index_lexicon([("profound neural nets", "other"), ("profound", "deep")], "known")
    words = ["profound", "neural", "nets", "work"]
    assert lexicon_hit([user, shipped], words, 0, 4) == (3, "deep neural networks", "phrase list mine.csv")
    # The three-word phrase would run past word 2 (the end of the text there): only the one-word one fits.
    assert lexicon_hit([user, shipped], words, 0, 2) == (1, "deep", "known")
    assert lexicon_hit([user, shipped], words, 1, 4) is None
