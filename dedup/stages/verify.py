"""Stage 5, verify: each candidate pair decided on its exact figures (``dedup.verify.pair.decide_pair``),
in chunks shared out between the engine's workers; and the listing of large clusters."""

from __future__ import annotations

import functools
import itertools
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from dedup.config import ScanConfig
from dedup.engine.base import Engine
from dedup.engine.local import LocalEngine
from dedup.io.textstore import TextStore
from dedup.model import Cluster, Pair
from dedup.sketch.features import content_text
from dedup.stages.analyse import text_anchors
from dedup.stages.cluster import UnionFind
from dedup.stages.table import FeatureTable
from dedup.timing import flush
from dedup.verify.pair import decide_pair
from dedup.verify.relations import MIN_JUDGED_WORDS, classify, may_need_alignment
from dedup.verify.screen import overlap_of_counts, pair_shared_counts

__all__ = [
    "COPY_RELATIONS", "FAMILY_RELATIONS", "LISTED_CLUSTER_LIMIT", "VerifyState", "families", "list_big_clusters",
    "open_pairs", "screens", "verify_candidates", "verify_chunk",
]

# Candidate pairs verified per task: enough to outweigh sending a task, few enough to share out evenly.
VERIFY_CHUNK = 5_000

# Past this many members a *family* (see FAMILY_RELATIONS) lists only each member's pair with its cluster's
# representative: n near-copies of one article would otherwise cost n^2/2 verified pairs (2,500 of them ran
# out of memory). Candidate pairs whose two ends are already joined in a family this large are not verified
# at all, which changes no cluster (they are joined already) and keeps the work near O(n).
LISTED_CLUSTER_LIMIT = 100

Found = list[tuple[int, int, Pair]]

# The relations that make two documents copies of each other, joined in one cluster (one kept, the others
# removed). A ``passage`` pair shares passages only: both documents stay, each in its own cluster.
COPY_RELATIONS = frozenset({"exact", "near_duplicate", "partial", "spun"})
# The copy relations that make a family: documents that are copies of each other two by two, so that n of
# them are n^2/2 candidate pairs, all copies. ``partial`` (one text inside another) is a copy relation but
# makes no family: texts lifted whole into several others chain, through it, into clusters of hundreds whose
# members are mostly no copies of each other (the PAN 2013 training corpus: its sources lifted into several
# suspicious documents), and listing only the pairs with the representative there lost the pairs that say
# which document holds which source.
FAMILY_RELATIONS = frozenset({"exact", "near_duplicate", "spun"})


@dataclass(frozen=True, slots=True)
class VerifyState:
    """What verifying candidate pairs reads: ids, the heads of exact groups, their features, the texts.
    Large and read-only: the engine hands it to each worker once."""

    ids: list[str]
    heads: list[int]
    features: FeatureTable
    store: TextStore
    config: ScanConfig
    # Documents whose features hold no anchors (a scan against an archive leaves them out of its archived
    # candidates): taken from the text when a pair of one needs them, as ``analyse_batch`` would take them.
    unanchored: frozenset[int] = frozenset()

    def anchors(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """The anchor sets of documents ``i`` and ``j``."""
        return self._anchors(i), self._anchors(j)

    def _anchors(self, i: int) -> np.ndarray:
        return _kept_anchors(self.content(i)) if i in self.unanchored else self.features[i].anchors

    def content(self, i: int) -> str:
        """Document ``i``'s text as its features were taken: without its boilerplate lines."""
        return content_text(self.store.get(i), self.features.boilerplate.get(i, []))

    def texts(self, i: int, j: int) -> tuple[str, str]:
        """Documents ``i`` and ``j`` as read."""
        return self.store.get(i), self.store.get(j)

    def boilerplate(self, i: int, j: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The character spans of documents ``i`` and ``j``'s boilerplate lines (empty where they hold none)."""
        spans = self.features.boilerplate
        return spans.get(i, []), spans.get(j, [])

    def contents(self, i: int, j: int) -> tuple[str, str]:
        """Documents ``i`` and ``j`` as their features were taken."""
        return self.content(i), self.content(j)


@functools.lru_cache(maxsize=1024)
def _kept_anchors(content: str) -> np.ndarray:
    """``text_anchors``, kept for a thousand texts (a few megabytes): an archived document is in the pairs of
    several new ones, verified one new document after another."""
    return text_anchors(content)


def screens(state: VerifyState) -> bool:
    """Whether ``verify_chunk`` screens its candidates on their shared shingles before deciding them: when no
    pair that is no copy is searched for passages (``config.passages`` off: ``--no-spin``, ``--no-passages``),
    over the packed sets of a scan's own analysis."""
    return not state.config.passages and state.features.PACKED


def open_pairs(state: VerifyState, candidates: np.ndarray) -> list[bool]:
    """Per candidate (positions in the heads), whether ``decide_pair`` may give it a relation: False only for a
    pair whose word and character shingle figures make it no copy (``verify_pair``'s relation "") and leave
    it no room for spinning (``may_need_alignment``: the gates that need neither anchors nor names). Those
    figures are the same as ``verify_pair``'s, from the counts of a whole chunk (``pair_shared_counts``), so a
    pair screened out is one ``decide_pair`` would have returned with relation "". Only with ``screens(state)``.
    """
    table, config = state.features, state.config
    heads = np.asarray(state.heads, dtype=np.int64)
    docs = heads[candidates.reshape(-1, 2)] if len(candidates) else np.zeros((0, 2), np.int64)
    left, right = docs[:, 0], docs[:, 1]
    counts = []
    for name in ("words", "chars"):
        parts, per_part = table.packed(name)
        sizes = np.concatenate([np.zeros(0, np.int64), *(np.diff(offsets) for _, offsets in parts)])
        counts.append((pair_shared_counts(parts, per_part, left, right).tolist(), sizes[left].tolist(),
                       sizes[right].tolist()))
    lengths = table.lengths(docs.reshape(-1)).reshape(-1, 2).tolist()
    redone = table.redone
    found = []
    for (i, j), (length_a, length_b), words, chars in zip(docs.tolist(), lengths, zip(*counts[0], strict=True),
                                                          zip(*counts[1], strict=True), strict=True):
        if i in redone or j in redone:  # its packed sets are those before boilerplate: decided in full
            found.append(True)
            continue
        jaccard, containment = overlap_of_counts(*words)
        char_containment = overlap_of_counts(*chars)[1]
        shorter = min(length_a, length_b)
        relation = None if shorter < MIN_JUDGED_WORDS else classify(
            jaccard, containment, char_containment, shorter / max(length_a, length_b, 1), config)
        found.append(relation is not None or may_need_alignment(None, char_containment, config))
    return found


def verify_chunk(state: VerifyState, candidates: np.ndarray) -> Found:
    """The pairs among ``candidates`` (positions in the heads) that are copies, as ``(i, j, pair)``."""
    ids, heads, table, config = state.ids, state.heads, state.features, state.config
    found = []
    pairs = candidates.tolist()
    if screens(state) and len(pairs):
        pairs = list(itertools.compress(pairs, open_pairs(state, candidates)))
    for x, y in pairs:
        i, j = heads[x], heads[y]
        anchors = functools.partial(state.anchors, i, j) if i in state.unanchored or j in state.unanchored else None
        pair = decide_pair(ids[i], ids[j], table[i], table[j], config, anchors=anchors,
                           texts=functools.partial(state.texts, i, j), contents=functools.partial(state.contents, i, j),
                           boilerplate=functools.partial(state.boilerplate, i, j))
        if pair.relation:
            found.append((i, j, pair))
    flush()  # this process's stage timings, when the speed benchmark asks for them (dedup.timing)
    return found


def _joined_big(components: UnionFind, i: int, j: int) -> bool:
    """Whether documents ``i`` and ``j`` are already joined in a family past ``LISTED_CLUSTER_LIMIT``."""
    root = components.find(i)
    return root == components.find(j) and components.size[root] > LISTED_CLUSTER_LIMIT


def verify_candidates(state: VerifyState, candidates: np.ndarray, joined: UnionFind, engine: Engine,
                      tick: Callable[[int], None]) -> Iterator[Found]:
    """Verify ``candidates`` chunk by chunk; ``joined`` holds the families so far (exact groups first)
    and grows as pairs of ``FAMILY_RELATIONS`` are found, so that pairs inside a large family are skipped.
    ``tick`` is told how many candidates the chunks verified so far cover."""
    covered: deque[int] = deque()  # per chunk sent, how many candidates it and those before it cover
    # One chunk is not worth forking for. Shared out, at least four chunks per worker: with fewer (a scan
    # against an archive verifies a few thousand pairs), the last leaves the other cores idle.
    forked = len(candidates) > VERIFY_CHUNK and engine.workers > 1
    size = min(VERIFY_CHUNK, -(-len(candidates) // (4 * engine.workers))) if forked else VERIFY_CHUNK

    def chunks() -> Iterator[np.ndarray]:
        for start in range(0, len(candidates), size):
            chunk = candidates[start : start + size]
            if joined.largest > LISTED_CLUSTER_LIMIT:
                keep = [not _joined_big(joined, state.heads[x], state.heads[y]) for x, y in chunk.tolist()]
                chunk = chunk[np.array(keep, dtype=bool)]
            if len(chunk):
                covered.append(min(start + size, len(candidates)))
                yield chunk

    if screens(state):
        for name in ("words", "chars"):  # listed here, before the workers fork
            state.features.packed(name)
    run = engine if forked else LocalEngine(workers=1)
    for found in run.map_with(verify_chunk, state, chunks()):
        for i, j, pair in found:
            if pair.relation in FAMILY_RELATIONS:
                joined.union(i, j)
        tick(covered.popleft())
        yield found


def families(pairs: Found, n: int) -> UnionFind:
    """The families of ``pairs`` over ``n`` documents: components of the pairs of ``FAMILY_RELATIONS``."""
    found = UnionFind(n)
    for i, j, pair in pairs:
        if pair.relation in FAMILY_RELATIONS:
            found.union(i, j)
    return found


def list_big_clusters(
    pairs: Found,
    clusters: list[Cluster],
    index_of: dict[str, int],
    state: VerifyState,
) -> tuple[Found, dict[int, int]]:
    """In clusters past LISTED_CLUSTER_LIMIT members, list of the pairs inside a family past that limit (see
    ``FAMILY_RELATIONS``) only those with the cluster's representative; the cluster's other pairs stay.

    A member of such a family whose pair with the representative was not verified yet (it joined through
    another member) has that pair verified now, so every listed pair is verified. Returns the pairs and, per
    cluster id past the limit, how many pairs of its members were not listed (verified and dropped,
    candidates never verified, or no copies).
    """
    big = [c for c in clusters if len(c.members) > LISTED_CLUSTER_LIMIT]
    if not big:
        return pairs, {}
    cluster_of: dict[int, int] = {}
    rep_of: dict[int, int] = {}
    for c in big:
        rep_of[c.id] = index_of[c.representative]
        for m in c.members:
            cluster_of[index_of[m]] = c.id
    joined = families(pairs, len(index_of))

    def in_big_family(m: int) -> bool:
        return joined.size[joined.find(m)] > LISTED_CLUSTER_LIMIT

    kept: Found = []
    with_rep: set[int] = set()
    for t in pairs:
        cid = cluster_of.get(t[0])
        # A pair inside a large family is dropped unless it holds the representative, whatever its relation:
        # it may or may not have been verified (see verify_candidates), so listing it would depend on the engine.
        with_its_rep = cid is not None and rep_of[cid] in (t[0], t[1])
        if with_its_rep or not (cid is not None and joined.find(t[0]) == joined.find(t[1]) and in_big_family(t[0])):
            kept.append(t)
            if cid is not None and with_its_rep:
                with_rep.add(t[0] + t[1] - rep_of[cid])
    head_pos = {doc: x for x, doc in enumerate(state.heads)}
    missing = [
        sorted((head_pos[rep_of[cluster_of[m]]], head_pos[m]))
        for m in sorted(cluster_of)
        if m != rep_of[cluster_of[m]] and m not in with_rep and m in head_pos and rep_of[cluster_of[m]] in head_pos
        and in_big_family(m)
    ]
    if missing:
        found = verify_chunk(state, np.array(missing, dtype=np.int64))
        kept.extend(found)
        with_rep.update(i + j - rep_of[cluster_of[i]] for i, j, _ in found)
    # An exact copy that is no head was never verified with the representative: its exact pair with its
    # head stays listed (dropped above inside a large family), so that every member of the cluster is named
    # in a pair.
    for t in pairs:
        if (t[2].relation == "exact" and t[1] in cluster_of and t[1] not in head_pos and t[1] not in with_rep
                and in_big_family(t[1])):
            kept.append(t)
            with_rep.add(t[1])
    kept.sort(key=lambda t: (t[0], t[1]))
    listed: dict[int, int] = {}
    for t in kept:
        cid = cluster_of.get(t[0])
        if cid is not None and cluster_of.get(t[1]) == cid:
            listed[cid] = listed.get(cid, 0) + 1
    not_listed = {c.id: len(c.members) * (len(c.members) - 1) // 2 - listed.get(c.id, 0) for c in big}
    return kept, not_listed
