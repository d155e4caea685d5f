"""The engine seam: what a scan asks of whatever runs its stages.

A stage is a module-level function over plain, picklable data (frozen dataclasses, numpy arrays). An engine
maps it over batches, hands it large read-only state once per worker rather than once per batch, and groups
values by key. The local process pool (``dedup.engine.local``) is the one engine today; a Spark engine would
map over partitions, broadcast the state and shuffle on the keys, with the same stage functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np

__all__ = ["Engine", "FindsComponents", "Groups", "group_sorted"]

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Groups:
    """Positions grouped by equal key: group ``g`` holds ``order[starts[g] : starts[g] + sizes[g]]``, in
    increasing position; groups are in increasing key order."""

    order: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray

    def members(self, g: int) -> np.ndarray:
        return self.order[self.starts[g] : self.starts[g] + self.sizes[g]]


def group_sorted(keys: np.ndarray) -> Groups:
    """Group the positions of ``keys`` (any sortable numpy array) by equal key, with one stable sort.

    >>> g = group_sorted(np.array([5, 3, 5, 3, 9]))
    >>> [g.members(k).tolist() for k in range(len(g.starts))]
    [[1, 3], [0, 2], [4]]
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    boundaries = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], boundaries)) if len(keys) else np.empty(0, dtype=np.int64)
    ends = np.concatenate((boundaries, [len(keys)])) if len(keys) else starts
    return Groups(order, starts.astype(np.int64), (ends - starts).astype(np.int64))


class Engine(Protocol):
    """What runs a scan's stages. Results come back in the order of the batches, so a report never depends on
    the engine, its worker count or its partitioning."""

    @property
    def workers(self) -> int:
        """How many processes (or executors' cores) share the work."""
        ...

    def map(self, func: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        """``func(batch)`` for every batch, in order. ``func`` is a module-level function."""
        ...

    def map_with(self, func: Callable[[S, T], R], state: S, batches: Iterable[T]) -> Iterator[R]:
        """``func(state, batch)`` for every batch, in order: ``state`` is large and read-only (features, a text
        store, signatures) and reaches each worker once, not with every batch."""
        ...

    def group_by_key(self, keys: np.ndarray) -> Groups:
        """The positions of ``keys`` grouped by equal key (a shuffle, on a cluster)."""
        ...


@runtime_checkable
class FindsComponents(Protocol):
    """What an engine that finds connected components where the pairs are (a cluster's) offers besides the
    ``Engine`` methods. The cluster stage uses it when the engine has it, union-find in this process when not;
    both label a component by its smallest item, so the clusters are the same."""

    def components(self, n: int, edges: np.ndarray) -> np.ndarray:
        """For each of ``n`` items, the smallest item joined to it by ``edges`` (an ``(m, 2)`` integer array)."""
        ...
