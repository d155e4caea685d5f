"""Tests of dedup.io.options: read options are checked when built, with the fix in the message."""

from __future__ import annotations

import pytest

from dedup.io.options import ReadOptions


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"encoding": "no-such-codec"}, "unknown encoding 'no-such-codec'; try utf-8, latin-1 or cp1252"),
        ({"encoding": "utf-16"}, "encoding 'utf-16' is not ASCII-compatible; convert the files to UTF-8 first"),
        ({"text_field": ""}, "text_field must be a non-empty string, not ''"),
        ({"id_field": None}, "id_field must be a non-empty string, not None"),
        ({"on_bad_record": "ignore"}, "on_bad_record must be 'error' or 'skip', not 'ignore'"),
    ],
)
def test_read_options_are_checked_when_built(kwargs: dict[str, object], expected: str):
    with pytest.raises(ValueError) as caught:
        ReadOptions(**kwargs)
    assert str(caught.value) == expected
