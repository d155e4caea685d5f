"""The archive index: documents seen before, kept so that new ones are scanned against them without a rescan.

``Index.scan(new)`` reports every pair touching a new document exactly as a full scan of the archive and the
new documents together would: same relations, figures and passages. It does not compare new with old in
some cheaper way; it rebuilds, for the few archived documents that matter, exactly what the full scan
would hold, then runs the scan's own stages on them:

- exact copies: an archived document with a new one's exact key is the head of its group (it came first);
- boilerplate: a line's count is its count in the archive plus among the new heads. An archived document
  holding a line whose count moved has its boilerplate worked out again and, where that changed, is
  analysed afresh ("restated");
- candidates: the archived documents found under the new heads' band keys, sentence keys and passage keys
  (keys held by more documents, archive included, than a channel allows are passed over, as in a full
  scan), with the restated ones, are analysed again from their stored texts and put beside the new ones;
  ``find_candidates`` runs on that small corpus and the pairs touching a new document are verified.

What is stored per document: its packed record (id, exact key, boilerplate spans, compressed text) and its
keys in posting blocks (``dedup.index.postings``); signatures and shingles are taken again from the text
when needed, which costs a little time per candidate and keeps the index near the size of its input. Of
most candidates only the shingles and character signature are taken (a ``lean`` analysis); the anchors,
two thirds of a whole analysis, only where the anchor LSH could add a pair or a pair's verification asks.

Where a scan against the index and a full scan differ: clusters. Archived documents are all kept (the
archive was deduplicated before), so a cluster's representative is archived where it holds one; and a
cluster past ``LISTED_CLUSTER_LIMIT`` members lists the pairs this scan verified, which a full scan (whose
cluster also holds archived-only pairs) may list differently.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import dedup
from dedup.config import ScanConfig, SpinConfig, scan_config
from dedup.engine.base import Engine
from dedup.engine.local import Background, LocalEngine, paused_gc
from dedup.errors import ConfigError, DedupError, InputError
from dedup.index.filters import ESTIMATE_MARGIN, EstimateFilter, estimates
from dedup.index.lsh import LSHParams, band_keys, lsh_params
from dedup.index.postings import KINDS, Postings, block_bits, lookup, lookup_capped, replace_all, update
from dedup.index.store import IndexStore, IndexWriter, open_store, shown
from dedup.io.textstore import TextStore
from dedup.model import Document, DocumentResult, Pair, SpinResult
from dedup.report.report import Report
from dedup.sketch.features import Features
from dedup.stages.analyse import BATCH, Batch, BatchResult, analyse_batch, anchor_signatures, check_phrases
from dedup.stages.candidates import (
    PASSAGE_CHANNEL_KEYS,
    PASSAGE_MAX_POSTINGS,
    SENTENCE_MAX_POSTINGS,
    find_candidates,
)
from dedup.stages.cluster import UnionFind, build_clusters
from dedup.stages.exact import whole_passage
from dedup.stages.table import FeatureList, FeatureTable
from dedup.stages.verify import COPY_RELATIONS, VerifyState, list_big_clusters, verify_candidates
from dedup.text.lines import line_keys
from dedup.verify.boilerplate import LineStats, boilerplate_spans
from dedup.verify.relations import MIN_JUDGED_WORDS, SPUN_CANDIDATE

__all__ = ["FORMAT", "Index", "deciding_config"]

# 2: passage keys of two content words, not three (an index of /1 holds keys this dedup never asks for).
FORMAT = "dedup.index/2"

Progress = Callable[[str, int, int | None], None]


def deciding_config(config: ScanConfig) -> dict[str, Any]:
    """The settings an index's contents depend on: everything but the phrase checks and the keep policy
    (which decide documents' spin scores and which copy is kept, not what is stored)."""
    settings = dataclasses.asdict(config)
    for name in ("spin", "keep_policy"):
        settings.pop(name)
    return settings


@dataclass(frozen=True)
class _Record:
    """What the index keeps of one document besides its keys."""

    id: str
    head: int  # the number of its exact group's first document (its own, for a head)
    chars: int
    words: int  # its length in words as first read (boilerplate included): an exact pair's figure
    exact: bytes
    spans: tuple[tuple[int, int], ...]
    text: str
    shingles: int = 0  # how many character shingles it holds, after boilerplate (a head's; 0 for a member)
    sketch: bytes = b""  # the low 4 bits of each value of its character signature (``sketch``)

    def pack(self, zdict: bytes) -> bytes:
        """A line of JSON (id and figures), then the exact key, the sketch and the compressed text as bytes."""
        header = json.dumps([self.id, self.head, self.chars, self.words, self.spans, self.shingles, len(self.exact),
                             len(self.sketch)], ensure_ascii=True, separators=(",", ":"))
        packer = zlib.compressobj(9, zdict=zdict) if zdict else zlib.compressobj(9)
        text = packer.compress(self.text.encode("utf-8", "surrogatepass")) + packer.flush()
        return header.encode("ascii") + b"\n" + self.exact + self.sketch + text

    @classmethod
    def unpack(cls, data: bytes, zdict: bytes) -> _Record:
        header, _, rest = data.partition(b"\n")
        doc_id, head, chars, words, spans, shingles, exact_bytes, sketch_bytes = json.loads(header)
        text = inflated(rest[exact_bytes + sketch_bytes :], zdict)
        return cls(doc_id, head, chars, words, rest[:exact_bytes], tuple((s, e) for s, e in spans),
                   text.decode("utf-8", "surrogatepass"), shingles, rest[exact_bytes : exact_bytes + sketch_bytes])

    @staticmethod
    def sketch_of(data: bytes) -> tuple[int, bytes]:
        """A packed record's shingle count and sketch, without unpacking its text."""
        header, _, rest = data.partition(b"\n")
        fields = json.loads(header)
        return fields[5], rest[fields[6] : fields[6] + fields[7]]


def inflated(stream: bytes, zdict: bytes) -> bytes:
    """A record's text as ``zlib.compressobj(9, zdict=zdict)`` packed it (a zlib stream), decompressed.

    zlib itself checks a preset dictionary by an Adler-32 of all 32 KB of it, for every record: 18 of the
    25 us a record of the speed corpus took. Here the dictionary's checksum is taken once (``_adler``), the
    stream's header is checked against it, the deflate data inflated raw and the Adler-32 of the text
    checked against the stream's trailer, as zlib does. Whatever does not fit that (another header, a
    wrong checksum, a cut stream) is handed to zlib as before, which raises the same error it always did.

    >>> packer = zlib.compressobj(9, zdict=b"the river bridge")
    >>> inflated(packer.compress(b"the bridge over the river") + packer.flush(), b"the river bridge")
    b'the bridge over the river'
    """
    if len(stream) >= 10 and stream[0] & 0x0F == 8 and stream[0] >> 4 <= 7 and (stream[0] << 8 | stream[1]) % 31 == 0:
        preset = bool(stream[1] & 0x20)
        if not preset or (zdict and stream[2:6] == _adler(zdict)):
            unpacker = zlib.decompressobj(-15, zdict=zdict) if preset else zlib.decompressobj(-15)
            start = 6 if preset else 2
            try:
                text = unpacker.decompress(stream[start:]) + unpacker.flush()
            except zlib.error:
                text = None
            if text is not None and unpacker.eof and unpacker.unused_data[:4] == zlib.adler32(text).to_bytes(4, "big"):
                return text
    unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
    return unpacker.decompress(stream) + unpacker.flush()


@functools.lru_cache(maxsize=4)
def _adler(zdict: bytes) -> bytes:
    """A preset dictionary's id in a zlib stream's header: its Adler-32, big-endian."""
    return zlib.adler32(zdict).to_bytes(4, "big")


def sketch(sigs: np.ndarray) -> list[bytes]:
    """Each signature's sketch: the low 4 bits of every value, two to a byte.

    Where two signatures agree, so do their sketches; so the share of agreeing sketch values is at least the
    signatures' Jaccard estimate (plus about 1/16 of the rest by chance), and a pair whose sketches fail
    the estimate filter fails it on the signatures too. 64 bytes for 128 permutations, about 5% of a record,
    rule out about four in five of the archived documents a new one shares a band with, unread.

    >>> [s.hex() for s in sketch(np.array([[0x12, 0x34, 0xFF, 0x0A]], dtype=np.uint32))]
    ['42af']
    """
    nibbles = (sigs & 0xF).astype(np.uint8)
    if nibbles.shape[1] % 2:
        nibbles = np.concatenate((nibbles, np.zeros((len(nibbles), 1), np.uint8)), axis=1)
    packed = nibbles[:, 0::2] | (nibbles[:, 1::2] << 4)
    return [row.tobytes() for row in packed]


def _sketch_rows(sketches: Sequence[bytes], num_perm: int) -> np.ndarray:
    """Sketches back as one row of 4-bit values per signature (as ``sigs & 0xF``)."""
    packed = np.frombuffer(b"".join(sketches), dtype=np.uint8).reshape(len(sketches), -1)
    return np.stack((packed & 0xF, packed >> 4), axis=2).reshape(len(sketches), -1)[:, :num_perm]


# The words of a compression dictionary: a news text of 1 KB compresses to 56% of its size alone, to 44% with
# the commonest words of the index's first documents preset (zlib's ``zdict``, 32 KB at most).
ZDICT_WORDS = 6000
ZDICT_BYTES = 32 * 1024


def build_zdict(texts: Iterable[str]) -> bytes:
    """A zlib preset dictionary from ``texts``: their commonest words, the commonest last (nearest)."""
    counts = Counter(w for t in texts for w in t.split())
    common = [w for w, _ in counts.most_common(ZDICT_WORDS)]
    return " ".join(reversed(common)).encode("utf-8", "surrogatepass")[-ZDICT_BYTES:]


def _zdict(store: IndexStore) -> bytes:
    return base64.b64decode(store.meta().get("zdict", ""))


@dataclass
class _New:
    """The new documents, read and analysed as a full scan's first pass would."""

    ids: list[str]
    chars: list[int]
    store: TextStore
    results: list[BatchResult]
    numbers: list[int]  # as they will be numbered in the archive: after every archived one

    @functools.cached_property
    def exact_keys(self) -> list[bytes]:
        return [k for r in self.results for k in r.exact_keys]

    @functools.cached_property
    def lengths(self) -> list[int]:
        return [int(n) for r in self.results for n in r.lengths]


@dataclass
class _Merged:
    """The new documents as they stand beside the archive: exact groups, boilerplate, final features."""

    new: _New
    head_of: list[int]  # per new document, the number of its exact group's head (archived or new)
    spans: dict[int, list[tuple[int, int]]]  # new heads whose boilerplate was worked out (position -> spans)
    features: list[Features]  # per new document, after boilerplate
    sigs: np.ndarray
    spun_sigs: np.ndarray
    repeats: dict[int, tuple]  # type: ignore[type-arg]
    # Archived documents whose boilerplate changed: number -> (record, new spans, new analysis, old analysis).
    restated: dict[int, tuple[_Record, list[tuple[int, int]], BatchResult, BatchResult]] = field(default_factory=dict)

    def is_head(self, k: int) -> bool:
        return self.head_of[k] == self.new.numbers[k]


class Index:
    """A persistent archive index (a SQLite file, or ``redis://host:port/db``).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "archive.db")
    >>> story = "The minister said on Tuesday that the new bridge over the river would open in the spring. "
    >>> index = Index(path)
    >>> index.add([Document("old", story * 3)])
    1
    >>> report = index.scan([Document("new", story * 3 + "Work starts next week.")])
    >>> [(p.a, p.b, p.relation) for p in report.pairs]
    [('old', 'new', 'near_duplicate')]
    >>> index.info()["documents"]
    1
    """

    def __init__(self, location: str | Any, config: ScanConfig | None = None, *, create: bool = True,
                 engine: Engine | None = None) -> None:
        self.location = str(location)
        self.store: IndexStore = open_store(self.location, create=create)
        self.shown = shown(self.location)  # as messages and info() name it: no password
        self.engine = engine or LocalEngine(workers=1)
        self._config = config

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # --- what is stored -----------------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        meta = self.store.meta()
        if meta and meta.get("format") != FORMAT:
            raise DedupError(f"{self.shown}: index format {meta.get('format')!r}, this dedup reads {FORMAT!r}."
                             " Build the index again with this version")
        return meta

    def config(self, given: ScanConfig | None = None) -> ScanConfig:
        """With ``given``: it, once checked against the settings stored in the index (an empty index takes
        any). Without: the index's own settings (the defaults for an empty one), with default phrase checks."""
        meta = self._meta()
        stored = json.loads(meta["config"]) if "config" in meta else None
        if given is None:
            return ScanConfig() if stored is None else ScanConfig(**stored)
        config = scan_config(given)
        mine = deciding_config(config)
        differ = sorted(k for k, v in mine.items() if stored is not None and stored.get(k) != v)
        if differ:
            shown = ", ".join(f"{k} {stored[k]!r} in the index, {mine[k]!r} here" for k in differ)  # type: ignore[index]
            raise ConfigError(f"{self.shown}: the index was built with other settings ({shown}). Use the"
                              " index's settings or build a new index")
        return config

    def __len__(self) -> int:
        """How many documents the index holds (0 for one just created)."""
        return int(self._meta().get("documents", "0"))

    def info(self) -> dict[str, Any]:
        """The document count, the settings that decide results, the format version and the size in bytes."""
        with self.store.reading():
            meta = self._meta()
            if "format" not in meta:
                raise DedupError(f"{self.shown}: no index here. Create one with: dedup index add INPUT..."
                                 f" --index {self.shown}")
            return {
                "index": self.shown,
                "format": meta["format"],
                "documents": int(meta.get("documents", "0")),
                "config": json.loads(meta["config"]),
                "bytes": self.store.size(),
                "dedup": meta.get("dedup", ""),
            }

    # --- adding -------------------------------------------------------------------------------------------

    def add(self, documents: Iterable[Document], config: ScanConfig | None = None, *,
            progress: Progress | None = None) -> int:
        """Add ``documents`` (ids not in the index yet) in one transaction; returns how many were added.

        ``config`` (or the one the index was opened with) must match the index's settings; the first add
        fixes them."""
        with paused_gc():
            config = self.config(config if config is not None else self._config)
            analysis = dataclasses.replace(config, spin=dataclasses.replace(config.spin, enabled=False))
            # The write lock is held from the start: a second writer waits (then gets an error), never works
            # on a state that is about to change.
            with self.store.writing() as writer:
                new = self._read(documents, analysis, progress)
                merged = self._merge(new, analysis)
                self._write_to(writer, merged, config)
            return len(new.ids)

    def _write(self, merged: _Merged, config: ScanConfig) -> None:
        with self.store.writing() as writer:
            self._write_to(writer, merged, config)

    def _write_to(self, writer: IndexWriter, merged: _Merged, config: ScanConfig) -> None:
        new = merged.new
        meta = self._meta()  # again, inside the transaction: another writer may have added meanwhile
        if new.numbers and int(meta.get("next", "0")) > new.numbers[0]:
            raise DedupError(f"{self.shown}: the index changed while these documents were read. Add them again")
        # The compression dictionary is made once, from the first documents added, and kept for good.
        zdict = base64.b64decode(meta["zdict"]) if "zdict" in meta else build_zdict(
            new.store.get(k) for k in range(min(len(new.ids), 2000)))
        records = _new_records(merged, zdict)
        for number, (rec, spans, fresh, _) in merged.restated.items():
            again = dataclasses.replace(rec, spans=tuple(spans), shingles=len(fresh.chars[0]),
                                        sketch=sketch(fresh.char_sigs)[0])
            records.append((number, rec.id, again.pack(zdict)))
        writer.put_records(records)
        heads = [k for k in range(len(new.ids)) if merged.is_head(k)]
        added = _entries([merged.features[k] for k in heads], merged.sigs[heads], merged.spun_sigs[heads],
                         np.array([new.numbers[k] for k in heads], dtype=np.int64), config)
        added["line"] = _concat(added["line"], _line_entries(new, heads))
        added["exact"] = _concat(added["exact"], _exact_entries(new, heads))
        added["boilerplate_line"] = _boilerplate_entries(
            [(new.numbers[k], new.store.get(k), spans) for k, spans in merged.spans.items()])
        removed = {name: Postings.empty(kind) for name, kind in KINDS.items()}
        restated = [(number, rec.text, spans, list(rec.spans))
                    for number, (rec, spans, _, _) in merged.restated.items()]
        added["boilerplate_line"] = _concat(added["boilerplate_line"],
                                            _boilerplate_entries([(n, t, s) for n, t, s, _ in restated]))
        removed["boilerplate_line"] = _boilerplate_entries([(n, t, s) for n, t, _, s in restated])
        for number, (_, _, fresh, old) in merged.restated.items():
            doc = np.array([number], dtype=np.int64)
            for name, entries in _entries([fresh.features(0)], fresh.char_sigs, fresh.anchor_sigs, doc,
                                          config).items():
                added[name] = _concat(added[name], entries)
            for name, entries in _entries([old.features(0)], old.char_sigs, old.anchor_sigs, doc, config).items():
                removed[name] = _concat(removed[name], entries)
        layout = _store_entries(self.store, writer, added, removed)
        writer.put_meta({
            "layout": json.dumps(layout),
            "format": FORMAT, "dedup": dedup.__version__,
            "config": json.dumps(deciding_config(config), sort_keys=True),
            "documents": str(int(meta.get("documents", "0")) + len(new.ids)),
            "zdict": base64.b64encode(zdict).decode("ascii"),
            "next": str(new.numbers[-1] + 1 if new.numbers else int(meta.get("next", "0"))),
        })

    def remove(self, ids: Iterable[str], *, progress: Progress | None = None) -> int:
        """Drop the documents of ``ids`` (unknown ids are an error); returns how many were dropped.

        Every key of the index is taken again from the stored texts of the documents that stay (a removed
        document can change exact groups and boilerplate anywhere), in one transaction.
        """
        wanted = list(dict.fromkeys(ids))
        with paused_gc():
            with self.store.reading():
                config = self.config()
                found = self.store.numbers_of(wanted)
                missing = [i for i in wanted if i not in found]
                if missing:
                    raise InputError(f"{len(missing)} of the ids to remove are not in the index, the first"
                                     f" {missing[0]!r}", path=self.shown, hint="Check the ids file")
                gone = set(found.values())
                kept = [n for n in self.store.all_numbers() if n not in gone]
                records = self.store.records(kept)
                zdict = _zdict(self.store)
                analysis = dataclasses.replace(config, spin=dataclasses.replace(config.spin, enabled=False))
            docs = (Document(rec.id, rec.text) for rec in (_Record.unpack(records.pop(n), zdict) for n in kept))
            rebuilt = _Rebuilt(self.store)
            new = self._read(docs, analysis, progress, numbers=kept, known=False)
            merged = _merge_new(rebuilt, new, analysis, self.engine)
            with self.store.writing() as writer:
                writer.delete_records(sorted(gone))
                writer.put_records(_new_records(merged, zdict))
                heads = [k for k in range(len(new.ids)) if merged.is_head(k)]
                entries = _entries([merged.features[k] for k in heads], merged.sigs[heads], merged.spun_sigs[heads],
                                   np.array([new.numbers[k] for k in heads], dtype=np.int64), config)
                entries["line"] = _line_entries(new, heads)
                entries["exact"] = _exact_entries(new, heads)
                entries["boilerplate_line"] = _boilerplate_entries(
                    [(new.numbers[k], new.store.get(k), spans) for k, spans in merged.spans.items()])
                layout = _store_entries(self.store, writer, entries, {}, rebuild=True)
                writer.put_meta({"documents": str(len(kept)), "layout": json.dumps(layout)})
            return len(gone)

    # --- scanning -----------------------------------------------------------------------------------------

    def scan(self, documents: Iterable[Document], config: ScanConfig | None = None, *,
             add: bool = False, progress: Progress | None = None, notices: dict[str, int] | None = None,
             notice_messages: Iterable[str] = ()) -> Report:
        """Scan ``documents`` against the index: the pairs touching a new document, as a full scan of the
        archive and the new documents together reports them. ``add`` adds the new documents afterwards."""
        tick = progress or (lambda stage, done, total: None)
        with paused_gc():
            config = self.config(config if config is not None else self._config)
            # The phrase checks run apart, beside the work on the archive (they decide nothing there).
            analysis = dataclasses.replace(config, spin=dataclasses.replace(config.spin, enabled=False))
            with self.store.reading():
                new = self._read(documents, analysis, progress)
                with _phrase_checks(new, config, self.engine) as spins:
                    merged = self._merge(new, config)
                    report = self._against(merged, config, tick, notices, notice_messages, spins.result)
            if add:
                self._write(merged, config)
            return report

    def _read(self, documents: Iterable[Document], config: ScanConfig, progress: Progress | None,
              numbers: Sequence[int] | None = None, known: bool = True) -> _New:
        tick = progress or (lambda stage, done, total: None)
        meta = self._meta()
        first = int(meta.get("next", "0"))
        ids: list[str] = []
        seen: dict[str, int] = {}
        chars: list[int] = []
        store = TextStore()

        def batches() -> Iterator[Batch]:
            texts: list[str] = []
            sources: list[Document] = []
            for doc in documents:
                if doc.id in seen:
                    raise InputError(f"duplicate id {doc.id!r} (first at document {seen[doc.id] + 1})",
                                     path=doc.source or f"document {len(ids) + 1}", line=doc.line,
                                     hint="Give every document a unique id")
                seen[doc.id] = len(ids)
                ids.append(doc.id)
                chars.append(len(doc.text))
                texts.append(doc.text)
                sources.append(doc)
                if len(texts) == BATCH:
                    yield from self._batch(texts, sources, config, store, len(ids), known)
                    texts, sources = [], []
            if texts:
                yield from self._batch(texts, sources, config, store, len(ids), known)

        results = []
        for result in self.engine.map(analyse_batch, batches()):
            results.append(result)
            tick("analysing", result.start + len(result.exact_keys), None)
        tick("analysing", len(ids), len(ids))
        store.flush()
        return _New(ids, chars, store, results, list(numbers) if numbers is not None else
                    list(range(first, first + len(ids))))

    def _batch(self, texts: list[str], sources: list[Document], config: ScanConfig, store: TextStore, count: int,
               known: bool) -> Iterator[Batch]:
        if known:
            archived = self.store.numbers_of(d.id for d in sources)
            if archived:
                doc = next(d for d in sources if d.id in archived)
                raise InputError(f"id {doc.id!r} is in the index already",
                                 path=doc.source or f"document {count - len(texts) + sources.index(doc) + 1}",
                                 line=doc.line,
                                 hint="Give new documents new ids, or remove the old one with dedup index remove")
        store.extend(texts)
        yield Batch(count - len(texts), texts, None, config)

    def _merge(self, new: _New, config: ScanConfig) -> _Merged:
        return _merge_new(self.store, new, config, self.engine)

    def _against(self, merged: _Merged, config: ScanConfig, tick: Progress, notices: dict[str, int] | None,
                 notice_messages: Iterable[str], spins: Callable[[], list[SpinResult | None]]) -> Report:
        return _scan_against(self.store, merged, config, self.engine, tick, notices, notice_messages, spins)


class _Rebuilt(IndexStore):
    """An empty archive, for rebuilding an index from its own documents (``Index.remove``)."""

    location = ""

    def __init__(self, store: IndexStore) -> None:
        self._store = store

    def exists(self) -> bool:
        return True

    def meta(self) -> dict[str, str]:
        return {}

    def numbers_of(self, ids: Iterable[str]) -> dict[str, int]:
        return {}

    def records(self, numbers: Iterable[int]) -> dict[int, bytes]:
        return {}

    def all_numbers(self) -> list[int]:
        return []

    def blocks(self, kind: int, prefixes: Iterable[int]) -> dict[int, bytes]:
        return {}

    def size(self) -> int:
        return 0

    def reading(self):  # type: ignore[no-untyped-def]
        return self._store.reading()

    def writing(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError


# --- the merge: new documents beside the archive ----------------------------------------------------------


def _new_records(merged: _Merged, zdict: bytes) -> list[tuple[int, str, bytes]]:
    """The new documents' packed records, ``(number, id, record)``."""
    new = merged.new
    sketches = sketch(merged.sigs)
    out = []
    for k, doc_id in enumerate(new.ids):
        head = merged.is_head(k)
        rec = _Record(doc_id, merged.head_of[k], new.chars[k], new.lengths[k], new.exact_keys[k],
                      tuple(merged.spans.get(k, ())), new.store.get(k),
                      shingles=len(merged.features[k].chars) if head else 0, sketch=sketches[k] if head else b"")
        out.append((new.numbers[k], doc_id, rec.pack(zdict)))
    return out


def _merge_new(store: IndexStore, new: _New, config: ScanConfig, engine: Engine) -> _Merged:
    n = len(new.ids)
    head_of = _exact_heads(store, new)
    heads = [k for k in range(n) if head_of[k] == new.numbers[k]]
    table = FeatureTable(new.results)
    sigs = (np.concatenate([r.char_sigs for r in new.results]) if new.results
            else np.empty((0, config.num_perm), np.uint32))
    spun_sigs = np.concatenate([r.anchor_sigs for r in new.results]) if new.results else sigs[:0]
    repeats = {r.start + k: v for r in new.results for k, v in r.repeats.items()}

    # Boilerplate: each line's count over the archive's heads and the new heads together.
    new_lines = [table.line_keys(k) for k in heads]
    flat = np.concatenate(new_lines).view(np.uint64) if new_lines else np.empty(0, np.uint64)
    stored = _find(store, "line", flat)
    new_count = dict(zip(*map(np.ndarray.tolist, np.unique(flat, return_counts=True)), strict=True))
    # The archived heads holding a line whose count moves, but for those where every such line is already
    # boilerplate in them: such a line stays so, and a document's typical line (lower) stays where it was.
    known = _find(store, "boilerplate_line", flat)
    settled = set(zip(known.keys.tolist(), known.docs.tolist(), strict=True))
    moved = sorted({d for k, d in zip(stored.keys.tolist(), stored.docs.tolist(), strict=True)
                    if (k, d) not in settled})
    zdict = _zdict(store)
    # Their other lines' counts matter too (a document's typical line decides what is boilerplate in it). Read
    # in runs: a line common across the archive can be held by most of it.
    extra = [np.empty(0, np.uint64)]
    for run in _runs(moved):
        for data in store.records(run).values():
            held = [k for _, _, k in line_keys(_Record.unpack(data, zdict).text) if k is not None]
            extra.append(np.array(held, dtype=np.int64).view(np.uint64))
    stored = _concat(stored, _find(store, "line", np.setdiff1d(np.concatenate(extra), flat)))
    counts = LineStats(config.boilerplate_min_docs)
    keys, per_key = np.unique(stored.keys, return_counts=True)
    counts.doc_freq.update(dict(zip(keys.view(np.int64).tolist(), per_key.tolist(), strict=True)))
    counts.doc_freq.update({int(np.uint64(k).view(np.int64)): c for k, c in new_count.items()})

    # New heads holding a common line, and archived ones whose boilerplate changed, are analysed again.
    spans: dict[int, list[tuple[int, int]]] = {}
    redo = [k for k, keys in zip(heads, new_lines, strict=True) if counts.common(keys).any()]
    for k in redo:
        spans[k] = boilerplate_spans(new.store.get(k), counts)
    features = [table[k] for k in range(n)]
    for again in engine.map(analyse_batch, _batches(redo, [new.store.get(k) for k in redo], [spans[k] for k in redo],
                                                    config)):
        for j in range(len(again.exact_keys)):
            k = redo[again.start + j]
            features[k] = again.features(j)
            sigs[k] = again.char_sigs[j]
            if config.spun_pairs:
                spun_sigs[k] = again.anchor_sigs[j]
            repeats.pop(k, None)
            if j in again.repeats:
                repeats[k] = again.repeats[j]
    records: dict[int, _Record] = {}  # the archived documents whose boilerplate changed
    changed: dict[int, list[tuple[int, int]]] = {}
    for run in _runs(moved):
        for m, data in store.records(run).items():
            rec = _Record.unpack(data, zdict)
            now = boilerplate_spans(rec.text, counts)
            if now != list(rec.spans):
                records[m], changed[m] = rec, now
    restate = sorted(records)
    merged = _Merged(new, head_of, spans, features, sigs, spun_sigs, repeats)
    if restate:
        texts = [records[m].text for m in restate]
        fresh = _analysed(texts, [changed[m] for m in restate], config, engine)
        old = _analysed(texts, [list(records[m].spans) for m in restate], config, engine)
        merged.restated = {m: (records[m], changed[m], f, o) for m, f, o in zip(restate, fresh, old, strict=True)}
    return merged


def _runs(numbers: list[int], size: int = 2000) -> Iterator[list[int]]:
    """``numbers`` in runs of ``size``: what is read of the archive at once."""
    for start in range(0, len(numbers), size):
        yield numbers[start : start + size]


def _batches(order: list[int], texts: list[str], spans: list[list[tuple[int, int]]],
             config: ScanConfig, *, lean: bool = False) -> list[Batch]:
    return [Batch(s, texts[s : s + BATCH], spans[s : s + BATCH], config, lean) for s in range(0, len(order), BATCH)]


def _lean_analysed(numbers: list[int], records: dict[int, _Record], config: ScanConfig,
                   engine: Engine) -> tuple[list[Features], np.ndarray]:
    """The features (anchors left out) and character signatures of the archived ``numbers``, in order,
    exactly as a scan's analysis takes them (a ``lean`` batch)."""
    texts = [records[m].text for m in numbers]
    spans = [list(records[m].spans) for m in numbers]
    features: list[Features] = []
    sigs = [np.empty((0, config.num_perm), dtype=np.uint32)]
    for result in engine.map(analyse_batch, _batches(numbers, texts, spans, config, lean=True)):
        features.extend(result.features(j) for j in range(len(result.exact_keys)))
        sigs.append(result.char_sigs)
    return features, np.concatenate(sigs)


def _anchors_of(numbers: list[int], records: dict[int, _Record], config: ScanConfig,
                engine: Engine) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """The anchors and anchor signature of each of the archived ``numbers``, as a scan's analysis takes them."""
    texts = [records[m].text for m in numbers]
    spans = [list(records[m].spans) for m in numbers]
    found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for start, (anchors, sigs) in zip(range(0, len(numbers), BATCH),
                                      engine.map(anchor_signatures, _batches(numbers, texts, spans, config)),
                                      strict=True):
        for j in range(len(sigs)):
            found[numbers[start + j]] = (anchors[j], sigs[j])
    return found


def _analysed(texts: list[str], spans: list[list[tuple[int, int]]], config: ScanConfig,
              engine: Engine) -> list[BatchResult]:
    """Each text analysed alone as a scan would after boilerplate (no phrase checks), one result per text."""
    found: list[BatchResult] = []
    for result in engine.map(analyse_batch, _batches(list(range(len(texts))), texts, spans, config)):
        found.extend(_split(result))
    return found


def _split(result: BatchResult) -> list[BatchResult]:
    """A batch's result as one result per document (what the merge keeps of archived documents)."""
    out = []
    for k in range(len(result.exact_keys)):
        out.append(dataclasses.replace(
            result, start=0, exact_keys=[result.exact_keys[k]],
            words=_one(result.words, k), chars=_one(result.chars, k), sentences=_one(result.sentences, k),
            anchors=_one(result.anchors, k), passage_keys=_one(result.passage_keys, k),
            line_keys=_one(result.line_keys, k), lengths=result.lengths[k : k + 1],
            repeats={0: result.repeats[k]} if k in result.repeats else {}, spins=[result.spins[k]],
            char_sigs=result.char_sigs[k : k + 1],
            anchor_sigs=result.anchor_sigs[k : k + 1] if len(result.anchor_sigs) else result.anchor_sigs))
    return out


def _one(ragged: Any, k: int) -> Any:
    return type(ragged)(ragged[k], [0, len(ragged[k])])


def _exact_heads(store: IndexStore, new: _New) -> list[int]:
    """Per new document, the number of its exact group's head: an archived document with its key if there is
    one (it came first), else the first new document with it, else itself."""
    keys = new.exact_keys
    short = np.array([int.from_bytes(k[:8], "little") for k in keys if k], dtype=np.uint64)
    found = _find(store, "exact", short)
    archived: dict[bytes, int] = {}
    zdict = _zdict(store)
    for number, data in sorted(store.records(set(found.docs.tolist())).items()):
        rec = _Record.unpack(data, zdict)
        archived.setdefault(rec.exact, number)
    first: dict[bytes, int] = {}
    head_of = []
    for k, key in enumerate(keys):
        number = new.numbers[k]
        if not key:
            head_of.append(number)
        elif key in archived:
            head_of.append(archived[key])
        else:
            head_of.append(first.setdefault(key, number))
    return head_of


# --- keys as stored ---------------------------------------------------------------------------------------


def _entries(features: Sequence[Features], sigs: np.ndarray, spun_sigs: np.ndarray, numbers: np.ndarray,
             config: ScanConfig) -> dict[str, Postings]:
    """The posting entries of heads (band, sentence and passage keys; no line or exact keys)."""
    out = {name: Postings.empty(kind) for name, kind in KINDS.items()}
    lengths = np.array([f.length for f in features], dtype=np.int64)
    judged = np.flatnonzero(lengths >= MIN_JUDGED_WORDS)
    out["char_band"] = _band_entries(sigs[judged], numbers[judged], lsh_params(config.lsh_threshold, config.num_perm))
    if config.spun_pairs:
        out["anchor_band"] = _band_entries(spun_sigs[judged], numbers[judged],
                                           lsh_params(config.anchor_threshold, config.num_perm))
    out["sentence"] = _key_entries([features[k].sentences for k in judged.tolist()], numbers[judged], np.uint32)
    out["sentence_count"] = Postings(_count_key(numbers[judged]),
                                     np.array([len(features[k].sentences) for k in judged.tolist()], dtype=np.uint32))
    if config.passages:
        long = np.flatnonzero(lengths >= config.min_passage)
        out["passage"] = _key_entries([features[k].passage_keys for k in long.tolist()], numbers[long], np.uint32)
    return out


def _count_key(numbers: np.ndarray) -> np.ndarray:
    """The key of a document's sentence-key count: its number in the top bits, so that blocks (named by top
    bits) hold runs of documents."""
    return np.asarray(numbers).astype(np.uint64) << np.uint64(32)


def fold_band_keys(keys: np.ndarray) -> np.ndarray:
    """Band keys ``(bands, n)`` as 32-bit keys, the band folded in (two bands with equal rows differ)."""
    salt = (np.arange(len(keys), dtype=np.uint64) + np.uint64(1))[:, None] * np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        mixed = (keys ^ salt) * np.uint64(0xBF58476D1CE4E5B9)
    return (mixed >> np.uint64(32)).astype(np.uint32)


def _band_entries(sigs: np.ndarray, numbers: np.ndarray, params: tuple[int, int]) -> Postings:
    bands, rows = params
    if len(sigs) == 0:
        return Postings.empty(KINDS["char_band"])
    keys = fold_band_keys(band_keys(np.ascontiguousarray(sigs), list(range(bands)), rows))
    return Postings(keys.ravel(), np.tile(numbers, bands).astype(np.uint32))


def _key_entries(keys: list[np.ndarray], numbers: np.ndarray, dtype: type) -> Postings:
    if not keys:
        return Postings(np.empty(0, dtype), np.empty(0, np.uint32))
    return Postings(np.concatenate(keys).astype(dtype),
                    np.repeat(numbers, [len(k) for k in keys]).astype(np.uint32))


def _line_entries(new: _New, heads: list[int]) -> Postings:
    table = FeatureTable(new.results)
    keys = [table.line_keys(k) for k in heads]
    return _key_entries([k.view(np.uint64) for k in keys], np.array([new.numbers[k] for k in heads]), np.uint64)


def _boilerplate_entries(documents: list[tuple[int, str, list[tuple[int, int]]]]) -> Postings:
    """The ``boilerplate_line`` entries of ``(number, text, boilerplate spans)``: each left-out line's key."""
    keys: list[int] = []
    docs: list[int] = []
    for number, text, spans in documents:
        left_out = set(spans)
        for start, end, key in line_keys(text):
            if key is not None and (start, end) in left_out:
                keys.append(key)
                docs.append(number)
    return Postings(np.array(keys, dtype=np.int64).view(np.uint64), np.array(docs, dtype=np.uint32))


def _exact_entries(new: _New, heads: list[int]) -> Postings:
    keys = new.exact_keys
    keyed = [k for k in heads if keys[k]]
    return Postings(np.array([int.from_bytes(keys[k][:8], "little") for k in keyed], dtype=np.uint64),
                    np.array([new.numbers[k] for k in keyed], dtype=np.uint32))


def _char_band_hopefuls(store: IndexStore, merged: _Merged, judged: list[int], restated: set[int],
                        config: ScanConfig) -> np.ndarray:
    """The (archived number, place in ``judged``, band) the character LSH may propose, on the stored sketches:
    sharing a band's rows and passing its filter (``EstimateFilter``) there. A pair failing on the sketches
    fails on the signatures too (see ``sketch``); the signatures of those left, once read, decide
    (``_band_passing`` again, in ``_scan_against``)."""
    params = lsh_params(config.lsh_threshold, config.num_perm)
    joined = _stored_band_join(store, "char_band", merged.sigs[judged], params, restated)
    if joined is None:
        return np.empty((0, 3), dtype=np.int64)
    sharing, archived_row, new_row, band = joined
    sketches, sizes = _sketches(store.records(sharing), sharing, merged, judged, config)
    hopeful = _band_passing(sketches, sizes, archived_row, new_row, band, params, config)
    codes = archived_row * (len(sharing) + len(judged)) + new_row
    kept = np.isin(codes, hopeful[:, 0] * (len(sharing) + len(judged)) + hopeful[:, 1])
    return np.stack((np.array(sharing, dtype=np.int64)[archived_row[kept]], new_row[kept] - len(sharing),
                     band[kept]), axis=1).reshape(-1, 3)


def _band_passing(rows_of: np.ndarray, sizes: np.ndarray, archived: np.ndarray, new: np.ndarray, bands: np.ndarray,
                  params: LSHParams, config: ScanConfig) -> np.ndarray:
    """The distinct (archived, new) rows of ``rows_of`` whose rows agree on the band and that pass the
    character LSH's filter (``EstimateFilter``), as ``find_candidates`` keeps them."""
    columns = bands[:, None] * params.rows + np.arange(params.rows)
    same = (rows_of[archived[:, None], columns] == rows_of[new[:, None], columns]).all(axis=1)
    pairs = np.unique(np.stack((archived[same], new[same]), axis=1), axis=0).reshape(-1, 2)
    return pairs[EstimateFilter(sizes, config.near_threshold, config.partial_threshold)(pairs, rows_of)]


def _stored_band_join(store: IndexStore, kind: str, sigs: np.ndarray, params: LSHParams,
                      restated: set[int]) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray] | None:
    """``_band_join`` of the new heads' signatures ``sigs`` with the archived documents under the same band
    keys of ``kind`` (those restated left out); None when no archived document shares one."""
    entries = _band_entries(sigs, np.arange(len(sigs)), params)
    stored = _find(store, kind, entries.keys)
    live = ~np.isin(stored.docs, list(restated))
    stored = Postings(stored.keys[live], stored.docs[live])
    if len(stored.keys) == 0:
        return None
    return _band_join(stored, entries, len(sigs))


def _band_join(stored: Postings, entries: Postings, n_new: int) -> tuple[list[int], np.ndarray, np.ndarray,
                                                                         np.ndarray]:
    """Every (archived, new, band) sharing a band key: the archived documents in order, and per match the
    archived one's row (its place among them), the new one's row (after them) and the band."""
    sharing = sorted(set(stored.docs.tolist()))
    row_of = {m: x for x, m in enumerate(sharing)}
    order = np.argsort(entries.keys, kind="stable")
    keys_sorted = entries.keys[order]
    low = np.searchsorted(keys_sorted, stored.keys, "left")
    high = np.searchsorted(keys_sorted, stored.keys, "right")
    counts = high - low
    at = order[np.repeat(low, counts) + (np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts))]
    archived_row = np.array([row_of[m] for m in np.repeat(stored.docs, counts).tolist()], dtype=np.int64)
    return sharing, archived_row, len(sharing) + at % n_new, at // n_new


def _sketches(blobs: dict[int, bytes], sharing: list[int], merged: _Merged, judged: list[int],
              config: ScanConfig) -> tuple[np.ndarray, np.ndarray]:
    """Rows of 4-bit character sketches and shingle counts: the archived documents, then the new judged heads."""
    head = [_Record.sketch_of(blobs[m]) for m in sharing]
    sketches = np.concatenate((_sketch_rows([h[1] for h in head], config.num_perm),
                               (merged.sigs[judged] & 0xF).astype(np.uint8)))
    new_sizes = FeatureList(merged.features, {}).char_sizes(np.array(judged, dtype=np.int64))
    return sketches, np.concatenate((np.array([h[0] for h in head], dtype=np.int64), new_sizes))


def _anchor_band_hopefuls(store: IndexStore, merged: _Merged, judged: list[int], restated: set[int],
                          config: ScanConfig) -> np.ndarray:
    """The distinct (archived number, place in ``judged``) the anchor LSH may propose. Its filter
    (``SpunEstimateFilter``) asks, beside the anchors, a character containment the stored sketch bounds from
    above: those failing on the sketch fail in the scan too, and are not read."""
    params = lsh_params(config.anchor_threshold, config.num_perm)
    joined = _stored_band_join(store, "anchor_band", merged.spun_sigs[judged], params, restated)
    if joined is None:
        return np.empty((0, 2), dtype=np.int64)
    sharing, archived_row, new_row, _ = joined
    sketches, sizes = _sketches(store.records(sharing), sharing, merged, judged, config)
    pairs = np.unique(np.stack((archived_row, new_row), axis=1), axis=0).reshape(-1, 2)
    _, containment = estimates(pairs, sketches, sizes)
    pairs = pairs[containment >= SPUN_CANDIDATE - ESTIMATE_MARGIN]
    return np.stack((np.array(sharing, dtype=np.int64)[pairs[:, 0]], pairs[:, 1] - len(sharing)), axis=1)


def _sharing(stored: Postings, keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (archived document, new position) pair sharing keys: ``stored`` entries against each new
    document's ``keys``; with how many keys each pair shares."""
    if not keys or len(stored.keys) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    own = np.concatenate(keys).astype(np.uint64)
    who = np.repeat(np.arange(len(keys), dtype=np.int64), [len(k) for k in keys])
    order = np.argsort(own, kind="stable")
    own, who = own[order], who[order]
    wanted = stored.keys.astype(np.uint64)
    low, high = np.searchsorted(own, wanted, "left"), np.searchsorted(own, wanted, "right")
    counts = high - low
    at = np.repeat(low, counts) + (np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts))
    codes = np.repeat(stored.docs.astype(np.int64), counts) * len(keys) + who[at]
    pairs, shared = np.unique(codes, return_counts=True)
    return pairs // len(keys), pairs % len(keys), shared


def _layout(store: IndexStore) -> dict[str, list[int]]:
    """Per kind of key, ``[bits naming its blocks, entries]`` (``dedup.index.postings.block_bits``)."""
    return json.loads(store.meta().get("layout", "{}"))


def _find(store: IndexStore, name: str, keys: np.ndarray) -> Postings:
    """The stored entries of kind ``name`` under ``keys``."""
    bits, _ = _layout(store).get(name, [0, 0])
    return lookup(store, KINDS[name], keys, bits)


def _store_entries(store: IndexStore, writer: Any, added: dict[str, Postings], removed: dict[str, Postings],
                   *, rebuild: bool = False) -> dict[str, list[int]]:
    """Write the entries ``added`` and take out ``removed``, per kind; returns the new layout. ``rebuild``:
    ``added`` is the whole index, every old block goes."""
    layout = _layout(store)
    for name, kind in KINDS.items():
        bits, count = layout.get(name, [0, 0])
        if rebuild:
            count = len(added[name].keys)
            new_bits = block_bits(count)
            replace_all(writer, kind, added[name], store.blocks(kind.code, range(1 << bits)), new_bits)
        else:
            count += len(added[name].keys) - len(removed[name].keys)
            new_bits = block_bits(count)
            update(store, writer, kind, added[name], removed[name], bits, new_bits)
        layout[name] = [new_bits, count]
    return layout


def _concat(a: Postings, b: Postings) -> Postings:
    return Postings(np.concatenate((a.keys, b.keys.astype(a.keys.dtype))), np.concatenate((a.docs, b.docs)))


# --- the scan against the archive -------------------------------------------------------------------------


def _by_new_document(candidates: np.ndarray) -> np.ndarray:
    """``candidates`` (rows ``(x, y)``, ``y`` a new document) in the order they are verified: by the
    components they join, each component's pairs in a row, ordered by ``y`` then ``x`` within it.

    Verification keeps the tokens and sentence units of the last texts it read. In the archive's order the
    pairs of one new document lie far apart, and its text was cut up again for each: on the speed corpus a
    fifth more texts than in order of ``y``. An archived document paired with several new ones (copies of
    one story) comes back in each of their pairs; with all the pairs of a component in a row, in the same
    chunk, its texts are read while still kept (verification's CPU 6.8 s -> 6.6 s on the speed corpus, two
    workers). The pairs are sorted again once verified: the report is the same.

    >>> _by_new_document(np.array([[0, 5], [1, 4], [2, 6], [1, 6]])).tolist()
    [[1, 4], [1, 6], [2, 6], [0, 5]]
    """
    ordered = candidates[np.lexsort((candidates[:, 0], candidates[:, 1]))]
    if len(ordered) == 0:
        return ordered
    joined = UnionFind(int(ordered.max()) + 1)
    for x, y in ordered.tolist():
        joined.union(x, y)
    roots = np.array([joined.find(y) for y in ordered[:, 1].tolist()], dtype=np.int64)
    _, first, component = np.unique(roots, return_index=True, return_inverse=True)
    return ordered[np.argsort(first[component], kind="stable")]


def _phrase_checks(new: _New, config: ScanConfig, engine: Engine) -> Background:
    """The new documents' phrase checks (None each when they are off), as the analyse stage's first pass
    makes them: started in a process of their own where the engine offers one (``LocalEngine.background``),
    so they run beside the work on the archive, which leaves cores idle; else done by the engine when asked."""
    n = len(new.ids)
    if not config.spin.enabled or n == 0:
        return Background(lambda: [None] * n, fork=False)

    def jobs() -> Iterator[tuple[list[str], SpinConfig]]:
        for start in range(0, n, BATCH):
            yield [new.store.get(k) for k in range(start, min(n, start + BATCH))], config.spin

    def checked() -> list[SpinResult | None]:
        return [s for found in engine.map(check_phrases, jobs()) for s in found]

    def checked_here() -> list[SpinResult | None]:
        return [s for job in jobs() for s in check_phrases(job)]

    background = getattr(engine, "background", None)
    return background(checked_here) if background is not None else Background(checked, fork=False)


def _scan_against(store: IndexStore, merged: _Merged, config: ScanConfig, engine: Engine, tick: Progress,
                  notices: dict[str, int] | None, notice_messages: Iterable[str],
                  phrase_checks: Callable[[], list[SpinResult | None]]) -> Report:
    new = merged.new
    n = len(new.ids)
    if n == 0:
        return Report(config=config, documents=(), pairs=(), clusters=(), notices=dict(notices or {}),
                      notice_messages=tuple(notice_messages))
    heads = [k for k in range(n) if merged.is_head(k)]
    restated = merged.restated
    lengths = np.array([merged.features[k].length for k in heads], dtype=np.int64)
    judged = [heads[x] for x in np.flatnonzero(lengths >= MIN_JUDGED_WORDS).tolist()]
    long = [heads[x] for x in np.flatnonzero(lengths >= config.min_passage).tolist()] if config.passages else []
    fresh = {m: f for m, (_, _, f, _) in restated.items()}

    # The archived documents a new head may pair with: the heads of its exact group; those the sentence and
    # passage channels would propose with it (sharing enough keys held by no more documents, archive
    # included, than the channel allows); and those under its band keys whose stored sketches leave room to
    # pass the LSH's filters, to be decided on their signatures once read.
    left_out = set(restated)
    neighbours: set[int] = {merged.head_of[k] for k in range(n) if merged.head_of[k] < new.numbers[0]}
    char_hopefuls = _char_band_hopefuls(store, merged, judged, left_out, config)
    anchor_hopefuls = (_anchor_band_hopefuls(store, merged, judged, left_out, config) if config.spun_pairs
                       else np.empty((0, 2), dtype=np.int64))
    skips: dict[str, np.ndarray] = {}
    for name, docs, limit in (("sentence", judged, SENTENCE_MAX_POSTINGS), ("passage", long, PASSAGE_MAX_POSTINGS)):
        keys = [merged.features[k].sentences if name == "sentence" else merged.features[k].passage_keys for k in docs]
        held = np.unique(np.concatenate(keys)) if keys else np.empty(0, np.uint32)
        # Keys held by more archived documents than the channel allows are passed over whatever the new
        # ones hold: only counted (the restated ones' stored entries left out: their new keys count below).
        bits, _ = _layout(store).get(name, [0, 0])
        stored, stored_counts = lookup_capped(store, KINDS[name], held, bits, limit,
                                              np.array(sorted(restated), dtype=np.uint32))
        in_memory = list(keys)
        for f in fresh.values():
            feats = f.features(0)
            if name == "sentence" and feats.length >= MIN_JUDGED_WORDS:
                in_memory.append(feats.sentences)
            elif name == "passage" and feats.length >= config.min_passage:
                in_memory.append(feats.passage_keys)
        held_here = np.sort(np.concatenate(in_memory + [np.empty(0, np.uint32)]).astype(np.uint32))
        total = stored_counts + (np.searchsorted(held_here, held, "right") - np.searchsorted(held_here, held))
        skips[name] = held[total > limit]
        counted = (total <= limit)[np.searchsorted(held, stored.keys)]  # every stored key is one of ``held``
        archived_doc, new_position, shared = _sharing(Postings(stored.keys[counted], stored.docs[counted]), keys)
        if name == "sentence":
            sizes = _find(store, "sentence_count", _count_key(np.unique(archived_doc)))
            size_of = dict(zip((sizes.keys >> np.uint64(32)).tolist(), sizes.docs.tolist(), strict=True))
            smaller = np.minimum([size_of[d] for d in archived_doc.tolist()],
                                 [len(keys[p]) for p in new_position.tolist()])
            proposed = shared >= np.maximum(1, config.sentence_min_share * smaller)
        else:
            proposed = shared >= PASSAGE_CHANNEL_KEYS
        neighbours.update(archived_doc[proposed].tolist())
    neighbours -= left_out

    # Those read and analysed, but for their anchors (a third of a whole analysis): enough to verify a pair
    # and to decide the character LSH's pairs as the full scan does.
    zdict = _zdict(store)
    # The analyses of the archived candidates and the candidate search run in this process: a fraction of a
    # second of work each, beside the phrase checks' process, where a pool forked from this one (250 MB by
    # then) cost more than it saved (find_candidates 1.15 s of wall time on two workers, 0.66 s on one).
    here = LocalEngine(workers=1)
    wanted = sorted(neighbours | set(char_hopefuls[:, 0].tolist()) | set(anchor_hopefuls[:, 0].tolist()))
    records = {m: _Record.unpack(d, zdict) for m, d in store.records(wanted).items()}
    lean_features, lean_sigs = _lean_analysed(wanted, records, config, here)
    row_of = {m: x for x, m in enumerate(wanted)}
    rows_sigs = np.concatenate((lean_sigs, merged.sigs[judged]))
    rows_sizes = np.concatenate((np.array([len(f.chars) for f in lean_features], dtype=np.int64),
                                 FeatureList(merged.features, {}).char_sizes(np.array(judged, dtype=np.int64))))
    width = len(wanted) + len(judged)  # (row, row) pairs as codes
    char_pairs = np.empty(0, dtype=np.int64)
    if len(char_hopefuls):
        rows = np.array([row_of[m] for m in char_hopefuls[:, 0].tolist()], dtype=np.int64)
        passing = _band_passing(rows_sigs, rows_sizes, rows, len(wanted) + char_hopefuls[:, 1], char_hopefuls[:, 2],
                                lsh_params(config.lsh_threshold, config.num_perm), config)
        neighbours.update(wanted[x] for x in passing[:, 0].tolist())
        char_pairs = passing[:, 0] * width + passing[:, 1]
    # The anchor LSH's filter asks a character containment the signatures now give. An archived document
    # needs its anchors only where it passes with a new head the character LSH does not propose it with
    # already (a pair proposed twice is one candidate): those the anchor LSH could add.
    anchored: set[int] = set()
    if len(anchor_hopefuls):
        rows = np.array([row_of[m] for m in anchor_hopefuls[:, 0].tolist()], dtype=np.int64)
        proposed_rows = np.stack((rows, len(wanted) + anchor_hopefuls[:, 1]), axis=1)
        _, containment = estimates(proposed_rows, rows_sigs, rows_sizes)
        proposed_rows = proposed_rows[containment >= SPUN_CANDIDATE - ESTIMATE_MARGIN]
        added = ~np.isin(proposed_rows[:, 0] * width + proposed_rows[:, 1], char_pairs)
        anchored = {wanted[x] for x in proposed_rows[added, 0].tolist()}
        neighbours |= anchored
    # Those read only to be ruled out (two in five on the speed corpus) are let go before the small corpus
    # is built: what stays in memory grows with the candidates, not with what was looked at.
    lean = {m: lean_features[row_of[m]] for m in wanted if m in neighbours}
    records = {m: records[m] for m in lean}
    del lean_features
    anchors_of = _anchors_of(sorted(anchored), records, config, here)
    tick("archive", len(neighbours), len(neighbours))

    # The small corpus: those archived documents (in archive order), then the new ones.
    archived = sorted(neighbours | left_out)
    texts = TextStore()
    ids, chars, features, boilerplate = [], [], [], {}
    sig_rows, spun_rows = [], []
    unanchored: set[int] = set()  # archived documents whose anchors are left out, taken if a pair needs them
    none = np.zeros(config.num_perm, dtype=np.uint32)
    for x, m in enumerate(archived):
        if m in restated:
            rec, spans = restated[m][0], restated[m][1]
            feats, sig = fresh[m].features(0), fresh[m].char_sigs[0]
            spun = fresh[m].anchor_sigs[0] if config.spun_pairs else None
        else:
            rec, spans = records[m], list(records[m].spans)
            feats, sig, spun = lean[m], lean_sigs[row_of[m]], none
            if m in anchors_of:
                feats = dataclasses.replace(feats, anchors=anchors_of[m][0])
                spun = anchors_of[m][1]
            elif config.spun_pairs:
                unanchored.add(x)
        texts.append(rec.text)
        ids.append(rec.id)
        chars.append(rec.chars)
        features.append(feats)
        if spans:
            boilerplate[x] = spans
        sig_rows.append(sig)
        spun_rows.append(spun)
    base = len(archived)
    for k in range(n):
        texts.append(new.store.get(k))
        ids.append(new.ids[k])
        chars.append(new.chars[k])
        features.append(merged.features[k])
        if k in merged.spans:
            boilerplate[base + k] = merged.spans[k]
    texts.flush()
    position = {m: x for x, m in enumerate(archived)}
    position.update({number: base + k for k, number in enumerate(new.numbers)})
    sigs = np.concatenate([np.array(sig_rows, dtype=np.uint32).reshape(-1, config.num_perm), merged.sigs])
    spun_sigs = (np.concatenate([np.array(spun_rows, dtype=np.uint32).reshape(-1, config.num_perm), merged.spun_sigs])
                 if config.spun_pairs else np.empty((0, config.num_perm), np.uint32))
    local_heads = list(range(base)) + [base + k for k in heads]
    table = FeatureList(features, boilerplate)

    pairs: list[tuple[int, int, Pair]] = []
    for k in range(n):
        if not merged.is_head(k):
            number = merged.head_of[k]
            head = position[number]
            archived_head = records.get(number) or (restated[number][0] if number in restated else None)
            head_words = archived_head.words if archived_head is not None else new.lengths[head - base]
            pairs.append((head, base + k, Pair(ids[head], ids[base + k], "exact", 1.0, 1.0, 1.0, passages=whole_passage(
                chars[head], chars[base + k], head_words, new.lengths[k]))))
    taking = np.array([x not in unanchored for x in local_heads], dtype=bool)
    # Only the pairs touching a new head (from place ``base`` of ``local_heads`` on): on the speed corpus
    # three in four pairs of this small corpus are between archived documents.
    candidates = _by_new_document(find_candidates(
        local_heads, table, sigs, spun_sigs, config, here, skip_sentences=skips["sentence"],
        skip_passages=skips["passage"], anchored=taking, touching=base))
    tick("indexing", len(candidates), len(candidates))
    state = VerifyState(ids, local_heads, table, texts, config, frozenset(unanchored))
    joined = UnionFind(len(ids))
    for i, j, _ in pairs:
        joined.union(i, j)
    for found in verify_candidates(state, candidates, joined, engine, lambda done: tick("verifying", done, None)):
        pairs.extend(found)
    pairs.sort(key=lambda t: (t[0], t[1]))

    # Clusters: archived documents are kept (the archive was deduplicated before it was indexed).
    named = sorted({i for i, j, _ in pairs} | {j for i, j, _ in pairs} | set(range(base, base + n)))
    clusters = build_clusters(ids, chars, ((i, j) for i, j, p in pairs if p.relation in COPY_RELATIONS),
                              config.keep_policy, engine=engine, kept=base)
    index_of = {doc_id: x for x, doc_id in enumerate(ids)}
    pairs, not_listed = list_big_clusters(pairs, clusters, index_of, state)
    spins = phrase_checks()
    documents = [
        DocumentResult(id=ids[x], chars=chars[x], side="archive") for x in named if x < base
    ] + [
        DocumentResult(id=new.ids[k], chars=new.chars[k], spin=spins[k], repeats=merged.repeats.get(k, ()), side="new")
        for k in range(n)
    ]
    return Report(config=config, documents=tuple(documents), pairs=tuple(p for _, _, p in pairs),
                  clusters=tuple(clusters), notices=dict(notices or {}), notice_messages=tuple(notice_messages),
                  pairs_not_listed=not_listed, texts=lambda doc_id: texts.get(index_of[doc_id]))
