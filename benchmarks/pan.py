"""Benchmark: passage reuse on the PAN 2013 text alignment *training* corpus, with the PAN measures.

Each of the corpus's source/suspicious pairs (``01-no-plagiarism`` ... ``05-summary-obfuscation``) is compared
with ``dedup.compare_texts`` (suspicious document as ``a``, source as ``b``), and the ``passages`` it reports
are scored against the pair's annotated cases exactly as PAN scores detections (Potthast, Stein,
Barrón-Cedeño and Rosso 2010, "An Evaluation Framework for Plagiarism Detection"):

- a case ``s`` and a detection ``r`` are sets of character references in both documents of a pair; ``r``
  detects ``s`` when they overlap in the suspicious document *and* in the source;
- precision = mean over detections of |the characters of ``r`` in cases it detects| / |r|;
- recall = mean over cases of |the characters of ``s`` in detections that detect it| / |s|;
- granularity = mean, over detected cases, of how many detections detect each;
- plagdet = F1 / log2(1 + granularity).

Detections on pairs without plagiarism count in the precision (they detect nothing). Figures are given for
all pairs and per obfuscation type (a type's precision over the detections on that type's pairs).

The pairs are split in two by a hash of their names: ``--split fit`` is what the passage parameters were
chosen on, ``--split held`` (the default) what the README reports; ``all`` is both.

The corpus is read from ``../shared/corpora/pan13-text-alignment-training-corpus.tar.gz`` (unpacked once
into ``benchmarks/.cache/pan13/``); two files of it hold NUL bytes, which ``dedup``'s readers refuse as binary
but which are read here as text, as PAN does.

    python -m benchmarks.pan [--split held|fit|all] [--workers 2] [--limit N] [--scan] [--json OUT]

``--scan`` also scans all 5,057 documents of the corpus together, as a user would scan a collection, and
reports per type the share of the pairs the scan reports (with any relation): of the split's pairs, and of
each half's (with ``--split all``), since the scan's passage channel was tuned on the fit half's pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import tarfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.spin_families import CORPORA
from dedup.compare import compare_texts

__all__ = ["Case", "Measures", "load_pairs", "measure"]

ARCHIVE = CORPORA / "pan13-text-alignment-training-corpus.tar.gz"
CACHE = Path(__file__).resolve().parent / ".cache" / "pan13"
ROOT_NAME = "pan13-text-alignment-training-corpus"
TYPES = ("01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation", "04-translation-obfuscation",
         "05-summary-obfuscation")

_FEATURE = re.compile(r"<feature ([^>]*)/>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')

# (start, end) in the suspicious document, (start, end) in the source: half-open character ranges.
Span = tuple[int, int, int, int]


@dataclass(frozen=True)
class Case:
    """One pair of the corpus: its type, the two files, and its annotated plagiarism cases."""

    kind: str
    suspicious: str
    source: str
    cases: tuple[Span, ...]


@dataclass(frozen=True)
class Measures:
    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int


def unpacked() -> Path:
    """The corpus folder, unpacking the archive on first use."""
    root = CACHE / ROOT_NAME
    if not root.is_dir():
        if not ARCHIVE.exists():
            raise SystemExit(f"error: {ARCHIVE} not found (the shared development corpora)")
        CACHE.mkdir(parents=True, exist_ok=True)
        with tarfile.open(ARCHIVE) as archive:
            archive.extractall(CACHE, filter="data")
    return root


def _cases(xml: str) -> tuple[Span, ...]:
    found = []
    for feature in _FEATURE.findall(xml):
        attributes = dict(_ATTRIBUTE.findall(feature))
        if attributes.get("name") != "plagiarism":
            continue
        this, source = int(attributes["this_offset"]), int(attributes["source_offset"])
        found.append((this, this + int(attributes["this_length"]), source, source + int(attributes["source_length"])))
    return tuple(found)


def _in_split(case: Case, split: str) -> bool:
    if split == "all":
        return True
    digest = hashlib.sha256(f"{case.suspicious}-{case.source}".encode()).digest()[0]
    return (digest % 2 == 0) == (split == "fit")


def load_pairs(root: Path, split: str = "held") -> list[Case]:
    """Every pair of every type folder, with its cases, in the split."""
    pairs = []
    for kind in TYPES:
        for line in (root / kind / "pairs").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            suspicious, source = line.split()
            xml_path = root / kind / f"{Path(suspicious).stem}-{Path(source).stem}.xml"
            cases = _cases(xml_path.read_text(encoding="utf-8")) if xml_path.exists() else ()
            pairs.append(Case(kind, suspicious, source, cases))
    return [p for p in pairs if _in_split(p, split)]


def _overlap(x1: int, x2: int, y1: int, y2: int) -> int:
    return max(0, min(x2, y2) - max(x1, y1))


def _union_length(ranges: Iterable[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for start, end in sorted(ranges):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def _detects(s: Span, r: Span) -> bool:
    return _overlap(s[0], s[1], r[0], r[1]) > 0 and _overlap(s[2], s[3], r[2], r[3]) > 0


def _size(span: Span) -> int:
    return (span[1] - span[0]) + (span[3] - span[2])


def _clipped(span: Span, other: Span) -> tuple[tuple[int, int], tuple[int, int]]:
    """The part of ``span`` inside ``other``, in the suspicious document and in the source."""
    return ((max(span[0], other[0]), min(span[1], other[1])), (max(span[2], other[2]), min(span[3], other[3])))


def measure(pairs: Sequence[Case], detections: Sequence[Sequence[Span]]) -> Measures:
    """The PAN measures of ``detections`` (per pair, in the order of ``pairs``) against the pairs' cases."""
    precisions: list[float] = []
    recalls: list[float] = []
    granularity: list[int] = []
    for pair, found in zip(pairs, detections, strict=True):
        for r in found:
            inside = [_clipped(r, s) for s in pair.cases if _detects(s, r)]
            covered = _union_length(x for x, _ in inside) + _union_length(y for _, y in inside)
            precisions.append(covered / max(1, _size(r)))
        for s in pair.cases:
            by = [r for r in found if _detects(s, r)]
            inside = [_clipped(s, r) for r in by]
            covered = _union_length(x for x, _ in inside) + _union_length(y for _, y in inside)
            recalls.append(covered / max(1, _size(s)))
            if by:
                granularity.append(len(by))
    precision = float(np.mean(precisions)) if precisions else 1.0
    recall = float(np.mean(recalls)) if recalls else 1.0
    gran = float(np.mean(granularity)) if granularity else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Measures(precision, recall, gran, f1 / np.log2(1 + gran), len(recalls), len(precisions))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def detect(job: tuple[str, str]) -> list[Span]:
    """``compare_texts``'s passages for one pair of files (suspicious, source)."""
    suspicious, source = job
    comparison = compare_texts(_read(Path(suspicious)), _read(Path(source)))
    return [(p.a_start, p.a_end, p.b_start, p.b_end) for p in comparison.passages]


def scan_recall(root: Path, pairs: Sequence[Case], workers: int) -> dict[str, dict[str, tuple[int, int]]]:
    """Scan every document of the corpus together (``dedup.scan``); per type and per half of the pairs (fit,
    held) and for ``pairs`` as a whole, how many of its pairs the scan reports (any relation) out of how many
    there are. The scan's parameters (``dedup.stages.candidates``) are chosen on the fit half's pairs."""
    from dedup import Document, LocalEngine, scan

    paths = sorted((root / "susp").glob("*.txt")) + sorted((root / "src").glob("*.txt"))
    report = scan((Document(p.name, _read(p)) for p in paths), engine=LocalEngine(workers))
    found = {frozenset((p.a, p.b)) for p in report.pairs}
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for kind in TYPES:
        chosen = [p for p in pairs if p.kind == kind]
        counts[kind] = {}
        for half in ("all", "fit", "held"):
            these = [p for p in chosen if _in_split(p, half)]
            hits = sum(frozenset((p.suspicious, p.source)) in found for p in these)
            counts[kind][half] = (hits, len(these))
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--split", choices=("held", "fit", "all"), default="held")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="pairs per type (default: all)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--scan", action="store_true",
                        help="also scan all the corpus's documents together: the pairs of each type it reports")
    args = parser.parse_args(argv)
    root = unpacked()
    pairs = load_pairs(root, args.split)
    if args.scan:
        started = time.perf_counter()
        counts = scan_recall(root, pairs, args.workers)
        print(f"Scan of all {len(list((root / 'susp').glob('*.txt'))) + len(list((root / 'src').glob('*.txt')))} "
              f"documents: {time.perf_counter() - started:.0f} s")
        print("| type | pairs | reported by the scan | fit half | held-out half |")
        print("|---|---|---|---|---|")
        for kind, halves in counts.items():
            shares = [f"{hits / max(1, total):.1%}" for hits, total in halves.values()]
            print(f"| {kind} | {halves['all'][1]} | " + " | ".join(shares) + " |")
    if args.limit:
        pairs = [p for kind in TYPES for p in [q for q in pairs if q.kind == kind][: args.limit]]
    jobs = [(str(root / "susp" / p.suspicious), str(root / "src" / p.source)) for p in pairs]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        detections = list(pool.map(detect, jobs, chunksize=16))
    seconds = time.perf_counter() - started
    rows = {"all": measure(pairs, detections)}
    for kind in TYPES:
        chosen = [k for k, p in enumerate(pairs) if p.kind == kind]
        rows[kind] = measure([pairs[k] for k in chosen], [detections[k] for k in chosen])
    print(f"PAN 2013 text alignment training corpus, split {args.split}: {len(pairs)} pairs, "
          f"{seconds:.0f} s on {args.workers} workers")
    print("| type | pairs | cases | detections | precision | recall | granularity | plagdet |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, m in rows.items():
        n = len(pairs) if kind == "all" else sum(p.kind == kind for p in pairs)
        print(f"| {kind} | {n} | {m.cases} | {m.detections} | {m.precision:.3f} | {m.recall:.3f} | "
              f"{m.granularity:.3f} | {m.plagdet:.3f} |")
    if args.json:
        args.json.write_text(json.dumps({k: m.__dict__ for k, m in rows.items()}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
