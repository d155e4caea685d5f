"""Text from documents made safe for each medium it reaches: the terminal, JSON files and CSV cells.

Ids, file names and texts are the user's data and may hold anything: ANSI or OSC escape sequences (which
clear the screen or set the window title), a bare carriage return (which overwrites the line shown), bidi
controls (which reorder what is read), or a lone surrogate (valid JSON, but not encodable as UTF-8).
"""

from __future__ import annotations

import re

__all__ = ["csv_cell", "json_safe", "masked", "visible"]

# C0 and C1 controls, DEL, lone surrogates, and the bidi and line-separator controls.
_OTHERS = "\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_UNSAFE_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # keeps tab and line feed
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as a visible escape, for the terminal.

    Rich markup is not touched: print the result as ``rich.text.Text`` (or with ``markup=False``).
    ``keep_newlines`` keeps line feeds and tabs (and a carriage return before a line feed, dropped), for
    whole texts shown as they read.

    >>> visible("a\\x1b[2Jb\\rc\\u202e")
    'a\\\\x1b[2Jb\\\\rc\\\\u202e'
    >>> visible("line\\r\\nnext\\tx", keep_newlines=True)
    'line\\nnext\\tx'
    """
    if keep_newlines:
        return _UNSAFE_IN_TEXT.sub(_escape, text.replace("\r\n", "\n"))
    return _UNSAFE.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group()) or _escape(m), text)


def masked(text: str) -> str:
    """``text`` with every control character but tab and line feed replaced by U+FFFD, keeping its length.

    For whole texts shown with spans marked at character offsets, which an escape would shift.

    >>> masked("a\\x1b[2Jb\\nc") == "a\\ufffd[2Jb\\nc"
    True
    """
    return _UNSAFE_IN_TEXT.sub("\ufffd", text)


def json_safe(text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with lone surrogates written as ``\\uXXXX``.

    ``ensure_ascii=False`` leaves a lone surrogate raw, which no UTF-8 file can hold; escaped, it reads
    back as the same string. Surrogates only occur inside JSON strings, so the escape is always valid.
    Other text is unchanged.

    >>> json_safe('{"id": "\\ud800"}')
    '{"id": "\\\\ud800"}'
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'`` (OWASP's rule).

    Lone surrogates, which UTF-8 cannot hold, are shown as ``\\uXXXX``.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("ordinary")
    ("'=HYPERLINK(1)", 'ordinary')
    """
    value = _SURROGATE.sub(_escape, value)
    return "'" + value if value.startswith(_FORMULA_START) else value
