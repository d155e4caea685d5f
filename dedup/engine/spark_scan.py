"""The scan's stages as Spark jobs: every per-document value stays on the executors, in blocks of documents.

``SparkEngine.scan_documents`` runs this in place of the local pipeline (``dedup.stages.pipeline``), with the
local pipeline's stage functions and rules, step for step, so that the documents, pairs, figures, clusters
and representatives are the local engine's whatever the partitioning.

A document lives in the block of its first-pass batch (``Block``: the batch's texts and ids and its
``BatchResult`` as ``analyse_batch`` packed it, numpy arrays rather than an object per document). Block
``b`` (documents ``b * BATCH`` onwards) is in partition ``b % P`` of every RDD keyed by block number, and
so is anything keyed by the number of a partition ``p < P``: with Spark's default partitioner, a small RDD
of numbers keyed so lands beside the blocks it is about, and a union of the two (``_Plan.beside``) reads both in
one task without moving a block. What moves between stages are numpy arrays of keys and document numbers,
one per pair of partitions, not records (measured before: some sixty stages and every record pickled one by
one through several shuffles, 5x the local engine's time on 5,000 documents).

1. Analyse: this process reads the input and sends it out in waves of batches, each wave's texts moved to
   the partitions of their blocks and analysed there (``analyse_batch``); the blocks are kept on the
   executors' disks and cut from the texts that made them, so the driver holds three waves of texts at most
   (two waves' jobs run at a time, so that no core waits for a wave's slowest task, and the next is read).
2. Exact groups (and reused ids): each document's exact key and id, grouped by a shuffle; a group's first
   document is its head, the others are paired with it and marked in their blocks.
3. Boilerplate: the heads' line keys, counted by a shuffle; the counts of the lines two or more heads hold
   go back to those heads' blocks, where the heads holding a line common to ``boilerplate_min_docs`` of
   them are analysed again without their boilerplate (``boilerplate_spans`` reads only those counts: a
   line held once counts one, as it does locally).
4. Candidates: each head's band keys (character and anchor signatures) and sentence and passage keys go to
   the partition of their key; there buckets and postings make pairs by ``dedup.index.lsh``'s rules
   (STAR_BUCKET, rows checked equal, postings limits), which go to the partition of their first document,
   where the shared keys are summed and the shares checked.
5. Verify: each pair is decided in the partition of its first document; the other document, when its
   block is elsewhere, is sent there once however many pairs hold it. The signature estimates filter the
   LSH channels' pairs there (``dedup.index.filters``), then ``decide_pair`` decides.
6. Clusters: ``connected_components`` over the copy pairs, on the executors; clusters numbered by their
   first member, representatives chosen as ``build_clusters`` chooses them.
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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from dedup.config import ScanConfig
from dedup.errors import InputError
from dedup.model import Cluster, DocumentResult, Pair, Repeat
from dedup.report.escape import csv_cell, json_safe
from dedup.report.report import Report
from dedup.sketch.features import Features, content_text
from dedup.verify.boilerplate import LineStats, boilerplate_spans
from dedup.verify.pair import decide_pair
from dedup.verify.relations import MIN_JUDGED_WORDS, SPUN_ANCHORS, SPUN_CANDIDATE

if TYPE_CHECKING:
    from pyspark import RDD

    from dedup.engine.spark import SparkEngine
    from dedup.stages.analyse import BatchResult
    from dedup.stages.pipeline import Progress

__all__ = ["Block", "Limits", "SparkScan", "scan_on_spark"]

COPY = frozenset({"exact", "near_duplicate", "partial", "spun"})  # dedup.stages.verify.COPY_RELATIONS
FAMILY = frozenset({"exact", "near_duplicate", "spun"})  # dedup.stages.verify.FAMILY_RELATIONS
_STRENGTH = {"exact": 0, "near_duplicate": 1, "partial": 2, "spun": 3}  # dedup.io.outputs' order of reasons

# Channel flags of a candidate pair: which channels proposed it (the LSH channels' pairs are filtered on
# their signature estimates, the others are verified as proposed).
CHARS, ANCHORS, SENTENCES, PASSAGES = 1, 2, 4, 8

Input = tuple[str, str, str, "int | None", "dict[str, Any] | None"]  # id, text, source, line, input record


@dataclass(slots=True)
class Block:
    """One first-pass batch of documents as the executors keep it: what the stages read of each document,
    with the boilerplate pass's changes beside the first pass's arrays (``member``: exact copies, which are
    no heads; ``redone``, ``spans``: the heads analysed again without their boilerplate)."""

    start: int
    ids: list[str]
    texts: list[str]
    sources: list[str]
    lines: list[int | None]
    records: list[dict[str, Any] | None] | None  # the input records (the Spark outputs of --keep and --removed)
    result: BatchResult
    char_sigs: np.ndarray
    anchor_sigs: np.ndarray  # empty rows without the spun-copy channel
    repeats: dict[int, tuple[Repeat, ...]]
    member: np.ndarray | None = None  # per document: an exact copy of an earlier one (set by the heads pass)
    redone: dict[int, Features] = field(default_factory=dict)
    spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def features(self, k: int) -> Features:
        found = self.redone.get(k)
        return found if found is not None else self.result.features(k)

    def length(self, k: int) -> int:
        found = self.redone.get(k)
        return found.length if found is not None else int(self.result.lengths[k])

    def keys(self, k: int, kind: int) -> np.ndarray:
        """Document ``k``'s sentence or passage keys (without building its whole ``Features``)."""
        found = self.redone.get(k)
        if kind == SENTENCES:
            return found.sentences if found is not None else self.result.sentences[k]
        return found.passage_keys if found is not None else self.result.passage_keys[k]

    def heads(self) -> list[int]:
        """The positions of the block's heads (every document before the heads pass)."""
        if self.member is None:
            return list(range(len(self.ids)))
        return np.flatnonzero(~self.member).tolist()

    def doc(self, k: int) -> Doc:
        return Doc(self.ids[k], self.texts[k], self.spans.get(k, []), self.features(k), self.char_sigs[k],
                   self.anchor_sigs[k] if len(self.anchor_sigs) else self.char_sigs[k][:0])


@dataclass(slots=True)
class Doc:
    """What verifying a pair reads of one document (sent to the partition of a pair that needs it)."""

    id: str
    text: str
    spans: list[tuple[int, int]]
    features: Features
    char_sig: np.ndarray
    anchor_sig: np.ndarray

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

    ``blocks``: ``(block number, Block)``, every document; ``pairs``: ``((i, j), Pair)``, listed pairs;
    ``clusters``: ``(cluster id, (member numbers, representative number, pairs not listed))``.
    """

    blocks: RDD[tuple[int, Block]]
    pairs: RDD[tuple[tuple[int, int], Pair]]
    clusters: RDD[tuple[int, tuple[list[int], int, int]]]
    config: ScanConfig
    summary: dict[str, Any]
    partitions: int = 1
    batch: int = 1  # documents in every block but the last: document i is in block i // batch

    def ids(self) -> RDD[tuple[int, str]]:
        """``(document number, id)`` for every document."""
        return self.blocks.flatMap(lambda kv: [(kv[1].start + k, x) for k, x in enumerate(kv[1].ids)])

    def records(self) -> RDD[tuple[int, dict[str, Any] | None]]:
        """``(document number, input record)`` for every document (scanned ``with_records``)."""
        return self.blocks.flatMap(lambda kv: [(kv[1].start + k, r) for k, r in enumerate(kv[1].records or [])])


# ---------------------------------------------------------------------------------------------------------
# Executor-side functions (module level: pickled by reference, imported on the executors).


def _split(target: np.ndarray, *arrays: np.ndarray) -> Iterator[tuple[int, tuple[np.ndarray, ...]]]:
    """``(p, arrays' rows whose target is p)`` for every partition ``p`` some row goes to, rows in order."""
    if len(target) == 0:
        return
    order = np.argsort(target, kind="stable")
    ordered = target[order]
    cuts = np.flatnonzero(np.diff(ordered)) + 1
    for part in np.split(order, cuts):
        yield int(target[part[0]]), tuple(a[part] for a in arrays)


def _analyse(config: ScanConfig, with_spun: bool, items: Iterable[tuple[int, tuple[int, list[Input]]]]
             ) -> Iterator[tuple[int, Block]]:
    """Each batch here analysed into its block."""
    from dedup.engine.spark import _run_batch
    from dedup.stages.analyse import Batch, analyse_batch  # in here: stages sit above engines

    for b, (start, docs) in items:
        result = _run_batch(analyse_batch, Batch(start, [d[1] for d in docs], None, config))
        records = [d[4] for d in docs] if any(d[4] is not None for d in docs) else None
        yield b, Block(start, [d[0] for d in docs], [d[1] for d in docs], [d[2] for d in docs],
                       [d[3] for d in docs], records, result, result.char_sigs,
                       result.anchor_sigs if with_spun else result.char_sigs[:0], dict(result.repeats))


def _gather(items: Iterable[tuple[int, Any]]) -> tuple[list[Any], Iterator[Block]]:
    """A partition of ``small.union(blocks)``: the small RDD's values (read first, they come first), and an
    iterator over the blocks, read one by one as it is walked."""
    items = iter(items)
    small: list[Any] = []
    for _, value in items:
        if isinstance(value, Block):
            return small, itertools.chain([value], (v for _, v in items))
        small.append(value)
    return small, iter(())


def _line_entries(parts: int, items: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, tuple[np.ndarray, ...]]]:
    """The heads' line keys with their documents, ``(p, (keys, documents))`` for the partition of each key.
    ``items``: the exact copies' numbers, then the blocks."""
    members, blocks = _gather(items)
    copies = {i for _, i in members}
    keys, docs = [], []
    for block in blocks:
        ragged = block.result.line_keys
        for k in range(len(block)):
            i = block.start + k
            if i not in copies:
                found = ragged[k]
                keys.append(found)
                docs.append(np.full(len(found), i, dtype=np.int64))
    if keys:
        flat = np.concatenate(keys).astype(np.int64)
        yield from _split((flat.view(np.uint64) % np.uint64(parts)).astype(np.int64), flat, np.concatenate(docs))


def _shared_lines(parts: int, batch: int, items: Iterable[tuple[int, tuple[np.ndarray, ...]]]
                  ) -> Iterator[tuple[int, tuple[str, np.ndarray, np.ndarray, np.ndarray]]]:
    """The lines here held by two heads or more: ``(p, ("l", documents, keys, counts))`` for the partition
    of each document's block (a line held once counts one, as ``boilerplate_spans`` reads it)."""
    found = [v for _, v in items]
    if not found:
        return
    keys = np.concatenate([f[0] for f in found])
    docs = np.concatenate([f[1] for f in found])
    distinct, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    per_entry = counts[inverse.reshape(-1)]
    shared = per_entry >= 2
    docs, keys, per_entry = docs[shared], keys[shared], per_entry[shared]
    for p, (d, k, c) in _split((docs // batch) % parts, docs, keys, per_entry):
        yield p, ("l", d, k, c)


def _heads(config: ScanConfig, min_docs: int, size: int, batch: int, items: Iterable[tuple[int, Any]]
           ) -> Iterator[tuple[int, Block]]:
    """The blocks with their exact copies marked, and the heads holding a common line analysed again
    without their boilerplate lines (``redo_without_boilerplate``), in batches of ``size``."""
    from dedup.engine.spark import _run_batch
    from dedup.stages.analyse import Batch, analyse_batch

    small, blocks = _gather(items)
    copies: set[int] = set()
    counts: dict[int, dict[int, int]] = {}
    for value in small:
        if value[0] == "m":
            copies.add(value[1])
        else:
            _, docs, keys, found = value
            for i, k, c in zip(docs.tolist(), keys.tolist(), found.tolist(), strict=True):
                counts.setdefault(i, {})[k] = c
    for block in blocks:
        block.member = np.array([block.start + k in copies for k in range(len(block))], dtype=bool)
        redo = [k for k in block.heads() if any(c >= min_docs for c in counts.get(block.start + k, {}).values())]
        for at in range(0, len(redo), size):
            chunk = redo[at : at + size]
            spans = []
            for k in chunk:
                stats = LineStats(min_docs)
                stats.doc_freq = Counter(counts[block.start + k])
                spans.append(boilerplate_spans(block.texts[k], stats))
            again = _run_batch(analyse_batch, Batch(0, [block.texts[k] for k in chunk], spans, config))
            if at == 0:
                block.char_sigs = block.char_sigs.copy()
                block.anchor_sigs = block.anchor_sigs.copy()
            for n, k in enumerate(chunk):
                block.redone[k] = again.features(n)
                block.repeats.pop(k, None)
                if n in again.repeats:
                    block.repeats[k] = again.repeats[n]
                block.char_sigs[k] = again.char_sigs[n]
                if len(block.anchor_sigs):
                    block.anchor_sigs[k] = again.anchor_sigs[n]
                block.spans[k] = spans[n]
        yield block.start // batch, block


@dataclass(frozen=True, slots=True)
class _Channels:
    """What finding candidates reads: the channels' parameters (from the config and ``Limits``)."""

    char_bands: tuple[int, int]
    anchor_bands: tuple[int, int] | None
    sentence_share: float
    sentence_postings: int
    passage_length: int | None  # None: no passage channel
    passage_keys: int
    passage_postings: int
    star_bucket: int

    def share(self, channel: int) -> tuple[float, int]:
        """A shared-key channel's ``min_share`` and ``min_shared`` (``shared_key_pairs``)."""
        return (self.sentence_share, 1) if channel == SENTENCES else (0.0, self.passage_keys)


def _channel_entries(ch: _Channels, parts: int, items: Iterable[tuple[int, Block]]
                     ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Every key of every channel of the heads here, ``(p, (channel, ...arrays))`` for the partition of
    each key: band keys with the band's rows, sentence and passage keys with how many keys their document
    holds."""
    from dedup.index.lsh import band_keys

    judged: list[tuple[Block, int]] = []
    long: list[tuple[Block, int]] = []
    for _, block in items:
        for k in block.heads():
            length = block.length(k)
            if length >= MIN_JUDGED_WORDS:
                judged.append((block, k))
            if ch.passage_length is not None and length >= ch.passage_length:
                long.append((block, k))
    p64 = np.uint64(parts)
    docs = np.array([b.start + k for b, k in judged], dtype=np.int64)
    for channel, params in ((CHARS, ch.char_bands), (ANCHORS, ch.anchor_bands)):
        if params is None or not judged:
            continue
        bands, rows = params
        sigs = np.stack([(b.anchor_sigs if channel == ANCHORS else b.char_sigs)[k] for b, k in judged])
        keys = band_keys(sigs, list(range(bands)), rows)  # (bands, documents)
        for band in range(bands):
            band_rows = np.ascontiguousarray(sigs[:, band * rows : (band + 1) * rows])
            for p, (kk, dd, rr) in _split((keys[band] % p64).astype(np.int64), keys[band], docs, band_rows):
                yield p, (channel, band, kk, dd, rr)
    for channel, chosen in ((SENTENCES, judged), (PASSAGES, long)):
        if not chosen:
            continue
        arrays = [b.keys(k, channel) for b, k in chosen]
        sizes = np.array([len(a) for a in arrays], dtype=np.int64)
        if sizes.sum() == 0:
            continue
        flat = np.concatenate(arrays).astype(np.uint64)
        owners = np.repeat(np.array([b.start + k for b, k in chosen], dtype=np.int64), sizes)
        for p, (kk, dd, ss) in _split((flat % p64).astype(np.int64), flat, owners, np.repeat(sizes, sizes)):
            yield p, (channel, -1, kk, dd, ss)


def _channel_pairs(ch: _Channels, n: int, parts: int, batch: int, items: Iterable[tuple[int, tuple[Any, ...]]]
                   ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The pairs the keys here make, ``(p, (channel, pair codes, shared keys, sizes a, sizes b))`` for the
    partition of each pair's first document; a pair's code is ``i * n + j``, ``i < j``."""
    from dedup.index.lsh import bucket_pairs, bucket_stars

    by_channel: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for _, (channel, band, *arrays) in items:
        by_channel.setdefault((channel, band), []).append(tuple(arrays))
    out: dict[int, list[np.ndarray]] = {}
    for (channel, _band), found in sorted(by_channel.items(), key=operator.itemgetter(0)):
        keys = np.concatenate([f[0] for f in found])
        docs = np.concatenate([f[1] for f in found])
        extra = np.concatenate([f[2] for f in found])
        order = np.lexsort((docs, keys))  # by key, then document: a bucket's members in document order
        keys, docs, extra = keys[order], docs[order], extra[order]
        cuts = np.flatnonzero(np.diff(keys)) + 1
        starts = np.concatenate(([0], cuts))
        sizes = np.diff(np.concatenate((starts, [len(keys)])))
        positions = np.arange(len(keys))
        if channel in (CHARS, ANCHORS):
            keep = sizes > 1
            big = keep & (sizes > ch.star_bucket)
            first, second = bucket_pairs(positions, starts[keep & ~big], sizes[keep & ~big])
            if big.any():
                star_first, star_second = bucket_stars(positions, starts[big], sizes[big])
                first, second = np.concatenate((first, star_first)), np.concatenate((second, star_second))
            same = (extra[first] == extra[second]).all(axis=1)  # a key collision is no candidate
            codes = docs[first[same]] * n + docs[second[same]]
            shared = size_a = size_b = np.zeros(len(codes), dtype=np.int64)
        else:
            limit = ch.sentence_postings if channel == SENTENCES else ch.passage_postings
            group = (sizes > 1) & (sizes <= limit)
            first, second = bucket_pairs(positions, starts[group], sizes[group])
            codes, at, shared = np.unique(docs[first] * n + docs[second], return_index=True, return_counts=True)
            size_a, size_b = extra[first][at], extra[second][at]
        for p, split in _split(((codes // n) // batch) % parts, codes, shared, size_a, size_b):
            out.setdefault(p, []).append(np.full(len(split[0]), channel, dtype=np.int64))
            out[p].extend(split)
    for p, arrays in out.items():
        yield p, ("c", *(np.concatenate(arrays[k::5]) for k in range(5)))


def _candidates(ch: _Channels, index: int, items: Iterable[tuple[int, tuple[Any, ...]]]
                ) -> Iterator[tuple[int, tuple[str, np.ndarray, np.ndarray]]]:
    """The candidate pairs of this partition's first documents, ``(index, ("c", codes, channel flags))``,
    sorted and distinct: the shared-key channels' pairs only where they share enough (``shared_key_pairs``)."""
    found = [v for _, v in items]
    if not found:
        return
    channels, codes, shared, size_a, size_b = (np.concatenate([f[k] for f in found]) for k in range(1, 6))
    kept: list[np.ndarray] = []
    kept_flags: list[np.ndarray] = []
    for channel in (CHARS, ANCHORS, SENTENCES, PASSAGES):
        mine = channels == channel
        if not mine.any():
            continue
        distinct, at, inverse = np.unique(codes[mine], return_index=True, return_inverse=True)
        if channel in (SENTENCES, PASSAGES):
            total = np.zeros(len(distinct), dtype=np.int64)
            np.add.at(total, inverse.reshape(-1), shared[mine])
            min_share, min_shared = ch.share(channel)
            distinct = distinct[total >= np.maximum(min_shared, min_share * np.minimum(size_a[mine][at],
                                                                                      size_b[mine][at]))]
        kept.append(distinct)
        kept_flags.append(np.full(len(distinct), channel, dtype=np.int64))
    distinct, inverse = np.unique(np.concatenate(kept), return_inverse=True)
    flags = np.zeros(len(distinct), dtype=np.int64)
    np.bitwise_or.at(flags, inverse.reshape(-1), np.concatenate(kept_flags))
    yield index, ("c", distinct, flags)


def _requests(n: int, batch: int, parts: int, index: int, items: Iterable[tuple[int, tuple[Any, ...]]]
              ) -> Iterator[tuple[int, tuple[str, int, np.ndarray]]]:
    """For the pairs here, the second documents whose blocks are in another partition:
    ``(their block, ("q", this partition, document numbers))``."""
    for _, (_, codes, _) in items:
        second = np.unique(codes % n)
        elsewhere = second[(second // batch) % parts != index]
        for b, (docs,) in _split(elsewhere // batch, elsewhere):
            yield b, ("q", index, docs)


def _ship(batch: int, items: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, tuple[str, list[tuple[int, Doc]]]]]:
    """The documents asked for, ``(partition that asked, ("r", [(number, Doc), ...]))``."""
    asked, blocks = _gather(items)
    wanted: dict[int, list[tuple[int, int]]] = {}  # block -> (document, partition that asked)
    for _, p, docs in asked:
        for i in docs.tolist():
            wanted.setdefault(i // batch, []).append((i, p))
    out: dict[int, list[tuple[int, Doc]]] = {}
    for block in blocks:
        for i, p in wanted.get(block.start // batch, ()):
            out.setdefault(p, []).append((i, block.doc(i - block.start)))
    for p, docs in out.items():
        yield p, ("r", docs)


def _passes_estimates(config: ScanConfig, flags: int, a: Doc, b: Doc) -> bool:
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


def _decide(config: ScanConfig, a: Doc, b: Doc) -> Pair:
    return decide_pair(a.id, b.id, a.features, b.features, config, texts=lambda: (a.text, b.text),
                       contents=lambda: (a.content(), b.content()), boilerplate=lambda: (a.spans, b.spans))


def _verify_partition(config: ScanConfig, n: int, batch: int, filtered: bool, items: Iterable[tuple[int, Any]]
                      ) -> Iterator[tuple[tuple[int, int], Pair]]:
    """The pairs of this partition that are copies, each decided once. ``items``: the pairs (packed), the
    documents sent here, then this partition's blocks, from which only the documents of pairs are taken."""
    from dedup.engine.spark import _run_batch

    small, blocks = _gather(items)
    docs: dict[int, Doc] = {}
    codes, flags = [], []
    for value in small:
        if value[0] == "c":
            codes.append(value[1])
            flags.append(value[2])
        else:
            docs.update(value[1])
    if not codes:
        return
    all_codes, all_flags = np.concatenate(codes), np.concatenate(flags)
    order = np.argsort(all_codes, kind="stable")
    all_codes, all_flags = all_codes[order], all_flags[order]
    needed: dict[int, set[int]] = {}
    for i in np.unique(np.concatenate((all_codes // n, all_codes % n))).tolist():
        if i not in docs:
            needed.setdefault(i // batch, set()).add(i)
    for block in blocks:
        for i in needed.get(block.start // batch, ()):
            docs[i] = block.doc(i - block.start)

    def decide(_: None) -> list[tuple[tuple[int, int], Pair]]:
        found = []
        for code, flag in zip(all_codes.tolist(), all_flags.tolist(), strict=True):
            i, j = divmod(code, n)
            a, b = docs[i], docs[j]
            if filtered and not _passes_estimates(config, flag, a, b):
                continue
            pair = _decide(config, a, b)
            if pair.relation:
                found.append(((i, j), pair))
        return found

    yield from _run_batch(decide, None)


def _doc_keys(block: Block) -> Iterator[tuple[tuple[str, Any], tuple[Any, ...]]]:
    """Each document's id (to refuse a reused one) and exact key (to group exact copies), by document."""
    result = block.result
    for k, doc_id in enumerate(block.ids):
        i = block.start + k
        yield ("i", doc_id), (i, block.sources[k], block.lines[k])
        if result.exact_keys[k]:
            yield ("x", result.exact_keys[k]), (i, doc_id, len(block.texts[k]), int(result.lengths[k]))


def _exact_pairs(members: list[tuple[int, str, int, int]]) -> list[tuple[tuple[int, int], Pair]]:
    """An exact group's pairs, head with each other member, each with its one passage, the whole of both."""
    from dedup.stages.exact import whole_passage

    head, *others = sorted(members)
    return [((head[0], m[0]), Pair(head[1], m[1], "exact", 1.0, 1.0, 1.0,
                                   passages=whole_passage(head[2], m[2], head[3], m[3]))) for m in others]


def _at_documents(func: Callable[[Block, int, Any], Iterable[Any]], batch: int,
                  items: Iterable[tuple[int, Any]]) -> Iterator[Any]:
    """``func(block, k, value)`` for each ``(document, value)`` sent here, ``k`` its place in its block."""
    small, blocks = _gather(items)
    wanted: dict[int, list[tuple[int, Any]]] = {}
    for i, value in small:
        wanted.setdefault(i // batch, []).append((i, value))
    for block in blocks:
        for i, value in wanted.get(block.start // batch, ()):
            yield from func(block, i - block.start, value)


def _with_chars(block: Block, k: int, label: int) -> list[tuple[int, tuple[int, int]]]:
    return [(label, (block.start + k, len(block.texts[k])))]


def _with_id(block: Block, k: int, place: tuple[int, int]) -> list[tuple[int, tuple[int, str]]]:
    return [(place[0], (place[1], block.ids[k]))]


def _results(block: Block) -> list[DocumentResult]:
    return [DocumentResult(id=doc_id, chars=len(block.texts[k]), spin=block.result.spins[k],
                           repeats=block.repeats.get(k, ())) for k, doc_id in enumerate(block.ids)]


def _figures(block: Block) -> tuple[int, int]:
    """How many of the block's documents are spun, and how many repeat a passage."""
    return (sum(1 for s in block.result.spins if s is not None and s.spun),
            sum(1 for k in range(len(block)) if block.repeats.get(k)))


# ---------------------------------------------------------------------------------------------------------
# The driver's side.


def _documents_of(documents: Iterable[Any], with_records: bool) -> Iterator[Input]:
    for item in documents:
        if with_records:
            doc, record = item
            line = dict(record) if record is not None else {"id": doc.id, "text": doc.text}
            yield doc.id, doc.text, doc.source, doc.line, line
        else:
            yield item.id, item.text, item.source, item.line, None


class _Plan:
    """The scan's layout: ``parts`` partitions, blocks of ``batch`` documents, ``n`` documents in all."""

    def __init__(self, parts: int, batch: int) -> None:
        self.parts, self.batch, self.n = parts, batch, 0
        self.partitioner: Any = None  # the blocks' (Spark's default, on ``parts`` partitions)

    def placed(self, rdd: RDD[Any]) -> RDD[Any]:
        """``rdd`` (keyed by block or partition number) in the blocks' partitions: moved there if not yet."""
        return rdd if self.partitioner is not None and rdd.partitioner == self.partitioner else \
            rdd.partitionBy(self.parts)

    def beside(self, *rdds: RDD[Any]) -> RDD[Any]:
        """``rdds`` placed in the blocks' partitions, end to end: one task reads partition ``p`` of each, in
        order (the blocks last, so that the small values come first), and nothing already placed moves."""
        placed = [self.placed(rdd) for rdd in rdds]
        if len(placed) == 1:
            return placed[0]
        union = placed[0].context.union(placed)
        # Spark unions RDDs of one partitioner partition by partition (PartitionerAwareUnionRDD), else end to end.
        if union.getNumPartitions() != self.parts or not union._jrdd.rdd().partitioner().isDefined():
            raise AssertionError("Spark did not keep the partitions of a union apart: this is a bug in dedup")
        union.partitioner = self.partitioner
        return union

    def to_blocks(self, items: RDD[tuple[int, Any]]) -> RDD[tuple[int, tuple[int, Any]]]:
        """``(document, value)`` keyed by the document's block."""
        batch = self.batch
        return items.map(lambda kv: (kv[0] // batch, kv))


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

    tick = progress or (lambda stage, done, total: None)
    limits = Limits.now()
    sc = engine.context
    # Every task costs some 30 ms here (local[2]) whatever it holds: as many partitions as cores unless told.
    plan = _Plan(engine.partitions or engine.workers, limits.batch)
    parts, batch = plan.parts, plan.batch
    disk = StorageLevel.DISK_ONLY

    # 1. Analyse, wave by wave: each batch's texts go to its block's partition and are analysed there.
    def jobs() -> Iterator[tuple[int, tuple[int, list[Input]]]]:
        docs = _documents_of(documents, with_records)
        while chunk := list(itertools.islice(docs, batch)):
            yield plan.n // batch, (plan.n, chunk)
            plan.n += len(chunk)

    spun = config.spun_pairs

    def analyse(rdd: RDD[Any]) -> RDD[tuple[int, Block]]:
        return rdd.partitionBy(parts).mapPartitions(lambda items: _analyse(config, spun, items), True)

    waves = []
    for wave in engine.staged(jobs(), engine.wave_batches(), analyse, slices=parts):
        waves.append(wave)
        tick("analysing", plan.n, None)
    n = plan.n
    tick("analysing", n, n)
    if n == 0:
        return _empty(config, notices, notice_messages, collect, sc)
    plan.partitioner = waves[0].partitioner
    blocks = plan.beside(*waves)  # the waves' partitions side by side: block b in partition b % parts

    # 2. Exact groups (and reused ids): a group's first document is its head, the others are paired with it.
    grouped = (blocks.flatMap(lambda kv: _doc_keys(kv[1])).groupByKey(parts).mapValues(list)
               .filter(lambda kv: len(kv[1]) > 1).persist())
    _check_ids(grouped)
    exact_groups = grouped.filter(lambda kv: kv[0][0] == "x").values()
    exact = exact_groups.flatMap(_exact_pairs)
    marks = exact_groups.flatMap(lambda ms: [(m[0] // batch, ("m", m[0])) for m in sorted(ms)[1:]])

    # 3. Boilerplate: lines counted over the heads; the heads holding a common line are analysed again.
    min_docs = config.boilerplate_min_docs
    lines = (plan.beside(marks, blocks).mapPartitions(lambda items: _line_entries(parts, items))
             .partitionBy(parts).mapPartitions(lambda items: _shared_lines(parts, batch, items)))
    redo_batch = limits.redo_batch
    heads = (plan.beside(marks, lines, blocks)
             .mapPartitions(lambda items: _heads(config, min_docs, redo_batch, batch, items), True).persist(disk))
    tick("boilerplate", 1, 1)

    # 4. Candidates: keys to their partitions, pairs to their first document's, with the channels' flags.
    passages = config.passages
    channels = _Channels(lsh_params(config.lsh_threshold, config.num_perm),
                         lsh_params(config.anchor_threshold, config.num_perm) if spun else None,
                         config.sentence_min_share, limits.sentence_postings,
                         config.min_passage if passages else None, limits.passage_keys, limits.passage_postings,
                         limits.star_bucket)
    candidates = (heads.mapPartitions(lambda items: _channel_entries(channels, parts, items))
                  .partitionBy(parts).mapPartitions(lambda items: _channel_pairs(channels, n, parts, batch, items))
                  .partitionBy(parts).mapPartitionsWithIndex(lambda k, items: _candidates(channels, k, items), True)
                  .persist())
    tick("indexing", 1, 1)

    # 5. Verify where the first document is, the other sent there once.
    verified = _verify(plan, heads, candidates, config, filtered=True)
    pairs = exact.union(verified).persist(disk)
    tick("verifying", 1, 1)

    # 6. Clusters: components of the copy pairs, numbered by their first member.
    from dedup.engine.spark import connected_components, count

    edges = pairs.filter(lambda kv: kv[1].relation in COPY).keys().persist()
    policy = config.keep_policy
    copies = count(edges)  # the job that verifies the candidates
    if not copies:  # no copies: no clusters
        tick("clustering", 1, 1)
        empty = sc.emptyRDD()
        return _finish(plan, heads, pairs, empty, config, notices, notice_messages, keep_texts, collect)
    labels = connected_components(edges, edge_count=copies)
    clusters: RDD[Any] = (plan.beside(plan.to_blocks(labels), heads)
                          .mapPartitions(lambda items: _at_documents(_with_chars, batch, items))
                          .groupByKey(parts).mapValues(lambda ms: _members_and_rep(ms, policy))
                          .sortByKey(numPartitions=1).values().zipWithIndex()  # one partition: no job
                          .map(lambda mi: (mi[1] + 1, mi[0])).persist(disk))

    # 7. Clusters past the listing limit list only each member's pair with the representative.
    pairs, clusters = _list_big(plan, pairs, clusters, heads, config, limits.listed_cluster_limit)
    tick("clustering", 1, 1)
    return _finish(plan, heads, pairs, clusters, config, notices, notice_messages, keep_texts, collect)


def _finish(plan: _Plan, blocks: RDD[tuple[int, Block]], pairs: RDD[tuple[tuple[int, int], Pair]],
            clusters: RDD[Any], config: ScanConfig, notices: dict[str, int] | None, notice_messages: Iterable[str],
            keep_texts: bool, collect: bool) -> Report | SparkScan:
    found = SparkScan(blocks, pairs, clusters, config, {}, plan.parts, plan.batch)
    if not collect:
        found.summary = _summary(found, plan.n, notices)
        return found
    return _report(found, notices, notice_messages, keep_texts)


def _members_and_rep(found: Iterable[tuple[int, int]], policy: str) -> tuple[list[int], int]:
    members = sorted(found)
    rep = members[0] if policy == "first" else min(members, key=lambda m: (-m[1], m[0]))
    return [m for m, _ in members], rep[0]


def _verify(plan: _Plan, heads: RDD[tuple[int, Block]], candidates: RDD[tuple[int, tuple[Any, ...]]],
            config: ScanConfig, *, filtered: bool) -> RDD[tuple[tuple[int, int], Pair]]:
    """The pairs of ``candidates`` (``(partition, ("c", codes, flags))``, in the partition of each pair's
    first document) that are copies, decided there."""
    n, batch, parts = plan.n, plan.batch, plan.parts
    asked = candidates.mapPartitionsWithIndex(lambda k, items: _requests(n, batch, parts, k, items))
    shipped = plan.beside(asked, heads).mapPartitions(lambda items: _ship(batch, items))
    return (plan.beside(candidates, shipped, heads)
            .mapPartitions(lambda items: _verify_partition(config, n, batch, filtered, items)))


def _packed(plan: _Plan, pairs: RDD[tuple[tuple[int, int], int]]) -> RDD[tuple[int, tuple[Any, ...]]]:
    """``((i, j), flags)`` as ``_verify`` takes candidates: packed, in the partition of ``i``'s block."""
    n, batch = plan.n, plan.batch
    return (pairs.map(lambda kv: (kv[0][0] // batch, ("c", np.array([kv[0][0] * n + kv[0][1]], dtype=np.int64),
                                                      np.array([kv[1]], dtype=np.int64))))
            .partitionBy(plan.parts))


def _list_big(plan: _Plan, pairs: RDD[tuple[tuple[int, int], Pair]], clusters: RDD[Any],
              heads: RDD[tuple[int, Block]], config: ScanConfig, limit: int,
              ) -> tuple[RDD[tuple[tuple[int, int], Pair]], RDD[tuple[int, tuple[list[int], int, int]]]]:
    """``dedup.stages.verify.list_big_clusters`` with joins: in clusters past ``limit`` members, of the pairs
    inside a family past ``limit`` members only those with the representative are listed (verified now where
    they were not yet)."""
    from dedup.engine.spark import connected_components

    parts = plan.parts
    from dedup.engine.spark import count

    big = clusters.filter(lambda c: len(c[1][0]) > limit).persist()
    if not count(big):  # the job that finds the clusters
        big.unpersist()
        return pairs, clusters.mapValues(lambda c: (c[0], c[1], 0))
    # Families (components of the FAMILY pairs) past the limit: member -> family label. A family lies inside
    # one cluster, so only the pairs of big clusters' first documents are looked at.
    members = big.flatMap(lambda c: [(m, None) for m in c[1][0]])
    family_edges = (pairs.filter(lambda kv: kv[1].relation in FAMILY).map(lambda kv: (kv[0][0], kv[0]))
                    .join(members, parts).map(lambda kv: kv[1][0]))
    labels = connected_components(family_edges)
    big_families = labels.map(lambda kv: (kv[1], 1)).reduceByKey(operator.add, parts).filter(lambda kv: kv[1] > limit)
    family_of = labels.map(lambda kv: (kv[1], kv[0])).join(big_families, parts).map(lambda kv: (kv[1][0], kv[0]))
    # member -> (cluster, rep, family label or None when its family is within the limit)
    where = (big.flatMap(lambda c: [(m, (c[0], c[1][1])) for m in c[1][0]]).leftOuterJoin(family_of, parts)
             .mapValues(lambda v: (v[0][0], v[0][1], v[1])).persist())
    # Each pair with the cluster of its first document (as list_big_clusters reads it) and of its second.
    tagged = (pairs.map(lambda kv: (kv[0][0], kv)).leftOuterJoin(where, parts)
              .map(lambda kv: (kv[1][0][0][1], (kv[1][0], kv[1][1]))).leftOuterJoin(where, parts)
              .map(lambda kv: (kv[1][0][0], kv[1][0][1], kv[1][1])))

    def listed(item: tuple[Any, Any, Any]) -> bool:
        (ij, pair), first, second = item
        if first is None:
            return True
        inside = second is not None and first[2] is not None and first[2] == second[2]
        return first[1] in ij or not inside

    kept = tagged.filter(listed).persist()
    with_rep = kept.filter(lambda t: t[1] is not None and t[1][1] in t[0][0]).map(_other_end)
    # Members of big families (heads, as their representatives) with no listed pair with the representative:
    # verified now.
    head_numbers = heads.flatMap(lambda kv: [(kv[1].start + k, None) for k in kv[1].heads()])
    missing = (where.filter(lambda kv: kv[0] != kv[1][1] and kv[1][2] is not None).subtractByKey(with_rep, parts)
               .join(head_numbers, parts).map(lambda kv: (kv[1][0][1], kv[0])).join(head_numbers, parts)
               .map(lambda kv: ((min(kv[0], kv[1][0]), max(kv[0], kv[1][0])), 0)))
    found = _verify(plan, heads, _packed(plan, missing), config, filtered=False).persist()
    listed_pairs = kept.map(lambda t: t[0]).union(found)
    with_rep_all = with_rep.union(found.map(lambda kv: (kv[0][0], kv[0])).join(where, parts)
                                  .map(lambda kv: (kv[1][0][0] + kv[1][0][1] - kv[1][1][1], None)))
    # An exact copy that is no head keeps its exact pair with its head when that pair was dropped (inside a
    # big family) and it has none with the representative.
    exact_back = (tagged.filter(lambda t: t[0][1].relation == "exact" and t[2] is not None and t[2][2] is not None)
                  .map(lambda t: (t[0][0][1], t[0])).subtractByKey(head_numbers, parts)
                  .subtractByKey(with_rep_all, parts).persist())
    listed_pairs = listed_pairs.union(exact_back.values())
    # Listed pairs inside each big cluster.
    inside_kept = kept.filter(lambda t: t[1] is not None and t[2] is not None and t[1][0] == t[2][0])
    counted = (inside_kept.map(_cluster_of_first)
               .union(found.map(lambda kv: (kv[0][0], 1)).join(where, parts).map(lambda kv: (kv[1][1][0], 1)))
               .union(exact_back.map(lambda kv: (kv[0], 1)).join(where, parts).map(lambda kv: (kv[1][1][0], 1)))
               .reduceByKey(operator.add, parts))

    def not_listed(kv: tuple[int, tuple[tuple[list[int], int], int | None]]) -> tuple[int, tuple[list[int], int, int]]:
        cid, ((members, rep), count) = kv
        size = len(members)
        return cid, (members, rep, size * (size - 1) // 2 - (count or 0))

    figures = clusters.leftOuterJoin(counted, parts).map(
        lambda kv: not_listed(kv) if len(kv[1][0][0]) > limit else (kv[0], (kv[1][0][0], kv[1][0][1], 0)))
    return listed_pairs.persist(), figures.persist()


def _cluster_of_first(t: Any) -> tuple[int, int]:
    """A tagged pair's cluster (that of its first document), counted once."""
    return t[1][0], 1


def _other_end(t: Any) -> tuple[int, None]:
    """A listed pair's end that is not its cluster's representative (``list_big_clusters``' ``with_rep``)."""
    (ij, _), (_, rep, _), _ = t
    return ij[0] + ij[1] - rep, None


def _check_ids(grouped: RDD[tuple[tuple[str, Any], list[tuple[Any, ...]]]]) -> None:
    """Refuse a reused id as the local reader does, naming the first document that reuses one."""
    repeated = (grouped.filter(lambda kv: kv[0][0] == "i").mapValues(sorted)
                .map(lambda kv: (kv[1][1][0], (kv[0][1], kv[1][0][0], kv[1][1][1], kv[1][1][2]))))
    first = repeated.takeOrdered(1)
    if first:
        at, (doc_id, original, source, line) = first[0]
        where = f"{source}:{line}" if source else f"document {at + 1}"
        raise InputError(f"duplicate id {doc_id!r} (first at document {original + 1})", path=where,
                         hint="Give every document a unique id")


def _summary(found: SparkScan, n: int, notices: dict[str, int] | None) -> dict[str, Any]:
    """``Report.summary``, counted on the executors."""
    from dedup.report.report import RELATIONS

    relations = {r: 0 for r in RELATIONS}
    relations.update(found.pairs.map(lambda kv: (kv[1].relation, 1)).reduceByKey(operator.add).collectAsMap())
    spun, repeats = found.blocks.map(lambda kv: _figures(kv[1])).fold((0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    sizes = found.clusters.map(lambda c: (1, len(c[1][0]) - 1, c[1][2])).fold((0, 0, 0), lambda a, b: (
        a[0] + b[0], a[1] + b[1], a[2] + b[2]))
    summary: dict[str, Any] = {
        "documents": n, "pairs": sum(relations.values()), "relations": relations, "clusters": sizes[0],
        "kept": n - sizes[1], "removed": sizes[1], "spun_documents": spun, "documents_with_repeats": repeats,
        "notices": dict(sorted((notices or {}).items())),
    }
    if sizes[2]:
        summary["pairs_not_listed"] = sizes[2]
    return summary


def _report(found: SparkScan, notices: dict[str, int] | None, notice_messages: Iterable[str],
            keep_texts: bool) -> Report:
    """The report, gathered on the driver: every document, pair and cluster it lists."""
    blocks, parts, size = found.blocks, found.partitions, found.batch
    results = sorted(blocks.map(lambda kv: (kv[0], _results(kv[1]))).collect(), key=operator.itemgetter(0))
    documents = [d for _, found_here in results for d in found_here]
    listed = [p for _, p in sorted(found.pairs.collect(), key=operator.itemgetter(0))]
    places = found.clusters.flatMap(lambda c: [(m, (c[0], k)) for k, m in enumerate(c[1][0])] + [(c[1][1], (c[0], -1))])
    named = (places.map(lambda kv: (kv[0] // size, kv)).partitionBy(parts).union(blocks)
             .mapPartitions(lambda items: _at_documents(_with_id, size, items))
             .groupByKey().mapValues(sorted).collectAsMap())
    figures = dict(found.clusters.mapValues(lambda c: c[2]).collect())
    clusters = []
    for cid in sorted(named):
        entries = named[cid]
        rep = entries[0][1]  # position -1: the representative
        clusters.append(Cluster(id=cid, members=tuple(name for _, name in entries[1:]), representative=rep))
    not_listed = {cid: count for cid, count in figures.items() if count}
    text_of: Callable[[str], str] | None = None
    if keep_texts:
        by_id = blocks.flatMap(lambda kv: zip(kv[1].ids, kv[1].texts, strict=True)).partitionBy(parts).persist()

        def text_of(doc_id: str) -> str:
            return by_id.lookup(doc_id)[0]
    return Report(config=found.config, documents=tuple(documents), pairs=tuple(listed), clusters=tuple(clusters),
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
