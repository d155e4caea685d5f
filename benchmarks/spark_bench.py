"""Spark benchmark: ``dedup scan`` on the local engine against the Spark engine on ``local[1]`` and ``local[2]``.

Run ``python -m benchmarks.spark_bench --docs 50000``. The corpus is the speed benchmark's (``benchmarks.speed``:
news-like documents of about 1 KB, 10% near copies, 0.5% exact copies; built once under ``benchmarks/.cache/``).
Each contender is ``dedup scan FILE --quiet --json OUT`` in a subprocess of its own, in rotating order over
``--rounds``:

- ``local``: the local engine on every core (``--engine local``, the default);
- ``local --workers 1``: the local engine on one worker: what a second core gives on this machine now, the
  yardstick for ``local[1]`` against ``local[2]`` (other jobs on a shared machine take cores too);
- ``spark local[1]`` and ``spark local[2]``: ``--engine spark --spark-master local[N]``, JVM start included.

It prints a Markdown table (median wall time; CPU seconds of the contender's whole process tree, of its
Python driver and of Spark's JVM; the driver's peak resident memory, its JVM's, the largest child's; the
machine's 1-minute load before and after each run; whether the report is byte-identical to the local
engine's) and the ratios the targets are stated in, of wall and of CPU time: ``local[2]`` within 3x of the
local engine, ``local[2]`` at least 1.6x faster than ``local[1]``; then whether every report was identical.
With several ``--docs`` sizes it also prints how the drivers' memory grows with the corpus. On a shared
machine the wall ratios move with the load; the CPU ratios much less.

"Driver" is the Python process that reads the input and holds the report (``RUSAGE_SELF``): for the local
engine, the parent of the worker pool. "Largest child" is the largest of the processes it waited for: the
local engine's workers. Spark's JVM is not waited for by the driver (py4j leaves it to exit on its own), so
for Spark it is "n/a"; the JVM's heap is capped by ``spark.driver.memory`` (1 GB by default).

>>> parse_args(["--docs", "2000", "--rounds", "1"]).docs
[2000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.devdata import CACHE_DIR
from benchmarks.speed import corpus_file

__all__ = ["CONTENDERS", "Contender", "Run", "main", "parse_args", "run_one"]

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Contender:
    name: str
    options: tuple[str, ...]


CONTENDERS = (
    Contender("local", ("--engine", "local")),
    Contender("local --workers 1", ("--engine", "local", "--workers", "1")),
    Contender("spark local[1]", ("--engine", "spark", "--spark-master", "local[1]")),
    Contender("spark local[2]", ("--engine", "spark", "--spark-master", "local[2]")),
    # Spark outputs only (folders of part files, no report): the driver keeps counts, not documents or pairs.
    Contender("spark local[2] outputs", ("--engine", "spark", "--spark-master", "local[2]", "--outputs")),
)


@dataclass(frozen=True)
class Run:
    seconds: float
    driver_mb: float
    child_mb: float
    exit_code: int
    report: Path
    jvm_mb: float = 0.0
    cpu: float = 0.0  # CPU seconds of the contender's process and everything it started
    driver_cpu: float = 0.0  # of the Python driver alone
    java_cpu: float = 0.0  # of Spark's JVM alone (not its Python workers)
    load: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average before and after the run


def run_one(options: list[str], corpus: str, report: str, stats: str) -> int:
    """In the contender's own process: the scan through the command line, then this process's peak memory
    and its largest child's, written to ``stats``."""
    from dedup.cli import main as dedup_main

    if "--outputs" in options:  # the four outputs as Spark folders beside the report's path, and no report
        options = [o for o in options if o != "--outputs"]
        out = Path(report).with_suffix("")
        out.mkdir()
        options += [a for name in ("pairs", "clusters", "keep", "removed") for a in (f"--{name}", f"{out / name}/")]
        command = ["scan", corpus, "--quiet", *options]
    else:
        command = ["scan", corpus, "--quiet", "--json", report, *options]
    tree = None  # the local engine's workers are waited for: RUSAGE_CHILDREN counts them
    session = None
    if "spark" in options:
        tree = ProcessTree()
        # The session the scan would start, started here so that it outlives the scan: its Python workers are
        # read (ProcessTree) before it stops and ends them.
        from dedup.engine.spark import _session

        session, _ = _session(options[options.index("--spark-master") + 1] if "--spark-master" in options else None)
    try:
        dedup_main(command, standalone_mode=False)
    except Exception as exc:  # noqa: BLE001 - reported as the contender's failure, in one line
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    jvm_kb, jvm_cpu, java_cpu = tree.finish() if tree is not None else (0, 0.0, 0.0)
    if session is not None:
        session.stop()
    Path(stats).write_text(json.dumps({
        "driver_kb": own.ru_maxrss, "child_kb": children.ru_maxrss, "jvm_kb": jvm_kb,
        "driver_cpu": own.ru_utime + own.ru_stime, "java_cpu": java_cpu,
        "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + jvm_cpu,
    }))
    return 0


class ProcessTree:
    """The processes this one started and did not wait for (Spark's JVM, its Python daemon and workers),
    read from /proc every ``interval`` seconds while the scan runs, so that a worker that exits meanwhile
    still counts: PySpark's daemon ignores SIGCHLD, so an exited worker's CPU time reaches no parent (and a
    worker exits whenever a job stops reading its partition early, as ``take`` does). Nothing without /proc.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self._own: dict[int, float] = {}  # pid -> its own CPU seconds when last seen
        self._java: set[int] = set()
        self._peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(interval,), daemon=True)
        self._thread.start()

    def _watch(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self._sample()

    def _sample(self) -> float:
        """Read the tree now; returns its processes' waited-for children's CPU seconds (cutime, cstime)."""
        children: dict[int, list[int]] = {}
        names: dict[int, str] = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            except OSError:
                continue
            pid = int(status.parent.name)
            children.setdefault(int(fields.get("PPid", "0")), []).append(pid)
            names[pid] = fields.get("Name", "").strip()
            if names[pid] == "java" and "VmHWM" in fields:
                self._peak_kb = max(self._peak_kb, int(fields["VmHWM"].split()[0]))
        tick = os.sysconf("SC_CLK_TCK")
        waited, todo = 0.0, list(children.get(os.getpid(), []))
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            try:  # utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat, after the ")" ending the name
                ticks = [int(t) for t in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:15]]
            except (OSError, IndexError, ValueError):
                continue
            self._own[pid] = (ticks[0] + ticks[1]) / tick
            waited += (ticks[2] + ticks[3]) / tick
            if names.get(pid) == "java":
                self._java.add(pid)
        return waited

    def finish(self) -> tuple[int, float, float]:
        """Stop watching: the Java processes' peak resident memory (VmHWM, KB), the CPU seconds of the whole
        tree (each process's own, and what its live members had waited for), and the Java processes' own."""
        self._stop.set()
        self._thread.join()
        if not Path("/proc/self/stat").exists():
            return 0, 0.0, 0.0
        waited = self._sample()
        return self._peak_kb, sum(self._own.values()) + waited, sum(self._own[p] for p in self._java)


def _measure(contender: Contender, corpus: Path, out: Path, timeout: float) -> Run:
    report, stats = out / f"{contender.name.replace(' ', '_')}.json", out / "stats.json"
    stats.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.spark_bench", "--one", json.dumps(list(contender.options)),
               str(corpus), str(report), str(stats)]
    before = _load()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - start
    load = (before, _load())
    if done.returncode != 0 or not stats.exists():
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"  {contender.name} failed ({done.returncode}): {tail}", file=sys.stderr)
        return Run(seconds, 0.0, 0.0, done.returncode or 1, report, load=load)
    found = json.loads(stats.read_text())
    return Run(seconds, found["driver_kb"] / 1024, found["child_kb"] / 1024, 0, report, found["jvm_kb"] / 1024,
               found["cpu"], found["driver_cpu"], found["java_cpu"], load)


def _load() -> float:
    """The 1-minute load average (nan where the platform has none): other work competing for the cores."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _bench(docs: int, seed: int, rounds: int, timeout: float, cache_dir: Path,
           contenders: tuple[Contender, ...]) -> dict[str, list[Run]]:
    corpus, _truth, stats = corpus_file(docs, seed, cache_dir)
    print(f"\n## {docs:,} documents ({stats})\n", flush=True)
    corpus.read_bytes()  # warm the page cache, so the first contender does not pay for it alone
    runs: dict[str, list[Run]] = {c.name: [] for c in contenders}
    with tempfile.TemporaryDirectory(prefix="dedup-spark-bench-") as tmp:
        for r in range(rounds):
            order = contenders[r % len(contenders):] + contenders[: r % len(contenders)]
            for contender in order:
                out = Path(tmp) / f"round{r}"
                out.mkdir(exist_ok=True)
                run = _measure(contender, corpus, out, timeout)
                runs[contender.name].append(run)
                print(f"  round {r + 1}: {contender.name}: {run.seconds:.1f} s, {run.cpu:.1f} CPU s, load"
                      f" {run.load[0]:.1f} -> {run.load[1]:.1f}", file=sys.stderr, flush=True)
            local = runs.get("local")
            reference = local[-1].report.read_bytes() if local and local[-1].exit_code == 0 else None
            for name in runs:
                last = runs[name][-1]
                if name.endswith("outputs"):
                    verdict = "folders" if last.exit_code == 0 else "failed"
                else:
                    if reference is None:  # the local engine not run (or failed): nothing to compare with
                        verdict = "failed" if last.exit_code else "not compared"
                    else:
                        same = last.exit_code == 0 and last.report.read_bytes() == reference
                        verdict = "identical" if same else "DIFFERENT"
                runs[name][-1] = dataclasses.replace(last, report=Path(verdict))
    print("| contender | wall s (median) | CPU s (median) | driver CPU s | JVM CPU s | driver peak RSS MB |"
          " driver JVM peak RSS MB | largest child RSS MB | load before -> after | report |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for name, found in runs.items():
        ok = [r for r in found if r.exit_code == 0]
        if not ok:
            print(f"| {name} | failed | | | | | | | | |")
            continue
        verdicts = {str(r.report) for r in found}
        same = verdicts.pop() if len(verdicts) == 1 else "DIFFERENT"
        child, jvm = max(r.child_mb for r in ok), max(r.jvm_mb for r in ok)
        java = f"{statistics.median(r.java_cpu for r in ok):.1f}" if jvm else "n/a"
        print(f"| {name} | {statistics.median(r.seconds for r in ok):.1f} | {statistics.median(r.cpu for r in ok):.1f}"
              f" | {statistics.median(r.driver_cpu for r in ok):.1f}"
              f" | {java} | {max(r.driver_mb for r in ok):.0f}"
              f" | {f'{jvm:.0f}' if jvm else 'n/a'} | {f'{child:.0f}' if child else 'n/a'}"
              f" | {', '.join(f'{r.load[0]:.1f} -> {r.load[1]:.1f}' for r in found)}"
              f" | {same if name != 'local' else 'reference'} |")
    return runs


def _median(runs: list[Run], what: str = "seconds") -> float:  # nan when the contender did not run
    ok = [getattr(r, what) for r in runs if r.exit_code == 0]
    return statistics.median(ok) if ok else float("nan")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, nargs="+", default=[50_000], help="corpus sizes (default 50000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each contender (default 1)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR, help="where corpora are built and kept")
    parser.add_argument("--contenders", nargs="+", metavar="NAME", choices=[c.name for c in CONTENDERS],
                        help="run only these contenders (default: all)")
    parser.add_argument("--one", nargs=4, metavar=("OPTIONS", "CORPUS", "REPORT", "STATS"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.one:
        options, corpus, report, stats = args.one
        return run_one(json.loads(options), corpus, report, stats)
    print(f"# dedup on Spark: {platform.processor() or platform.machine()}, {os.cpu_count()} cores,"
          f" load {_load():.1f}, Python {platform.python_version()}")
    contenders = tuple(c for c in CONTENDERS if not args.contenders or c.name in args.contenders)
    everything = {docs: _bench(docs, args.seed, args.rounds, args.timeout, args.cache_dir, contenders)
                  for docs in args.docs}
    print()
    failed = False
    for docs, runs in everything.items():
        local, local_one, one, two, outputs = (_median(runs.get(c.name, [])) for c in CONTENDERS)
        cpu_local, _, cpu_one, cpu_two, _ = (_median(runs.get(c.name, []), "cpu") for c in CONTENDERS)
        print(f"- {docs:,} documents: spark local[2] / local engine, wall time: {two / local:.2f}x (target <= 3),"
              f" CPU time: {cpu_two / cpu_local:.2f}x; Spark outputs local[2] / local engine: {outputs / local:.2f}x;"
              f" local[1] / local[2], wall time: {one / two:.2f}x (target >= 1.6), CPU time: {cpu_one / cpu_two:.2f}x;"
              f" local engine, 1 worker / every core: {local_one / local:.2f}x")
        verdicts = {name: {str(r.report) for r in found} for name, found in runs.items() if name != "local"}
        print(f"- {docs:,} documents: every report identical to the local engine's: "
              f"{'yes' if all(v <= {'identical', 'folders'} for v in verdicts.values()) else 'NO (or not compared)'}")
        failed |= any(r.exit_code or str(r.report) == "DIFFERENT" for rs in runs.values() for r in rs)
    if len(everything) > 1:
        sizes = sorted(everything)
        small, large = everything[sizes[0]], everything[sizes[-1]]
        for name in (c.name for c in contenders):
            for what in ("driver_mb", "jvm_mb"):
                low = max(getattr(r, what) for r in small[name])
                if not low:
                    continue
                growth = max(getattr(r, what) for r in large[name]) / low
                print(f"- {name}: {'driver' if what == 'driver_mb' else 'driver JVM'} peak RSS at {sizes[-1]:,}"
                      f" / at {sizes[0]:,} documents: {growth:.2f}x ({sizes[-1] / sizes[0]:.1f}x the documents)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
