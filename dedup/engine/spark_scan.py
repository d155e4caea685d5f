"""The scan's stages as Spark jobs: every per-document value stays on the executors, in RDDs keyed by document.

``SparkEngine.scan_documents`` runs this in place of the local pipeline (``dedup.stages.pipeline``), with the
local pipeline's stage functions and rules, step for step, so that the documents, pairs, figures, clusters
and representatives are the local engine's whatever the partitioning:

1. Analyse: this process reads the input and sends it out in waves of batches; each batch is analysed on an
   executor (``analyse_batch``) into one record per document (id, text, features, signatures), kept on the
   executors (on disk) and cut from the batches that made it, so the driver holds two waves of texts at most.
2. Exact groups: records keyed by exact key, grouped by a shuffle; each group's first document is its head.
3. Boilerplate: line keys counted over the heads by a shuffle; the heads holding a line common to
   ``boilerplate_min_docs`` of them are analysed again without their boilerplate, on executors.
4. Candidates: each head's band keys (character and anchor signatures) and sentence and passage keys are
   emitted by the executors as ``(key, document)`` and reduced by key to buckets: pairs come from buckets by
   ``dedup.index.lsh``'s rules (STAR_BUCKET, rows checked equal, postings limits, shares), made distinct.
5. Verify: each pair goes to the partition of its first document, with the records of the documents it
   needs sent there once each: a task reads each text once, however many pairs hold it. The signature
   estimates filter the LSH channels' pairs there (``dedup.index.filters``), then ``decide_pair`` decides.
6. Clusters: ``connected_components`` (large-star / small-star) over the copy pairs, on the executors;
   clusters numbered by their first member, representatives chosen as ``build_clusters`` chooses them.
7. Large clusters listed as ``list_big_clusters`` lists them, with joins.

The driver keeps no list of documents, signatures or pairs: with ``collect`` it gathers what the report
prints (every document and pair, which a report lists: inherent in asking for one); without, it keeps the
results as RDDs (``SparkScan``) for ``dedup.engine.spark_output`` to write as Spark outputs, and counts.

One difference from the local pipeline, which changes no result: the local pipeline passes over candidate
pairs whose documents are already joined in a cluster past ``LISTED_CLUSTER_LIMIT`` (a saving only: such a
pair is never listed); here every candidate is verified.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from dedup.config import ScanConfig
from dedup.errors import InputError
from dedup.model import Cluster, DocumentResult, Pair, Repeat, SpinResult
from dedup.report.escape import csv_cell, json_safe
from dedup.report.report import Report
from dedup.sketch.features import Features, content_text
from dedup.verify.boilerplate import LineStats, boilerplate_spans, line_keys
from dedup.verify.pair import decide_pair
from dedup.verify.relations import MIN_JUDGED_WORDS, SPUN_ANCHORS, SPUN_CANDIDATE

if TYPE_CHECKING:
    from pyspark import RDD

    from dedup.engine.spark import SparkEngine
    from dedup.stages.pipeline import Progress

__all__ = ["DocRecord", "Limits", "SparkScan", "scan_on_spark"]

COPY = frozenset({"exact", "near_duplicate", "partial", "spun"})  # dedup.stages.verify.COPY_RELATIONS
_STRENGTH = {"exact": 0, "near_duplicate": 1, "partial": 2, "spun": 3}  # dedup.io.outputs' order of reasons

# Channel flags of a candidate pair: which channels proposed it (the LSH channels' pairs are filtered on
# their signature estimates, the others are verified as proposed).
CHARS, ANCHORS, SENTENCES, PASSAGES = 1, 2, 4, 8


@dataclass(slots=True)
class DocRecord:
    """One document as the executors keep it: what the stages read of it, after boilerplate is redone."""

    id: str
    text: str
    chars: int
    exact_key: bytes
    line_keys: np.ndarray
    first_length: int  # words on the first pass (an exact pair's passage)
    features: Features
    char_sig: np.ndarray
    anchor_sig: np.ndarray
    repeats: tuple[Repeat, ...]
    spin: SpinResult | None
    spans: list[tuple[int, int]]  # boilerplate left out of the features (redone documents)
    source: str
    line: int | None
    record: dict[str, Any] | None  # the input record (the Spark outputs of --keep and --removed)

    def content(self) -> str:
        return content_text(self.text, self.spans)


@dataclass(frozen=True, slots=True)
class Limits:
    """The stage constants, read on the driver when the scan starts (a test may change them there; the
    executors' own modules would not see it)."""

    batch: int
    redo_batch: int
    star_bucket: int
    sentence_postings: int
    passage_keys: int
    passage_postings: int
    listed_cluster_limit: int

    @classmethod
    def now(cls) -> Limits:
        from dedup.index import lsh
        from dedup.stages import boilerplate, candidates, pipeline, verify

        return cls(pipeline.BATCH, boilerplate.BATCH, lsh.STAR_BUCKET, candidates.SENTENCE_MAX_POSTINGS,
                   candidates.PASSAGE_CHANNEL_KEYS, candidates.PASSAGE_MAX_POSTINGS, verify.LISTED_CLUSTER_LIMIT)


@dataclass
class SparkScan:
    """A scan's results as RDDs on the executors, and the counts the summary prints.

    ``documents``: ``(i, DocRecord)`` for every document; ``pairs``: ``((i, j), Pair)``, listed pairs;
    ``clusters``: ``(cluster id, (member numbers, representative number, pairs not listed))``.
    """

    documents: RDD[tuple[int, DocRecord]]
    pairs: RDD[tuple[tuple[int, int], Pair]]
    clusters: RDD[tuple[int, tuple[list[int], int, int]]]
    config: ScanConfig
    summary: dict[str, Any]


# ---------------------------------------------------------------------------------------------------------
# Executor-side functions (module level: pickled by reference, imported on the executors).


def _analyse(config: ScanConfig, job: tuple[int, list[tuple[str, str, str, int | None, dict[str, Any] | None]]]
             ) -> list[tuple[int, DocRecord]]:
    from dedup.stages.analyse import Batch, analyse_batch  # in here: stages sit above engines
    start, docs = job
    from dedup.engine.spark import _run_batch

    result = _run_batch(analyse_batch, Batch(start, [d[1] for d in docs], None, config))
    out = []
    for k, (doc_id, text, source, line, record) in enumerate(docs):
        out.append((start + k, DocRecord(
            id=doc_id, text=text, chars=len(text), exact_key=result.exact_keys[k], line_keys=result.line_keys[k],
            first_length=int(result.lengths[k]), features=result.features(k), char_sig=result.char_sigs[k],
            anchor_sig=result.anchor_sigs[k] if config.spun_pairs else result.char_sigs[k][:0],
            repeats=result.repeats.get(k, ()), spin=result.spins[k], spans=[], source=source, line=line,
            record=record)))
    return out


def _redo(config: ScanConfig, min_docs: int, size: int,
          items: Iterable[tuple[int, tuple[DocRecord, Iterable[tuple[int, int | None]]]]]
          ) -> Iterator[tuple[int, DocRecord]]:
    """Documents analysed again without their boilerplate lines (``redo_without_boilerplate``), each with the
    corpus counts of its lines."""
    from dedup.engine.spark import _run_batch
    from dedup.stages.analyse import Batch, analyse_batch

    items = iter(items)
    while chunk := list(itertools.islice(items, size)):
        spans = []
        for _, (rec, counts) in chunk:
            stats = LineStats(min_docs)
            stats.doc_freq = Counter({k: c for k, c in counts if c is not None})
            spans.append(boilerplate_spans(rec.text, stats))
        again = _run_batch(analyse_batch, Batch(0, [rec.text for _, (rec, _) in chunk], spans, config))
        for k, (i, (rec, _)) in enumerate(chunk):
            rec.features = again.features(k)
            rec.repeats = again.repeats.get(k, ())
            rec.char_sig = again.char_sigs[k]
            if config.spun_pairs:
                rec.anchor_sig = again.anchor_sigs[k]
            rec.spans = spans[k]
            yield i, rec


def _band_entries(params: tuple[int, int], use_anchors: bool,
                  items: Iterable[tuple[int, DocRecord]]) -> Iterator[tuple[tuple[int, int], tuple[int, bytes]]]:
    """``((band, band key), (document, the band's rows))`` for every band of every judged head here."""
    from dedup.index.lsh import band_keys
    bands, rows = params
    docs = [(i, rec) for i, rec in items if rec.features.length >= MIN_JUDGED_WORDS]
    if not docs:
        return
    sigs = np.stack([rec.anchor_sig if use_anchors else rec.char_sig for _, rec in docs])
    keys = band_keys(sigs, list(range(bands)), rows)
    for band in range(bands):
        block = sigs[:, band * rows : (band + 1) * rows]
        for k, (i, _) in enumerate(docs):
            yield (band, int(keys[band, k])), (i, block[k].tobytes())


def _bucket_pairs(star_bucket: int, item: tuple[Any, Iterable[tuple[int, bytes]]]) -> list[tuple[int, int]]:
    """A band bucket's pairs, as ``dedup.index.lsh`` makes them: every pair, or past ``star_bucket`` members each
    with the first; only pairs whose rows are equal (a key collision is no candidate)."""
    from dedup.index.lsh import bucket_pairs, bucket_stars
    members = sorted(item[1])
    size = len(members)
    if size < 2:
        return []
    order = np.arange(size)
    starts, sizes = np.array([0]), np.array([size])
    first, second = (bucket_stars if size > star_bucket else bucket_pairs)(order, starts, sizes)
    return [(members[a][0], members[b][0]) for a, b in zip(first.tolist(), second.tolist(), strict=True)
            if members[a][1] == members[b][1]]


def _key_entries(kind: int, min_length: int, items: Iterable[tuple[int, DocRecord]]
                 ) -> Iterator[tuple[int, tuple[int, int]]]:
    """``(key, (document, how many keys it holds))`` for the sentence or passage keys of the heads here."""
    for i, rec in items:
        if rec.features.length < min_length:
            continue
        keys = rec.features.sentences if kind == SENTENCES else rec.features.passage_keys
        for key in keys.tolist():
            yield key, (i, len(keys))


def _posting_pairs(max_postings: int, item: tuple[int, Iterable[tuple[int, int]]]
                   ) -> list[tuple[tuple[int, int, int, int], int]]:
    members = sorted(item[1])
    if not 1 < len(members) <= max_postings:
        return []
    return [((a[0], b[0], a[1], b[1]), 1) for a, b in itertools.combinations(members, 2)]


def _shares_enough(min_share: float, min_shared: int, item: tuple[tuple[int, int, int, int], int]) -> bool:
    (_, _, size_a, size_b), shared = item
    return bool(shared >= np.maximum(min_shared, min_share * np.minimum(size_a, size_b)))


def _route(partitions: int, item: tuple[tuple[int, int], int]) -> list[tuple[int, int]]:
    """The records a pair needs, as ``(document, partition of the pair)``."""
    (i, j), _ = item
    return [(i, i % partitions), (j, i % partitions)]


def _passes_estimates(config: ScanConfig, flags: int, a: DocRecord, b: DocRecord) -> bool:
    """Whether the channels that proposed the pair keep it (``find_candidates``' filters, on this one pair)."""
    from dedup.index.filters import EstimateFilter, SpunEstimateFilter
    if flags & (SENTENCES | PASSAGES):
        return True
    pair = np.array([[0, 1]])
    sizes = np.array([len(a.features.chars), len(b.features.chars)], dtype=np.int64)
    char_sigs = np.stack((a.char_sig, b.char_sig))
    if flags & CHARS and EstimateFilter(sizes, config.near_threshold, config.partial_threshold)(pair, char_sigs)[0]:
        return True
    if flags & ANCHORS:
        spun = SpunEstimateFilter(char_sigs, sizes, SPUN_ANCHORS, SPUN_CANDIDATE)
        return bool(spun(pair, np.stack((a.anchor_sig, b.anchor_sig)))[0])
    return False


def _decide(config: ScanConfig, i: int, j: int, a: DocRecord, b: DocRecord) -> Pair:
    return decide_pair(a.id, b.id, a.features, b.features, config, texts=lambda: (a.text, b.text),
                       contents=lambda: (a.content(), b.content()))


def _verify_partition(config: ScanConfig, filtered: bool, items: Iterable[tuple[int, tuple[Any, ...]]]
                      ) -> Iterator[tuple[tuple[int, int], Pair]]:
    """The pairs sent to this partition that are copies, each decided once; every record read once here."""
    from dedup.engine.spark import _run_batch

    records: dict[int, DocRecord] = {}
    pairs: list[tuple[int, int, int]] = []
    for _, value in items:
        if value[0] == "r":
            records[value[1]] = value[2]
        else:
            pairs.append((value[1], value[2], value[3]))
    pairs.sort()

    def decide(_: None) -> list[tuple[tuple[int, int], Pair]]:
        found = []
        for i, j, flags in pairs:
            a, b = records[i], records[j]
            if filtered and not _passes_estimates(config, flags, a, b):
                continue
            pair = _decide(config, i, j, a, b)
            if pair.relation:
                found.append(((i, j), pair))
        return found

    yield from _run_batch(decide, None)


# ---------------------------------------------------------------------------------------------------------
# The driver's side.


def _documents_of(documents: Iterable[Any], with_records: bool
                  ) -> Iterator[tuple[str, str, str, int | None, dict[str, Any] | None]]:
    for item in documents:
        if with_records:
            doc, record = item
            line = dict(record) if record is not None else {"id": doc.id, "text": doc.text}
            yield doc.id, doc.text, doc.source, doc.line, line
        else:
            yield item.id, item.text, item.source, item.line, None


def scan_on_spark(
    engine: SparkEngine,
    documents: Iterable[Any],
    config: ScanConfig,
    *,
    notices: dict[str, int] | None = None,
    notice_messages: Iterable[str] = (),
    progress: Progress | None = None,
    keep_texts: bool = True,
    collect: bool = True,
    with_records: bool = False,
) -> Report | SparkScan:
    """The scan on ``engine``'s Spark context: a ``Report`` (``collect``), or the results as a ``SparkScan``.

    ``with_records``: ``documents`` yields ``(Document, record)`` as ``Corpus.records`` does, and each
    record travels with its document (for the Spark outputs of ``--keep`` and ``--removed``).
    """
    from pyspark import StorageLevel

    from dedup.index.lsh import lsh_params
    from dedup.stages.exact import whole_passage

    tick = progress or (lambda stage, done, total: None)
    limits = Limits.now()
    sc = engine.context
    parts = engine.workers
    disk = StorageLevel.DISK_ONLY

    # 1. Analyse, wave by wave; each wave's records are kept on the executors and cut from their lineage.
    waves: list[RDD[tuple[int, DocRecord]]] = []
    n = 0
    wave_size = engine.wave_batches()

    def jobs() -> Iterator[tuple[int, list[tuple[str, str, str, int | None, dict[str, Any] | None]]]]:
        nonlocal n
        docs = _documents_of(documents, with_records)
        while chunk := list(itertools.islice(docs, limits.batch)):
            yield n, chunk
            n += len(chunk)

    for wave in engine.staged(jobs(), wave_size, lambda rdd: rdd.flatMap(lambda job: _analyse(config, job))):
        waves.append(wave)
        tick("analysing", n, None)
    tick("analysing", n, n)
    if n == 0:
        return _empty(config, notices, notice_messages, collect, sc)
    # Partitions of the shuffles: the executors' cores, more for a large corpus (a few thousand documents a
    # partition keeps a verifying task's records in memory small); every job costs a task per partition.
    parts = engine.partitions or max(parts, min(n // 5_000, 64 * engine.workers))
    docs = sc.union(waves).partitionBy(parts).persist(disk) if len(waves) > 1 else waves[0]
    _check_ids(docs)

    # 2. Exact groups: each group's first document is its head; the others are paired with it.
    groups = (docs.filter(lambda kv: len(kv[1].exact_key) > 0).map(lambda kv: (kv[1].exact_key, kv[0]))
              .groupByKey(parts).map(lambda kv: sorted(kv[1])).filter(lambda m: len(m) > 1))
    member_of = groups.flatMap(lambda m: [(x, m[0]) for x in m[1:]]).persist(disk)  # (member, head)
    heads = docs.subtractByKey(member_of, parts).persist(disk)  # read by four steps below: computed once

    # 3. Boilerplate: lines counted over the heads; the heads holding a common line are analysed again.
    min_docs = config.boilerplate_min_docs
    counts = (heads.flatMap(lambda kv: [(k, 1) for k in kv[1].line_keys.tolist()])
              .reduceByKey(operator.add, parts).persist(disk))
    common = counts.filter(lambda kc: kc[1] >= min_docs)
    redo = (heads.flatMap(lambda kv: [(k, kv[0]) for k in kv[1].line_keys.tolist()]).join(common, parts)
            .map(lambda kv: (kv[1][0], None)).distinct(parts))
    redo_records = heads.join(redo, parts).mapValues(lambda v: v[0])
    needed = redo_records.flatMap(lambda kv: [(k, kv[0]) for _, _, k in line_keys(kv[1].text) if k is not None])
    line_counts = needed.leftOuterJoin(counts, parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).groupByKey(parts)
    redo_batch = limits.redo_batch
    redone = redo_records.join(line_counts, parts).mapPartitions(
        lambda items: _redo(config, min_docs, redo_batch, items))
    redone = redone.persist(disk)
    redone_count = redone.count()
    if redone_count:  # else the heads stand as they are: no shuffle of every record again
        first_pass = heads
        heads = heads.subtractByKey(redone, parts).union(redone).partitionBy(parts).persist(disk)
        heads.count()
        first_pass.unpersist()
    tick("boilerplate", redone_count, redone_count)

    # 4. Candidates, by shuffles on the channels' keys; each pair with the flags of the channels that found it.
    channels = [_lsh_pairs(heads, lsh_params(config.lsh_threshold, config.num_perm), False, limits, parts)
                .map(lambda p: (p, CHARS))]
    if config.spun_pairs:
        channels.append(_lsh_pairs(heads, lsh_params(config.anchor_threshold, config.num_perm), True, limits, parts)
                        .map(lambda p: (p, ANCHORS)))
    channels.append(_shared_key_pairs(heads, SENTENCES, MIN_JUDGED_WORDS, config.sentence_min_share, 1,
                                      limits.sentence_postings, parts).map(lambda p: (p, SENTENCES)))
    if config.passages:
        channels.append(_shared_key_pairs(heads, PASSAGES, config.min_passage, 0.0, limits.passage_keys,
                                          limits.passage_postings, parts).map(lambda p: (p, PASSAGES)))
    candidates = sc.union(channels).reduceByKey(operator.or_, parts).persist(disk)
    tick("indexing", 1, 1)

    # 5. Verify where the records are: each pair in its first document's partition, each record sent once.
    verified = _verify(heads, candidates, config, parts, filtered=True).persist(disk)
    tick("verifying", 1, 1)

    # The exact pairs: (head, member), each with its one passage, the whole of both.
    info = docs.mapValues(lambda r: (r.id, r.chars, r.first_length))
    exact = (member_of.join(info, parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
             .join(info, parts)
             .map(lambda kv: ((kv[0], kv[1][0][0]), Pair(kv[1][1][0], kv[1][0][1][0], "exact", 1.0, 1.0, 1.0,
                                                         passages=whole_passage(kv[1][1][1], kv[1][0][1][1],
                                                                                kv[1][1][2], kv[1][0][1][2])))))
    pairs = exact.union(verified).persist(disk)

    # 6. Clusters: components of the copy pairs, numbered by their first member.
    from dedup.engine.spark import connected_components

    edges = pairs.filter(lambda kv: kv[1].relation in COPY).keys().persist()
    policy = config.keep_policy
    if edges.isEmpty():  # no copies: no clusters (and no rounds of the components' iteration)
        tick("clustering", 1, 1)
        empty = sc.emptyRDD()
        if not collect:
            return SparkScan(docs, pairs, empty, config, _summary(docs, pairs, empty, notices))
        return _report(docs, pairs, empty, config, notices, notice_messages, keep_texts, parts)
    labels = connected_components(edges)
    clusters: RDD[Any] = (labels.join(docs.mapValues(lambda r: r.chars), parts)
                .map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).groupByKey(parts)
                .mapValues(lambda ms: _members_and_rep(ms, policy))
                .sortByKey(numPartitions=parts).values().zipWithIndex()
                .map(lambda mi: (mi[1] + 1, mi[0])).persist(disk))

    # 7. Clusters past the listing limit list only each member's pair with the representative.
    pairs, clusters = _list_big(pairs, clusters, heads, config, limits.listed_cluster_limit, parts)
    tick("clustering", 1, 1)

    if not collect:
        return SparkScan(docs, pairs, clusters, config, _summary(docs, pairs, clusters, notices))
    return _report(docs, pairs, clusters, config, notices, notice_messages, keep_texts, parts)


def _members_and_rep(found: Iterable[tuple[int, int]], policy: str) -> tuple[list[int], int]:
    members = sorted(found)
    rep = members[0] if policy == "first" else min(members, key=lambda m: (-m[1], m[0]))
    return [m for m, _ in members], rep[0]


def _lsh_pairs(heads: RDD[tuple[int, DocRecord]], params: tuple[int, int], anchors: bool, limits: Limits,
               parts: int) -> RDD[tuple[int, int]]:
    star = limits.star_bucket
    return (heads.mapPartitions(lambda items: _band_entries(params, anchors, items))
            .groupByKey(parts).flatMap(lambda item: _bucket_pairs(star, item)))


def _shared_key_pairs(heads: RDD[tuple[int, DocRecord]], kind: int, min_length: int, min_share: float,
                      min_shared: int, max_postings: int, parts: int) -> RDD[tuple[int, int]]:
    return (heads.mapPartitions(lambda items: _key_entries(kind, min_length, items))
            .groupByKey(parts).flatMap(lambda item: _posting_pairs(max_postings, item))
            .reduceByKey(operator.add, parts).filter(lambda item: _shares_enough(min_share, min_shared, item))
            .map(lambda item: (item[0][0], item[0][1])))


def _verify(heads: RDD[tuple[int, DocRecord]], candidates: RDD[tuple[tuple[int, int], int]], config: ScanConfig,
            parts: int, *, filtered: bool) -> RDD[tuple[tuple[int, int], Pair]]:
    routes = candidates.flatMap(lambda item: _route(parts, item)).distinct(parts)
    records = routes.join(heads, parts).map(lambda kv: (kv[1][0], ("r", kv[0], kv[1][1])))
    work = candidates.map(lambda item: (item[0][0] % parts, ("p", item[0][0], item[0][1], item[1])))
    return (records.union(work).partitionBy(parts, lambda p: p)
            .mapPartitions(lambda items: _verify_partition(config, filtered, items)))


def _list_big(pairs: RDD[tuple[tuple[int, int], Pair]], clusters: RDD[Any],
              heads: RDD[tuple[int, DocRecord]], config: ScanConfig, limit: int, parts: int,
              ) -> tuple[RDD[tuple[tuple[int, int], Pair]], RDD[tuple[int, tuple[list[int], int, int]]]]:
    """``dedup.stages.verify.list_big_clusters`` with joins: in clusters past ``limit`` members, only each
    member's pair with the representative is listed (verified now where it was not yet)."""
    big = clusters.filter(lambda c: len(c[1][0]) > limit).persist()
    if big.isEmpty():
        big.unpersist()
        return pairs, clusters.mapValues(lambda c: (c[0], c[1], 0))
    where = big.flatMap(lambda c: [(m, (c[0], c[1][1])) for m in c[1][0]]).persist()  # member -> (cluster, rep)
    # Each pair with the cluster of its first document (as list_big_clusters reads it) and of its second.
    tagged = (pairs.map(lambda kv: (kv[0][0], kv)).leftOuterJoin(where, parts)
              .map(lambda kv: (kv[1][0][0][1], (kv[1][0], kv[1][1]))).leftOuterJoin(where, parts)
              .map(lambda kv: (kv[1][0][0], kv[1][0][1], kv[1][1])))

    def listed(item: tuple[Any, Any, Any]) -> bool:
        (ij, pair), first, second = item
        if first is None:
            return True
        inside = second is not None and second[0] == first[0]
        return first[1] in ij or (pair.relation not in COPY and not inside)

    kept = tagged.filter(listed).persist()
    with_rep = kept.filter(lambda t: t[1] is not None).map(_other_end)
    # Members (heads, as their representatives) with no listed pair with the representative: verified now.
    head_numbers = heads.mapValues(lambda _: None)
    missing = (where.filter(lambda kv: kv[0] != kv[1][1]).subtractByKey(with_rep, parts)
               .join(head_numbers, parts).map(lambda kv: (kv[1][0][1], kv[0])).join(head_numbers, parts)
               .map(lambda kv: ((min(kv[0], kv[1][0]), max(kv[0], kv[1][0])), 0)))
    found = _verify(heads, missing, config, parts, filtered=False).persist()
    listed_pairs = kept.map(lambda t: t[0]).union(found)
    with_rep_all = with_rep.union(found.map(lambda kv: (kv[0][0], kv[0])).join(where, parts)
                                  .map(lambda kv: (kv[1][0][0] + kv[1][0][1] - kv[1][1][1], None)))
    # An exact copy that is no head keeps its exact pair with its head when it has none with the representative.
    exact_back = (tagged.filter(lambda t: t[0][1].relation == "exact" and t[2] is not None)
                  .map(lambda t: (t[0][0][1], t[0])).subtractByKey(head_numbers, parts)
                  .subtractByKey(with_rep_all, parts).persist())
    listed_pairs = listed_pairs.union(exact_back.values())
    with_rep_all = with_rep_all.union(exact_back.mapValues(lambda _: None))
    counted = (with_rep_all.distinct(parts).join(where, parts).map(lambda kv: (kv[1][1][0], 1))
               .reduceByKey(operator.add, parts))

    def not_listed(kv: tuple[int, tuple[tuple[list[int], int], int | None]]) -> tuple[int, tuple[list[int], int, int]]:
        cid, ((members, rep), count) = kv
        size = len(members)
        return cid, (members, rep, size * (size - 1) // 2 - (count or 0))

    figures = clusters.leftOuterJoin(counted, parts).map(
        lambda kv: not_listed(kv) if len(kv[1][0][0]) > limit else (kv[0], (kv[1][0][0], kv[1][0][1], 0)))
    return listed_pairs.persist(), figures.persist()


def _other_end(t: Any) -> tuple[int, None]:
    """A listed pair's end that is not its cluster's representative (``list_big_clusters``' ``with_rep``)."""
    (ij, _), (_, rep), _ = t
    return ij[0] + ij[1] - rep, None


def _check_ids(docs: RDD[tuple[int, DocRecord]]) -> None:
    """Refuse a reused id as the local reader does, naming the first document that reuses one."""
    repeated = (docs.map(lambda kv: (kv[1].id, (kv[0], kv[1].source, kv[1].line))).groupByKey()
                .mapValues(sorted).filter(lambda kv: len(kv[1]) > 1)
                .map(lambda kv: (kv[1][1][0], (kv[0], kv[1][0][0], kv[1][1][1], kv[1][1][2]))))
    first = repeated.takeOrdered(1)
    if first:
        at, (doc_id, original, source, line) = first[0]
        where = f"{source}:{line}" if source else f"document {at + 1}"
        raise InputError(f"duplicate id {doc_id!r} (first at document {original + 1})", path=where,
                         hint="Give every document a unique id")


def _summary(docs: RDD[tuple[int, DocRecord]], pairs: RDD[tuple[tuple[int, int], Pair]],
             clusters: RDD[tuple[int, tuple[list[int], int, int]]], notices: dict[str, int] | None
             ) -> dict[str, Any]:
    """``Report.summary``, counted on the executors."""
    from dedup.report.report import RELATIONS

    relations = {r: 0 for r in RELATIONS}
    relations.update(pairs.map(lambda kv: (kv[1].relation, 1)).reduceByKey(operator.add).collectAsMap())
    n = docs.count()
    figures = docs.map(lambda kv: (1 if kv[1].spin is not None and kv[1].spin.spun else 0, 1 if kv[1].repeats else 0))
    spun, repeats = figures.fold((0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    sizes = clusters.map(lambda c: (1, len(c[1][0]) - 1, c[1][2])).fold((0, 0, 0), lambda a, b: (
        a[0] + b[0], a[1] + b[1], a[2] + b[2]))
    summary: dict[str, Any] = {
        "documents": n, "pairs": sum(relations.values()), "relations": relations, "clusters": sizes[0],
        "kept": n - sizes[1], "removed": sizes[1], "spun_documents": spun, "documents_with_repeats": repeats,
        "notices": dict(sorted((notices or {}).items())),
    }
    if sizes[2]:
        summary["pairs_not_listed"] = sizes[2]
    return summary


def _report(docs: RDD[tuple[int, DocRecord]], pairs: RDD[tuple[tuple[int, int], Pair]],
            clusters: RDD[tuple[int, tuple[list[int], int, int]]], config: ScanConfig,
            notices: dict[str, int] | None, notice_messages: Iterable[str], keep_texts: bool, parts: int) -> Report:
    """The report, gathered on the driver: every document, pair and cluster it lists."""
    results = docs.mapValues(lambda r: DocumentResult(id=r.id, chars=r.chars, spin=r.spin, repeats=r.repeats))
    documents = [d for _, d in sorted(results.collect(), key=operator.itemgetter(0))]
    listed = [p for _, p in sorted(pairs.collect(), key=operator.itemgetter(0))]
    ids = docs.mapValues(lambda r: r.id)
    named = (clusters.flatMap(lambda c: [(m, (c[0], k)) for k, m in enumerate(c[1][0])] + [(c[1][1], (c[0], -1))])
             .join(ids).map(lambda kv: (kv[1][0][0], (kv[1][0][1], kv[1][1]))).groupByKey()
             .mapValues(sorted).collectAsMap())
    figures = dict(clusters.mapValues(lambda c: c[2]).collect())
    found = []
    for cid in sorted(named):
        entries = named[cid]
        rep = entries[0][1]  # position -1: the representative
        found.append(Cluster(id=cid, members=tuple(name for _, name in entries[1:]), representative=rep))
    not_listed = {cid: count for cid, count in figures.items() if count}
    text_of: Callable[[str], str] | None = None
    if keep_texts:
        by_id = docs.map(lambda kv: (kv[1].id, kv[1].text)).partitionBy(parts).persist()

        def text_of(doc_id: str) -> str:
            return by_id.lookup(doc_id)[0]
    return Report(config=config, documents=tuple(documents), pairs=tuple(listed), clusters=tuple(found),
                  notices=dict(notices or {}), notice_messages=tuple(notice_messages), pairs_not_listed=not_listed,
                  texts=text_of)


def _empty(config: ScanConfig, notices: dict[str, int] | None, notice_messages: Iterable[str], collect: bool,
           sc: Any) -> Report | SparkScan:
    report = Report(config=config, documents=(), pairs=(), clusters=(), notices=dict(notices or {}),
                    notice_messages=tuple(notice_messages))
    if collect:
        return report
    empty = sc.emptyRDD()
    return SparkScan(empty, empty, empty, config, report.summary)


# ---------------------------------------------------------------------------------------------------------
# Lines of the outputs (the local engine's files, line for line: dedup.io.outputs).


def pair_csv_line(pair: Pair) -> str:
    """One row of ``write_pairs_csv``, without its line end."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL if "\r" in pair.a or "\r" in pair.b
                        else csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(pair.a), csv_cell(pair.b), pair.relation, f"{pair.score:.6f}", f"{pair.jaccard:.6f}",
                     f"{pair.containment:.6f}"])
    return out.getvalue()[:-1]


def json_line(value: Any) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False, default=str))
