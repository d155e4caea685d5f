"""Where a Spark scan's time goes: per job and stage, from Spark's event log, and the Python workers' CPU.

Run ``python -m benchmarks.spark_profile --docs 20000 --master 'local[2]'``. The scan runs in this process
(``dedup.scan`` on a ``SparkEngine``, the speed benchmark's corpus, as ``benchmarks.spark_bench`` scans it)
with Spark's event log on; the Python workers are sampled from /proc every 0.2 s. It prints, per stage, its
tasks, the tasks' summed and longest run time, its span (first task start to last task end) and the span's
share where fewer tasks ran than there are cores; then the gaps where no task ran (driver and scheduling
work), the Python workers (how many, CPU each) and an estimate of the critical path on N cores: the sum over
stages of max(longest task, summed task time / N), plus the gaps.

It also prints how long fewer tasks ran than there are cores over the whole scan (idle core-seconds: what
no task could use, whatever the load), and the JVM's CPU by thread name ("Thread-3" is py4j's connection,
where SparkContext starts; "Executor task launch" moves the tasks' bytes).

Run times are wall times of tasks, which on a loaded machine include waiting for a core; the CPU columns
(process CPU from /proc, sampled every 0.1 s, attributed to a stage by its span) are less disturbed by load.
Stages that overlap (the analysis waves, two jobs in flight; the report's four jobs) share their CPU
between them, so their rows are not additive.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.speed import corpus_file

__all__ = ["main"]

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _is_worker(command: str) -> bool:
    """Whether a process is PySpark's worker daemon or one of its workers (pyspark's daemon or dedup's)."""
    return "-m pyspark.daemon" in command or "-m dedup.engine.spark_daemon" in command


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            with open(path, encoding="ascii") as fh:
                found.extend(int(x) for x in fh.read().split())
        except OSError:
            continue
    return found


class Sampler(threading.Thread):
    """Every process below this one, its last CPU seconds and when it was first and last seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: dict[int, list[float | str]] = {}
        self.series: list[tuple[float, float, float]] = []  # (epoch s, Python workers' CPU, JVM's CPU)
        self.threads: dict[tuple[int, int], tuple[str, float]] = {}  # the JVM's threads: name, CPU s
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            now = time.monotonic()
            todo, tree = [os.getpid()], []
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(_children(pid))
            for pid in tree[1:]:
                cpu = _cpu_of(pid)
                if cpu is None:
                    continue
                entry = self.seen.setdefault(pid, [now, now, 0.0, ""])
                entry[1], entry[2] = now, cpu
                if "java" not in str(entry[3]):  # Spark's launcher script execs the JVM: read again
                    entry[3] = _cmdline(pid)
                if "java" in str(entry[3]):
                    self._threads(pid)
            python = sum(float(e[2]) for e in self.seen.values() if _is_worker(str(e[3])))
            java = sum(float(e[2]) for e in self.seen.values() if "java" in str(e[3]))
            self.series.append((time.time(), python, java))
            self.stop.wait(0.1)

    def _threads(self, pid: int) -> None:
        for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
            try:
                with open(stat, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            fields = text.rsplit(")", 1)[1].split()
            tid = int(stat.split("/")[4])
            self.threads[(pid, tid)] = (name, (int(fields[11]) + int(fields[12])) / TICK)

    def cpu_between(self, start: float, end: float) -> tuple[float, float]:
        """The Python workers' and the JVM's CPU seconds from ``start`` to ``end`` (epoch seconds)."""
        def at(when: float) -> tuple[float, float]:
            before = [s for s in self.series if s[0] <= when]
            found = before[-1] if before else self.series[0]
            return found[1], found[2]

        (p0, j0), (p1, j1) = at(start), at(end)
        return p1 - p0, j1 - j0


def _stages(log: Path) -> tuple[dict[int, dict], dict[int, dict]]:
    stages: dict[int, dict] = {}
    jobs: dict[int, dict] = {}
    tasks: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    # Spark 3's rolling event log: a folder of events_<n>_<app> files.
    files = sorted((f for f in log.iterdir() if f.name.startswith("events_")),
                   key=lambda f: int(f.name.split("_")[1])) if log.is_dir() else [log]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            kind = event["Event"]
            if kind == "SparkListenerJobStart":
                jobs[event["Job ID"]] = {"start": event["Submission Time"], "stages": event["Stage IDs"]}
            elif kind == "SparkListenerJobEnd":
                jobs[event["Job ID"]]["end"] = event["Completion Time"]
            elif kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                stages[info["Stage ID"]] = {"name": info["Stage Name"], "tasks": info["Number of Tasks"],
                                            "submitted": info.get("Submission Time"),
                                            "completed": info.get("Completion Time")}
            elif kind == "SparkListenerTaskEnd":
                info, metrics = event["Task Info"], event.get("Task Metrics") or {}
                tasks[event["Stage ID"]].append((info["Launch Time"], info["Finish Time"],
                                                 metrics.get("Executor Run Time", 0),
                                                 metrics.get("Executor CPU Time", 0) / 1e6))
    for sid, found in tasks.items():
        if sid in stages:
            stages[sid]["task_times"] = found
    return stages, jobs


def _under_cores(found: list[tuple[float, float, float, float]], cores: int) -> float:
    """Milliseconds of the stage's span during which fewer than ``cores`` of its tasks ran."""
    events = sorted([(t[0], 1) for t in found] + [(t[1], -1) for t in found])
    running, last, under = 0, events[0][0], 0.0
    for at, step in events:
        if running < cores:
            under += at - last
        running += step
        last = at
    return under


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--json", default=None, help="write the report here")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting")
    args = parser.parse_args(argv)
    cores = int(re.findall(r"\d+", args.master)[0]) if re.findall(r"\d+", args.master) else os.cpu_count() or 1

    import dedup
    from dedup.engine.spark import DRIVER_JAVA_OPTIONS, DRIVER_JIT, SparkEngine

    corpus, _, _ = corpus_file(args.docs, 1)
    logs = Path(tempfile.mkdtemp(prefix="dedup-spark-events-"))
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    sampler = Sampler()
    sampler.start()
    t0 = time.monotonic()
    builder = (SparkSession.builder.appName("dedup-profile").master(args.master)
               .config("spark.ui.showConsoleProgress", "false").config(DRIVER_JAVA_OPTIONS, DRIVER_JIT)
               .config("spark.eventLog.enabled", "true").config("spark.eventLog.dir", f"file://{logs}")
               .config("spark.eventLog.compress", "false"))
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    started = time.monotonic()
    started_epoch = time.time()
    own0 = os.times()
    engine = SparkEngine(session, partitions=args.partitions)
    report = dedup.scan([str(corpus)], engine=engine)
    scanned = time.monotonic()
    scanned_epoch = time.time()
    own1 = os.times()
    text = report.to_json()
    written = time.monotonic()
    if args.json:
        Path(args.json).write_text(text, encoding="utf-8")
    sampler.stop.set()
    sampler.join()
    session.stop()
    print(f"start Spark {started - t0:.1f} s, scan {scanned - started:.1f} s wall, driver CPU "
          f"{own1.user + own1.system - own0.user - own0.system:.1f} s, report.to_json {written - scanned:.1f} s, "
          f"load {os.getloadavg()[0]:.1f}")

    log = next(p for p in logs.iterdir())
    stages, jobs = _stages(log)
    print(f"\n| job | stage | name | tasks | task s (sum) | longest s | span s | span <{cores} tasks s "
          "| Python CPU s | JVM CPU s |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    python_total = 0.0
    critical = 0.0
    intervals = []
    for jid, job in sorted(jobs.items()):
        for sid in sorted(job["stages"]):
            stage = stages.get(sid)
            if stage is None or "task_times" not in stage:
                continue
            found = stage["task_times"]
            run = sum(t[2] for t in found) / 1000
            longest = max(t[1] - t[0] for t in found) / 1000
            start, end = min(t[0] for t in found), max(t[1] for t in found)
            intervals.append((start, end, sid))
            python, java = sampler.cpu_between(start / 1000, end / 1000)
            python_total += python
            # On N cores the stage takes at least its longest task and its CPU over N cores; the longest
            # task's CPU is estimated as its share of the stage's task time (wall times inflate under load).
            critical += max(python * (longest / run if run else 1.0), python / cores)
            name = re.sub(r"/\S*/dedup/", "", stage["name"])
            print(f"| {jid} | {sid} | {name[:60]} | {len(found)} | {run:.2f} | {longest:.2f} | "
                  f"{(end - start) / 1000:.2f} | {_under_cores(found, cores) / 1000:.2f} | {python:.2f} | "
                  f"{java:.2f} |")
    intervals.sort()
    gaps, reach, listed = 0.0, intervals[0][0], []
    for start, end, sid in intervals:
        if start > reach:
            gaps += start - reach
            listed.append(f"{(start - reach) / 1000:.2f} s before stage {sid}")
        reach = max(reach, end)
    every = [t for stage in stages.values() for t in stage.get("task_times", [])]
    under = {k: 0.0 for k in range(cores)}  # seconds with k tasks running, k < cores, scan start to end
    events = sorted([(t[0] / 1000, 1) for t in every] + [(t[1] / 1000, -1) for t in every])
    running, last = 0, started_epoch
    for at, step in [*events, (scanned_epoch, 0)]:
        if running < cores:
            under[running] += max(0.0, at - last)
        running, last = running + step, max(last, at)
    print("scan time with fewer tasks running than cores: "
          + ", ".join(f"{k} tasks {under[k]:.1f} s" for k in sorted(under))
          + f"; idle core-seconds {sum((cores - k) * v for k, v in under.items()):.1f} of "
          f"{cores * (scanned_epoch - started_epoch):.1f}")
    print("gaps over 0.1 s: " + ", ".join(g for g in listed if float(g.split()[0]) > 0.1))
    first_job = min(j["start"] for j in jobs.values())
    print(f"\nscan start to first task {intervals[0][0] / 1000 - started_epoch:.2f} s; last task to scan end "
          f"{scanned_epoch - reach / 1000:.2f} s")
    print(f"first job at +{(first_job - intervals[0][0]) / 1000:.2f} s of the first task; no task running for "
          f"{gaps / 1000:.1f} s between the first task and the last")
    print(f"Python CPU inside stages {python_total:.1f} s; critical path estimate on {cores} cores (Python CPU "
          f"per stage: max(longest task's share, CPU / {cores})): {critical:.1f} s + {gaps / 1000:.1f} s gaps = "
          f"{critical + gaps / 1000:.1f} s")
    workers = [(pid, e) for pid, e in sampler.seen.items() if _is_worker(str(e[3]))]
    jvms = [(pid, e) for pid, e in sampler.seen.items() if "java" in str(e[3])]
    print(f"\nprocesses: {len(sampler.seen)}; JVM CPU {sum(float(e[2]) for _, e in jvms):.1f} s")
    for pid, e in sorted(workers):
        print(f"  pid {pid}: {float(e[2]):6.1f} s CPU, seen {float(e[0]) - t0:6.1f} .. {float(e[1]) - t0:6.1f} s"
              f"  {str(e[3])[:60]}")
    print(f"Python workers' CPU {sum(float(e[2]) for _, e in workers):.1f} s")
    by_name: dict[str, float] = defaultdict(float)
    for name, cpu in sampler.threads.values():
        by_name[re.sub(r"[#\-]?\d+$", "", name).strip()] += cpu
    print("JVM threads' CPU (threads that ended between samples lose their last 0.1 s):")
    for name, cpu in sorted(by_name.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {cpu:6.1f} s  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
