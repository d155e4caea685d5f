"""Tests of dedup.model: the dataclasses between stages are frozen, compare by value, and a Document checks
its id and text at once."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from dedup import Cluster, Document, DocumentResult, Evidence, Pair, Repeat, SpinResult, Substitution
from dedup.errors import ConfigError

EXAMPLES = [
    Document("a", "Some text.", "news.jsonl", 3),
    Evidence(4, 9, "huge", original="big", reason="synonym", weight=0.5),
    SpinResult(0.7, True, (Evidence(0, 3, "The"),)),
    Repeat(0, 14, 2),
    Substitution(0, 6, 0, 9, "backed", "supported"),
    Pair("a", "b", "spun", 0.9, 0.4, 0.5, {"coverage": 0.95}, (Substitution(0, 6, 0, 9, "backed", "supported"),)),
    Cluster(1, ("a", "b"), "a"),
    DocumentResult("a", 10, SpinResult(0.1, False), (Repeat(0, 4, 2),)),
]


@pytest.mark.parametrize("value", EXAMPLES, ids=lambda v: type(v).__name__)
def test_values_are_frozen(value: object) -> None:
    name = dataclasses.fields(value)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, None)


@pytest.mark.parametrize("value", EXAMPLES, ids=lambda v: type(v).__name__)
def test_values_compare_by_value_and_pickle(value: object) -> None:
    # They travel between worker processes.
    again = pickle.loads(pickle.dumps(value))
    assert again == value and again is not value
    assert dataclasses.replace(value) == value  # type: ignore[type-var]


def test_defaults() -> None:
    doc = Document("a", "text")
    assert (doc.source, doc.line) == ("", None)
    assert Evidence(0, 1, "x") == Evidence(0, 1, "x", None, "", 1.0)
    assert SpinResult(0.0, False).evidence == ()
    pair = Pair("a", "b", "exact", 1.0, 1.0, 1.0)
    assert pair.details == {} and pair.substitutions == ()
    assert DocumentResult("a", 0) == DocumentResult("a", 0, None, ())


def test_pairs_do_not_share_their_details() -> None:
    first, second = Pair("a", "b", "exact", 1.0, 1.0, 1.0), Pair("c", "d", "exact", 1.0, 1.0, 1.0)
    first.details["x"] = 1.0
    assert second.details == {}


def test_different_values_are_unequal() -> None:
    assert Pair("a", "b", "spun", 0.9, 0.4, 0.5) != Pair("a", "b", "partial", 0.9, 0.4, 0.5)
    assert Cluster(1, ("a", "b"), "a") != Cluster(1, ("a", "b"), "b")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((7, "text"), r"^Document id must be a str, not 7\. Try Document\(str\(id\), text\)$"),
        ((None, "text"), r"^Document id must be a str, not None"),
        (("a", None), r"^Document 'a': text must be a str, not NoneType$"),
        (("a", b"bytes"), r"^Document 'a': text must be a str, not bytes$"),
    ],
)
def test_a_document_refuses_a_bad_id_or_text(args: tuple[object, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Document(*args)  # type: ignore[arg-type]


def test_an_empty_text_is_a_document() -> None:
    assert Document("a", "").text == ""
