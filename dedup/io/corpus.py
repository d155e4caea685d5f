"""Reading the inputs of a scan: files, folders and standard input, streamed as ``Document`` objects.

Supported inputs (the extension decides the format, case-insensitively), each read by its own module:

- ``.txt`` / ``.md`` (``text_files``): one document per file. Its id is the path relative to the folder
  given (forward slashes), or for a file given directly its path as given; ``line`` is None.
- ``.jsonl`` / ``.jsonl.gz`` (``jsonl``): one JSON object per line; blank lines are ignored.
- ``.csv`` (``csv_file``): a header row, then one document per row (fields of any size).
- ``.parquet`` (``parquet``): one document per row, read in record batches (needs the optional ``pyarrow``).
- ``-``: JSONL (optionally gzip-compressed) on standard input.

For the record formats the id and text come from ``ReadOptions.id_field`` / ``text_field`` (see
``fields``). ``line`` is the line number in the file (JSONL; for CSV the line where the row starts, the
header being line 1) or the row number (parquet, from 1).

Folders are walked recursively in sorted order (code-point order of names, so the same folder always
gives the same order). Skipped in folders, each with a ``skipped_file`` notice: hidden files and folders
(names starting with ``.``), files of an unsupported type, broken links and special files, and a linked
folder already being walked (a link cycle). A file given directly is always read, hidden or not; an
unsupported one given directly raises.

Nothing a user gave is silently dropped: every record is yielded or the read raises ``InputError`` naming
the file, the line and the fix. With ``ReadOptions(on_bad_record="skip")`` a record that cannot be read (bad
JSON, a CSV row with a stray quote or the wrong number of fields, a missing or non-string text field) is
skipped instead, with a ``bad_record`` notice, and written to the corpus's ``rejects`` file with its error
and its text as read; a whole file that cannot be read (its encoding, a binary file) still raises. Empty
documents are kept (with an ``empty`` notice); a record reusing an id is kept under ``"<id>#2"``,
``"<id>#3"``... (with a ``duplicate_id`` notice), the first such name that no record of the inputs has as
its own id (the first reused id makes the corpus read every id once, to know them). A corpus with no
document at all raises when its stream ends (``Corpus`` checks this itself, so no caller can forget).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from dedup.errors import InputError
from dedup.io.csv_file import csv_rows
from dedup.io.fields import FieldReader
from dedup.io.jsonl import jsonl_rows
from dedup.io.notices import BAD_RECORD, DUPLICATE_ID, EMPTY, SKIPPED_FILE, Notices
from dedup.io.options import ReadOptions
from dedup.io.parquet import parquet_rows, require_pyarrow
from dedup.io.text_files import read_text_file
from dedup.model import Document
from dedup.report.escape import json_safe

__all__ = ["STDIN", "SUPPORTED_EXTENSIONS", "Corpus"]

# The input name for JSONL on standard input, and the name its documents show as their source.
STDIN = "-"
STDIN_LABEL = "<stdin>"

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
_GZIP_MAGIC = b"\x1f\x8b"


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
    remove that temporary file early. Records skipped under ``on_bad_record="skip"`` are written to
    ``rejects`` (one JSON line each: ``source``, ``line``, ``error``, and ``raw``, the text as read, or
    ``record``, the record as parsed) on the first pass only.

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

    def __init__(self, inputs: Sequence[str], options: ReadOptions, *, stdin: BinaryIO | None = None,
                 rejects: IO[str] | None = None) -> None:
        self.inputs = tuple(inputs)
        self.options = options
        self._stdin = stdin
        self._rejects = rejects  # cleared once the first pass has written to it
        self._ids: frozenset[str] | None = None  # every id the inputs give, read at the first reused one
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
        rejects, self._rejects = self._rejects, None  # the first pass writes them, later ones skip the same again
        for doc_id, text, line, record, source in self._records(sources, notices, full_records, rejects):
            unique = doc_id
            if unique in seen:
                # The new name is one no record has as its own id, so no later record is renamed for it.
                taken = self._all_ids(sources)
                where = source.shown if line is None else f"{source.shown}:{line}"
                suffix = next_suffix.get(doc_id, 2)
                while f"{doc_id}#{suffix}" in seen or f"{doc_id}#{suffix}" in taken:
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

    def _records(
        self, sources: Sequence[_Source], notices: Notices, full_records: bool, rejects: IO[str] | None
    ) -> Iterator[tuple[str, str, int | None, dict[str, Any] | None, _Source]]:
        """Every record of ``sources`` as ``(id, text, line, record, source)``, bad ones skipped if so asked."""
        def bad(error: InputError, raw: str | dict[str, Any]) -> None:
            notices.add(BAD_RECORD, f"{error} (skipped)")
            if rejects is not None:
                entry = {"source": error.path, "line": error.line, "error": str(error),
                         "raw" if isinstance(raw, str) else "record": raw}
                rejects.write(_json_line(entry))

        skip = bad if self.options.on_bad_record == "skip" else None
        for listed in sources:
            source = self._spooled(listed) if listed.path == STDIN or _is_pipe(listed.path) else listed
            for doc_id, text, line, record in self._read(source, notices, full_records, skip):
                yield doc_id, text, line, record, source

    def _all_ids(self, sources: Sequence[_Source]) -> frozenset[str]:
        """Every id the records of ``sources`` give as their own (read once, at the first reused id)."""
        if self._ids is None:
            self._ids = frozenset(doc_id for doc_id, *_ in self._records(sources, Notices(keep=0), False, None))
        return self._ids

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
        self, source: _Source, notices: Notices, full_records: bool,
        bad: Callable[[InputError, str | dict[str, Any]], None] | None,
    ) -> Iterator[tuple[str, str, int | None, dict[str, Any] | None]]:
        shown = source.shown
        if source.kind == "text":
            yield source.label, read_text_file(source.path, self.options.encoding), None, None
            return
        if source.kind == "jsonl":
            rows = jsonl_rows(source.path, shown, source.gzipped, self.options.encoding, bad)
        elif source.kind == "csv":
            rows = csv_rows(source.path, self.options.encoding, bad)
        else:
            rows = parquet_rows(source.path, self.options, full_records)
        fields = FieldReader(shown, source.label, self.options, notices)
        for line, record in rows:
            try:
                doc_id, text = fields.read(record, line)
            except InputError as error:
                if bad is None:
                    raise
                bad(error, record)
                continue
            yield doc_id, text, line, record


def _json_line(entry: dict[str, Any]) -> str:
    return json_safe(json.dumps(entry, ensure_ascii=False, default=str)) + "\n"


def _check_input_path(path: str) -> None:
    """Fail at construction for a path that does not exist or a file dedup cannot read."""
    if not os.path.exists(path):
        raise InputError("no such file or folder", path=path, hint="Check the path")
    if os.path.isdir(path):
        return
    kind = _kind_of(path)
    if kind is None or not (os.path.isfile(path) or _is_pipe(path)):
        raise InputError(f"unsupported file type {_extension_of(path)!r}", path=path, hint=_SUPPORTED_HINT)
    if kind == "parquet":
        require_pyarrow()


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

