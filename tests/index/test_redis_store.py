"""The archive index in Redis (``dedup.index.redis_store``), against a real ``redis-server`` this file starts on
a free loopback port: the same answers as the SQLite file, one atomic transaction per add, one writer."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dedup
from dedup import Document, Index
from dedup.cli import main
from dedup.errors import DedupError
from dedup.index import redis_store
from tests.archive.test_index import corpus, pairs_json

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """A redis-server of this session's own: its loopback port and its socket file."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    pytest.importorskip("redis", reason="the redis package is not installed: pip install 'dedup[redis]'")
    import redis

    folder = tmp_path_factory.mktemp("redis")
    for _ in range(3):  # a port found free may be taken before the server binds it: try another
        port = free_port()
        log = open(folder / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                   str(folder), "--databases", "16", "--unixsocket", str(folder / f"redis-{port}.sock"),
                   "--unixsocketperm", "700"]
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            proc.kill()
            proc.wait()
            log.close()
            continue
        try:
            yield port, folder / f"redis-{port}.sock"
        finally:
            proc.terminate()
            proc.wait(10)
            log.close()
        return
    pytest.fail("redis-server did not start: " + (folder / f"server-{port}.log").read_text(errors="replace")[-500:])


@pytest.fixture
def redis_port(redis_server: tuple[int, Path]) -> int:
    return redis_server[0]


@pytest.fixture
def client(redis_port: int) -> Any:
    import redis

    client = redis.Redis(port=redis_port)
    client.flushall()
    return client


@pytest.fixture
def url(redis_port: int, client: Any) -> str:
    return f"redis://127.0.0.1:{redis_port}/0"


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message, message
    return message


# --- the store itself ---------------------------------------------------------------------------------------


def test_the_store_round_trips_and_replaces_as_sqlite_does(url: str, client: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = redis_store.RedisStore(url, create=True)
    assert not store.exists() and store.meta() == {}
    with store.writing() as writer:
        writer.put_meta({"format": "f", "note": "é"})
        writer.put_records([(0, "a", b"\x00A\xff"), (1, "b", b"B"), (2, "c", b"C")])
        writer.put_blocks(3, {7: b"seven", 9: b"nine"})
        assert store.meta() == {}  # nothing is applied before the block ends
    assert store.exists() and store.meta() == {"format": "f", "note": "é"}
    assert store.numbers_of(["a", "c", "z"]) == {"a": 0, "c": 2}
    assert store.records([2, 0, 5]) == {0: b"\x00A\xff", 2: b"C"}
    assert store.all_numbers() == [0, 1, 2]
    assert store.blocks(3, [7, 8, 9]) == {7: b"seven", 9: b"nine"}
    assert store.blocks(3, range(30_000)) == {7: b"seven", 9: b"nine"}  # the whole kind, read at once
    assert store.blocks(4, [7]) == {}
    with store.writing() as writer:
        writer.delete_records([0])
        writer.put_records([(1, "b2", b"B2"), (5, "c", b"C moved")])  # a new id for 1; the id c moves to 5
        writer.put_blocks(3, {7: b"", 8: b"eight"})  # an empty block is deleted
    assert store.numbers_of(["a", "b", "b2", "c"]) == {"b2": 1, "c": 5}
    assert store.records(range(6)) == {1: b"B2", 5: b"C moved"}
    assert store.all_numbers() == [1, 5]
    assert store.blocks(3, range(10)) == {8: b"eight", 9: b"nine"}
    assert client.hgetall("dedup:names") == {b"1": b"b2", b"5": b"c"}
    assert all(k.startswith(b"dedup:") for k in client.keys("*"))
    assert store.size() > 0
    # Tens of MB in one transaction go in runs queued inside the one MULTI.
    monkeypatch.setattr(redis_store, "RUN_BYTES", 1 << 20)
    big = [(10 + k, f"big{k}", os.urandom(20_000)) for k in range(600)]
    with store.writing() as writer:
        writer.put_records(big)
    assert store.records(n for n, _, _ in big) == {n: r for n, _, r in big}
    assert int(client.get("dedup:version")) == 3
    store.close()


def test_an_index_over_a_unix_socket(redis_server: tuple[int, Path], client: Any) -> None:
    with Index(f"unix://{redis_server[1]}?db=1") as index:
        index.add(corpus(2, n=6))
        assert len(index) == 6
    assert client.connection_pool.connection_kwargs["db"] == 0 and client.keys("*") == []  # db 1, not 0


def test_a_read_block_never_mixes_two_states(url: str) -> None:
    reader, writer_store = redis_store.RedisStore(url, create=True), redis_store.RedisStore(url, create=True)
    with writer_store.writing() as w:
        w.put_records([(0, "a", b"A")])
    with reader.reading():
        assert reader.records([0]) == {0: b"A"}
        with writer_store.writing() as w:
            w.put_records([(0, "a", b"A2")])
        with pytest.raises(DedupError, match="the index changed while it was read") as exc:
            reader.records([0])
        one_line(exc)
    assert reader.records([0]) == {0: b"A2"}  # a new block reads the new state


def test_a_failed_transaction_applies_nothing_and_frees_the_lock(url: str, client: Any) -> None:
    store = redis_store.RedisStore(url, create=True)
    with pytest.raises(RuntimeError), store.writing() as writer:
        writer.put_records([(0, "a", b"A")])
        raise RuntimeError("stop")
    assert store.all_numbers() == [] and client.get("dedup:lock") is None


def test_a_writer_whose_lock_lapsed_is_refused_rather_than_interleaved(url: str, client: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = redis_store.RedisStore(url, create=True)
    with store.writing() as writer:
        writer.put_records([(0, "a", b"A")])
    # The lock taken by another writer while this one queues its runs (it stalled past LOCK_TTL, say).
    monkeypatch.setattr(redis_store, "RUN_BYTES", 1 << 16)
    runs = redis_store.RedisStore._runs

    def stolen_midway(self: Any, ops: Any) -> Iterator[Any]:
        for k, run in enumerate(runs(self, ops)):
            if k == 1:
                client.set("dedup:lock", "someone else", px=60_000)
            yield run

    monkeypatch.setattr(redis_store.RedisStore, "_runs", stolen_midway)
    with pytest.raises(DedupError, match="the write lock lapsed") as exc, store.writing() as writer:
        writer.put_records([(1 + k, f"n{k}", os.urandom(10_000)) for k in range(300)])
    one_line(exc)
    assert store.all_numbers() == [0]
    assert client.get("dedup:lock") == b"someone else"  # not released: it is not this writer's
    # A lock that lapsed while the writer buffered (nobody renewed it): refused before anything is sent.
    client.delete("dedup:lock")
    monkeypatch.setattr(redis_store, "LOCK_TTL", 0.2)
    monkeypatch.setattr(redis_store._Lock, "keep", lambda self: None)
    with pytest.raises(DedupError, match="the write lock lapsed"), store.writing() as writer:
        writer.put_records([(9, "late", b"L")])
        time.sleep(0.4)
    assert store.all_numbers() == [0]


def test_a_second_writer_waits_then_gets_a_clear_error(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.index.store as store

    monkeypatch.setattr(store, "WRITER_WAIT", 0.5)
    with Index(url) as first, Index(url) as second:
        first.add(corpus(1, n=5))
        with first.store.writing():  # the first writer holds the lock
            started = time.monotonic()
            with pytest.raises(DedupError, match="being written by another process") as exc:
                second.add([Document("late", "A late story about the river and the bridge.")])
            assert time.monotonic() - started >= 0.5
            assert f"{os.getpid()}" in one_line(exc)  # names the holder
            assert len(second.scan([Document("reader", "Readers go on meanwhile.")]).documents) == 1
        assert second.add([Document("late", "A late story about the river and the bridge.")]) == 1
        assert second.info()["documents"] == 6


# --- the index on Redis: the same answers as on SQLite ------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_the_same_corpus_gives_the_same_scan_on_redis_and_on_sqlite(tmp_path: Path, url: str, seed: int) -> None:
    docs = corpus(seed, n=70)
    archive, new = docs[:45], docs[45:]
    reports, infos = [], []
    for location in (str(tmp_path / "a.db"), url):
        with Index(location) as index:
            index.add(archive[:20])
            index.add(archive[20:])  # the second add restates boilerplate the first could not see
            reports.append(index.scan(new))
            infos.append(index.info())
            index.remove([d.id for d in archive[::4]])
            reports.append(index.scan(new))
            index.scan(new[:10], add=True)
            reports.append(index.scan(new[10:]))
    sqlite_scan, sqlite_after_remove, sqlite_after_scan_add, redis_scan, redis_after_remove, redis_after_scan_add = \
        reports
    assert pairs_json(sqlite_scan), "the corpus should hold pairs touching new documents"
    assert pairs_json(redis_scan) == pairs_json(sqlite_scan)
    assert pairs_json(redis_after_remove) == pairs_json(sqlite_after_remove)
    assert pairs_json(redis_after_scan_add) == pairs_json(sqlite_after_scan_add)
    assert pairs_json(redis_scan) == pairs_json(dedup.scan(docs, workers=1), {d.id for d in new})
    assert redis_scan.to_dict()["documents"] == sqlite_scan.to_dict()["documents"]
    assert [c.members for c in redis_scan.clusters] == [c.members for c in sqlite_scan.clusters]
    assert {k: v for k, v in infos[1].items() if k not in ("index", "bytes")} == \
        {k: v for k, v in infos[0].items() if k not in ("index", "bytes")}
    assert infos[1]["bytes"] > 0


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from dedup import Index
from dedup.index import redis_store
from tests.archive.test_index import corpus

url, marker, when = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
redis_store.LOCK_TTL = 1.0  # a killed writer's lock lapses soon
redis_store.RUN_BYTES = 1 << 14  # many runs: the kill lands between two of them, inside the MULTI


def stall():
    marker.write_text("stalled")
    time.sleep(600)


if when == "queuing":
    runs = redis_store.RedisStore._runs

    def runs_then_stall(self, ops):
        for k, run in enumerate(runs(self, ops)):
            yield run
            if k == 3:
                stall()

    redis_store.RedisStore._runs = runs_then_stall
else:
    put = redis_store._RedisWriter.put_records

    def put_then_stall(self, records):
        put(self, records)
        stall()

    redis_store._RedisWriter.put_records = put_then_stall
with Index(url) as index:
    index.add(corpus(11, n=80)[30:])
"""


@pytest.mark.parametrize("when", ["buffering", "queuing"])
def test_a_writer_killed_mid_add_leaves_the_index_as_it_was(tmp_path: Path, url: str, client: Any, when: str) -> None:
    docs = corpus(11, n=80)
    new = [Document(f"n{k}", d.text) for k, d in enumerate(docs[30:50])]
    with Index(url) as index:
        index.add(docs[:30])
        before, version = pairs_json(index.scan(new)), client.get("dedup:version")
    marker = tmp_path / "stalled"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, url, str(marker), when], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get(
                                "PYTHONPATH", "")])}, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()[1].decode(errors="replace")[-2000:]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Index(url, create=False) as index:
        assert client.get("dedup:version") == version
        assert index.info()["documents"] == 30
        assert pairs_json(index.scan(new)) == before
        # Its lock lapses (LOCK_TTL 1 s there) and the next writer goes on.
        assert index.add(docs[30:]) == 50
        assert index.info()["documents"] == 80


# --- what is not an index, or not reachable -------------------------------------------------------------


def test_bad_urls_and_unreachable_servers_get_one_line_errors(redis_port: int, client: Any) -> None:
    for url, expected in [
        ("redis://127.0.0.1:notaport/0", "not a Redis URL"),
        (f"redis://127.0.0.1:{redis_port}/zero", "database 'zero' is not a number"),
        ("redis:///0", "no host"),
        ("unix://", "no socket path"),
        (f"redis://127.0.0.1:{free_port()}/0", "cannot reach the Redis server"),
        (f"redis://127.0.0.1:{redis_port}/99", "fewer databases"),
        (f"redis://127.0.0.1:{redis_port}/0?colour=blue", "not a Redis URL"),
        (f"redis://127.0.0.1:{redis_port}/0?socket_timeout=soon", "not a Redis URL"),
    ]:
        with pytest.raises(DedupError) as exc:
            Index(url)
        message = one_line(exc)
        assert expected in message and message.startswith(url.split("//")[0]), message
    with pytest.raises(DedupError) as exc:
        Index(f"redis://user:secret@127.0.0.1:{free_port()}/0")
    assert "secret" not in one_line(exc) and "***" in str(exc.value)


def test_a_database_holding_other_data_is_refused_and_left_alone(redis_port: int, client: Any) -> None:
    import redis

    other = redis.Redis(port=redis_port, db=2)
    other.set("user:1", "ada")
    with pytest.raises(DedupError, match="holds keys that are not a dedup index") as exc:
        Index(f"redis://127.0.0.1:{redis_port}/2")
    assert "user:1" in one_line(exc)
    assert other.keys() == [b"user:1"]
    other.set("dedup:meta", "a string")
    with pytest.raises(DedupError, match="not a dedup index"):
        Index(f"redis://127.0.0.1:{redis_port}/2")
    with pytest.raises(DedupError, match="no index here. Create one with: dedup index add"):
        Index(f"redis://127.0.0.1:{redis_port}/3", create=False)
    # An index may share its database with other keys once it is there (as a SQLite file other tables).
    with Index(f"redis://127.0.0.1:{redis_port}/4") as index:
        index.add(corpus(1, n=4))
    redis.Redis(port=redis_port, db=4).set("user:2", "bob")
    with Index(f"redis://127.0.0.1:{redis_port}/4", create=False) as index:
        assert len(index) == 4


def test_without_the_redis_package_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redis_store, "redis", None)
    with pytest.raises(DedupError, match=r"the Redis index needs the redis extra: pip install 'dedup\[redis\]'"):
        Index("redis://127.0.0.1:6379/0")


# --- the command line -----------------------------------------------------------------------------------------


def test_the_command_line_adds_to_and_scans_against_a_redis_index(tmp_path: Path, url: str) -> None:
    import json

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, list(args))

    docs = corpus(3, n=40)
    archive, new = tmp_path / "archive.jsonl", tmp_path / "new.jsonl"
    archive.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in docs[:30]), encoding="utf-8")
    new.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in docs[30:]), encoding="utf-8")
    result = run("index", "add", str(archive), "--index", url)
    assert result.exit_code == 0, result.output
    assert f"30 documents added; 30 in {url}" in result.output
    info = json.loads(run("index", "info", url, "--json").output)
    assert info["documents"] == 30 and info["index"] == url and info["bytes"] > 0
    assert "documents 30" in run("index", "info", url).output
    report = tmp_path / "r.json"
    result = run("scan", str(new), "--against", url, "--json", str(report), "--quiet")
    assert result.exit_code == 0, result.output
    found = json.loads(report.read_text(encoding="utf-8"))
    expected = pairs_json(dedup.scan(docs, workers=1), {d.id for d in docs[30:]})
    assert expected and sorted(json.dumps(p, sort_keys=True) for p in found["pairs"]) == expected
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    result = run("index", "info", unreachable)
    assert result.exit_code == 1 and "cannot reach the Redis server" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    result = run("scan", str(new), "--against", url.replace("/0", "/5"))
    assert result.exit_code == 1 and "no index here" in result.output

