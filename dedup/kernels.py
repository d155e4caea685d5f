"""The compiled kernels (the Rust extension ``dedup._core``, built from ``rust/``), or none: chosen once, here.

The hot loops (MinHash signatures, LSH band keys, span sums and word hashes) have a Rust twin that takes and
returns whole arrays and releases the GIL. The numpy functions stay as the references: tests hold each kernel
equal to its reference, and every caller falls back to the reference when ``core`` is None, so dedup works,
with the same results, where the extension was not built (no Rust toolchain) or ``DEDUP_PURE_PYTHON=1`` is
set (which the speed benchmark uses to compare the two paths).

A kernel that fails (a bug: kernels check their input rather than read out of bounds, and a Rust panic is
caught before it reaches Python) raises ``KernelError``, a ``DedupError``, so the CLI prints one line.

>>> compiled() in (True, False)
True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from dedup.errors import KernelError

__all__ = ["PURE_PYTHON_VARIABLE", "call", "compiled", "core", "set_threads", "threads"]

PURE_PYTHON_VARIABLE = "DEDUP_PURE_PYTHON"
"""Set to anything but ``""`` or ``"0"`` to run the numpy references even where the kernels are built."""

T = TypeVar("T")


def _load() -> ModuleType | None:
    if os.environ.get(PURE_PYTHON_VARIABLE, "") not in ("", "0"):
        return None
    try:
        from dedup import _core
    except ImportError:  # not built here: an install without a Rust toolchain, or a bare source checkout
        return None
    return _core


core: ModuleType | None = _load()


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


_threads = _cores()


def threads() -> int:
    """How many threads the kernels that take a whole batch share its documents between: every core of this
    process, or what ``set_threads`` said."""
    return _threads


def set_threads(count: int) -> None:
    """Let the batch kernels use ``count`` threads: 1 in a worker process, whose siblings have the other cores.

    >>> before = threads(); set_threads(1); threads()
    1
    >>> set_threads(before)
    """
    global _threads
    _threads = max(1, count)


def compiled() -> bool:
    """Whether the compiled kernels are in use in this process."""
    return core is not None


def call(kernel: Callable[..., T], *args: Any) -> T:
    """``kernel(*args)`` with its failures (bad shapes, a caught panic) raised as ``KernelError``."""
    assert core is not None, "call() needs the compiled kernels: check compiled() first"
    try:
        return kernel(*args)
    except (ValueError, TypeError, core.KernelError) as exc:
        raise KernelError(
            f"the compiled kernel {getattr(kernel, '__name__', kernel)} failed ({exc}). This is a bug in dedup;"
            f" set {PURE_PYTHON_VARIABLE}=1 to run without the compiled kernels"
        ) from exc
