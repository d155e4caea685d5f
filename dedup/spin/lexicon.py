"""Phrase lists of the phrase checks: known spinner substitutions, matched word for word.

Two lists are matched: the curated lexicon shipped in ``dedup/data/spinner_lexicon_en.csv`` and the user's
own phrase lists (CSV ``phrase,original`` or JSON). Both are read here and indexed by their first word
(``index_lexicon``), so a text is only compared with the phrases that begin with one of its words.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from dedup.errors import InputError
from dedup.text.normalize import tokenize

__all__ = ["Lexicon", "index_lexicon", "lexicon_hit", "load_phrase_list", "read_phrase_csv"]

# A phrase list indexed by first word: first word -> ((the phrase's words, original, source), ...).
Lexicon = dict[str, tuple[tuple[tuple[str, ...], str, str], ...]]


def read_phrase_csv(text: str, path: str) -> list[tuple[str, str, int]]:
    """Rows ``phrase,original`` of a CSV text (header optional, ``#`` comments allowed) with line numbers."""
    rows: list[tuple[str, str, int]] = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2:
            raise InputError(
                f"expected two columns 'phrase,original', found {len(row)}",
                path=path,
                line=number,
                hint="Write each entry as: spun phrase,original phrase",
            )
        phrase, original = row[0].strip(), row[1].strip()
        if not rows and phrase.lower() in ("phrase", "tortured phrase", "tortured", "spun", "spun phrase"):
            continue  # a header row
        if not tokenize(phrase).words:
            raise InputError(
                f"the phrase {phrase!r} has no words", path=path, line=number, hint="Give the phrase or remove the line"
            )
        rows.append((phrase, original, number))
    return rows


def _json_line(text: str, index: int) -> int | None:
    """Line of the ``index``-th (1-based) entry of a JSON array or object, for error messages."""
    decoder = json.JSONDecoder()
    position = text.find("[") if text.lstrip().startswith("[") else text.find("{")
    count = 0
    position += 1
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n,:":
            position += 1
        if position >= len(text) or text[position] in "]}":
            return None
        count += 1
        if count == index:
            return text.count("\n", 0, position) + 1
        try:
            _, position = decoder.raw_decode(text, position)
            if text.lstrip().startswith("{"):
                # An object entry is a key and a value: skip the value too.
                while position < len(text) and text[position] in " \t\r\n:":
                    position += 1
                _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            return None
    return None


def _read_phrase_json(text: str, path: str) -> list[tuple[str, str, int]]:
    """``{"phrase": "original"}``, ``[["phrase", "original"], ...]`` or ``[{"phrase": ..., "original": ...}]``."""
    hint = 'Use {"spun phrase": "original", ...} or [{"phrase": "...", "original": "..."}, ...]'
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno,
                         hint="Check the quotes and commas near that line") from exc
    if isinstance(value, dict):
        items: list[object] = [[k, v] for k, v in value.items()]
    elif isinstance(value, list):
        items = value
    else:
        raise InputError("a phrase list must be a JSON object or array", path=path, line=1, hint=hint)
    rows: list[tuple[str, str, int]] = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            phrase, original = item.get("phrase"), item.get("original", "")
        elif isinstance(item, list) and len(item) == 2:
            phrase, original = item
        else:
            phrase, original = None, None
        if not isinstance(phrase, str) or not tokenize(phrase).words or not isinstance(original, str | None):
            raise InputError(
                f"entry {index} needs a non-empty text 'phrase' and a text 'original'",
                path=path,
                line=_json_line(text, index),
                hint=hint,
            )
        rows.append((phrase, original or "", index))
    return rows


def load_phrase_list(path: str) -> list[tuple[str, str]]:
    """Read a user phrase list: JSON (``.json``) or CSV ``phrase,original`` (any other name).

    Raises ``InputError`` naming the file, the line and the fix when the file cannot be used.

    >>> import os, tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
    ...     _ = fh.write("phrase,original\\ncounterfeit consciousness,artificial intelligence\\n")
    >>> load_phrase_list(fh.name)
    [('counterfeit consciousness', 'artificial intelligence')]
    >>> os.unlink(fh.name)
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("phrase list not found", path=path, hint="Check the path of the phrase list") from exc
    except UnicodeDecodeError as exc:
        raise InputError("phrase list is not UTF-8 text", path=path, hint="Save the file as UTF-8") from exc
    except OSError as exc:
        raise InputError(f"cannot read the phrase list ({exc.strerror})", path=path) from exc
    rows = _read_phrase_json(text, path) if file.suffix.lower() == ".json" else read_phrase_csv(text, path)
    return [(phrase, original) for phrase, original, _number in rows]


def index_lexicon(rows: Iterable[tuple[str, str, int]] | Iterable[tuple[str, str]], source: str) -> Lexicon:
    """Index rows ``(phrase, original, ...)`` by the first word of the phrase; ``source`` names the list
    (it becomes the reason shown with the evidence). Phrases without words are left out.

    >>> index_lexicon([("counterfeit consciousness", "artificial intelligence")], "my list")
    {'counterfeit': ((('counterfeit', 'consciousness'), 'artificial intelligence', 'my list'),)}
    """
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for row in rows:
        words = tokenize(row[0]).words
        if words:
            index.setdefault(words[0], []).append((words, row[1], source))
    return {first: tuple(entries) for first, entries in index.items()}


def lexicon_hit(lexicons: Sequence[Lexicon], words: Sequence[str], i: int, n: int) -> tuple[int, str, str] | None:
    """The first phrase of ``lexicons`` (in order) that ``words[i:]`` starts with and that ends by word ``n``:
    its length in words, its original and its source; None when there is none.

    >>> lexicon = index_lexicon([("counterfeit consciousness", "artificial intelligence")], "my list")
    >>> lexicon_hit([lexicon], ["counterfeit", "consciousness", "works"], 0, 3)
    (2, 'artificial intelligence', 'my list')
    """
    for table in lexicons:
        for phrase, original, source in table.get(words[i], ()):
            length = len(phrase)
            if i + length <= n and tuple(words[i : i + length]) == phrase:
                return length, original, source
    return None
