"""Tests of dedup.report.escape: the user's text made safe for the terminal, JSON and CSV, losing nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.report.escape import csv_cell, json_safe, masked, visible

# Every character the module calls unsafe: C0 and C1 controls, DEL, lone surrogates, bidi and line separators.
UNSAFE = [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)] + [
    "\ud800", "\udfff", "\u061c", "\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"]
SAFE = ["a", " ", "é", "\u00a0", "\u200b", "中", "\U0001f600", "\ufffd", "\u2030"]


@pytest.mark.parametrize("char", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_visible_escapes_every_unsafe_character(char: str) -> None:
    shown = visible(f"a{char}b")
    assert shown.startswith("a") and shown.endswith("b") and char not in shown
    assert shown.isprintable()


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x1b[2Jb", "a\\x1b[2Jb"),
    ("line\nnext", "line\\nnext"),
    ("tab\there", "tab\\there"),
    ("cr\roverwrite", "cr\\roverwrite"),
    ("\u202eevil", "\\u202eevil"),
    ("\x7f\x9f", "\\x7f\\x9f"),
    ("\ud800", "\\ud800"),
])
def test_visible_examples(text: str, shown: str) -> None:
    assert visible(text) == shown


@pytest.mark.parametrize("char", SAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_safe_characters_are_left_alone(char: str) -> None:
    assert visible(char) == masked(char) == char
    assert json_safe(char) == char and csv_cell(char) == char


def test_keep_newlines_keeps_line_feeds_and_tabs_and_drops_the_cr_of_crlf() -> None:
    assert visible("a\r\nb\tc\nd", keep_newlines=True) == "a\nb\tc\nd"
    assert visible("a\rb\x1b", keep_newlines=True) == "a\\x0db\\x1b"  # a bare CR: escaped by its code


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(UNSAFE + SAFE + ["\n", "\t", "x"])))
def test_masked_keeps_the_length_and_every_safe_character(text: str) -> None:
    out = masked(text)
    assert len(out) == len(text)  # spans marked at offsets stay right
    for before, after in zip(text, out, strict=True):
        assert after == (before if before in SAFE or before in "\n\tx" else "\ufffd")


def _no_surrogate_pair(text: str) -> bool:
    """Whether ``text`` holds no high surrogate right before a low one (no JSON or UTF-8 input can make such a
    string: JSON reads the two escapes as one character)."""
    pairs = zip(text, text[1:], strict=False)  # each character with the next
    return not any("\ud800" <= a <= "\udbff" and "\udc00" <= b <= "\udfff" for a, b in pairs)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(UNSAFE + SAFE + ["\\", '"', "x"])).filter(_no_surrogate_pair))
def test_json_safe_text_is_utf8_and_reads_back_the_same(text: str) -> None:
    dumped = json_safe(json.dumps({"id": text}, ensure_ascii=False))
    dumped.encode("utf-8")  # a lone surrogate would raise here
    assert json.loads(dumped) == {"id": text}


@pytest.mark.xfail(strict=True, reason="dedup/report/escape.py: json_safe escapes a high surrogate followed by a low "
                                       "one as two escapes, which JSON reads back as one character (U+103FF here); "
                                       "only a str built in Python holds such a pair, no file read can")
def test_json_safe_reads_back_a_surrogate_pair_as_two_code_units() -> None:
    assert json.loads(json_safe(json.dumps("\ud800\udfff", ensure_ascii=False))) == "\ud800\udfff"


def test_json_safe_changes_only_surrogates() -> None:
    assert json_safe('{"a": "\\n \u00e9"}') == '{"a": "\\n \u00e9"}'
    assert json_safe('"\udc80x"') == '"\\udc80x"'


@pytest.mark.parametrize(("value", "cell"), [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@cmd", "'@cmd"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("a=b", "a=b"),
    ("", ""),
    ("x\ud800", "x\\ud800"),
    ("\ud800=", "\\ud800="),  # the escape comes first, so no formula character leads
])
def test_csv_cells_never_start_a_formula(value: str, cell: str) -> None:
    assert csv_cell(value) == cell
