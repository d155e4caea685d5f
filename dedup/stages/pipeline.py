"""The scan: read, find boilerplate, shingle, sign, index, verify, cluster, report.

One pass over the input: this process reads documents and stores each text in a temporary file, while
worker processes analyse batches of them (exact-copy key, line keys, shingle sets, signatures, repeats).
Then lines common across the corpus are known, and the few documents that hold one are analysed again
without them (boilerplate). Only signatures, shingle sets and pairs stay in memory; texts are read back
from the store where a pair needs aligning.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from hashlib import blake2b

import numpy as np

from dedup.config import ScanConfig, SpinConfig, scan_config
from dedup.engine.local import effective_workers, map_batches, map_shared, paused_gc, shared
from dedup.errors import InputError
from dedup.index.lsh import candidate_pairs, lsh_params, shared_key_pairs
from dedup.io.textstore import TextStore
from dedup.model import Cluster, Document, DocumentResult, Pair, Repeat, SpinResult
from dedup.report.report import Report
from dedup.sketch.features import MASK32, Features, batch_features, content_text, sorted_distinct
from dedup.sketch.minhash import Permutations, signatures
from dedup.sketch.shingle import WordHasher
from dedup.spin import PhraseChecker, load_checker
from dedup.stages.cluster import UnionFind, build_clusters
from dedup.text.batch import TextBatch
from dedup.text.normalize import tokenize
from dedup.verify.anchors import anchor_features
from dedup.verify.boilerplate import LineStats, boilerplate_spans
from dedup.verify.relations import (
    MIN_JUDGED_WORDS,
    SPUN_ANCHORS,
    SPUN_CANDIDATE,
    needs_alignment,
    needs_full_characters,
    overlap,
    spun_pair,
    verify_pair,
)
from dedup.verify.repeats import find_repeats

__all__ = ["Progress", "check_spin", "phrase_checker", "scan"]

# Documents analysed together: large enough that numpy, not Python, does the shingling; small enough that the
# batches share out evenly between workers (measured: 500 beat 2,000 by a quarter on the full scan of 10,000).
BATCH = 500

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(stage, done, total)``; ``total`` is None while the input is still being read."""


@dataclass(frozen=True, slots=True)
class _Batch:
    start: int
    texts: list[str]
    boilerplate: list[list[tuple[int, int]]] | None
    config: ScanConfig


@dataclass(frozen=True, slots=True)
class _Ragged:
    """Many arrays as one: their values end to end and where each starts (one more offset than arrays).

    A batch's results travel between processes in a few of these rather than as an object per document,
    which is what made sending them back cost as much as computing them.
    """

    values: np.ndarray
    offsets: list[int]  # a list: slicing with Python integers is several times faster than with numpy's

    @classmethod
    def of(cls, arrays: Sequence[np.ndarray], dtype: type) -> _Ragged:
        values: np.ndarray = np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype)
        return cls(values, list(itertools.accumulate((len(a) for a in arrays), initial=0)))

    def __getitem__(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]


@dataclass(frozen=True, slots=True)
class _BatchResult:
    """What a worker returns for one batch: per document, in batch order."""

    start: int
    exact_keys: list[bytes]  # empty for a text with no words
    line_keys: _Ragged  # distinct keys of each document's non-blank lines
    words: _Ragged
    chars: _Ragged
    sentences: _Ragged
    anchors: _Ragged
    lengths: np.ndarray
    repeats: dict[int, tuple[Repeat, ...]]  # only the documents that repeat a passage
    spins: list[SpinResult | None]
    char_sigs: np.ndarray
    anchor_sigs: np.ndarray

    def features(self, k: int) -> Features:
        """The verification features of the batch's ``k``-th document."""
        return Features(self.words[k], self.chars[k], self.sentences[k], int(self.lengths[k]),
                        anchors=self.anchors[k])


class _FeatureTable:
    """Every document's features, kept as the workers packed them, with those analysed again (without
    boilerplate) in place of their first analysis. Document i is number i % BATCH of first-pass batch
    i // BATCH (every first-pass batch but the last holds BATCH documents)."""

    def __init__(self, batches: list[_BatchResult]) -> None:
        self.batches = batches
        self.redone: dict[int, Features] = {}
        self.boilerplate: dict[int, list[tuple[int, int]]] = {}  # the spans left out of the redone documents

    def __getitem__(self, i: int) -> Features:
        found = self.redone.get(i)
        return found if found is not None else self.batches[i // BATCH].features(i % BATCH)

    def sentences(self, i: int) -> np.ndarray:
        """Document ``i``'s sentence keys (without building its whole ``Features``)."""
        found = self.redone.get(i)
        return found.sentences if found is not None else self.batches[i // BATCH].sentences[i % BATCH]

    def lengths(self, docs: np.ndarray) -> np.ndarray:
        """How many words each of ``docs`` holds (after boilerplate, where it was left out)."""
        lengths = np.concatenate([b.lengths for b in self.batches]) if self.batches else docs[:0]
        lengths = lengths[docs]
        for k, i in enumerate(docs.tolist()):
            if i in self.redone:
                lengths[k] = self.redone[i].length
        return lengths

    def char_sizes(self, docs: np.ndarray) -> np.ndarray:
        """How many character shingles each of ``docs`` holds."""
        sizes = np.concatenate([np.diff(b.chars.offsets) for b in self.batches]) if self.batches else docs[:0]
        sizes = sizes[docs]
        for k, i in enumerate(docs.tolist()):
            if i in self.redone:
                sizes[k] = len(self.redone[i].chars)
        return sizes


_HASHER = WordHasher()
_PERMUTATIONS: dict[tuple[int, int], Permutations] = {}
_CHECKERS: dict[SpinConfig, PhraseChecker] = {}


def phrase_checker(config: SpinConfig) -> PhraseChecker:
    """The phrase checker for ``config``, loaded once per process (its data takes a moment to load)."""
    if config not in _CHECKERS:
        _CHECKERS[config] = load_checker(config.phrase_lists, threshold=config.threshold)
    return _CHECKERS[config]


def analyse_batch(batch: _Batch) -> _BatchResult:
    """Everything a scan needs of one batch of documents (runs in a worker process).

    ``batch.boilerplate`` gives spans to leave out, or None on the first pass, when no line of the corpus is
    known to be boilerplate yet (exact keys, line keys and phrase checks are taken on that pass only).
    """
    hasher, config = _HASHER, batch.config
    if (config.num_perm, config.seed) not in _PERMUTATIONS:
        _PERMUTATIONS[config.num_perm, config.seed] = Permutations(config.num_perm, config.seed)
    perms = _PERMUTATIONS[config.num_perm, config.seed]
    first_pass = batch.boilerplate is None
    spans = batch.boilerplate or [[] for _ in batch.texts]
    contents = [content_text(t, s) for t, s in zip(batch.texts, spans, strict=True)]
    # On the first pass the contents are the texts: one reading of the batch serves both.
    read = TextBatch(contents)
    found = batch_features(read, config)
    count = len(contents)
    # Anchors and phrase checks both want each text's tokens with offsets: tokenise once for both.
    needs_tokens = config.spun_pairs or config.spin.enabled
    tokens = [tokenize(c) for c in contents] if needs_tokens else None
    # Phrase checks read the text as given (boilerplate included), once: not again when boilerplate is redone.
    spins: list[SpinResult | None] = [None] * count
    if config.spin.enabled and first_pass:
        spins = list(phrase_checker(config.spin).check_many(batch.texts, tokens=tokens))
    exact_keys: list[bytes] = [b""] * count
    line_keys = _Ragged.of([np.empty(0, dtype=np.int64)] * count, np.int64)
    if first_pass:
        exact_keys = [blake2b(n, digest_size=16).digest() if n else b"" for n in read.normalized()]
        keys, key_doc = read.line_keys()
        # Each line counts once per document: sorted by (document, key), repeats dropped.
        order = np.lexsort((keys, key_doc))
        keys, key_doc = keys[order], key_doc[order]
        first = np.concatenate(([True], (key_doc[1:] != key_doc[:-1]) | (keys[1:] != keys[:-1])))[: len(keys)]
        line_keys = _Ragged(keys[first], np.searchsorted(key_doc[first], np.arange(count + 1)).tolist())
    # The batch pass only flags possible repeats; the exact spans come from the slower per-document pass.
    repeats: dict[int, tuple[Repeat, ...]] = {}
    for k, feats in enumerate(found):
        if feats.may_repeat or spans[k]:
            text_tokens = tokens[k] if tokens is not None and not spans[k] else tokenize(batch.texts[k])
            if reps := find_repeats(text_tokens, hasher):
                repeats[k] = reps
    anchors = [np.empty(0, dtype=np.uint32)] * count
    if config.spun_pairs and tokens is not None:
        found_anchors = [anchor_features(c, t) for c, t in zip(contents, tokens, strict=True)]
        # One call hashes the whole batch's anchors: per call, hashing has a fixed cost larger than per word.
        hashed = hasher.hash_words([a for doc in found_anchors for a in doc]) & MASK32
        cuts = np.cumsum([len(doc) for doc in found_anchors])[:-1]
        anchors = [sorted_distinct(part).astype(np.uint32) for part in np.split(hashed, cuts)]
    char_sets = [f.chars for f in found]
    return _BatchResult(
        start=batch.start,
        exact_keys=exact_keys,
        line_keys=line_keys,
        words=_Ragged.of([f.words for f in found], np.uint32),
        chars=_Ragged.of(char_sets, np.uint32),
        sentences=_Ragged.of([f.sentences for f in found], np.uint32),
        anchors=_Ragged.of(anchors, np.uint32),
        lengths=np.array([f.length for f in found], dtype=np.int64),
        repeats=repeats,
        spins=spins,
        char_sigs=signatures(char_sets, perms),
        anchor_sigs=signatures(anchors, perms) if config.spun_pairs else np.empty((0, perms.num_perm), np.uint32),
    )


@dataclass(frozen=True, slots=True)
class _Verification:
    """What verifying candidate pairs reads: ids, the heads of exact groups, their features, the texts."""

    ids: list[str]
    heads: list[int]
    features: _FeatureTable
    store: TextStore
    config: ScanConfig

    def content(self, i: int) -> str:
        """Document ``i``'s text as its features were taken: without its boilerplate lines."""
        return content_text(self.store.get(i), self.features.boilerplate.get(i, []))


# Candidate pairs verified per task: enough to outweigh sending a task, few enough to share out evenly.
_VERIFY_CHUNK = 5_000

# Past this many members a cluster lists only each member's pair with its representative: n near-copies of
# one article would otherwise cost n^2/2 verified pairs (2,500 of them ran out of memory). Candidate pairs
# whose two ends are already joined in a component this large are not verified at all, which changes no
# cluster (they are joined already) and keeps the work near O(n).
LISTED_CLUSTER_LIMIT = 100


def _joined_big(components: UnionFind, i: int, j: int) -> bool:
    """Whether documents ``i`` and ``j`` are already joined in a component past ``LISTED_CLUSTER_LIMIT``."""
    root = components.find(i)
    return root == components.find(j) and components.size[root] > LISTED_CLUSTER_LIMIT


def _list_big_clusters(
    pairs: list[tuple[int, int, Pair]],
    clusters: list[Cluster],
    index_of: dict[str, int],
    heads: list[int],
    state: _Verification,
) -> tuple[list[tuple[int, int, Pair]], dict[int, int]]:
    """Keep, in clusters past LISTED_CLUSTER_LIMIT members, only each member's pair with the representative.

    A member whose pair with the representative was not verified yet (it joined through another member) has
    that pair verified now, so every listed pair is verified. Returns the pairs and, per cluster id, how many
    pairs inside it were not listed (verified and dropped, or candidates never verified).
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
    kept: list[tuple[int, int, Pair]] = []
    with_rep: set[int] = set()
    for t in pairs:
        cid = cluster_of.get(t[0])
        if cid is None or rep_of[cid] in (t[0], t[1]):
            kept.append(t)
            if cid is not None:
                with_rep.add(t[0] + t[1] - rep_of[cid])
    head_pos = {doc: x for x, doc in enumerate(heads)}
    missing = [
        sorted((head_pos[rep_of[cluster_of[m]]], head_pos[m]))
        for m in sorted(cluster_of)
        if m != rep_of[cluster_of[m]] and m not in with_rep and m in head_pos and rep_of[cluster_of[m]] in head_pos
    ]
    if missing:
        found = _verify_chunk_with(state, np.array(missing, dtype=np.int64))
        kept.extend(found)
        with_rep.update(i + j - rep_of[cluster_of[i]] for i, j, _ in found)
    kept.sort(key=lambda t: (t[0], t[1]))
    not_listed: dict[int, int] = {}
    for c in big:
        listed = sum(1 for m in c.members if index_of[m] in with_rep)
        not_listed[c.id] = len(c.members) * (len(c.members) - 1) // 2 - listed
    return kept, not_listed


def _verify_chunk_with(state: _Verification, candidates: np.ndarray) -> list[tuple[int, int, Pair]]:
    return [found for chunk in map_shared(_verify_chunk, state, [candidates], 1) for found in chunk]


def _verify_chunk(candidates: np.ndarray) -> list[tuple[int, int, Pair]]:
    """Verify candidate pairs (indices into the heads): exact figures, then alignment where it may be spun."""
    state: _Verification = shared()
    ids, heads, table, config = state.ids, state.heads, state.features, state.config
    found = []
    for x, y in candidates.tolist():
        i, j = heads[x], heads[y]
        fi, fj = table[i], table[j]
        shingled = verify_pair(ids[i], ids[j], fi, fj, config)
        if needs_full_characters(shingled, fi, fj, config):
            full = batch_features([state.content(i), state.content(j)], replace(config, char_sample=1))
            fi, fj = replace(fi, chars=full[0].chars), replace(fj, chars=full[1].chars)
            shingled = verify_pair(ids[i], ids[j], fi, fj, config)
        verified: Pair | None = shingled
        anchors = overlap(fi.anchors, fj.anchors)[0] if config.spun_pairs else 0.0
        if needs_alignment(shingled, shingled.details["char_containment"], config, anchors):
            verified = spun_pair(ids[i], ids[j], state.store.get(i), state.store.get(j), shingled)
        if verified is not None and verified.relation:
            found.append((i, j, verified))
    return found


# How far below the thresholds a signature estimate may fall and still be checked exactly: about four
# standard errors of a 128-permutation estimate.
ESTIMATE_MARGIN = 0.2


def estimates(candidates: np.ndarray, sigs: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MinHash estimates of each candidate pair's Jaccard and, with the set sizes, containment.

    >>> s = np.array([[1, 2, 3, 4], [1, 2, 9, 9]], dtype=np.uint32)
    >>> [x.tolist() for x in estimates(np.array([[0, 1]]), s, np.array([10, 10]))]
    [[0.5], [0.6666666666666666]]
    """
    # In chunks that stay in the cache; counting equal cells beats averaging booleans as floats.
    jaccard = np.empty(len(candidates))
    for start in range(0, len(candidates), 20_000):
        x, y = candidates[start : start + 20_000, 0], candidates[start : start + 20_000, 1]
        jaccard[start : start + 20_000] = np.count_nonzero(sigs[x] == sigs[y], axis=1)
    jaccard /= sigs.shape[1]
    x, y = candidates[:, 0], candidates[:, 1]
    small = np.maximum(np.minimum(sizes[x], sizes[y]), 1)
    return jaccard, jaccard * (sizes[x] + sizes[y]) / ((1 + jaccard) * small)


def promising(candidates: np.ndarray, sigs: np.ndarray, sizes: np.ndarray, config: ScanConfig) -> np.ndarray:
    """Which LSH candidates' signatures suggest a relation worth checking exactly (a boolean mask).

    Sharing one band is weak evidence; the whole signature estimates the Jaccard, and with the set sizes
    the containment. Pairs far below both thresholds are passed over without the exact check, which keeps
    verification in proportion to real copies on corpora full of look-alike stories.
    """
    jaccard, containment = estimates(candidates, sigs, sizes)
    return (jaccard >= config.near_threshold - ESTIMATE_MARGIN) | (
        containment >= config.partial_threshold - ESTIMATE_MARGIN
    )


def promising_spun(
    candidates: np.ndarray, anchor_sigs: np.ndarray, char_sigs: np.ndarray, char_sizes: np.ndarray
) -> np.ndarray:
    """Which anchor-channel candidates could be spun copies (a boolean mask): their anchor sets and their
    character samples must both overlap nearly enough for ``needs_alignment`` to align them."""
    anchor_jaccard, _ = estimates(candidates, anchor_sigs, np.ones(len(anchor_sigs), dtype=np.int64))
    _, containment = estimates(candidates, char_sigs, char_sizes)
    return (anchor_jaccard >= SPUN_ANCHORS - ESTIMATE_MARGIN) & (containment >= SPUN_CANDIDATE - ESTIMATE_MARGIN)


def scan(
    documents: Iterable[Document],
    config: ScanConfig | None = None,
    *,
    notices: dict[str, int] | None = None,
    notice_messages: Iterable[str] = (),
    progress: Progress | None = None,
    keep_texts: bool = True,
) -> Report:
    """Scan ``documents`` for copies and return the report.

    ``notices`` are the reader's counted warnings, carried into the report's summary.

    >>> docs = [Document("a", "The cat sat on the mat today."), Document("b", "the  cat sat on the mat TODAY.")]
    >>> [(p.a, p.b, p.relation) for p in scan(docs).pairs]
    [('a', 'b', 'exact')]
    """
    with paused_gc():
        return _scan(documents, config, notices, notice_messages, progress, keep_texts)


def _scan(
    documents: Iterable[Document],
    config: ScanConfig | None,
    notices: dict[str, int] | None,
    notice_messages: Iterable[str],
    progress: Progress | None,
    keep_texts: bool,
) -> Report:
    config = scan_config(config)
    tick = progress or (lambda stage, done, total: None)
    store = TextStore()
    ids: list[str] = []
    index_of: dict[str, int] = {}
    chars: list[int] = []
    workers = effective_workers(config.workers)

    def read_batches() -> Iterator[_Batch]:
        texts: list[str] = []
        for doc in documents:
            if doc.id in index_of:
                where = f"{doc.source}:{doc.line}" if doc.source else f"document {len(ids) + 1}"
                raise InputError(
                    f"duplicate id {doc.id!r} (first at document {index_of[doc.id] + 1})",
                    path=where,
                    hint="Give every document a unique id",
                )
            index_of[doc.id] = len(ids)
            ids.append(doc.id)
            chars.append(len(doc.text))
            texts.append(doc.text)
            if len(texts) == BATCH:
                store.extend(texts)
                yield _Batch(len(ids) - len(texts), texts, None, config)
                texts = []
        if texts:
            store.extend(texts)
            yield _Batch(len(ids) - len(texts), texts, None, config)

    # One pass over the input: workers analyse batches while this process reads the next ones. Every first-pass
    # batch but the last holds BATCH documents, so document i is number i % BATCH of batch i // BATCH.
    results: list[_BatchResult] = []
    for result in map_batches(analyse_batch, read_batches(), workers):
        results.append(result)
        tick("analysing", result.start + len(result.exact_keys), None)
    n = len(ids)
    tick("analysing", n, n)

    # Exact copies: grouped by normalised text; only each group's first document goes on.
    first_with_key: dict[bytes, int] = {}
    pairs: list[tuple[int, int, Pair]] = []
    for result in results:
        for i, key in enumerate(result.exact_keys, start=result.start):
            if not key:
                continue
            first = first_with_key.setdefault(key, i)
            if first != i:
                pairs.append((first, i, Pair(ids[first], ids[i], "exact", 1.0, 1.0, 1.0)))
    heads = sorted(first_with_key.values())
    head_index = np.array(heads, dtype=np.int64)

    # Boilerplate: count lines over distinct texts, then analyse again the few documents holding a common line.
    lines = LineStats(config.boilerplate_min_docs)
    head_keys = [results[i // BATCH].line_keys[i % BATCH] for i in heads]
    all_keys = np.concatenate(head_keys) if head_keys else np.empty(0, dtype=np.int64)
    lines.add_many(all_keys)
    owner = np.repeat(np.arange(len(heads)), [len(k) for k in head_keys])
    redo = head_index[np.bincount(owner[lines.common(all_keys)], minlength=len(heads)) > 0].tolist()
    sigs = np.concatenate([r.char_sigs for r in results]) if results else np.empty((0, config.num_perm), np.uint32)
    spun_sigs = np.concatenate([r.anchor_sigs for r in results]) if results else sigs[:0]
    features = _FeatureTable(results)
    redo_batches = []
    for start in range(0, len(redo), BATCH):
        texts = [store.get(i) for i in redo[start : start + BATCH]]
        spans = [boilerplate_spans(t, lines) for t in texts]
        features.boilerplate.update(zip(redo[start : start + BATCH], spans, strict=True))
        redo_batches.append(_Batch(start, texts, spans, config))
    repeats = {i: reps for r in results for i, reps in ((r.start + k, v) for k, v in r.repeats.items())}
    for again in map_batches(analyse_batch, redo_batches, workers):
        for k in range(len(again.exact_keys)):
            i = redo[again.start + k]
            # The phrase checks of the first pass stand: they read the text as given, boilerplate included.
            features.redone[i] = again.features(k)
            repeats.pop(i, None)
            if k in again.repeats:
                repeats[i] = again.repeats[k]
            sigs[i] = again.char_sigs[k]
            if config.spun_pairs:
                spun_sigs[i] = again.anchor_sigs[k]
    tick("boilerplate", len(redo), len(redo))
    spins = [spin for r in results for spin in r.spins]
    results_by_doc = [
        DocumentResult(id=ids[i], chars=chars[i], spin=spins[i], repeats=repeats.get(i, ())) for i in range(n)
    ]

    # Candidates from three channels, over the first document of each exact group; then exact verification.
    # Only documents long enough to be judged take part (verification would refuse any pair of a shorter
    # one): thousands of texts of a few words fill LSH buckets with pairs by the million.
    judged = np.flatnonzero(features.lengths(head_index) >= MIN_JUDGED_WORDS)
    # LSH candidates, filtered on their signature estimates in the workers that find them.
    head_sigs = sigs[head_index[judged]]
    sizes = features.char_sizes(head_index[judged])
    lsh_candidates = candidate_pairs(
        head_sigs, lsh_params(config.lsh_threshold, config.num_perm), workers=workers,
        keep=lambda found: promising(found, head_sigs, sizes, config),
    )
    spun_candidates = np.empty((0, 2), dtype=np.int64)
    if config.spun_pairs:
        # What a spinner leaves alone (names, numbers, the function-word skeleton).
        head_anchor_sigs = spun_sigs[head_index[judged]]
        spun_candidates = candidate_pairs(
            head_anchor_sigs, lsh_params(config.anchor_threshold, config.num_perm), workers=workers,
            keep=lambda found: promising_spun(found, head_anchor_sigs, head_sigs, sizes),
        )
    proposed = judged[np.concatenate((
        lsh_candidates,
        spun_candidates,
        shared_key_pairs([features.sentences(heads[k]) for k in judged.tolist()],
                         min_share=config.sentence_min_share),
    ))]
    codes = sorted_distinct(proposed[:, 0] * len(heads) + proposed[:, 1])  # distinct pairs, in order
    candidates = np.stack((codes // len(heads), codes % len(heads)), axis=1)
    tick("indexing", len(heads), len(heads))
    store.flush()  # the workers read texts for alignment from the store's file
    state = _Verification(ids, heads, features, store, config)
    joined = UnionFind(n)
    for i, j, _ in pairs:
        joined.union(i, j)

    covered: deque[int] = deque()  # per chunk sent, how many candidates it and those before it cover

    def chunks() -> Iterator[np.ndarray]:
        for start in range(0, len(candidates), _VERIFY_CHUNK):
            chunk = candidates[start : start + _VERIFY_CHUNK]
            if joined.largest > LISTED_CLUSTER_LIMIT:
                keep = [not _joined_big(joined, heads[x], heads[y]) for x, y in chunk.tolist()]
                chunk = chunk[np.array(keep, dtype=bool)]
            if len(chunk):
                covered.append(min(start + _VERIFY_CHUNK, len(candidates)))
                yield chunk

    for found in map_shared(_verify_chunk, state, chunks(), workers if len(candidates) > _VERIFY_CHUNK else 1):
        pairs.extend(found)
        for i, j, _ in found:
            joined.union(i, j)
        tick("verifying", covered.popleft(), len(candidates))
    tick("verifying", len(candidates), len(candidates))

    pairs.sort(key=lambda t: (t[0], t[1]))
    clusters = build_clusters(ids, chars, ((i, j) for i, j, _ in pairs), config.keep_policy)
    pairs, not_listed = _list_big_clusters(pairs, clusters, index_of, heads, state)
    text_of: Callable[[str], str] | None = None
    if keep_texts:
        def text_of(doc_id: str) -> str:
            return store.get(index_of[doc_id])
    else:
        store.close()
    return Report(
        config=config,
        documents=tuple(results_by_doc),
        pairs=tuple(p for _, _, p in pairs),
        clusters=tuple(clusters),
        notices=dict(notices or {}),
        notice_messages=tuple(notice_messages),
        pairs_not_listed=not_listed,
        texts=text_of,
    )


def _spin_batch(job: tuple[list[str], SpinConfig]) -> list[SpinResult]:
    texts, spin_config = job
    checker = phrase_checker(spin_config)
    return checker.check_many(texts)


def check_spin(
    documents: Iterable[Document], config: ScanConfig | None = None, *, progress: Progress | None = None
) -> Report:
    """Phrase checks only: each document's spin score, verdict and evidence, no pairs (``dedup spin``).

    >>> report = check_spin([Document("a", "The minister said the talks went well.")])
    >>> report.documents[0].spin.spun
    False
    """
    with paused_gc():
        return _check_spin(documents, config, progress)


def _check_spin(documents: Iterable[Document], config: ScanConfig | None, progress: Progress | None) -> Report:
    config = scan_config(config)
    tick = progress or (lambda stage, done, total: None)
    store = TextStore()
    ids: list[str] = []
    lengths: list[int] = []
    index_of: dict[str, int] = {}

    def jobs() -> Iterator[tuple[list[str], SpinConfig]]:
        texts: list[str] = []
        for doc in documents:
            if doc.id in index_of:
                raise InputError(f"duplicate id {doc.id!r}", path=doc.source or "", line=doc.line,
                                 hint="Give every document a unique id")
            index_of[doc.id] = len(ids)
            ids.append(doc.id)
            lengths.append(len(doc.text))
            store.append(doc.text)
            texts.append(doc.text)
            if len(texts) == BATCH // 4:  # phrase checks cost more per document: smaller batches
                yield texts, config.spin
                texts = []
        if texts:
            yield texts, config.spin

    spins: list[SpinResult] = []
    for found in map_batches(_spin_batch, jobs(), effective_workers(config.workers)):
        spins.extend(found)
        tick("checking", len(spins), None)
    results = tuple(
        DocumentResult(id=doc_id, chars=chars, spin=spin)
        for doc_id, chars, spin in zip(ids, lengths, spins, strict=True)
    )
    return Report(config=config, documents=results, pairs=(), clusters=(),
                  texts=lambda doc_id: store.get(index_of[doc_id]))
