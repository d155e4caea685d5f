"""An archive index in a Redis database (``redis://host:port/db``, ``rediss://`` for TLS, ``unix:///path?db=N``):
one index shared by several machines, the same records and posting blocks as the SQLite file
(``dedup.index.store``).

Every key is under one prefix (``dedup:``): ``meta`` (a hash of names to text), ``docs`` (a hash of document
numbers to packed records), ``ids`` (id to number) and ``names`` (number to id, to delete a record by number),
``blocks:KIND`` (a hash per kind of key, block prefix to block), ``version`` (a counter every commit raises)
and ``lock``. A database holding other keys and no index is refused, never written to.

What is guaranteed:

- **A transaction is applied whole or not at all.** ``writing()`` buffers every change in this process and
  sends them at the end in one ``MULTI``/``EXEC`` (in runs of a few MB, queued on the server, so that tens
  of MB go through). Redis runs an ``EXEC`` without interleaving any other client's command; a writer killed
  before its ``EXEC`` leaves its queued commands discarded with its connection, the index as it was. The
  changes are plain hash writes and two small scripts that cannot fail on an index's own keys, so an
  ``EXEC`` that runs applies all of them (Redis has no rollback: a command failing inside ``EXEC`` would
  leave the others applied). Reads inside ``writing()`` see the index as the transaction found it, not its
  own changes yet (``dedup.archive`` reads what it rewrites before writing it). A connection lost after the
  ``EXEC`` was sent is reported as such: the changes were then applied whole or not at all.
- **One writer at a time.** A writer takes ``dedup:lock`` (``SET NX PX`` with a token of its own), renews it
  every few seconds while it works (``LOCK_TTL``: a killed writer's lock lapses after that) and releases it
  with a check-and-delete script. A second writer waits up to ``store.WRITER_WAIT`` seconds, then gets a
  clear error. Its ``EXEC`` runs under ``WATCH`` of the lock and the version, after checking it still holds
  the lock and nobody committed since it took it: a writer whose lock lapsed (stalled longer than
  ``LOCK_TTL``) has its ``EXEC`` refused rather than interleaved with another writer's, and is told so.
- **Readers see one state.** Each read is one ``MULTI``/``EXEC`` that also reads the version; inside
  ``reading()`` (and ``writing()``) every read must see the version the block started on. A writer's commit
  landing between two reads of one block makes the second read fail with a clear error (run again) rather
  than answer from two states: readers never wait for writers, and never mix their states.
- **Durable as the server is.** What a commit wrote survives a restart of Redis only with its persistence
  on (``appendonly yes``; RDB snapshots alone lose the commits since the last one).
- ``size()`` is the server's own ``MEMORY USAGE`` of the index's keys (every field counted, not sampled),
  the bytes Redis holds for it in memory.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dedup.errors import DedupError
from dedup.index import store
from dedup.index.store import IndexStore, IndexWriter, shown

try:
    import redis
except ImportError:  # the optional extra: the error is given when a Redis index is opened
    redis = None  # type: ignore[assignment]

__all__ = ["LOCK_TTL", "PREFIX", "RedisStore"]

PREFIX = "dedup:"

# How long a writer's lock lasts without being renewed, in seconds; the writer renews it every third of that.
LOCK_TTL = 15.0

# What one queued command and one run of commands sent at once carry, at most (fields, bytes).
COMMAND_FIELDS = 1000
COMMAND_BYTES = 1 << 20
RUN_BYTES = 8 << 20
# Fields asked for in one read.
READ_FIELDS = 1000
# More prefixes asked for than this: the whole hash is read once (as SQLiteStore reads the whole kind).
WHOLE_KIND = 20_000

# Store (number, id, record) triples with SQLite's INSERT OR REPLACE semantics: a number's old id is
# forgotten, and a record holding the id under another number is dropped.
_PUT_RECORDS = """
for i = 1, #ARGV, 3 do
    local number, id = ARGV[i], ARGV[i + 1]
    local old = redis.call('HGET', KEYS[2], number)
    if old and old ~= id then redis.call('HDEL', KEYS[3], old) end
    local other = redis.call('HGET', KEYS[3], id)
    if other and other ~= number then
        redis.call('HDEL', KEYS[1], other)
        redis.call('HDEL', KEYS[2], other)
    end
    redis.call('HSET', KEYS[1], number, ARGV[i + 2])
    redis.call('HSET', KEYS[2], number, id)
    redis.call('HSET', KEYS[3], id, number)
end
return #ARGV / 3
"""

_DELETE_RECORDS = """
for i = 1, #ARGV do
    local id = redis.call('HGET', KEYS[2], ARGV[i])
    if id then redis.call('HDEL', KEYS[3], id) end
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
end
return #ARGV
"""

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def check_url(location: str) -> None:
    """Refuse a malformed Redis URL with a one-line error naming it and the form expected."""
    form = "Give redis://HOST:PORT/DB (DB a number, 0 by default), rediss://... or unix:///PATH?db=DB"
    url = shown(location)
    try:
        parts = urlsplit(location)
        port = parts.port
    except ValueError as exc:
        raise DedupError(f"{url}: not a Redis URL ({exc}). {form}") from exc
    query = parse_qs(parts.query)
    dbs = query.get("db", [])
    if parts.scheme == "unix":
        if not parts.path or parts.path == "/":
            raise DedupError(f"{url}: no socket path. {form}")
    else:
        if not parts.hostname:
            raise DedupError(f"{url}: no host. {form}")
        if port is not None and port == 0:
            raise DedupError(f"{url}: port 0. {form}")
        if parts.path not in ("", "/"):
            dbs = [parts.path[1:]] + dbs
    for db in dbs:
        if not db.isdigit():
            raise DedupError(f"{url}: database {db!r} is not a number. {form}")


class RedisStore(IndexStore):
    """An index in a Redis database (see the module docstring)."""

    def __init__(self, location: str, *, create: bool = False, prefix: str = PREFIX) -> None:
        self.location = location
        self._shown = shown(location)
        if redis is None:
            raise DedupError("the Redis index needs the redis extra: pip install 'dedup[redis]'")
        check_url(location)
        self._prefix = prefix
        self._keys = {name: prefix + name for name in ("meta", "docs", "ids", "names", "version", "lock")}
        self._expect: int | None = None  # the version the current reading()/writing() block started on
        self._writer: _RedisWriter | None = None
        self._meta_cache: tuple[int, dict[str, str]] | None = None
        try:
            self._client = redis.Redis.from_url(location, socket_connect_timeout=10)
        except (ValueError, TypeError) as exc:
            raise DedupError(f"{self._shown}: not a Redis URL ({exc}). Give redis://HOST:PORT/DB") from exc
        with self._errors("reach"):
            try:
                self._client.ping()
            except TypeError as exc:  # an option in the URL's query that redis-py does not know
                raise DedupError(f"{self._shown}: not a Redis URL ({exc}). Give redis://HOST:PORT/DB with only"
                                 " options redis-py knows (?db=, ?socket_timeout=, ...)") from exc
            kind = self._client.type(self._keys["meta"])
            if kind not in (b"hash", b"none"):
                raise DedupError(f"{self._shown}: the Redis database holds a key {self._keys['meta']!r} that is not"
                                 " a dedup index. Give an empty database (another number: redis://HOST:PORT/N)")
            if kind == b"none":
                if not create:
                    raise DedupError(f"{self._shown}: no index here. Create one with: dedup index add INPUT..."
                                     f" --index {self._shown}")
                foreign = self._foreign_key()
                if foreign is not None:
                    # Someone else's data: never add keys beside it.
                    raise DedupError(
                        f"{self._shown}: the Redis database holds keys that are not a dedup index (such as"
                        f" {foreign!r}). Give an empty database (another number: redis://HOST:PORT/N)")
            for name in ("docs", "ids", "names"):
                if self._client.type(self._keys[name]) not in (b"hash", b"none"):
                    raise DedupError(f"{self._shown}: the key {self._keys[name]!r} is not a dedup index's."
                                     " Give an empty database (another number: redis://HOST:PORT/N)")

    def _foreign_key(self) -> str | None:
        """A key of the database outside the prefix, if any (the first ``SCAN`` finds)."""
        cursor = 0
        while True:
            cursor, keys = self._client.scan(cursor, count=500)
            for key in keys:
                name = key.decode("utf-8", "replace") if isinstance(key, bytes) else str(key)
                if not name.startswith(self._prefix):
                    return name
            if cursor == 0:
                return None

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Redis's errors as one-line DedupErrors naming the URL."""
        try:
            yield
        except redis.AuthenticationError as exc:
            raise DedupError(f"{self._shown}: the Redis server refused the login ({exc}). Give the right user and"
                             " password in the URL: redis://USER:PASSWORD@HOST:PORT/DB") from exc
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if doing == "reach":
                raise DedupError(f"{self._shown}: cannot reach the Redis server ({exc}). Start it, or check the host"
                                 " and port in the URL") from exc
            raise DedupError(f"{self._shown}: lost the Redis server while {doing} ({exc}). Check the server and run"
                             " again" + ("; the index is unchanged" if doing == "writing" else "")) from exc
        except redis.ResponseError as exc:
            hint = " (the server has fewer databases: give another number)" if "DB index" in str(exc) else ""
            raise DedupError(f"{self._shown}: the Redis server refused a command ({exc}){hint}. Check the URL"
                             " and the server") from exc

    # --- reading --------------------------------------------------------------------------------------------

    def _version(self) -> int:
        return int(self._client.get(self._keys["version"]) or 0)

    def _read(self, commands: Callable[[Any], None]) -> list[Any]:
        """The replies of ``commands`` (queued on a pipeline), read in one MULTI/EXEC with the version, which
        must be the one the current block started on."""
        with self._errors("reading"):
            pipe = self._client.pipeline(transaction=True)
            pipe.get(self._keys["version"])
            commands(pipe)
            version, *replies = pipe.execute()
        if self._expect is not None and int(version or 0) != self._expect:
            if self._writer is not None:
                raise DedupError(f"{self._shown}: another writer committed while this one held the lock (its lock"
                                 f" lapsed: stalled for more than {LOCK_TTL:g} s); the index is unchanged by this"
                                 " one. Add again")
            raise DedupError(f"{self._shown}: the index changed while it was read (another process added to it or"
                             " removed from it). Run again")
        return replies

    def _hmget(self, key: str, fields: list[Any], per_read: int = READ_FIELDS) -> list[Any]:
        values: list[Any] = []
        with self.reading():
            for start in range(0, len(fields), per_read):
                chunk = fields[start : start + per_read]

                def ask(pipe: Any, chunk: list[Any] = chunk) -> None:
                    pipe.hmget(key, chunk)

                (found,) = self._read(ask)
                values.extend(found)
        return values

    def exists(self) -> bool:
        return "format" in self.meta()

    def meta(self) -> dict[str, str]:
        # Within one block the version is fixed, and so is the meta (its zdict alone is 40 KB): read once a block.
        if self._expect is not None and self._meta_cache is not None and self._meta_cache[0] == self._expect:
            return dict(self._meta_cache[1])
        (found,) = self._read(lambda pipe: pipe.hgetall(self._keys["meta"]))
        meta = {k.decode("utf-8"): v.decode("utf-8") for k, v in found.items()}
        if self._expect is not None:
            self._meta_cache = (self._expect, meta)
        return dict(meta)

    def numbers_of(self, ids: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(ids))
        found = self._hmget(self._keys["ids"], wanted)
        return {i: int(n) for i, n in zip(wanted, found, strict=True) if n is not None}

    def records(self, numbers: Iterable[int]) -> dict[int, bytes]:
        wanted = sorted(set(numbers))
        found = self._hmget(self._keys["docs"], wanted, per_read=200)  # records of a few KB each
        return {n: r for n, r in zip(wanted, found, strict=True) if r is not None}

    def all_numbers(self) -> list[int]:
        (found,) = self._read(lambda pipe: pipe.hkeys(self._keys["docs"]))
        return sorted(int(n) for n in found)

    def blocks(self, kind: int, prefixes: Iterable[int]) -> dict[int, bytes]:
        key = f"{self._prefix}blocks:{kind}"
        wanted = sorted(set(prefixes))
        if len(wanted) > WHOLE_KIND:  # most of the blocks: one read of the kind beats many look-ups
            (every,) = self._read(lambda pipe: pipe.hgetall(key))
            keep = set(wanted)
            return {p: d for p, d in ((int(p), d) for p, d in every.items()) if p in keep}
        found = self._hmget(key, wanted, per_read=200)  # blocks of up to tens of KB
        return {p: d for p, d in zip(wanted, found, strict=True) if d is not None}

    def _our_keys(self) -> list[bytes]:
        return sorted(self._client.scan_iter(match=self._glob() + "*", count=1000))

    def _glob(self) -> str:
        return "".join("\\" + c if c in "*?[]\\" else c for c in self._prefix)

    def size(self) -> int:
        with self._errors("reading"):
            total = 0
            for key in self._our_keys():
                try:
                    total += int(self._client.memory_usage(key, samples=0) or 0)
                except redis.ResponseError:  # MEMORY disabled (some hosted servers): the bytes stored, roughly
                    total += sum(len(k) + len(v) for k, v in self._client.hscan_iter(key, count=1000)) \
                        if self._client.type(key) == b"hash" else int(self._client.strlen(key))
            return total

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if self._expect is not None:  # inside a block already
            yield
            return
        with self._errors("reading"):
            self._expect = self._version()
        try:
            yield
        finally:
            self._expect, self._meta_cache = None, None

    # --- writing --------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[IndexWriter]:
        if self._writer is not None or self._expect is not None:
            raise DedupError(f"{self._shown}: a transaction cannot start inside another one or inside a read")
        lock = _Lock(self._client, self._keys["lock"], self._shown)
        with self._errors("writing"):
            lock.take()
        try:
            with self._errors("writing"):
                self._expect = self._version()
            writer = self._writer = _RedisWriter()
            lock.keep()
            yield writer
            lock.stop()
            self._commit(writer, lock)
        finally:
            lock.stop()
            self._writer, self._expect, self._meta_cache = None, None, None
            with contextlib.suppress(redis.RedisError):
                lock.release()

    def _commit(self, writer: _RedisWriter, lock: _Lock) -> None:
        """The buffered changes in one MULTI/EXEC, queued in runs, under WATCH of the lock and the version."""
        if not writer.ops:
            return
        lapsed = (f"{self._shown}: the write lock lapsed before the changes were applied (the writer stalled for"
                  f" more than {LOCK_TTL:g} s, or another took the lock); the index is unchanged. Add again")
        with self._errors("writing"):
            if not lock.renew():
                raise DedupError(lapsed)
            conn = self._client.connection_pool.get_connection()
            clean = False
            try:
                conn.send_command("WATCH", self._keys["lock"], self._keys["version"])
                conn.read_response()
                conn.send_packed_command(conn.pack_commands([("GET", self._keys["lock"]),
                                                             ("GET", self._keys["version"])]))
                holder, version = conn.read_response(), conn.read_response()
                if holder != lock.token.encode() or int(version or 0) != self._expect:
                    conn.send_command("UNWATCH")
                    conn.read_response()
                    clean = True
                    raise DedupError(lapsed)
                conn.send_command("MULTI")
                conn.read_response()
                for run in self._runs(writer.ops):  # made as they are sent: tens of MB once, not twice
                    conn.send_packed_command(conn.pack_commands(run))
                    for _ in run:
                        conn.read_response()  # QUEUED; a refused command raises, and the MULTI is dropped
                conn.send_command("INCR", self._keys["version"])
                conn.read_response()
                try:
                    conn.send_command("EXEC")
                    result = conn.read_response()
                except (redis.ConnectionError, redis.TimeoutError) as exc:
                    # The EXEC may have run: all of it then, or none of it.
                    raise DedupError(f"{self._shown}: lost the Redis server as it applied the changes ({exc});"
                                     " they were applied whole or not at all: see dedup index info"
                                     f" {self._shown}") from exc
                clean = True
            finally:
                if not clean:  # mid-MULTI: a closed connection drops what was queued
                    conn.disconnect()
                self._client.connection_pool.release(conn)
        if result is None:
            raise DedupError(lapsed)
        failed = [r for r in result if isinstance(r, Exception)]
        if failed:  # cannot happen on an index's own keys (see the module docstring)
            raise DedupError(f"{self._shown}: the Redis server refused part of the transaction ({failed[0]});"
                             " the index may be damaged. Rebuild it")

    def _runs(self, ops: list[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
        """The buffered changes as Redis commands, in order, in runs of at most ``RUN_BYTES``."""
        keys = self._keys
        run: list[tuple[Any, ...]] = []
        size = 0
        for command in self._commands(ops, keys):
            weight = sum(len(a) if isinstance(a, bytes | str) else 8 for a in command)
            if run and size + weight > RUN_BYTES:
                yield run
                run, size = [], 0
            run.append(command)
            size += weight
        if run:
            yield run

    def _commands(self, ops: list[tuple[Any, ...]], keys: dict[str, str]) -> Iterator[tuple[Any, ...]]:
        for op, *args in ops:
            if op == "meta":
                for fields in _cut([x for k, v in args[0] for x in (k, v)], 2):
                    yield ("HSET", keys["meta"], *fields)
            elif op == "records":
                flat = [x for number, doc_id, record in args[0] for x in (str(number), doc_id, record)]
                for fields in _cut(flat, 3):
                    yield ("EVAL", _PUT_RECORDS, 3, keys["docs"], keys["names"], keys["ids"], *fields)
            elif op == "delete":
                for fields in _cut([str(n) for n in args[0]], 1):
                    yield ("EVAL", _DELETE_RECORDS, 3, keys["docs"], keys["names"], keys["ids"], *fields)
            else:  # blocks
                kind, blocks = args
                key = f"{self._prefix}blocks:{kind}"
                put = [x for p, d in blocks for x in (str(p), d) if d]
                for fields in _cut(put, 2):
                    yield ("HSET", key, *fields)
                for fields in _cut([str(p) for p, d in blocks if not d], 1):
                    yield ("HDEL", key, *fields)

    def close(self) -> None:
        self._client.close()


def _cut(flat: list[Any], width: int) -> Iterator[list[Any]]:
    """``flat`` (groups of ``width`` values) in runs of at most ``COMMAND_FIELDS`` groups and about
    ``COMMAND_BYTES``, never splitting a group."""
    start, size = 0, 0
    for end in range(width, len(flat) + 1, width):
        size += sum(len(x) for x in flat[end - width : end])
        if (end - start) // width >= COMMAND_FIELDS or size >= COMMAND_BYTES:
            yield flat[start:end]
            start, size = end, 0
    if start < len(flat):
        yield flat[start:]


class _RedisWriter(IndexWriter):
    """The changes of one transaction, kept in order in this process until the commit."""

    def __init__(self) -> None:
        self.ops: list[tuple[Any, ...]] = []

    def put_meta(self, entries: Mapping[str, str]) -> None:
        self.ops.append(("meta", list(entries.items())))

    def put_records(self, records: Iterable[tuple[int, str, bytes]]) -> None:
        self.ops.append(("records", [(int(n), str(i), bytes(r)) for n, i, r in records]))

    def delete_records(self, numbers: Iterable[int]) -> None:
        self.ops.append(("delete", [int(n) for n in numbers]))

    def put_blocks(self, kind: int, blocks: Mapping[int, bytes]) -> None:
        self.ops.append(("blocks", int(kind), [(int(p), bytes(d)) for p, d in blocks.items()]))


class _Lock:
    """The one-writer lock: ``SET NX PX`` with a token, renewed from a thread while the writer works."""

    def __init__(self, client: Any, key: str, shown: str) -> None:
        self._client, self._key, self._shown = client, key, shown
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _ttl_ms(self) -> int:
        return max(1, int(LOCK_TTL * 1000))

    def take(self) -> None:
        deadline = time.monotonic() + store.WRITER_WAIT
        pause = 0.02
        while not self._client.set(self._key, self.token, nx=True, px=self._ttl_ms()):
            if time.monotonic() >= deadline:
                holder = (self._client.get(self._key) or b"").decode("utf-8", "replace").rpartition(":")[0]
                raise DedupError(f"{self._shown}: the index is being written by another process"
                                 f" ({holder or 'unknown'}; waited {store.WRITER_WAIT:g} s). Wait for it to finish")
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.5)

    def renew(self) -> bool:
        return bool(self._client.eval(_RENEW, 1, self._key, self.token, self._ttl_ms()))

    def keep(self) -> None:
        """Renew the lock every third of its life until ``stop``."""

        def run() -> None:
            while not self._stop.wait(LOCK_TTL / 3):
                try:
                    if not self.renew():
                        return  # lapsed: the commit finds out and says so
                except redis.RedisError:
                    return

        self._thread = threading.Thread(target=run, name="dedup-redis-lock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def release(self) -> None:
        self._client.eval(_RELEASE, 1, self._key, self.token)
