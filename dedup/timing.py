"""Stage timings for the speed benchmark: wall and CPU seconds, and counts, per named stage of a scan.

Off unless ``DEDUP_STAGE_TIMES`` names a file (``benchmarks.speed --stages`` sets it in the scan's process,
whose forked workers inherit it). Then every ``timed`` block adds its wall and CPU seconds to this process's
totals and ``counted`` adds to a count; ``flush`` appends the totals to the file as one JSON line and resets
them: workers call it at the end of each batch they analyse or verify, the scan at its end, so the lines of
every process add up to the scan's figures. CPU seconds are those of this process (``time.process_time``),
and, for ``timed(..., children=True)`` around a stage that forks workers, of its workers as well
(``os.times``: the pools of a stage are shut down and waited for before it ends). Nothing here changes what a
scan computes; off, a block costs one test of a module flag.

>>> with timed("example"):
...     pass
>>> counted("example pairs", 3)
>>> lap = laps("channel: ")
>>> lap("first", 10)
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator

__all__ = ["STAGE_TIMES_VARIABLE", "counted", "enabled", "flush", "laps", "read", "timed"]

STAGE_TIMES_VARIABLE = "DEDUP_STAGE_TIMES"
"""The environment variable naming the file the timings are appended to; unset or empty: no timings."""

_path = os.environ.get(STAGE_TIMES_VARIABLE, "")
_seconds: dict[str, list[float]] = {}  # stage -> [wall, cpu]
_counts: dict[str, int] = {}


def _forked() -> None:
    # A worker forked mid-scan would otherwise report its parent's totals so far as its own.
    _seconds.clear()
    _counts.clear()


os.register_at_fork(after_in_child=_forked)


def enabled() -> bool:
    """Whether timings are being taken in this process."""
    return bool(_path)


def _cpu(children: bool) -> float:
    if not children:
        return time.process_time()
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


_OFF = contextlib.nullcontext()  # what ``timed`` gives when off: no generator made and run per block


def timed(stage: str, *, children: bool = False) -> contextlib.AbstractContextManager[None]:
    """Add the block's wall and CPU seconds to ``stage`` (with ``children``, its reaped workers' CPU too)."""
    return _timed(stage, children) if _path else _OFF


@contextlib.contextmanager
def _timed(stage: str, children: bool) -> Iterator[None]:
    wall, cpu = time.perf_counter(), _cpu(children)
    try:
        yield
    finally:
        totals = _seconds.setdefault(stage, [0.0, 0.0])
        totals[0] += time.perf_counter() - wall
        totals[1] += _cpu(children) - cpu


def laps(prefix: str) -> Callable[[str, int], None]:
    """A lap timer: each ``lap(name, count)`` adds the seconds since the previous lap (or since ``laps``) to
    the stage ``prefix + name``, and ``count`` to its count; for steps in a row that a ``with`` block would
    have to indent (the candidate channels)."""
    if not _path:
        return _no_lap
    last = [time.perf_counter(), time.process_time()]

    def lap(name: str, count: int) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        totals = _seconds.setdefault(prefix + name, [0.0, 0.0])
        totals[0] += wall - last[0]
        totals[1] += cpu - last[1]
        counted(prefix + name, count)
        last[:] = [wall, cpu]

    return lap


def _no_lap(name: str, count: int) -> None:
    return None


def counted(name: str, count: int) -> None:
    """Add ``count`` to the count ``name`` (candidate pairs of a channel, passage searches...)."""
    if _path:
        _counts[name] = _counts.get(name, 0) + int(count)


def flush() -> None:
    """Append this process's totals to the file as one JSON line, then start again from zero."""
    if not _path or not (_seconds or _counts):
        return
    line = json.dumps({"pid": os.getpid(), "seconds": _seconds, "counts": _counts})
    with open(_path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    _seconds.clear()
    _counts.clear()


def read(path: str | os.PathLike[str]) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """The sums over every line of a timings file: per stage ``(wall, cpu)`` seconds, and the counts.

    Wall seconds of a stage timed inside workers add up the workers' time (two workers busy for one second
    make two); CPU seconds add up whatever ran.
    """
    seconds: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            entry = json.loads(line)
            for stage, (wall, cpu) in entry["seconds"].items():
                totals = seconds.setdefault(stage, [0.0, 0.0])
                totals[0] += wall
                totals[1] += cpu
            for name, count in entry["counts"].items():
                counts[name] = counts.get(name, 0) + count
    return {k: (v[0], v[1]) for k, v in seconds.items()}, counts
