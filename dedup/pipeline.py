"""The scan: read, find boilerplate, shingle, sign, index, verify, cluster, report.

One pass over the input: this process reads documents and stores each text in a temporary file, while
worker processes analyse batches of them (exact-copy key, line keys, shingle sets, signatures, repeats).
Then lines common across the corpus are known, and the few documents that hold one are analysed again
without them (boilerplate). Only signatures, shingle sets and pairs stay in memory; texts are read back
from the store where a pair needs aligning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from hashlib import blake2b

import numpy as np

from dedup.anchors import anchor_features
from dedup.boilerplate import LineStats, boilerplate_spans, line_keys
from dedup.cluster import build_clusters
from dedup.config import ScanConfig, SpinConfig
from dedup.errors import InputError
from dedup.features import MASK32, Features, batch_features, content_text, sorted_distinct
from dedup.index import candidate_pairs, lsh_params, shared_key_pairs
from dedup.minhash import Permutations, signatures
from dedup.model import Document, DocumentResult, Pair, Repeat, SpinResult
from dedup.normalize import normalize, tokenize
from dedup.phrases import PhraseChecker, load_checker
from dedup.repeats import find_repeats
from dedup.report import Report
from dedup.shingle import WordHasher
from dedup.textstore import TextStore
from dedup.verify import SPUN_ANCHORS, SPUN_CANDIDATE, needs_alignment, overlap, spun_pair, verify_pair
from dedup.workers import effective_workers, map_batches

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
class _Analysis:
    """What a worker returns for one document."""

    exact_key: bytes
    line_keys: np.ndarray
    features: Features
    repeats: tuple[Repeat, ...]
    spin: SpinResult | None = None


_HASHER: WordHasher | None = None
_PERMUTATIONS: dict[tuple[int, int], Permutations] = {}
_CHECKERS: dict[SpinConfig, PhraseChecker] = {}


def phrase_checker(config: SpinConfig) -> PhraseChecker:
    """The phrase checker for ``config``, loaded once per process (its data takes a moment to load)."""
    if config not in _CHECKERS:
        _CHECKERS[config] = load_checker(config.phrase_lists, threshold=config.threshold)
    return _CHECKERS[config]


def analyse_batch(batch: _Batch) -> tuple[int, list[_Analysis], np.ndarray, np.ndarray]:
    """Everything a scan needs of one batch of documents (runs in a worker process).

    Returns the batch start, each document's analysis, and the MinHash signatures of the batch's character
    sample and anchor features. ``batch.boilerplate`` gives spans to leave out, or None on the first pass,
    when no line of the corpus is known to be boilerplate yet.
    """
    global _HASHER
    if _HASHER is None:
        _HASHER = WordHasher()
    hasher, config = _HASHER, batch.config
    if (config.num_perm, config.seed) not in _PERMUTATIONS:
        _PERMUTATIONS[config.num_perm, config.seed] = Permutations(config.num_perm, config.seed)
    perms = _PERMUTATIONS[config.num_perm, config.seed]
    spans = batch.boilerplate or [[] for _ in batch.texts]
    contents = [content_text(t, s) for t, s in zip(batch.texts, spans, strict=True)]
    found = batch_features(contents, config)
    # Anchors and phrase checks both want each text's tokens with offsets: tokenise once for both.
    needs_tokens = config.spun_pairs or config.spin.enabled
    tokens = [tokenize(c) for c in contents] if needs_tokens else [None] * len(contents)
    # Phrase checks read the text as given (boilerplate included), once: not again when boilerplate is redone.
    spins: Iterator[SpinResult | None]
    if config.spin.enabled and batch.boilerplate is None:
        spins = iter(phrase_checker(config.spin).check_many(batch.texts, tokens=tokens))  # type: ignore[arg-type]
    else:
        spins = iter([None] * len(batch.texts))
    out = []
    for text, content, span, feats, content_tokens in zip(
        batch.texts, contents, spans, found, tokens, strict=True
    ):
        norm = normalize(text)
        key = blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16).digest() if norm else b""
        keys = np.array([k for _, _, k in line_keys(text) if k is not None], dtype=np.int64)
        # The batch pass only flags possible repeats; the exact spans come from the slower per-document pass.
        reps: tuple[Repeat, ...] = ()
        if feats.may_repeat or span:
            reps = find_repeats(content_tokens if content_tokens and not span else tokenize(text), hasher)
        if config.spun_pairs and content_tokens is not None:
            anchors = anchor_features(content, content_tokens)
            feats = replace(feats, anchors=sorted_distinct(hasher.hash_words(anchors) & MASK32).astype(np.uint32))
        out.append(_Analysis(key, keys, feats, reps, next(spins)))
    char_sigs = signatures([f.features.chars for f in out], perms)
    anchor_sigs = signatures([f.features.anchors for f in out], perms) if config.spun_pairs else char_sigs[:0]
    return batch.start, out, char_sigs, anchor_sigs


def _may_have_boilerplate(keys: np.ndarray, lines: LineStats) -> bool:
    freq = lines.doc_freq
    return any(freq[k] >= lines.min_docs for k in keys.tolist())


# How far below the thresholds a signature estimate may fall and still be checked exactly: about four
# standard errors of a 128-permutation estimate.
ESTIMATE_MARGIN = 0.2


def estimates(candidates: np.ndarray, sigs: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MinHash estimates of each candidate pair's Jaccard and, with the set sizes, containment.

    >>> s = np.array([[1, 2, 3, 4], [1, 2, 9, 9]], dtype=np.uint32)
    >>> [x.tolist() for x in estimates(np.array([[0, 1]]), s, np.array([10, 10]))]
    [[0.5], [0.6666666666666666]]
    """
    jaccard = np.empty(len(candidates))
    for start in range(0, len(candidates), 100_000):
        x, y = candidates[start : start + 100_000, 0], candidates[start : start + 100_000, 1]
        jaccard[start : start + 100_000] = (sigs[x] == sigs[y]).mean(axis=1)
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
    config = config or ScanConfig()
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
            store.append(doc.text)
            texts.append(doc.text)
            if len(texts) == BATCH:
                yield _Batch(len(ids) - len(texts), texts, None, config)
                texts = []
        if texts:
            yield _Batch(len(ids) - len(texts), texts, None, config)

    # One pass over the input: workers analyse batches while this process reads the next ones.
    analyses: list[_Analysis] = []
    char_sigs: list[np.ndarray] = []
    anchor_sigs: list[np.ndarray] = []
    for _, found, batch_chars, batch_anchors in map_batches(analyse_batch, read_batches(), workers):
        analyses.extend(found)
        char_sigs.append(batch_chars)
        anchor_sigs.append(batch_anchors)
        tick("analysing", len(analyses), None)
    n = len(ids)
    tick("analysing", n, n)

    # Exact copies: grouped by normalised text; only each group's first document goes on.
    first_with_key: dict[bytes, int] = {}
    pairs: list[tuple[int, int, Pair]] = []
    for i, a in enumerate(analyses):
        if not a.exact_key:
            continue
        first = first_with_key.setdefault(a.exact_key, i)
        if first != i:
            pairs.append((first, i, Pair(ids[first], ids[i], "exact", 1.0, 1.0, 1.0)))
    heads = sorted(first_with_key.values())

    # Boilerplate: count lines over distinct texts, then analyse again the few documents holding a common line.
    lines = LineStats(config.boilerplate_min_docs)
    for i in heads:
        lines.add_keys(analyses[i].line_keys.tolist())
    redo = [i for i in heads if _may_have_boilerplate(analyses[i].line_keys, lines)]
    sigs = np.concatenate(char_sigs) if char_sigs else np.empty((0, config.num_perm), dtype=np.uint32)
    spun_sigs = np.concatenate(anchor_sigs) if anchor_sigs else sigs[:0]
    redo_batches = []
    for start in range(0, len(redo), BATCH):
        texts = [store.get(i) for i in redo[start : start + BATCH]]
        redo_batches.append(_Batch(start, texts, [boilerplate_spans(t, lines) for t in texts], config))
    for start, found, batch_chars, batch_anchors in map_batches(analyse_batch, redo_batches, workers):
        for offset, a in enumerate(found):
            i = redo[start + offset]
            # The phrase checks of the first pass stand: they read the text as given, boilerplate included.
            analyses[i] = replace(analyses[i], features=a.features, repeats=a.repeats)
            sigs[i] = batch_chars[offset]
            if config.spun_pairs:
                spun_sigs[i] = batch_anchors[offset]
    tick("boilerplate", len(redo), len(redo))
    results = [
        DocumentResult(id=ids[i], chars=chars[i], spin=analyses[i].spin, repeats=analyses[i].repeats) for i in range(n)
    ]

    # Candidates from three channels, over the first document of each exact group; then exact verification.
    features = {i: analyses[i].features for i in heads}
    head_index = np.array(heads, dtype=np.int64)
    head_sigs = sigs[head_index]
    lsh_candidates = candidate_pairs(head_sigs, lsh_params(config.lsh_threshold, config.num_perm))
    sizes = np.array([len(features[i].chars) for i in heads], dtype=np.int64)
    lsh_candidates = lsh_candidates[promising(lsh_candidates, head_sigs, sizes, config)]
    spun_candidates = np.empty((0, 2), dtype=np.int64)
    if config.spun_pairs:
        # What a spinner leaves alone (names, numbers, the function-word skeleton).
        head_anchor_sigs = spun_sigs[head_index]
        spun_candidates = candidate_pairs(head_anchor_sigs, lsh_params(config.anchor_threshold, config.num_perm))
        spun_candidates = spun_candidates[promising_spun(spun_candidates, head_anchor_sigs, head_sigs, sizes)]
    candidates = np.unique(np.concatenate((
        lsh_candidates,
        spun_candidates,
        shared_key_pairs([features[i].sentences for i in heads], min_share=config.sentence_min_share),
    )), axis=0)
    tick("indexing", len(heads), len(heads))
    for done, (x, y) in enumerate(candidates.tolist()):
        i, j = heads[x], heads[y]
        shingled = verify_pair(ids[i], ids[j], features[i], features[j], config)
        verified: Pair | None = shingled
        anchors = overlap(features[i].anchors, features[j].anchors)[0] if config.spun_pairs else 0.0
        if needs_alignment(shingled, shingled.details["char_containment"], config, anchors):
            verified = spun_pair(ids[i], ids[j], store.get(i), store.get(j), shingled)
        if verified is not None and verified.relation:
            pairs.append((i, j, verified))
        if (done + 1) % 10000 == 0:
            tick("verifying", done + 1, len(candidates))
    tick("verifying", len(candidates), len(candidates))

    pairs.sort(key=lambda t: (t[0], t[1]))
    clusters = build_clusters(ids, chars, ((i, j) for i, j, _ in pairs), config.keep_policy)
    text_of: Callable[[str], str] | None = None
    if keep_texts:
        def text_of(doc_id: str) -> str:
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
    config = config or ScanConfig()
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
