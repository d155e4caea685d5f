"""Tests of dedup.stages.cluster against brute-force connected components: members, order, ids and the one kept."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.model import Cluster
from dedup.stages.cluster import build_clusters


def components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components of two or more nodes by repeated graph search, each sorted, ordered by first node."""
    neighbours: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, j in edges:
        neighbours[i].add(j)
        neighbours[j].add(i)
    seen: set[int] = set()
    found = []
    for start in range(n):
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            for other in neighbours[frontier.pop()] - component:
                component.add(other)
                frontier.append(other)
        seen |= component
        if len(component) > 1:
            found.append(sorted(component))
    return found


def reference(ids: list[str], lengths: list[int], edges: list[tuple[int, int]], policy: str) -> list[Cluster]:
    out = []
    for number, members in enumerate(components(len(ids), edges), start=1):
        if policy == "first":
            keep = members[0]
        else:
            longest = max(lengths[i] for i in members)
            keep = next(i for i in members if lengths[i] == longest)  # earliest of the longest
        out.append(Cluster(id=number, members=tuple(ids[i] for i in members), representative=ids[keep]))
    return out


GRAPHS = st.integers(0, 25).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))), max_size=30)
        if n
        else st.just([]),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),  # few distinct lengths: many ties
    )
)


@given(GRAPHS, st.sampled_from(["longest", "first"]), st.randoms(use_true_random=False))
@settings(max_examples=80, deadline=None)
def test_build_clusters_equals_brute_force(
    graph: tuple[int, list[tuple[int, int]], list[int]], policy: str, rnd: random.Random
) -> None:
    n, edges, lengths = graph
    ids = [f"doc{i}" for i in range(n)]
    expected = reference(ids, lengths, edges, policy)
    assert build_clusters(ids, lengths, edges, policy) == expected
    # The result depends on the graph only, not on the order or direction the edges come in.
    shuffled = [(j, i) if rnd.random() < 0.5 else (i, j) for i, j in edges]
    rnd.shuffle(shuffled)
    assert build_clusters(ids, lengths, shuffled, policy) == expected


@pytest.mark.parametrize(
    ("lengths", "edges", "policy", "expected"),
    [
        # A chain joined from its far end: one cluster, members in input order, id 1.
        ([1, 1, 1, 1], [(2, 3), (1, 2), (0, 1)], "first", [(1, ("a", "b", "c", "d"), "a")]),
        ([3, 9, 9, 1], [(0, 1), (1, 2), (2, 3)], "longest", [(1, ("a", "b", "c", "d"), "b")]),  # tie: earliest
        ([3, 9, 9, 1], [(0, 1), (1, 2), (2, 3)], "first", [(1, ("a", "b", "c", "d"), "a")]),
        # Two clusters: ids follow the first member's position, whatever order the edges come in.
        ([5, 1, 2, 7], [(1, 3), (0, 2)], "longest", [(1, ("a", "c"), "a"), (2, ("b", "d"), "d")]),
        ([5, 1, 2, 7], [(1, 3), (0, 2)], "first", [(1, ("a", "c"), "a"), (2, ("b", "d"), "b")]),
        ([1, 1, 1, 1], [], "longest", []),  # no edges, no clusters
        ([1, 1, 1, 1], [(2, 2)], "longest", []),  # a document joined to itself is no cluster
        ([1, 1, 1, 1], [(0, 1), (0, 1), (1, 0)], "longest", [(1, ("a", "b"), "a")]),  # repeated edges
    ],
)
def test_build_clusters_examples(
    lengths: list[int], edges: list[tuple[int, int]], policy: str, expected: list[tuple[int, tuple[str, ...], str]]
) -> None:
    clusters = build_clusters(["a", "b", "c", "d"], lengths, edges, policy)
    assert [(c.id, c.members, c.representative) for c in clusters] == expected


def test_build_clusters_default_policy_is_longest() -> None:
    assert build_clusters(["a", "b"], [1, 2], [(0, 1)])[0].representative == "b"


def test_build_clusters_of_nothing() -> None:
    assert build_clusters([], [], []) == []


def test_build_clusters_rejects_an_unknown_policy() -> None:
    with pytest.raises(ValueError, match="shortest"):
        build_clusters(["a", "b"], [1, 2], [(0, 1)], policy="shortest")
