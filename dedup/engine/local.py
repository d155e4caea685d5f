"""Running batches of work on several cores, results in input order, a bounded number in flight.

Workers are forked processes (the machine's cores, by default); with one worker, or one batch, the work
runs in this process and nothing is forked. Each batch's function must be a top-level function so it can
be sent to a worker; its results come back in the order the batches went out, so a scan's report does not
depend on how many workers computed it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import numpy as np

from dedup import kernels
from dedup.engine.base import Groups, group_sorted
from dedup.errors import ConfigError, DedupError

__all__ = [
    "Background", "LocalEngine", "effective_workers", "keep_freed_memory", "map_batches", "map_with", "paused_gc",
]

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")


def keep_freed_memory() -> None:
    """Ask the C library's allocator (glibc) to keep freed memory for reuse rather than hand it back at once.

    Analysing a batch allocates and frees numpy arrays of a few megabytes hundreds of times. With glibc's
    defaults each one is a fresh mapping (or a trimmed heap), so its pages are faulted in again every time:
    2.7 s of system time in a 12 s scan of 50,000 documents, 0.3 s with these settings. Peak memory is the
    same (the same arrays are live at once); memory freed at the end stays with the process until it exits.
    Worker processes call it; so does the command line. Elsewhere (not glibc) it does nothing.
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    trim_threshold, top_pad, mmap_threshold = -1, -2, -3  # glibc's M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD
    mallopt(mmap_threshold, 32 << 20)  # the largest glibc accepts: arrays below it come from the heap
    mallopt(trim_threshold, 256 << 20)
    mallopt(top_pad, 64 << 20)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration (the workers forked meanwhile inherit it).

    A scan makes hundreds of thousands of objects that live until it ends (ids, per-document results), and
    every collection walks them all: 0.4 s of a 5 s scan of 50,000 documents. What a scan builds holds no
    reference cycle (a collection after a scan of 12,000 documents finds nothing to free), so reference
    counting frees it all the same. The collector's previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
_WATCHDOG_SECONDS = 0.5  # how often a worker without prctl checks that its parent is still there

_WORKER_DIED = (
    "a worker process died (out of memory?) before finishing its batch; try --workers 1 or smaller batches"
)


def _die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process end when ``parent_pid`` does, even if the parent is killed with SIGKILL.

    A killed parent cannot shut its pool down, and its workers would wait on their task queue forever,
    holding their memory. On Linux the kernel sends SIGKILL to the worker when its parent ends; elsewhere a
    daemon thread polls the parent's pid. The parent may already have died between the fork and the prctl
    call (the signal is then never sent), hence the check of ``os.getppid()`` right after it.
    """
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent_pid:
        os._exit(1)
    if armed:
        return

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="dedup-parent-watchdog", daemon=True).start()


def _init_worker(parent_pid: int) -> None:
    """What every worker does first: die with its parent, keep freed memory for reuse, and leave the other
    cores to the other workers (the compiled kernels would otherwise start a thread per core in each)."""
    _die_with_parent(parent_pid)
    keep_freed_memory()
    kernels.set_threads(1)


def effective_workers(requested: int) -> int:
    """``requested`` workers, or every core when 0.

    >>> effective_workers(3)
    3
    """
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_batches(func: Callable[[T], R], batches: Iterable[T], workers: int) -> Iterator[R]:
    """``func(batch)`` for every batch, in order; on ``workers`` processes when more than one.

    >>> list(map_batches(len, [[1, 2], [3]], workers=1))
    [2, 1]
    """
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if workers <= 1 or second is None:
        # One worker, or one batch (a small corpus): forking would cost more than it saves.
        yield func(first)
        if second is not None:
            yield func(second)
            yield from map(func, batches)
        return
    batches = itertools.chain((first, second), batches)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pending: deque[Future[R]] = deque()
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(),)
    )
    try:
        for batch in batches:
            pending.append(pool.submit(func, batch))
            # Two batches per worker in flight keeps every core busy without holding the whole corpus.
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        # A worker killed from outside (the kernel's OOM killer, most often) breaks the whole pool; the user
        # needs to know what to change, not the pool's traceback.
        _stop_now(pool)
        raise DedupError(_WORKER_DIED) from exc
    except BaseException:
        # Ctrl-C, SIGTERM (raised as SystemExit by the command line), an error, or the caller dropping the
        # results: a normal shutdown would wait for every batch in flight, minutes on a slow one.
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers at once, dropping the work queued or in flight."""
    processes = list(getattr(pool, "_processes", None) or {})  # the executor names no public way to kill
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


_STATE: Any = None  # map_with's state, set in this process before the pool forks; workers inherit it


def _with_state(func: Callable[[S, T], R], batch: T) -> R:
    """Run ``func`` on ``batch`` with the state ``map_with`` set (in a forked worker: inherited, not sent)."""
    return func(_STATE, batch)


def map_with(func: Callable[[S, T], R], state: S, batches: Iterable[T], workers: int) -> Iterator[R]:
    """``map_batches`` of ``func(state, batch)``, for work that reads large read-only ``state``.

    Forked workers inherit the state from this process at no cost, so only the small batches travel. Where
    processes cannot be forked, the work runs in this process rather than sending the state to every worker.

    >>> def total(offset, batch): return sum(batch) + offset
    >>> list(map_with(total, 100, [[1, 2], [3]], workers=1))
    [103, 103]
    """
    global _STATE
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (func(state, batch) for batch in batches)
        return
    previous, _STATE = _STATE, state
    try:
        yield from map_batches(functools.partial(_with_state, func), batches, workers)
    finally:
        _STATE = previous


def _run_and_send(func: Callable[[], Any], conn: Any, parent_pid: int) -> None:
    """A background process's work: ``func()``, its result (or the exception it raised) sent back."""
    _init_worker(parent_pid)
    try:
        outcome: tuple[bool, Any] = (True, func())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    conn.send(outcome)
    conn.close()


class Background:
    """``func()`` computed beside this process's own work, in a forked process of its own, from the moment
    it is made; ``result()`` waits for it. With ``fork=False``, or where processes cannot be forked,
    ``result()`` computes it here.

    Use it as a context manager: leaving the block before the result was taken ends the process.

    >>> with Background(lambda: sum(range(10))) as job:
    ...     job.result()
    45
    """

    def __init__(self, func: Callable[[], R], *, fork: bool = True) -> None:
        self._func = func
        self._process: Any = None
        if fork and "fork" in multiprocessing.get_all_start_methods():
            # Forked, the process inherits what ``func`` reads (texts, settings): nothing is sent but the result.
            context = multiprocessing.get_context("fork")
            self._conn, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_run_and_send, args=(func, sender, os.getpid()), daemon=True)
            self._process.start()
            sender.close()

    def result(self) -> Any:
        if self._process is None:
            return self._func()
        try:
            ok, value = self._conn.recv()
        except EOFError as exc:
            raise DedupError(_WORKER_DIED) from exc
        finally:
            self._conn.close()
            self._process.join()
            self._process = None
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """End the process if it is still there (the result is not wanted any more)."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._conn.close()
            self._process = None

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class LocalEngine:
    """The engine of one machine: a pool of forked worker processes (``workers``; 0 means every core).

    >>> LocalEngine(workers=2).workers
    2
    >>> list(LocalEngine(workers=1).map(len, [[1, 2], [3]]))
    [2, 1]
    """

    def __init__(self, workers: int = 0) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
            raise ConfigError(f"workers must be 0 (all cores) or a positive whole number, not {workers!r}")
        self._workers = effective_workers(workers)

    @property
    def workers(self) -> int:
        return self._workers

    def map(self, func: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        return map_batches(func, batches, self._workers)

    def map_with(self, func: Callable[[S, T], R], state: S, batches: Iterable[T]) -> Iterator[R]:
        return map_with(func, state, batches, self._workers)

    def background(self, func: Callable[[], R]) -> Background:
        """``func()`` started now in a process of its own (``Background``), to run beside this process's next
        stages; with one worker, where everything runs in this process, computed when its result is asked."""
        return Background(func, fork=self._workers > 1)

    def group_by_key(self, keys: np.ndarray) -> Groups:
        return group_sorted(keys)

    def __repr__(self) -> str:
        return f"LocalEngine(workers={self._workers})"
