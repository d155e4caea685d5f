"""CSV (``.csv``): a header row, then one document per row, with fields of any size.

A row's ``line`` is the line where it starts, the header being line 1. A stray quote would make the
rest of a file one record; a quoted field never closed, or a record spanning more than
``CSV_MAX_RECORD_LINES`` lines, is an error naming the row where it starts. Given ``bad``
(``--on-bad-record skip``), a bad row is passed to it with its lines as read and skipped instead; the
header's errors always raise.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from typing import Any

from dedup.errors import InputError
from dedup.io.jsonl import BadRecord
from dedup.io.text_files import text_lines

__all__ = ["CSV_MAX_RECORD_LINES", "csv_rows"]

# The most lines one CSV record may span: an article of a thousand paragraphs still fits, while a stray
# quote that swallows the rest of a large file is an error even where another quote closes it later.
CSV_MAX_RECORD_LINES = 1000


def csv_rows(path: str, encoding: str, bad: BadRecord | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line where the row starts, row as a dict keyed by the header)``; bad quoting raises.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "a.csv")
    ...     _ = path.write_text('id,text\\na,"two\\nlines"\\nb,one\\n')
    ...     list(csv_rows(str(path), "utf-8"))
    [(2, {'id': 'a', 'text': 'two\\nlines'}), (4, {'id': 'b', 'text': 'one'})]
    """
    # News articles easily pass the csv module's default 128 KiB field limit; the limit is process-wide.
    csv.field_size_limit(_max_csv_field_size())
    record_lines: list[str] = []  # the lines of the record being read, to check how it ended
    ended = False

    def lines() -> Iterator[str]:
        nonlocal ended
        for _, line in text_lines(path, path, False, encoding):
            record_lines.append(line)
            yield line
        ended = True

    reader = csv.reader(lines())
    header: list[str] | None = None
    row_start = 1
    while True:
        record_lines.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            malformed = InputError(f"malformed CSV: {error}", path=path, line=row_start, hint="Check the quoting")
            if bad is None or header is None:
                raise malformed from None
            bad(malformed, "".join(record_lines))
            row_start = reader.line_num + 1
            continue
        line, row_start = row_start, reader.line_num + 1
        problem = _row_problem(row, header, record_lines, ended, line, row_start - line, path)
        if problem is not None:
            if bad is None or header is None:
                raise problem
            bad(problem, "".join(record_lines))
            continue
        if not row:
            continue  # a blank line is no row
        if header is None:
            header = row
            continue
        yield line, dict(zip(header, row, strict=True))


def _row_problem(row: list[str], header: list[str] | None, lines: list[str], ended: bool, line: int, spans: int,
                 path: str) -> InputError | None:
    """What is wrong with a row as read (``None`` when nothing is); ``header`` is None for the header itself."""
    # The csv module ends a quoted field left open at the end of the file silently, and lets one run over
    # any number of lines: a stray quote made the rest of a file one record.
    if ended and _unterminated(lines):
        message = "a quoted field is never closed: this record runs to the end of the file"
        return InputError(message, path=path, line=line, hint="Check the quoting of this row")
    if spans > CSV_MAX_RECORD_LINES:
        message = f"a record spans {spans:,} lines, more than {CSV_MAX_RECORD_LINES:,} (a stray quote)"
        return InputError(message, path=path, line=line, hint="Check the quoting of this row")
    if not row:
        return None
    if header is None:
        duplicates = sorted({name for name in row if row.count(name) > 1})
        if duplicates:
            message = f"duplicate column {duplicates[0]!r} in the header"
            return InputError(message, path=path, line=line, hint="Rename one of the columns")
        return None
    if len(row) != len(header):
        message = f"row has {len(row)} fields, the header has {len(header)}"
        return InputError(message, path=path, line=line, hint="Check the quoting of this row")
    return None


def _unterminated(lines: list[str]) -> bool:
    try:
        for _ in csv.reader(lines, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _max_csv_field_size() -> int:
    # sys.maxsize overflows the C long on some platforms (Windows); halve until it fits.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return limit
        except OverflowError:
            limit //= 2
