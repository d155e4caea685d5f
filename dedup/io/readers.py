"""Reading the inputs of a scan: files, folders and standard input, streamed as ``Document`` objects.

Supported inputs (the extension decides the format, case-insensitively):

- ``.txt`` / ``.md``: one document per file. Its id is the path relative to the folder given (forward
  slashes), or for a file given directly its path as given; ``line`` is None.
- ``.jsonl`` / ``.jsonl.gz``: one JSON object per line; blank lines are ignored.
- ``.csv``: a header row, then one document per row (fields of any size).
- ``.parquet``: one document per row, read in record batches (needs the optional ``pyarrow``).
- ``-``: JSONL (optionally gzip-compressed) on standard input.

For the record formats the id and text come from ``ReadOptions.id_field`` / ``text_field``; a dotted
name such as ``meta.id`` reaches into nested objects (a key literally named ``meta.id`` wins). ``line`` is
the line number in the file (JSONL; for CSV the line where the row starts, the header being line 1) or the
row number (parquet, from 1). Ids that are numbers become strings.

When *no* record of a file has the default ``id`` field, ids are ``"<file>:<line>"`` and a ``generated_id``
notice says so; a file where only *some* records lack it raises, as does a missing field named with a
non-default ``id_field`` (a typo there should not silently turn into generated ids).

Folders are walked recursively in sorted order (code-point order of names, so the same folder always
gives the same order). Skipped in folders: hidden files and folders (names starting with ``.``) silently;
files of an unsupported type, broken links and special files with a ``skipped_file`` notice; a linked
folder already being walked (a link cycle) with a ``skipped_file`` notice. A file given directly is always
read, hidden or not; an unsupported one given directly raises.

Nothing a user gave is silently dropped: every record is yielded or the read raises ``InputError`` naming
the file, the line and the fix. Empty documents are kept (with an ``empty`` notice); a record reusing an
id is kept under ``"<id>#2"``, ``"<id>#3"``... (with a ``duplicate_id`` notice). A corpus with no document
at all raises when its stream ends (``Corpus`` checks this itself, so no caller can forget).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import importlib.util
import json
import os
import shutil
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from dedup.errors import InputError, MissingDependencyError
from dedup.model import Document

__all__ = [
    "DUPLICATE_ID",
    "EMPTY",
    "GENERATED_ID",
    "SKIPPED_FILE",
    "SUPPORTED_EXTENSIONS",
    "Corpus",
    "Notice",
    "Notices",
    "ReadOptions",
    "beyond_json_limits",
]

# Notice kinds (the CLI shows their counts and first messages).
EMPTY = "empty"
DUPLICATE_ID = "duplicate_id"
SKIPPED_FILE = "skipped_file"
GENERATED_ID = "generated_id"

# The most lines one CSV record may span: an article of a thousand paragraphs still fits, while a stray
# quote that swallows the rest of a large file is an error even where another quote closes it later.
CSV_MAX_RECORD_LINES = 1000

STDIN = "-"
STDIN_LABEL = "<stdin>"
DEFAULT_ID_FIELD = "id"

# Longest first, so ".jsonl.gz" is matched before any shorter suffix.
SUPPORTED_EXTENSIONS = (".jsonl.gz", ".parquet", ".jsonl", ".csv", ".txt", ".md")
_KIND_OF_EXTENSION = {
    ".jsonl.gz": "jsonl",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".txt": "text",
    ".md": "text",
}
_SUPPORTED_HINT = "Give .txt, .md, .jsonl, .jsonl.gz, .csv or .parquet files, or a folder"
_BINARY_HINT = "Give text files (convert UTF-16 text to UTF-8 first)"
_ENCODING_HINT = "Try --encoding latin-1"
_GENERATED_ID_HINT = "ids then default to '<file>:<line>'"

# Names that usually hold the article text or the id, tried first when suggesting a --text-field / --id-field.
_TEXT_NAMES = ("text", "content", "body", "article", "document", "raw_content", "contents", "story", "maintext")
_ID_NAMES = ("id", "doc_id", "docid", "document_id", "_id", "uuid", "guid", "uid", "key", "url")
_MAX_KEYS_SHOWN = 12
_PARQUET_BATCH_ROWS = 1024
_GZIP_MAGIC = b"\x1f\x8b"
_MISSING = object()


@dataclass(frozen=True)
class ReadOptions:
    """How records are read: which fields hold the id and the text, and the files' text encoding.

    The encoding must be ASCII-compatible (utf-8, latin-1, cp1252...), because lines are split on the
    newline byte before decoding; that is what lets an encoding error name its exact line and byte.

    >>> ReadOptions(text_field="body").text_field
    'body'
    """

    id_field: str = DEFAULT_ID_FIELD
    text_field: str = "text"
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        for name in ("id_field", "text_field"):
            if not getattr(self, name):
                raise ValueError(f"{name} must not be empty")
        try:
            codec = codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {self.encoding!r}; try utf-8, latin-1 or cp1252") from None
        if "\n".encode(codec.name) != b"\n":
            raise ValueError(f"encoding {self.encoding!r} is not ASCII-compatible; convert the files to UTF-8 first")


@dataclass(frozen=True)
class Notice:
    """One warning about the input: its kind (``empty``, ``duplicate_id``...) and a one-line message.

    >>> str(Notice("empty", "a.txt: document 'a.txt' is empty"))
    "a.txt: document 'a.txt' is empty"
    """

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


class Notices:
    """Collects counted warnings while reading; the library never prints, the caller shows these.

    Every notice is counted; only the first ``keep`` messages of each kind are kept.

    >>> notices = Notices(keep=1)
    >>> notices.add("empty", "a.txt: empty document 'a.txt'")
    >>> notices.add("empty", "b.txt: empty document 'b.txt'")
    >>> notices.counts(), len(notices.messages)
    ({'empty': 2}, 1)
    """

    def __init__(self, keep: int = 5) -> None:
        if keep < 0:
            raise ValueError(f"keep must be 0 or more, not {keep}")
        self.keep = keep
        self._counts: dict[str, int] = {}
        self._messages: list[Notice] = []

    def add(self, kind: str, message: str) -> None:
        """Count one notice of ``kind``, keeping its message if fewer than ``keep`` of that kind are kept."""
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        if count <= self.keep:
            self._messages.append(Notice(kind, message))

    def counts(self) -> dict[str, int]:
        """How many notices of each kind were added, in the order kinds first appeared."""
        return dict(self._counts)

    @property
    def messages(self) -> tuple[Notice, ...]:
        """The kept notices, in the order they were added."""
        return tuple(self._messages)

    def shown(self) -> tuple[str, ...]:
        """The kept messages, then one line per kind that had more than were kept, saying how many more.

        >>> notices = Notices(keep=1)
        >>> for name in "abc":
        ...     notices.add("empty", f"{name}.txt: empty document")
        >>> notices.shown()
        ('a.txt: empty document', '... and 2 more empty notices')
        """
        dropped = {kind: count - self.keep for kind, count in self._counts.items() if count > self.keep}
        more = tuple(f"... and {count} more {kind} notices" for kind, count in dropped.items())
        return tuple(n.message for n in self._messages) + more


@dataclass(frozen=True)
class _Source:
    """One file to read: ``path`` to open, ``label`` used as (or in) its ids.

    ``shown`` names it in messages and ``Document.source``: the path, or ``<stdin>`` for the temporary
    copy of standard input.
    """

    path: str
    label: str
    kind: str
    gzipped: bool = False
    shown: str = ""

    def __post_init__(self) -> None:
        if not self.shown:
            object.__setattr__(self, "shown", self.path)


class Corpus:
    """The documents of the inputs of a scan, streamed as many times as needed.

    Construction checks every path exists, that files given directly are of a supported type, and that
    ``-`` (JSONL on ``stdin``, default ``sys.stdin.buffer``) is given at most once; reading is lazy.
    Each call of ``documents`` or ``records`` streams the inputs again, in the same order with the same
    ids: folders are listed once (on the first pass) and standard input is copied to a temporary file on
    the first pass, so later passes see exactly what the first saw. Call ``close`` (or use ``with``) to
    remove that temporary file early.

    >>> import io
    >>> stdin = io.BytesIO(b'{"id": 7, "text": "Hello."}\\n{"id": 7, "text": ""}\\n')
    >>> corpus = Corpus(["-"], ReadOptions(), stdin=stdin)
    >>> notices = Notices()
    >>> [(d.id, d.text, d.line) for d in corpus.documents(notices)]
    [('7', 'Hello.', 1), ('7#2', '', 2)]
    >>> notices.counts()
    {'duplicate_id': 1, 'empty': 1}
    >>> [d.id for d in corpus.documents()]
    ['7', '7#2']
    """

    def __init__(self, inputs: Sequence[str], options: ReadOptions, *, stdin: BinaryIO | None = None) -> None:
        self.inputs = tuple(inputs)
        self.options = options
        self._stdin = stdin
        if not self.inputs:
            raise InputError("no input given", hint="Give a file, a folder or '-' for JSONL on standard input")
        if self.inputs.count(STDIN) > 1:
            raise InputError("'-' (standard input) is given more than once", hint="Give '-' once")
        for path in self.inputs:
            if path != STDIN:
                _check_input_path(path)
        # Set on the first pass, then reused so every pass reads the same files in the same order.
        self._listing: tuple[tuple[_Source, ...], tuple[str, ...]] | None = None
        self._spools: dict[str, tuple[IO[bytes], _Source]] = {}  # pipes (stdin, FIFOs) copied on first read

    def documents(self, notices: Notices | None = None) -> Iterator[Document]:
        """Stream the documents of all inputs, in input order; notices go to ``notices`` when given.

        Raises ``InputError`` for bad input (naming file, line and fix), including when the inputs hold
        no document at all (raised once the stream ends).

        >>> import io
        >>> corpus = Corpus(["-"], ReadOptions(), stdin=io.BytesIO(b'{"text": "Hi"}\\n'))
        >>> next(corpus.documents())
        Document(id='<stdin>:1', text='Hi', source='<stdin>', line=1)
        """
        for document, _ in self._stream(notices, full_records=False):
            yield document

    def records(self, notices: Notices | None = None) -> Iterator[tuple[Document, dict[str, Any] | None]]:
        """Stream each document with its record as parsed (the dict for JSONL/CSV/parquet, None for text files).

        The record is the user's data untouched (its id field is the original one, even where the
        ``Document`` id got a ``#2`` suffix), so outputs can write it back as it came.

        >>> import io
        >>> corpus = Corpus(["-"], ReadOptions(), stdin=io.BytesIO(b'{"id": "a", "text": "Hi", "n": 1}\\n'))
        >>> [record for _, record in corpus.records()]
        [{'id': 'a', 'text': 'Hi', 'n': 1}]
        """
        return self._stream(notices, full_records=True)

    def close(self) -> None:
        """Remove the temporary copies of standard input and of named pipes (they cannot be read again after)."""
        for spool, _ in self._spools.values():
            spool.close()
        self._spools.clear()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _stream(
        self, notices: Notices | None, *, full_records: bool
    ) -> Iterator[tuple[Document, dict[str, Any] | None]]:
        # A throwaway collector when the caller does not want notices (e.g. on a second pass).
        notices = notices if notices is not None else Notices(keep=0)
        sources, skipped = self._list_sources()
        for message in skipped:
            notices.add(SKIPPED_FILE, message)
        seen: set[str] = set()
        next_suffix: dict[str, int] = {}  # only ids that were reused: where to resume counting
        count = 0
        for listed in sources:
            source = self._spooled(listed) if listed.path == STDIN or _is_pipe(listed.path) else listed
            for doc_id, text, line, record in self._read(source, notices, full_records):
                unique = doc_id
                if unique in seen:
                    where = source.shown if line is None else f"{source.shown}:{line}"
                    suffix = next_suffix.get(doc_id, 2)
                    while f"{doc_id}#{suffix}" in seen:
                        suffix += 1
                    next_suffix[doc_id] = suffix + 1
                    unique = f"{doc_id}#{suffix}"
                    message = f"{where}: id {doc_id!r} is already used; this record is kept as {unique!r}"
                    notices.add(DUPLICATE_ID, message)
                seen.add(unique)
                if not text or text.isspace():
                    where = source.shown if line is None else f"{source.shown}:{line}"
                    notices.add(EMPTY, f"{where}: document {unique!r} is empty")
                count += 1
                yield Document(unique, text, source.shown, line), record
        if count == 0:
            hint = "Check the inputs hold .txt, .md, .jsonl, .jsonl.gz, .csv or .parquet files with documents"
            if skipped:
                hint = f"{len(skipped)} file(s) of other types were skipped. {hint}"
            raise InputError(f"no documents found in {', '.join(self.inputs)}", hint=hint)

    def _list_sources(self) -> tuple[tuple[_Source, ...], tuple[str, ...]]:
        if self._listing is None:
            sources: list[_Source] = []
            skipped: list[str] = []
            for path in self.inputs:
                if path == STDIN:
                    sources.append(_Source(STDIN, STDIN_LABEL, "jsonl", shown=STDIN_LABEL))
                elif os.path.isdir(path):
                    _walk(path, "", {os.path.realpath(path)}, sources, skipped)
                else:
                    sources.append(_source_for(path, path))
            self._listing = (tuple(sources), tuple(skipped))
        return self._listing

    def _spooled(self, listed: _Source) -> _Source:
        # Copied whole on the first pass: a pipe can be read only once, and callers read the inputs twice.
        if listed.path not in self._spools:
            # A file with no name (unlinked at once), so no exit, kill -9 included, leaves a copy of the input
            # behind; it is opened again by its descriptor's path, which this process and its workers share.
            spool = tempfile.TemporaryFile(prefix="dedup-pipe-")  # noqa: SIM115 - lives as long as the corpus
            if listed.path == STDIN:
                shutil.copyfileobj(self._stdin if self._stdin is not None else sys.stdin.buffer, spool)
            else:
                with open(listed.path, "rb") as pipe:
                    shutil.copyfileobj(pipe, spool)
            spool.flush()
            spool.seek(0)
            gzipped = spool.read(2) == _GZIP_MAGIC
            spooled = _Source(f"/proc/self/fd/{spool.fileno()}", listed.label, listed.kind, gzipped, listed.shown)
            self._spools[listed.path] = spool, spooled
        return self._spools[listed.path][1]

    def _read(
        self, source: _Source, notices: Notices, full_records: bool
    ) -> Iterator[tuple[str, str, int | None, dict[str, Any] | None]]:
        shown = source.shown
        if source.kind == "text":
            yield source.label, _read_text_file(source.path, self.options.encoding), None, None
            return
        if source.kind == "jsonl":
            rows = _jsonl_rows(source.path, shown, source.gzipped, self.options.encoding)
        elif source.kind == "csv":
            rows = _csv_rows(source.path, self.options.encoding)
        else:
            rows = _parquet_rows(source.path, self.options, full_records)
        fields = _FieldReader(shown, source.label, self.options, notices)
        for line, record in rows:
            doc_id, text = fields.read(record, line)
            yield doc_id, text, line, record


def _check_input_path(path: str) -> None:
    """Fail at construction for a path that does not exist or a file dedup cannot read."""
    if not os.path.exists(path):
        raise InputError("no such file or folder", path=path, hint="Check the path")
    if os.path.isdir(path):
        return
    kind = _kind_of(path)
    if kind is None or not (os.path.isfile(path) or _is_pipe(path)):
        raise InputError(f"unsupported file type {_extension_of(path)!r}", path=path, hint=_SUPPORTED_HINT)
    # Fail before any work is done, as the datatrove readers do; the read itself imports pyarrow lazily.
    if kind == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise MissingDependencyError("pyarrow", "parquet")


def _is_pipe(path: str) -> bool:
    """A named pipe (FIFO): read by its name's type like a file, but only once, so it is copied first."""
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def _kind_of(path: str) -> str | None:
    name = os.path.basename(path).lower()
    for extension in SUPPORTED_EXTENSIONS:
        if name.endswith(extension):
            return _KIND_OF_EXTENSION[extension]
    return None


def _extension_of(path: str) -> str:
    return os.path.splitext(path)[1] or "(no extension)"


def _source_for(path: str, label: str) -> _Source:
    kind = _kind_of(path)
    assert kind is not None, path  # callers checked the type already
    return _Source(path, label, kind, gzipped=path.lower().endswith(".gz"))


def _walk(folder: str, prefix: str, active: set[str], sources: list[_Source], skipped: list[str]) -> None:
    """Append the readable files under ``folder`` to ``sources``, in sorted order, depth first."""
    try:
        names = sorted(os.listdir(folder))
    except PermissionError:
        raise InputError("cannot read folder: permission denied", path=folder, hint="Check the permissions") from None
    except OSError as error:
        raise InputError(f"cannot read folder: {error.strerror}", path=folder, hint="Check the path") from None
    for name in names:
        path = os.path.join(folder, name)
        if name.startswith("."):  # .git, editor and OS files: not the user's documents, but said, not hidden
            skipped.append(f"{path}: skipped (hidden; give it by name to read it)")
            continue
        label = f"{prefix}{name}"
        try:
            mode = os.stat(path).st_mode  # follows links: a linked file or folder is read like a real one
        except OSError:
            skipped.append(f"{path}: skipped (broken link or unreadable entry)")
            continue
        if stat.S_ISDIR(mode):
            real = os.path.realpath(path)
            if real in active:
                skipped.append(f"{path}: skipped (link back to a folder being read)")
                continue
            _walk(path, f"{label}/", active | {real}, sources, skipped)
        elif not stat.S_ISREG(mode):
            skipped.append(f"{path}: skipped (not a regular file)")
        elif _kind_of(name) is None:
            skipped.append(f"{path}: skipped (unsupported file type {_extension_of(name)!r})")
        else:
            sources.append(_source_for(path, label))


def _open_binary(path: str, shown: str) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 (closed by the caller's with block)
    except PermissionError:
        raise InputError("cannot read: permission denied", path=shown, hint="Check the file permissions") from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=shown, hint="Check the path") from None


def _read_text_file(path: str, encoding: str) -> str:
    with _open_binary(path, path) as stream:
        try:
            data = stream.read()
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", path=path, hint="Check the file") from None
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(f"looks binary (NUL byte at byte offset {nul})", path=path, line=line, hint=_BINARY_HINT)
    try:
        return _strip_bom(data, encoding).decode(encoding)
    except UnicodeDecodeError as error:
        offset = error.start + (len(data) - len(_strip_bom(data, encoding)))
        line = data.count(b"\n", 0, offset) + 1
        raise _decode_error(path, line, encoding, data[offset], offset) from None


def _strip_bom(data: bytes, encoding: str) -> bytes:
    # Editors and Excel write a UTF-8 byte-order mark; it is not part of the text (or of a CSV header name).
    if data.startswith(codecs.BOM_UTF8) and codecs.lookup(encoding).name == "utf-8":
        return data[len(codecs.BOM_UTF8) :]
    return data


def _decode_error(path: str, line: int, encoding: str, byte: int, offset: int) -> InputError:
    message = f"not valid {encoding}: byte 0x{byte:02x} at byte offset {offset}"
    return InputError(message, path=path, line=line, hint=_ENCODING_HINT)


def _text_lines(path: str, shown: str, gzipped: bool, encoding: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, decoded line)``; a NUL byte, a bad byte or a broken gzip stream raises."""
    with _open_binary(path, shown) as raw_stream:
        # GzipFile does not close the file it wraps; the outer with block does.
        stream: BinaryIO = gzip.GzipFile(fileobj=raw_stream, mode="rb") if gzipped else raw_stream  # type: ignore[assignment]
        with stream:
            yield from _decoded_lines(_guarded_lines(stream, shown), shown, encoding)


def _decoded_lines(lines: Iterator[bytes], shown: str, encoding: str) -> Iterator[tuple[int, str]]:
    """Decode each byte line strictly, so a bad byte is reported with its line and byte offset."""
    offset = 0
    for number, raw in enumerate(lines, 1):
        data = _strip_bom(raw, encoding) if number == 1 else raw
        skipped = len(raw) - len(data)
        nul = data.find(b"\0")
        if nul >= 0:
            message = f"looks binary (NUL byte at byte offset {offset + skipped + nul})"
            raise InputError(message, path=shown, line=number, hint=_BINARY_HINT)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            at = offset + skipped + error.start
            raise _decode_error(shown, number, encoding, data[error.start], at) from None
        offset += len(raw)
        yield number, text


def _guarded_lines(stream: BinaryIO, shown: str) -> Iterator[bytes]:
    """Yield the byte lines of ``stream``, turning a corrupt gzip stream or a read error into InputError."""
    number = 0
    try:
        for raw in stream:
            number += 1
            yield raw
    except gzip.BadGzipFile as error:
        if number == 0 and "Not a gzipped file" in str(error):
            hint = "Rename it to .jsonl if it is not compressed"
            raise InputError("not a gzip file", path=shown, hint=hint) from None
        raise _corrupt_gzip(shown, number + 1, error) from None
    except (EOFError, zlib.error) as error:
        raise _corrupt_gzip(shown, number + 1, error) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=shown, line=number + 1) from None


def _corrupt_gzip(shown: str, line: int, error: Exception) -> InputError:
    return InputError(f"corrupt gzip file ({error})", path=shown, line=line, hint="Check the file is complete: gzip -t")


def _jsonl_rows(path: str, shown: str, gzipped: bool, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in _text_lines(path, shown, gzipped, encoding):
        if not line.strip():
            continue  # blank lines (a trailing newline, spacing) hold no record
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            message = f"invalid JSON: {error.msg} (column {error.colno})"
            hint = "Each line must hold one complete JSON object"
            raise InputError(message, path=shown, line=number, hint=hint) from None
        except (RecursionError, ValueError) as error:
            raise beyond_json_limits(error, path=shown, line=number) from None
        if not isinstance(record, dict):
            message = f"expected a JSON object, got {_type_name(record)}"
            hint = 'Each line must be an object like {"id": ..., "text": ...}'
            raise InputError(message, path=shown, line=number, hint=hint)
        yield number, record


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


def _csv_rows(path: str, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    # News articles easily pass the csv module's default 128 KiB field limit; the limit is process-wide.
    csv.field_size_limit(_max_csv_field_size())
    record_lines: list[str] = []  # the lines of the record being read, to check how it ended
    ended = False

    def lines() -> Iterator[str]:
        nonlocal ended
        for _, line in _text_lines(path, path, False, encoding):
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
            raise InputError(f"malformed CSV: {error}", path=path, line=row_start, hint="Check the quoting") from None
        line, row_start = row_start, reader.line_num + 1
        # The csv module ends a quoted field left open at the end of the file silently, and lets one run over
        # any number of lines: a stray quote made the rest of a file one record.
        if ended and _unterminated(record_lines):
            message = "a quoted field is never closed: this record runs to the end of the file"
            raise InputError(message, path=path, line=line, hint="Check the quoting of this row")
        if row_start - line > CSV_MAX_RECORD_LINES:
            message = f"a record spans {row_start - line:,} lines, more than {CSV_MAX_RECORD_LINES:,} (a stray quote)"
            raise InputError(message, path=path, line=line, hint="Check the quoting of this row")
        if not row:
            continue  # a blank line is no row
        if header is None:
            duplicates = sorted({name for name in row if row.count(name) > 1})
            if duplicates:
                message = f"duplicate column {duplicates[0]!r} in the header"
                raise InputError(message, path=path, line=line, hint="Rename one of the columns")
            header = row
            continue
        if len(row) != len(header):
            message = f"row has {len(row)} fields, the header has {len(header)}"
            raise InputError(message, path=path, line=line, hint="Check the quoting of this row")
        yield line, dict(zip(header, row, strict=True))


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


def _parquet_rows(path: str, options: ReadOptions, full_records: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("pyarrow", "parquet") from None
    try:
        parquet = pq.ParquetFile(path)
    except PermissionError:
        raise InputError("cannot read: permission denied", path=path, hint="Check the file permissions") from None
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError and others for a bad file
        raise InputError(f"not a valid parquet file ({error})", path=path, hint="Check the file is complete") from None
    columns = None
    if not full_records:
        # Only the id and text columns are needed for documents; read less when both can be found.
        names = parquet.schema_arrow.names
        wanted = [_top_column(options.text_field, names), _top_column(options.id_field, names)]
        if wanted[0] is not None:
            columns = sorted({name for name in wanted if name is not None})
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield row, record
    except (OSError, ValueError) as error:  # ArrowInvalid is a ValueError; ArrowIOError an OSError
        raise InputError(f"not a valid parquet file ({error})", path=path, line=row + 1) from None


def _top_column(field: str, names: list[str]) -> str | None:
    if field in names:
        return field
    top = field.split(".", 1)[0]
    return top if top in names else None


class _FieldReader:
    """Takes the id and text out of the records of one file, and remembers whether it generates ids."""

    def __init__(self, shown: str, label: str, options: ReadOptions, notices: Notices) -> None:
        self.shown = shown
        self.label = label
        self.options = options
        self.notices = notices
        self.generated_ids: bool | None = None  # decided by the first record of the file

    def read(self, record: dict[str, Any], line: int) -> tuple[str, str]:
        text_field = self.options.text_field
        text = _lookup(record, text_field)
        if text is _MISSING:
            best = _likely_key(record, _TEXT_NAMES, (str,), exclude=self.options.id_field)
            hint = f"Try --text-field {best}" if best else "Use --text-field KEY to name the field holding the text"
            message = f"no text field {text_field!r} (fields: {_keys(record)})"
            raise InputError(message, path=self.shown, line=line, hint=hint)
        if not isinstance(text, str):
            best = _likely_key(record, _TEXT_NAMES, (str,), exclude=self.options.id_field)
            hint = f"Try --text-field {best}" if best else "Check the record"
            message = f"text field {text_field!r} is {_type_name(text)}, not a string"
            raise InputError(message, path=self.shown, line=line, hint=hint)
        return self._id(record, line), text

    def _id(self, record: dict[str, Any], line: int) -> str:
        id_field = self.options.id_field
        value = _lookup(record, id_field)
        if self.generated_ids is None:
            self.generated_ids = value is _MISSING and id_field == DEFAULT_ID_FIELD
            if self.generated_ids:
                best = _likely_key(record, _ID_NAMES, (str, int), exclude=self.options.text_field)
                pick = f" (use --id-field {best} to use that field)" if best else ""
                message = f"{self.shown}: records have no {id_field!r} field; ids are '{self.label}:<line>'{pick}"
                self.notices.add(GENERATED_ID, message)
        if self.generated_ids:
            if value is not _MISSING:
                message = f"this record has an id field {id_field!r} but the first record of the file has none"
                hint = f"Give every record an {id_field!r} field, or none ({_GENERATED_ID_HINT})"
                raise InputError(message, path=self.shown, line=line, hint=hint)
            return f"{self.label}:{line}"
        if value is _MISSING:
            message = f"no id field {id_field!r} (fields: {_keys(record)})"
            if id_field == DEFAULT_ID_FIELD:
                hint = f"Give every record an {id_field!r} field, or none ({_GENERATED_ID_HINT})"
            else:
                best = _likely_key(record, _ID_NAMES, (str, int), exclude=self.options.text_field)
                hint = f"Try --id-field {best}" if best else "Check --id-field"
            raise InputError(message, path=self.shown, line=line, hint=hint)
        if isinstance(value, str):
            if not value:
                raise InputError(f"id field {id_field!r} is empty", path=self.shown, line=line, hint="Give it an id")
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        message = f"id field {id_field!r} is {_type_name(value)}, not a string or number"
        raise InputError(message, path=self.shown, line=line, hint="Check the record, or use --id-field KEY")


def _lookup(record: dict[str, Any], field: str) -> Any:
    """``record[field]``, or for a dotted ``field`` the nested value; ``_MISSING`` when absent."""
    if field in record:
        return record[field]
    value: Any = record
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _likely_key(record: dict[str, Any], names: tuple[str, ...], types: tuple[type, ...], *, exclude: str) -> str | None:
    """The field the user most likely meant: a usual name first, else the longest string value."""
    candidates: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            candidates.update((f"{key}.{inner}", item) for inner, item in value.items() if isinstance(inner, str))
        else:
            candidates[key] = value
    candidates = {
        key: value
        for key, value in candidates.items()
        if key != exclude and isinstance(value, types) and not isinstance(value, bool)
    }
    for name in names:
        for key in candidates:
            if key.rsplit(".", 1)[-1].lower() == name:
                return key
    strings = [key for key, value in candidates.items() if isinstance(value, str) and value.strip()]
    if str in types and int not in types and strings:
        return max(strings, key=lambda key: len(candidates[key]))
    return None


def _keys(record: dict[str, Any]) -> str:
    keys = [str(key) for key in record]
    if not keys:
        return "none"
    shown = ", ".join(keys[:_MAX_KEYS_SHOWN])
    return shown + (", ..." if len(keys) > _MAX_KEYS_SHOWN else "")


def _type_name(value: Any) -> str:
    # JSON's own names: what the user sees in the file.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
