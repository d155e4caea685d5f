"""Clusters: documents joined by verified pairs (union-find), with one representative kept per cluster."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from dedup.engine.base import Engine, FindsComponents
from dedup.model import Cluster

__all__ = ["UnionFind", "build_clusters"]


class UnionFind:
    """Components of ``n`` items joined pair by pair; each root knows its component's size.

    >>> uf = UnionFind(4); uf.union(2, 3); uf.union(1, 3)
    >>> uf.find(3), uf.size[uf.find(3)], uf.largest
    (1, 3, 3)
    """

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n  # meaningful at roots
        self.largest = 1 if n else 0

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:  # path compression
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            # The smaller index becomes the root, so roots (and cluster order) follow input order.
            root, child = min(ri, rj), max(ri, rj)
            self.parent[child] = root
            self.size[root] += self.size[child]
            self.largest = max(self.largest, self.size[root])


def build_clusters(
    ids: Sequence[str], lengths: Sequence[int], edges: Iterable[tuple[int, int]], policy: str = "longest",
    *, engine: Engine | None = None, kept: int = 0,
) -> list[Cluster]:
    """Group documents linked by ``edges`` (index pairs); clusters of two or more, in input order.

    ``policy`` picks the representative: ``longest`` (most characters, earliest on a tie) or ``first``.
    An ``engine`` that finds components itself (``FindsComponents``, Spark's) finds them; otherwise
    union-find does, here. Either way a component is labelled by its smallest document, so the clusters
    are the same. The first ``kept`` documents are kept already (an archive): a cluster holding any of them
    has its representative chosen among them.

    >>> build_clusters(["a", "b", "c", "d"], [5, 9, 1, 1], [(0, 1), (2, 3)])
    [Cluster(id=1, members=('a', 'b'), representative='b'), Cluster(id=2, members=('c', 'd'), representative='c')]
    """
    if policy not in ("longest", "first"):
        raise ValueError(f"policy must be 'longest' or 'first', not {policy!r}")
    if isinstance(engine, FindsComponents):
        pairs = np.array([(i, j) for i, j in edges], dtype=np.int64).reshape(-1, 2)
        labels = engine.components(len(ids), pairs).tolist()
    else:
        uf = UnionFind(len(ids))
        for i, j in edges:
            uf.union(i, j)
        labels = [uf.find(i) for i in range(len(ids))]
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    clusters: list[Cluster] = []
    for members in sorted((m for m in groups.values() if len(m) > 1), key=lambda m: m[0]):
        chosen = [i for i in members if i < kept] or members
        keep = chosen[0] if policy == "first" else min(chosen, key=lambda i: (-lengths[i], i))
        clusters.append(Cluster(id=len(clusters) + 1, members=tuple(ids[i] for i in members), representative=ids[keep]))
    return clusters
