"""The scan: read, find boilerplate, shingle, sign, index, verify, cluster, report.

Two passes over the texts. The first reads the input once, stores each text in a temporary file, groups
exact copies and counts lines across documents (boilerplate). The second reads the stored texts back and
computes each document's shingles, repeats and phrase checks. Only signatures, shingle sets and pairs
stay in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from hashlib import blake2b

import numpy as np

from dedup.anchors import anchor_features
from dedup.boilerplate import LineStats, boilerplate_spans, line_keys
from dedup.cluster import build_clusters
from dedup.config import ScanConfig
from dedup.errors import InputError
from dedup.features import MASK32, Features, batch_features, content_text, sorted_distinct
from dedup.index import candidate_pairs, lsh_params, shared_key_pairs
from dedup.minhash import Permutations, signatures
from dedup.model import Document, DocumentResult, Pair, Repeat
from dedup.normalize import Tokens, normalize, tokenize
from dedup.repeats import find_repeats
from dedup.report import Report
from dedup.shingle import WordHasher
from dedup.textstore import TextStore
from dedup.verify import needs_alignment, spun_pair, verify_pair
from dedup.workers import effective_workers, map_batches

__all__ = ["Progress", "content_tokens", "scan"]

# Documents analysed together: large enough that numpy, not Python, does the work; small enough to stay light.
BATCH = 2000

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(stage, done, total)``; ``total`` is None while the input is still being read."""


def content_tokens(tokens: Tokens, spans: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """The words of ``tokens`` outside the character ``spans`` (boilerplate lines), with their starts.

    >>> t = "Advertisement\\nThe story."
    >>> content_tokens(tokenize(t), [(0, 13)])
    (['the', 'story'], [14, 18])
    """
    if not spans:
        return list(tokens.words), list(tokens.starts)
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=len(spans))
    token_starts = np.asarray(tokens.starts, dtype=np.int64)
    slot = np.searchsorted(starts, token_starts, side="right") - 1
    inside = (slot >= 0) & (token_starts < ends[np.maximum(slot, 0)])
    keep = np.flatnonzero(~inside).tolist()
    return [tokens.words[k] for k in keep], [tokens.starts[k] for k in keep]


@dataclass(frozen=True, slots=True)
class _Batch:
    start: int
    texts: list[str]
    boilerplate: list[list[tuple[int, int]]]
    config: ScanConfig


_HASHER: WordHasher | None = None


def analyse_batch(batch: _Batch) -> tuple[int, list[tuple[Features, tuple[Repeat, ...]]]]:
    """Features and repeated passages of one batch of documents (runs in a worker process)."""
    global _HASHER
    if _HASHER is None:
        _HASHER = WordHasher()
    hasher = _HASHER
    contents = [content_text(t, s) for t, s in zip(batch.texts, batch.boilerplate, strict=True)]
    found = batch_features(contents, batch.config, hasher)
    out = []
    for text, content, spans, feats in zip(batch.texts, contents, batch.boilerplate, found, strict=True):
        # The batch pass only flags possible repeats; the exact spans come from the slower per-document pass.
        reps = find_repeats(tokenize(text), hasher) if feats.may_repeat or spans else ()
        if batch.config.spun_pairs:
            anchors = anchor_features(content, tokenize(content))
            feats = replace(feats, anchors=sorted_distinct(hasher.hash_words(anchors) & MASK32).astype(np.uint32))
        out.append((feats, reps))
    return batch.start, out


def _may_have_boilerplate(keys: list[int] | None, lines: LineStats) -> bool:
    if keys is None:  # an exact copy: its features are its group's first document's
        return False
    freq = lines.doc_freq
    return any(freq[k] >= lines.min_docs for k in keys)


# How far below the thresholds a signature estimate may fall and still be checked exactly: about four
# standard errors of a 128-permutation estimate.
ESTIMATE_MARGIN = 0.2


def promising(candidates: np.ndarray, sigs: np.ndarray, sizes: np.ndarray, config: ScanConfig) -> np.ndarray:
    """Which LSH candidates' signatures suggest a relation worth checking exactly (a boolean mask).

    Sharing one band is weak evidence; the whole signature estimates the Jaccard, and with the set sizes
    the containment. Pairs far below both thresholds are passed over without the exact check, which keeps
    verification in proportion to real copies on corpora full of look-alike stories.
    """
    keep = np.zeros(len(candidates), dtype=bool)
    for start in range(0, len(candidates), 100_000):
        x, y = candidates[start : start + 100_000, 0], candidates[start : start + 100_000, 1]
        jaccard = (sigs[x] == sigs[y]).mean(axis=1)
        small = np.maximum(np.minimum(sizes[x], sizes[y]), 1)
        containment = jaccard * (sizes[x] + sizes[y]) / ((1 + jaccard) * small)
        keep[start : start + 100_000] = (jaccard >= config.near_threshold - ESTIMATE_MARGIN) | (
            containment >= config.partial_threshold - ESTIMATE_MARGIN
        )
    return keep


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
    config = config or ScanConfig()
    tick = progress or (lambda stage, done, total: None)
    store = TextStore()
    ids: list[str] = []
    index_of: dict[str, int] = {}
    chars: list[int] = []
    exact_key: list[bytes] = []
    first_with_key: dict[bytes, int] = {}
    lines = LineStats(config.boilerplate_min_docs)
    # Each distinct document's line keys, so pass 2 looks for boilerplate only where a line is common.
    doc_line_keys: list[list[int] | None] = []

    # Pass 1: store texts, group exact copies, count lines across distinct texts.
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
        store.append(doc.text)
        norm = normalize(doc.text)
        key = blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16).digest() if norm else b""
        exact_key.append(key)
        if key and key not in first_with_key:
            first_with_key[key] = len(ids) - 1
            keys = [k for _, _, k in line_keys(doc.text) if k is not None]
            lines.add_keys(keys)
            doc_line_keys.append(keys)
        else:
            doc_line_keys.append(None)
        if len(ids) % 1000 == 0:
            tick("reading", len(ids), None)
    n = len(ids)
    tick("reading", n, n)

    # Pass 2: per-document analysis, in batches, on every core. Exact copies share the first one's features.
    heads = sorted(first_with_key.values())
    features: dict[int, Features] = {}
    repeats: dict[int, tuple[Repeat, ...]] = {}

    def batches() -> Iterator[_Batch]:
        for start in range(0, n, BATCH):
            texts = [store.get(i) for i in range(start, min(n, start + BATCH))]
            spans = [
                boilerplate_spans(t, lines) if _may_have_boilerplate(doc_line_keys[i], lines) else []
                for i, t in zip(range(start, start + len(texts)), texts, strict=True)
            ]
            yield _Batch(start, texts, spans, config)

    workers = effective_workers(config.workers) if n > BATCH else 1
    for batch_start, found in map_batches(analyse_batch, batches(), workers):
        for offset, (feats, found_repeats) in enumerate(found):
            i = batch_start + offset
            if exact_key[i] and first_with_key[exact_key[i]] == i:
                features[i] = feats
            if found_repeats:
                repeats[i] = found_repeats
        tick("analysing", min(n, batch_start + BATCH), n)
    results = [DocumentResult(id=ids[i], chars=chars[i], spin=None, repeats=repeats.get(i, ())) for i in range(n)]

    pairs: list[tuple[int, int, Pair]] = []
    groups: dict[bytes, list[int]] = {}
    for i, key in enumerate(exact_key):
        if key:
            groups.setdefault(key, []).append(i)
    for members in groups.values():
        pairs.extend((members[0], other, Pair(ids[members[0]], ids[other], "exact", 1.0, 1.0, 1.0))
                     for other in members[1:])

    # Candidates from both channels, over the first document of each exact group; then exact verification.
    sigs = signatures([features[i].chars for i in heads], Permutations(config.num_perm, config.seed))
    tick("indexing", len(heads), len(heads))
    lsh_candidates = candidate_pairs(sigs, lsh_params(config.lsh_threshold, config.num_perm))
    sizes = np.array([len(features[i].chars) for i in heads], dtype=np.int64)
    lsh_candidates = lsh_candidates[promising(lsh_candidates, sigs, sizes, config)]
    spun_candidates = np.empty((0, 2), dtype=np.int64)
    if config.spun_pairs:
        # Channel 3: what a spinner leaves alone (names, numbers, the function-word skeleton).
        anchor_sigs = signatures([features[i].anchors for i in heads], Permutations(config.num_perm, config.seed))
        spun_candidates = candidate_pairs(anchor_sigs, lsh_params(config.anchor_threshold, config.num_perm))
    candidates = np.unique(np.concatenate((
        lsh_candidates,
        spun_candidates,
        shared_key_pairs([features[i].sentences for i in heads], min_share=config.sentence_min_share),
    )), axis=0)
    for done, (x, y) in enumerate(candidates.tolist()):
        i, j = heads[x], heads[y]
        pair = verify_pair(ids[i], ids[j], features[i], features[j], config)
        if needs_alignment(pair, pair.details["char_containment"], config):
            pair = spun_pair(ids[i], ids[j], store.get(i), store.get(j), pair, config)
        if pair is not None and pair.relation:
            pairs.append((i, j, pair))
        if (done + 1) % 10000 == 0:
            tick("verifying", done + 1, len(candidates))
    tick("verifying", len(candidates), len(candidates))

    pairs.sort(key=lambda t: (t[0], t[1]))
    clusters = build_clusters(ids, chars, ((i, j) for i, j, _ in pairs), config.keep_policy)
    texts = None
    if keep_texts:
        def texts(doc_id: str) -> str:
            return store.get(index_of[doc_id])
    else:
        store.close()
    return Report(
        config=config,
        documents=tuple(results),
        pairs=tuple(p for _, _, p in pairs),
        clusters=tuple(clusters),
        notices=dict(notices or {}),
        notice_messages=tuple(notice_messages),
        texts=texts,
    )
