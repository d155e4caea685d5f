"""The archive index in Redis against the same index in a SQLite file (issue 15), in one run.

    python -m benchmarks.index_redis_bench [--docs 2000] [--new 0.1] [--seed 1] [--repeats 3] [--url redis://...]

On the speed benchmark's generated corpus (``benchmarks.speed.corpus_file``): ``dedup index add`` of the
first 90% and ``dedup scan NEW --against INDEX`` of the rest, each as a child process of its own
(``benchmarks.speed.measure``), once into a SQLite file and once into Redis, alternating, ``--repeats``
times; it reports the median wall and CPU times, Redis's as a ratio of SQLite's, whether the two scans' pairs
are identical, and both sizes. Without ``--url`` it starts a ``redis-server`` of its own on a free loopback
port (no persistence) and stops it at the end; with ``--url`` the database given is flushed first.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.index_bench import split_corpus
from benchmarks.speed import corpus_file, measure

DEDUP = [sys.executable, "-m", "dedup"]


@contextmanager
def redis_server(work: Path) -> Iterator[str]:
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server), or give --url")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(work)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis(port=port)
        for _ in range(300):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _pairs(report: Path) -> list[str]:
    return sorted(json.dumps(p, sort_keys=True) for p in json.loads(report.read_text(encoding="utf-8"))["pairs"])


def run(n_docs: int, new_share: float, seed: int, repeats: int, url: str, work: Path) -> dict[str, object]:
    import redis

    corpus, _, _ = corpus_file(n_docs, seed)
    lines, cut, archive, new = split_corpus(corpus, new_share, work)
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    pairs: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for k in range(repeats):
        for backend in (("sqlite", "redis") if k % 2 == 0 else ("redis", "sqlite")):
            if backend == "redis":
                redis.Redis.from_url(url).flushdb()
                location = url
            else:
                location = str(work / "archive.db")
                Path(location).unlink(missing_ok=True)
            report = work / f"{backend}.json"
            for step, command in (
                ("add", [*DEDUP, "index", "add", str(archive), "--index", location, "--quiet"]),
                ("scan", [*DEDUP, "scan", str(new), "--against", location, "--quiet", "--json", str(report)]),
            ):
                usage = measure(command, 3600)
                if usage.exit_code != 0:
                    raise SystemExit(f"{backend} {step} failed: {usage.stderr_tail}")
                times.setdefault((backend, step), []).append((usage.seconds, usage.cpu_seconds))
            pairs[backend] = _pairs(report)
            info = subprocess.run([*DEDUP, "index", "info", location, "--json"], capture_output=True, text=True,
                                  check=True)
            sizes[backend] = json.loads(info.stdout)["bytes"]
    medians = {f"{b}_{s}": {"wall_s": round(statistics.median(w for w, _ in v), 3),
                            "cpu_s": round(statistics.median(c for _, c in v), 3)} for (b, s), v in times.items()}
    return {
        "documents": len(lines), "archive": cut, "new": len(lines) - cut, "repeats": repeats,
        **medians,
        "redis_over_sqlite": {step: {t: round(medians[f"redis_{step}"][t] / medians[f"sqlite_{step}"][t], 3)
                                     for t in ("wall_s", "cpu_s")} for step in ("add", "scan")},
        "identical_pairs": pairs["redis"] == pairs["sqlite"], "pairs": len(pairs["sqlite"]),
        "bytes": sizes,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--new", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--url", help="A Redis database to use (flushed!) instead of a server of its own.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.url:
            found = run(args.docs, args.new, args.seed, args.repeats, args.url, work)
        else:
            with redis_server(work) as url:
                found = run(args.docs, args.new, args.seed, args.repeats, url, work)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
