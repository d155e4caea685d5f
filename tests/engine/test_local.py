"""Worker processes: they end with their parent, and a dead worker is a one-line error."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from dedup.engine.local import map_batches
from dedup.errors import DedupError

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked processes"
)

_KILLED_PARENT = textwrap.dedent(
    """
    import multiprocessing, os, signal, sys, time
    from dedup.engine.local import map_batches

    def slow(batch):
        time.sleep(0.2 if batch == 0 else 60)
        return os.getpid()

    for _ in map_batches(slow, range(8), workers=2):
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@needs_fork
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see which processes live")
def test_workers_die_when_their_parent_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-c", _KILLED_PARENT], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == -signal.SIGKILL
    pids = [int(p) for p in run.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in pids if _alive(p)] == []


def _die(batch: int) -> int:
    if batch == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return batch


@needs_fork
def test_a_dead_worker_is_a_one_line_error() -> None:
    with pytest.raises(DedupError, match=r"^a worker process died \(out of memory\?\).*try --workers 1"):
        list(map_batches(_die, range(4), workers=2))



_TERMINATED_PARENT = textwrap.dedent(
    """
    import multiprocessing, os, signal, sys, time
    from dedup.engine.local import map_batches

    def slow(batch):
        time.sleep(0.2 if batch == 0 else 60)
        return os.getpid()

    def stop(signum, frame):
        raise SystemExit(143)  # as the command line does, so that cleanup runs

    signal.signal(signal.SIGTERM, stop)
    for _ in map_batches(slow, range(8), workers=2):
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        os.kill(os.getpid(), signal.SIGTERM)
    """
)


@needs_fork
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see which processes live")
def test_sigterm_stops_the_workers_at_once() -> None:
    # A normal pool shutdown waits for the batches in flight: here a minute each.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", _TERMINATED_PARENT], capture_output=True, text=True, env=env,
                         timeout=60)
    assert run.returncode == 143
    assert time.monotonic() - started < 20
    pids = [int(p) for p in run.stdout.split()]
    assert len(pids) == 2
    assert [p for p in pids if _alive(p)] == []
