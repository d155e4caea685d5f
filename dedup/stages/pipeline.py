"""The scan: its stages in order, run on an engine.

One pass over the input: this process reads documents and stores each text in a temporary file, while the
engine's workers analyse batches of them (``analyse``). Then exact copies are grouped (``exact``), lines
common across the corpus are counted and the few documents that hold one are analysed again without them
(``boilerplate``), candidate pairs come from the index (``candidates``), each is verified (``verify``), and
the pairs are clustered (``cluster``) into the report. Only signatures, shingle sets and pairs stay in memory;
texts are read back from the store where a pair needs aligning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from dedup.config import ScanConfig, SpinConfig, scan_config
from dedup.engine.base import Engine
from dedup.engine.local import LocalEngine, paused_gc
from dedup.errors import InputError
from dedup.io.textstore import TextStore
from dedup.model import Document, DocumentResult, Pair, SpinResult
from dedup.report.report import Report
from dedup.stages.analyse import BATCH, Batch, BatchResult, analyse_batch, check_phrases
from dedup.stages.boilerplate import common_line_documents, redo_without_boilerplate
from dedup.stages.candidates import find_candidates
from dedup.stages.cluster import UnionFind, build_clusters
from dedup.stages.exact import exact_groups
from dedup.stages.table import FeatureTable
from dedup.stages.verify import COPY_RELATIONS, VerifyState, list_big_clusters, verify_candidates
from dedup.timing import flush, timed

__all__ = ["Progress", "check_spin", "scan"]

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(stage, done, total)``; ``total`` is None while the input is still being read."""


def scan(
    documents: Iterable[Document],
    config: ScanConfig | None = None,
    *,
    engine: Engine | None = None,
    notices: dict[str, int] | None = None,
    notice_messages: Iterable[str] = (),
    progress: Progress | None = None,
    keep_texts: bool = True,
) -> Report:
    """Scan ``documents`` (read one by one, as they come) for copies and return the report.

    ``engine`` runs the stages (the local process pool on every core by default); it never changes the
    report. ``notices`` are the reader's counted warnings, carried into the report's summary.

    >>> docs = [Document("a", "The cat sat on the mat today."), Document("b", "the  cat sat on the mat TODAY.")]
    >>> [(p.a, p.b, p.relation) for p in scan(docs).pairs]
    [('a', 'b', 'exact')]
    """
    scans_itself = getattr(engine, "scan_documents", None)  # an engine that runs the stages its own way (Spark)
    if scans_itself is not None:
        return scans_itself(documents, scan_config(config), notices=notices, notice_messages=notice_messages,
                            progress=progress, keep_texts=keep_texts)
    with paused_gc():
        return _scan(documents, scan_config(config), engine or LocalEngine(), notices, notice_messages,
                     progress, keep_texts)


class _Reader:
    """Reads documents into the text store and ids, in batches for the analyse stage; refuses reused ids."""

    def __init__(self, config: ScanConfig) -> None:
        self.config = config
        self.store = TextStore()
        self.ids: list[str] = []
        self.index_of: dict[str, int] = {}
        self.chars: list[int] = []

    def batches(self, documents: Iterable[Document]) -> Iterator[Batch]:
        texts: list[str] = []
        for doc in documents:
            if doc.id in self.index_of:
                where = f"{doc.source}:{doc.line}" if doc.source else f"document {len(self.ids) + 1}"
                raise InputError(
                    f"duplicate id {doc.id!r} (first at document {self.index_of[doc.id] + 1})",
                    path=where,
                    hint="Give every document a unique id",
                )
            self.index_of[doc.id] = len(self.ids)
            self.ids.append(doc.id)
            self.chars.append(len(doc.text))
            texts.append(doc.text)
            if len(texts) == BATCH:
                self.store.extend(texts)
                yield Batch(len(self.ids) - len(texts), texts, None, self.config)
                texts = []
        if texts:
            self.store.extend(texts)
            yield Batch(len(self.ids) - len(texts), texts, None, self.config)


def _scan(
    documents: Iterable[Document],
    config: ScanConfig,
    engine: Engine,
    notices: dict[str, int] | None,
    notice_messages: Iterable[str],
    progress: Progress | None,
    keep_texts: bool,
) -> Report:
    tick = progress or (lambda stage, done, total: None)
    reader = _Reader(config)
    store, ids, index_of, chars = reader.store, reader.ids, reader.index_of, reader.chars

    # Analyse, while this process reads the next batches (every one but the last of BATCH documents).
    # ``timed``: the speed benchmark's stage timings, off unless asked for (dedup.timing).
    results: list[BatchResult] = []
    with timed("analyse", children=True):
        for result in engine.map(analyse_batch, reader.batches(documents)):
            results.append(result)
            tick("analysing", result.start + len(result.exact_keys), None)
    n = len(ids)
    tick("analysing", n, n)

    # Exact groups: only each group's first document goes on.
    with timed("exact", children=True):
        exact = exact_groups(results, ids, engine, chars)
    pairs, heads = exact.pairs, exact.heads

    # Boilerplate: count lines over distinct texts, then analyse again the few documents holding a common line.
    with timed("boilerplate", children=True):
        table = FeatureTable(results)
        redo, lines = common_line_documents(table, heads, config.boilerplate_min_docs)
        sigs = (np.concatenate([r.char_sigs for r in results]) if results
                else np.empty((0, config.num_perm), np.uint32))
        spun_sigs = np.concatenate([r.anchor_sigs for r in results]) if results else sigs[:0]
        repeats = {i: reps for r in results for i, reps in ((r.start + k, v) for k, v in r.repeats.items())}
        redo_without_boilerplate(redo, lines, store, config, engine, table=table, repeats=repeats, sigs=sigs,
                                 spun_sigs=spun_sigs)
    tick("boilerplate", len(redo), len(redo))
    spins = [spin for r in results for spin in r.spins]
    documents_found = [
        DocumentResult(id=ids[i], chars=chars[i], spin=spins[i], repeats=repeats.get(i, ())) for i in range(n)
    ]

    with timed("candidates", children=True):
        candidates = find_candidates(heads, table, sigs, spun_sigs, config, engine)
    tick("indexing", len(heads), len(heads))

    with timed("verify", children=True):
        store.flush()  # the workers read texts for alignment from the store's file
        state = VerifyState(ids, heads, table, store, config)
        joined = UnionFind(n)
        for i, j, _ in pairs:
            joined.union(i, j)
        for found in verify_candidates(state, candidates, joined, engine,
                                       lambda done: tick("verifying", done, len(candidates))):
            pairs.extend(found)
    tick("verifying", len(candidates), len(candidates))

    with timed("cluster", children=True):
        pairs.sort(key=lambda t: (t[0], t[1]))
        clusters = build_clusters(ids, chars, ((i, j) for i, j, p in pairs if p.relation in COPY_RELATIONS),
                                  config.keep_policy, engine=engine)
        pairs, not_listed = list_big_clusters(pairs, clusters, index_of, state)
    if not keep_texts:
        store.close()  # nothing will read the texts again: free the temporary file now
    with timed("report"):
        report = _report(config, documents_found, pairs, clusters, not_listed, notices, notice_messages,
                         store if keep_texts else None, index_of)
    flush()
    return report


def _report(config: ScanConfig, documents: list[DocumentResult], pairs: list[tuple[int, int, Pair]],
            clusters: list, not_listed: dict[int, int], notices: dict[str, int] | None,
            notice_messages: Iterable[str], store: TextStore | None, index_of: dict[str, int]) -> Report:
    """Stage 7, the report: what the stages found, with access to the texts while ``store`` is open."""
    text_of: Callable[[str], str] | None = None
    if store is not None:
        def text_of(doc_id: str) -> str:
            return store.get(index_of[doc_id])
    return Report(
        config=config,
        documents=tuple(documents),
        pairs=tuple(p for _, _, p in pairs),
        clusters=tuple(clusters),
        notices=dict(notices or {}),
        notice_messages=tuple(notice_messages),
        pairs_not_listed=not_listed,
        texts=text_of,
    )


def check_spin(
    documents: Iterable[Document], config: ScanConfig | None = None, *, engine: Engine | None = None,
    progress: Progress | None = None,
) -> Report:
    """Phrase checks only: each document's spin score, verdict and evidence, no pairs (``dedup spin``).

    >>> report = check_spin([Document("a", "The minister said the talks went well.")])
    >>> report.documents[0].spin.spun
    False
    """
    with paused_gc():
        return _check_spin(documents, scan_config(config), engine or LocalEngine(), progress)


def _check_spin(documents: Iterable[Document], config: ScanConfig, engine: Engine,
                progress: Progress | None) -> Report:
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
    for found in engine.map(check_phrases, jobs()):
        spins.extend(found)
        tick("checking", len(spins), None)
    results = tuple(
        DocumentResult(id=doc_id, chars=chars, spin=spin)
        for doc_id, chars, spin in zip(ids, lengths, spins, strict=True)
    )
    return Report(config=config, documents=results, pairs=(), clusters=(),
                  texts=lambda doc_id: store.get(index_of[doc_id]))
