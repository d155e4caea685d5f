"""Tests of dedup.engine.local: results in order whatever the workers; worker processes end with their parent,
and a dead worker is a one-line error."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from dedup.engine.base import group_sorted
from dedup.engine.local import Background, LocalEngine, effective_workers, map_batches
from dedup.errors import ConfigError, DedupError

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


def _square(batch: int) -> int:
    return batch * batch


def _scaled(state: dict[str, int], batch: int) -> tuple[int, int]:
    # Reads only its argument: with forked workers, the state must arrive as that argument all the same.
    return batch, batch * state["factor"]


@pytest.mark.parametrize("workers", [1, 2])
def test_map_gives_results_in_order(workers: int) -> None:
    assert list(LocalEngine(workers).map(_square, range(40))) == [b * b for b in range(40)]


@pytest.mark.parametrize("workers", [1, 2])
def test_map_with_hands_the_state_as_an_argument(workers: int) -> None:
    found = list(LocalEngine(workers).map_with(_scaled, {"factor": 3}, range(40)))
    assert found == [(b, 3 * b) for b in range(40)]


def test_one_and_two_workers_give_the_same_results() -> None:
    batches = [list(range(k)) for k in range(30)]
    assert list(LocalEngine(1).map(len, batches)) == list(LocalEngine(2).map(len, batches))
    one = list(LocalEngine(1).map_with(_scaled, {"factor": -2}, range(30)))
    assert one == list(LocalEngine(2).map_with(_scaled, {"factor": -2}, range(30)))


def test_map_of_nothing_is_nothing() -> None:
    assert list(LocalEngine(2).map(_square, [])) == []
    assert list(LocalEngine(2).map_with(_scaled, {"factor": 1}, [])) == []


@pytest.mark.parametrize("workers", [-1, True, False, 1.5, "2", None])
def test_bad_worker_counts_are_config_errors(workers: object) -> None:
    with pytest.raises(ConfigError, match=r"workers must be 0 \(all cores\) or a positive whole number, not"):
        LocalEngine(workers)  # type: ignore[arg-type]


def test_zero_workers_means_every_core() -> None:
    assert LocalEngine(0).workers == effective_workers(0) >= 1
    assert LocalEngine(3).workers == 3


@pytest.mark.parametrize("keys", [np.array([3, 1, 3, 2, 1, 3]), np.array([b"b", b"a", b"b"], dtype="S16"),
                                  np.array([], dtype=np.int64)])
def test_group_by_key_is_group_sorted(keys: np.ndarray) -> None:
    found, expected = LocalEngine(1).group_by_key(keys), group_sorted(keys)
    for name in ("order", "starts", "sizes"):
        assert getattr(found, name).tolist() == getattr(expected, name).tolist()


def _fails() -> int:
    raise ValueError("bad input at line 3")


@needs_fork
def test_background_work_runs_in_another_process_and_gives_its_result() -> None:
    with Background(os.getpid) as job:
        assert job.result() != os.getpid()
    # One worker, or fork=False: nothing runs beside, the work is done here when its result is asked.
    with LocalEngine(workers=1).background(os.getpid) as job:
        assert job._process is None
        assert job.result() == os.getpid()
    with Background(os.getpid, fork=False) as job:
        assert job.result() == os.getpid()


@needs_fork
def test_background_work_raises_its_own_error_here() -> None:
    with Background(_fails) as job, pytest.raises(ValueError, match="bad input at line 3"):
        job.result()


@needs_fork
def test_background_work_dying_is_a_one_line_error() -> None:
    with Background(lambda: os._exit(3)) as job, pytest.raises(DedupError, match=r"^a worker process died"):
        job.result()


@needs_fork
def test_leaving_before_the_result_ends_the_background_process() -> None:
    with Background(lambda: time.sleep(60)) as job:
        process = job._process
        assert process.is_alive()
    assert not process.is_alive()
