"""Tests of dedup.errors: what each error says, and which built-in error it also is."""

from __future__ import annotations

import pickle

import pytest

from dedup import DedupError, InputError, MissingDependencyError
from dedup.errors import ConfigError


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({}, "no text field"),
        ({"path": "a.jsonl"}, "a.jsonl: no text field"),
        ({"path": "a.jsonl", "line": 3}, "a.jsonl:3: no text field"),
        ({"path": "a.jsonl", "line": 3, "hint": "Try --text-field body"},
         "a.jsonl:3: no text field. Try --text-field body"),
        ({"hint": "Try --text-field body"}, "no text field. Try --text-field body"),
        ({"path": "a.jsonl", "line": 0}, "a.jsonl:0: no text field"),  # line 0 is a line, not "none"
    ],
)
def test_an_input_error_names_where_and_the_fix(kwargs: dict, text: str) -> None:
    error = InputError("no text field", **kwargs)
    assert str(error) == text
    assert error.message == "no text field"
    assert (error.path, error.line, error.hint) == (kwargs.get("path", ""), kwargs.get("line"), kwargs.get("hint", ""))


def test_a_message_ending_in_a_full_stop_gets_one_before_the_hint() -> None:
    assert str(InputError("bad line.", path="x.csv", hint="Fix it")) == "x.csv: bad line. Fix it"


def test_a_missing_dependency_says_what_to_install() -> None:
    error = MissingDependencyError("pyarrow", "parquet")
    assert str(error) == "this needs the optional package 'pyarrow'. Install it with: pip install 'dedup[parquet]'"
    assert (error.module, error.extra) == ("pyarrow", "parquet")


@pytest.mark.parametrize(
    ("error", "kinds"),
    [
        (ConfigError("bad"), (DedupError, ValueError)),
        (InputError("bad"), (DedupError,)),
        (MissingDependencyError("redis", "redis"), (DedupError,)),
    ],
)
def test_every_error_is_a_dedup_error(error: Exception, kinds: tuple[type, ...]) -> None:
    assert all(isinstance(error, kind) for kind in kinds)
    assert isinstance(error, ValueError) == (ValueError in kinds)


def test_errors_pickle_with_their_message() -> None:
    # Errors raised in a worker process come back pickled.
    for error in (ConfigError("ngram must be between 1 and 32, not 0"), DedupError("worker died")):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)


def test_an_input_error_pickles_with_where_it_happened() -> None:
    again = pickle.loads(pickle.dumps(InputError("no text", path="a.jsonl", line=3, hint="Fix it")))
    assert str(again) == "a.jsonl:3: no text. Fix it" and (again.path, again.line) == ("a.jsonl", 3)


def test_a_missing_dependency_error_pickles() -> None:
    again = pickle.loads(pickle.dumps(MissingDependencyError("pyarrow", "parquet")))
    assert (again.module, again.extra) == ("pyarrow", "parquet")
