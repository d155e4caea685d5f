"""Where an archive index lives: a few kinds of small records behind one abstract class, so that a SQLite file
(the default: embedded, in the standard library, no server) and a Redis database (an index shared by several
machines, ``dedup.index.redis_store``) hold the same thing the same way.

An index holds three things, all as bytes the store does not look into:

- ``meta``: names to text (format version, the config that decides results, counters);
- documents: a number (input order) to a packed record, and each document's id to its number;
- posting blocks: ``(kind, prefix)`` to the entries of one kind (band keys, sentence keys, ...) whose keys
  begin with ``prefix`` (``dedup.index.postings``). A query reads only the blocks of the keys it holds.

Every change goes through ``writing()``: one transaction, applied whole or not at all (a crash or a kill -9
in the middle leaves the index as it was), and one writer at a time (a second one waits, then gets a clear
error). Readers read a consistent snapshot inside ``reading()`` while a writer works.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import urlsplit

from dedup.errors import DedupError

__all__ = ["IndexStore", "SQLiteStore", "open_store", "shown"]

# How long a second writer waits for the first to finish before giving up with an error, in seconds.
WRITER_WAIT = 30.0


class IndexStore(ABC):
    """The storage of an archive index (see the module docstring)."""

    location: str

    @abstractmethod
    def exists(self) -> bool:
        """Whether an index was created here (its meta holds a format version)."""

    @abstractmethod
    def meta(self) -> dict[str, str]:
        """Every meta entry."""

    @abstractmethod
    def numbers_of(self, ids: Iterable[str]) -> dict[str, int]:
        """The numbers of those of ``ids`` that are stored."""

    @abstractmethod
    def records(self, numbers: Iterable[int]) -> dict[int, bytes]:
        """The packed records of those of ``numbers`` that are stored."""

    @abstractmethod
    def all_numbers(self) -> list[int]:
        """Every stored document number, in increasing order."""

    @abstractmethod
    def blocks(self, kind: int, prefixes: Iterable[int]) -> dict[int, bytes]:
        """The posting blocks of ``kind`` under those of ``prefixes`` that hold any."""

    @abstractmethod
    def size(self) -> int:
        """Bytes the index takes where it is stored."""

    @abstractmethod
    def reading(self) -> contextlib.AbstractContextManager[None]:
        """A block in which every read sees one consistent state of the index."""

    @abstractmethod
    def writing(self) -> contextlib.AbstractContextManager[IndexWriter]:
        """One transaction: the writer's changes are applied together when the block ends without error."""

    def close(self) -> None:  # noqa: B027 - nothing to close by default
        """Release the connection."""


class IndexWriter(ABC):
    """The changes of one transaction (``IndexStore.writing``)."""

    @abstractmethod
    def put_meta(self, entries: Mapping[str, str]) -> None: ...

    @abstractmethod
    def put_records(self, records: Iterable[tuple[int, str, bytes]]) -> None:
        """Store ``(number, id, packed record)``, replacing any record of that number."""

    @abstractmethod
    def delete_records(self, numbers: Iterable[int]) -> None: ...

    @abstractmethod
    def put_blocks(self, kind: int, blocks: Mapping[int, bytes]) -> None:
        """Replace the blocks of ``kind`` under these prefixes; an empty block is deleted."""


class SQLiteStore(IndexStore):
    """An index in one SQLite file.

    Write-ahead logging lets readers go on while one writer works; ``BEGIN IMMEDIATE`` takes the write lock
    at the start of a transaction, so two writers never interleave; an interrupted transaction is rolled back
    when the file is next opened.
    """

    def __init__(self, path: str, *, create: bool = False) -> None:
        self.location = path
        if not create and not os.path.exists(path):
            raise DedupError(f"{path}: no index here. Create one with: dedup index add INPUT... --index {path}")
        try:
            self._db = sqlite3.connect(path, timeout=WRITER_WAIT, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            # Safe with WAL: a crash of the process loses nothing committed; only a power cut can lose the
            # last transaction, never corrupt the file.
            self._db.execute("PRAGMA synchronous=NORMAL")
            tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise DedupError(f"{path}: not a dedup index ({exc}). Give the path of an index file") from exc
        if tables and not {"meta", "docs", "blocks"} <= tables:
            # Someone else's database: never add tables to it.
            raise DedupError(f"{path}: a SQLite database but not a dedup index. Give the path of an index file")
        if not tables:
            self._db.executescript(_SCHEMA)

    def exists(self) -> bool:
        return "format" in self.meta()

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def numbers_of(self, ids: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT id, number FROM docs WHERE id IN ({marks})", chunk).fetchall())
        return found

    def records(self, numbers: Iterable[int]) -> dict[int, bytes]:
        found: dict[int, bytes] = {}
        for chunk in _chunks(sorted(set(numbers))):
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT number, record FROM docs WHERE number IN ({marks})",
                                          chunk).fetchall())
        return found

    def all_numbers(self) -> list[int]:
        return [n for (n,) in self._db.execute("SELECT number FROM docs ORDER BY number")]

    def blocks(self, kind: int, prefixes: Iterable[int]) -> dict[int, bytes]:
        found: dict[int, bytes] = {}
        wanted = sorted(set(prefixes))
        if len(wanted) > 20_000:  # most of the blocks: one pass over the kind beats many look-ups
            rows = self._db.execute("SELECT prefix, data FROM blocks WHERE kind = ?", (kind,))
            keep = set(wanted)
            return {p: d for p, d in rows if p in keep}
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(
                f"SELECT prefix, data FROM blocks WHERE kind = ? AND prefix IN ({marks})", (kind, *chunk)).fetchall())
        return found

    def size(self) -> int:
        return sum(os.path.getsize(p) for p in (self.location, self.location + "-wal") if os.path.exists(p))

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    @contextlib.contextmanager
    def writing(self) -> Iterator[IndexWriter]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise DedupError(
                f"{self.location}: the index is being written by another process ({exc}). Wait for it to finish"
            ) from exc
        try:
            yield _SQLiteWriter(self._db)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # a full disk
            self._db.execute("ROLLBACK")
            raise DedupError(f"{self.location}: could not write the index ({exc}); it is unchanged") from exc
        # Fold the log into the file now: the index's size on disk is then the file's.
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._db.close()


class _SQLiteWriter(IndexWriter):
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def put_meta(self, entries: Mapping[str, str]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", entries.items())

    def put_records(self, records: Iterable[tuple[int, str, bytes]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO docs (number, id, record) VALUES (?, ?, ?)", records)

    def delete_records(self, numbers: Iterable[int]) -> None:
        self._db.executemany("DELETE FROM docs WHERE number = ?", ((n,) for n in numbers))

    def put_blocks(self, kind: int, blocks: Mapping[int, bytes]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO blocks (kind, prefix, data) VALUES (?, ?, ?)",
                             ((kind, p, d) for p, d in blocks.items() if d))
        self._db.executemany("DELETE FROM blocks WHERE kind = ? AND prefix = ?",
                             ((kind, p) for p, d in blocks.items() if not d))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
    kind INTEGER NOT NULL, prefix INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (kind, prefix)
) WITHOUT ROWID;
"""


def _chunks(values: list, size: int = 900) -> Iterator[list]:  # type: ignore[type-arg]
    """``values`` in runs short enough for one SQL statement's parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def shown(location: str) -> str:
    """``location`` as messages and reports show it: a URL's password replaced by ``***``.

    >>> shown("redis://reader:secret@db.example:6379/0"), shown("archive.db")
    ('redis://reader:***@db.example:6379/0', 'archive.db')
    """
    if "://" not in location:
        return location  # a file path
    parts = urlsplit(location)
    if parts.password is None:
        return location
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{parts.netloc.rpartition('@')[2]}").geturl()


def open_store(location: str, *, create: bool = False) -> IndexStore:
    """The store at ``location``: a SQLite file, or a Redis database for ``redis://host:port/db``."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        from dedup.index.redis_store import RedisStore  # the optional extra, imported only when asked for

        return RedisStore(location, create=create)
    if create:
        folder = os.path.dirname(os.path.abspath(location))
        if not os.path.isdir(folder):
            raise DedupError(f"{location}: folder {folder} does not exist. Create it first")
    return SQLiteStore(location, create=create)
