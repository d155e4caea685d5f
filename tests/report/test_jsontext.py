"""dumps_indented gives json.dumps' text (indent, ensure_ascii=False) on any JSON-like value."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.report.jsontext import dumps_indented

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(),
)
_keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.lists(children, max_size=3).map(tuple),
        st.dictionaries(_keys, children, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=400)
@given(_values, st.integers(min_value=0, max_value=4))
def test_same_text_as_json_dumps(value: object, indent: int) -> None:
    assert dumps_indented(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_unicode_escapes_and_specials() -> None:
    value = {"s": "caf\u00e9 \u201cq\u201d \n\t\\ \x00 \ud800", "n": [math.nan, math.inf, -math.inf, -0.0, 1e300],
             1: True, 2.5: None, None: [], False: {}}
    assert dumps_indented(value, 2) == json.dumps(value, indent=2, ensure_ascii=False)


def test_other_types_left_to_json_dumps() -> None:
    class Odd:
        pass

    for value in ({"a": Odd()}, {(1, 2): 3}):
        try:
            json.dumps(value, indent=2)
        except TypeError as expected:
            try:
                dumps_indented(value, 2)
            except TypeError as got:
                assert str(got) == str(expected)
            else:
                raise AssertionError("dumps_indented accepted what json.dumps rejects")
    circular: list[object] = []
    circular.append(circular)
    try:
        dumps_indented(circular, 2)
    except ValueError as got:
        assert "Circular" in str(got)
    else:
        raise AssertionError("a circular list was encoded")
