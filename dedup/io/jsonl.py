"""JSONL (``.jsonl``, ``.jsonl.gz`` and standard input): one JSON object per line; blank lines are ignored.

A record's ``line`` is its physical line in the file. Valid JSON that Python will not parse (nested too
deep, a number too long) is an error of its own, shared with ``compare --pairs``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from dedup.errors import InputError
from dedup.io.fields import type_name
from dedup.io.text_files import text_lines

__all__ = ["BadRecord", "beyond_json_limits", "jsonl_rows"]

# Told of a record that cannot be read (the error, and the record's raw text) instead of raising: the
# reader then goes on with the next record (``--on-bad-record skip``).
BadRecord = Callable[[InputError, str], None]


def jsonl_rows(path: str, shown: str, gzipped: bool, encoding: str,
               bad: BadRecord | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, record)`` for each JSON object; a line that is not one raises, naming ``shown``,
    or, given ``bad``, is passed to it with its text and skipped.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "a.jsonl")
    ...     _ = path.write_text('{"id": 1, "text": "Hi"}\\n\\n{"id": 2, "text": "Bye"}\\n')
    ...     list(jsonl_rows(str(path), "a.jsonl", False, "utf-8"))
    [(1, {'id': 1, 'text': 'Hi'}), (3, {'id': 2, 'text': 'Bye'})]
    """
    for number, line in text_lines(path, shown, gzipped, encoding):
        if not line.strip():
            continue  # blank lines (a trailing newline, spacing) hold no record
        try:
            record = _record(line, shown, number)
        except InputError as error:
            if bad is None:
                raise
            bad(error, line)
            continue
        yield number, record


def _record(line: str, shown: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error.msg} (column {error.colno})"
        hint = "Each line must hold one complete JSON object"
        raise InputError(message, path=shown, line=number, hint=hint) from None
    except (RecursionError, ValueError) as error:
        raise beyond_json_limits(error, path=shown, line=number) from None
    if not isinstance(record, dict):
        message = f"expected a JSON object, got {type_name(record)}"
        hint = 'Each line must be an object like {"id": ..., "text": ...}'
        raise InputError(message, path=shown, line=number, hint=hint)
    return record


def beyond_json_limits(error: RecursionError | ValueError, *, path: str, line: int) -> InputError:
    """The error for valid JSON that Python will not parse: nested too deep, or a number too long.

    >>> str(beyond_json_limits(RecursionError(), path="a.jsonl", line=2))
    'a.jsonl:2: JSON nested too deeply to read. Flatten the record'
    """
    if isinstance(error, RecursionError):
        return InputError("JSON nested too deeply to read", path=path, line=line, hint="Flatten the record")
    # An integer past Python's digit limit for conversion (4,300 by default); Python's advice to raise the
    # limit is not the user's fix, so it is dropped.
    reason = str(error).split(";")[0]
    return InputError(f"a number too long to read ({reason})", path=path, line=line, hint="Write it as a string")
