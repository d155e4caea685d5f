"""The phrase checker shared by the tests of ``dedup.spin`` (loading its data takes a few seconds)."""

from __future__ import annotations

import pytest

from dedup.spin import PhraseChecker, load_checker


@pytest.fixture(scope="session")
def checker() -> PhraseChecker:
    return load_checker()
