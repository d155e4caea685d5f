"""Library arguments are checked when given, with errors that name the bad value and the fix."""

from __future__ import annotations

from typing import Any

import pytest

import dedup
from dedup.compare import compare_texts
from dedup.config import ScanConfig, SpinConfig
from dedup.errors import ConfigError
from dedup.model import Document


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SpinConfig(threshold=-1), "threshold must be a number strictly between 0 and 1, not -1"),
        (lambda: SpinConfig(threshold="0.5"), "threshold must be a number strictly between 0 and 1, not '0.5'"),
        (lambda: SpinConfig(phrase_lists=[1]), "phrase_lists must be a tuple of file paths, not [1]"),
        (lambda: ScanConfig(seed=-1), "seed must be between 0 and 2**32 - 1, not -1"),
        (lambda: ScanConfig(ngram="3"), "ngram must be a whole number, not '3'"),
        (lambda: ScanConfig(spin={}), "spin must be a SpinConfig, not dict. Try spin=SpinConfig(...)"),
        (lambda: Document(None, "text"), "Document id must be a str, not None. Try Document(str(id), text)"),
        (lambda: Document("a", None), "Document 'a': text must be a str, not NoneType"),
        (lambda: compare_texts(None, "b"), "compare_texts: a must be a str, not NoneType"),
        (lambda: dedup.scan([Document("a", "text")], config={}),
         "config must be a ScanConfig, not dict. Try config=ScanConfig(...)"),
    ],
)
def test_bad_arguments_are_refused_at_once(build: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build()
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)  # what the command line turns into a usage error


def test_one_phrase_list_given_bare_is_one_path() -> None:
    assert SpinConfig(phrase_lists="abc.csv").phrase_lists == ("abc.csv",)
    assert SpinConfig(phrase_lists=["a.csv", "b.csv"]).phrase_lists == ("a.csv", "b.csv")
