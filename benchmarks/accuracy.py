"""Accuracy benchmark: recall per copy kind, relation labels and pair precision, against two baselines.

Run ``python -m benchmarks.accuracy --seed 1 --docs 350 [--json OUT]``. It builds the labelled corpus of
``benchmarks.copies`` from the Lee news articles of ``benchmarks.devdata``, scans it with ``dedup`` and with
two baselines written the way their users write them (datasketch ``MinHashLSH`` over word 5-grams at 0.7 and
over word unigrams at 0.5, each candidate verified by its exact Jaccard at the same threshold), and prints:

- per copy kind (and spun copies per substitution-rate band): how many original-copy pairs were reported
  with any relation (*recall*) and with the expected one (*labelled*: ``exact``, ``near_duplicate`` or
  ``partial`` for the non-spun kinds, ``spun`` for spun copies; baselines do not label);
- overall pair precision: a reported pair is correct when both documents belong to the same family.

The figures are deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.copies import KINDS, LabelledCorpus, make_corpus
from benchmarks.devdata import load_corpus
from dedup.model import Document

__all__ = ["Found", "Scores", "SPIN_BANDS", "baseline", "evaluate", "main", "run_dedup"]

SPIN_BANDS = ((0.12, 0.25), (0.25, 0.40), (0.40, 0.55))
EXPECTED = {kind: frozenset({"exact", "near_duplicate", "partial"}) for kind in KINDS}
EXPECTED["spun"] = frozenset({"spun"})


@dataclass(frozen=True)
class Found:
    """What one system reported: pair -> relation (None when the system does not label), and its run time."""

    name: str
    pairs: dict[frozenset[str], str | None]
    seconds: float
    note: str = ""


@dataclass(frozen=True)
class Scores:
    """Figures of one system: per row (kind or spin band) the counts, then precision over all pairs."""

    name: str
    rows: dict[str, dict[str, Any]]
    reported: int
    correct: int
    seconds: float
    false_pairs: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    @property
    def precision(self) -> float | None:
        return self.correct / self.reported if self.reported else None


# ---------------------------------------------------------------------------------------------------------
# Systems under test.


def run_dedup(documents: Sequence[Document], seed: int) -> Found:
    """Scan with ``dedup.stages.pipeline.scan`` at its default settings (seeded)."""
    from dedup.config import ScanConfig
    from dedup.stages.pipeline import scan

    start = time.perf_counter()
    report = scan(documents, ScanConfig(seed=seed))
    seconds = time.perf_counter() - start
    return Found("dedup", {frozenset((p.a, p.b)): p.relation for p in report.pairs}, seconds)


_WORD = re.compile(r"\w+")


def baseline(documents: Sequence[Document], ngram: int, threshold: float, num_perm: int = 128) -> Found:
    """datasketch MinHashLSH over lower-cased word ``ngram``-grams; candidates kept if exact Jaccard >= threshold.

    This is the recipe of the datasketch README and of most corpus-cleaning scripts; it does not label.

    >>> docs = [Document("a", "one two three four five six"), Document("b", "one two three four five six")]
    >>> sorted(next(iter(baseline(docs, 5, 0.7).pairs)))
    ['a', 'b']
    """
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    sets: dict[str, set[str]] = {}
    for doc in documents:
        words = _WORD.findall(doc.text.lower())
        grams = {" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))}
        sets[doc.id] = grams
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = MinHash.bulk([[g.encode("utf-8") for g in sets[d.id]] for d in documents], num_perm=num_perm, seed=1)
    for doc, minhash in zip(documents, hashes, strict=True):
        lsh.insert(doc.id, minhash)
    pairs: dict[frozenset[str], str | None] = {}
    for doc, minhash in zip(documents, hashes, strict=True):
        for other in lsh.query(minhash):
            key = frozenset((doc.id, other))
            if other == doc.id or key in pairs:
                continue
            a, b = sets[doc.id], sets[other]
            if len(a & b) / len(a | b) >= threshold:
                pairs[key] = None
    seconds = time.perf_counter() - start
    return Found(f"minhash-{ngram}gram@{threshold}", pairs, seconds)


# ---------------------------------------------------------------------------------------------------------
# Scoring.


def _row_of(kind: str, rate: float | None) -> list[str]:
    rows = [kind]
    if kind == "spun" and rate is not None:
        for low, high in SPIN_BANDS:
            if low <= rate < high or (high == SPIN_BANDS[-1][1] and rate == high):
                rows.append(f"spun {low:.0%}-{high:.0%}")
    return rows


def evaluate(corpus: LabelledCorpus, found: Found) -> Scores:
    """Score what a system reported against the ground truth of ``corpus``."""
    rows: dict[str, dict[str, Any]] = {}
    for original, copy, truth in corpus.expected_pairs():
        relation = found.pairs.get(frozenset((original, copy)), "missing")
        for row in _row_of(truth.kind, truth.rate):
            entry = rows.setdefault(row, {"pairs": 0, "found": 0, "labelled": 0, "relations": Counter()})
            entry["pairs"] += 1
            entry["relations"][relation or "unlabelled"] += 1
            if relation != "missing":
                entry["found"] += 1
                if relation in EXPECTED[truth.kind]:
                    entry["labelled"] += 1
    for entry in rows.values():
        entry["recall"] = entry["found"] / entry["pairs"]
        entry["labelled_share"] = entry["labelled"] / entry["pairs"]
        entry["relations"] = dict(sorted(entry["relations"].items()))
    correct = 0
    false_pairs = []
    for pair, relation in sorted(found.pairs.items(), key=lambda item: sorted(item[0])):
        a, b = sorted(pair)
        ta, tb = corpus.truth[a], corpus.truth[b]
        if ta.family == tb.family:
            correct += 1
        else:
            false_pairs.append({"a": a, "b": b, "relation": relation, "a_kind": ta.kind, "b_kind": tb.kind})
    ordered = {row: rows[row] for row in _row_order() if row in rows}
    return Scores(found.name, ordered, len(found.pairs), correct, found.seconds, false_pairs, found.note)


def _row_order() -> list[str]:
    return [*KINDS, *(f"spun {low:.0%}-{high:.0%}" for low, high in SPIN_BANDS)]


# ---------------------------------------------------------------------------------------------------------
# Output.


def _percent(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:5.1f}%"


def render(scores: Sequence[Scores], corpus_line: str) -> str:
    """The figures as a plain-text table, one column group per system."""
    lines = [corpus_line, ""]
    head = f"{'kind':<14}{'pairs':>6}"
    for s in scores:
        head += f" | {s.name[:24]:^24}"
    lines.append(head)
    sub = " " * 20
    for _s in scores:
        sub += f" | {'recall':>11}{'labelled':>13}"
    lines.append(sub)
    lines.append("-" * len(sub))
    for row in _row_order():
        if not any(row in s.rows for s in scores):
            continue
        count = next(s.rows[row]["pairs"] for s in scores if row in s.rows)
        line = f"{row:<14}{count:>6}"
        for s in scores:
            entry = s.rows.get(row)
            labelled = "-" if s.name.startswith("minhash") or entry is None else _percent(entry["labelled_share"])
            line += f" | {_percent(entry['recall'] if entry else None):>11}{labelled:>13}"
        lines.append(line)
    lines.append("-" * len(sub))
    for label, value in (
        ("pairs reported", lambda s: f"{s.reported}"),
        ("precision", lambda s: f"{_percent(s.precision)} ({s.reported - s.correct} false)"),
        ("seconds", lambda s: f"{s.seconds:.1f}"),
    ):
        line = f"{label:<20}"
        for s in scores:
            line += f" | {value(s):>24}"
        lines.append(line)
    for s in scores:
        if s.note:
            lines.append(f"note: {s.name}: {s.note}")
    # What the labelling system called each kind: the "labelled" share above is lenient (any copy relation
    # for the non-spun kinds), this shows whether trimmed copies came out partial, spun ones spun, and so on.
    for s in scores:
        if s.name.startswith("minhash") or not s.rows:
            continue
        lines += ["", f"{s.name}: relations reported per kind"]
        for row in KINDS:
            if row in s.rows:
                counts = ", ".join(f"{rel} {n}" for rel, n in s.rows[row]["relations"].items())
                lines.append(f"  {row:<12} {counts}")
    return "\n".join(lines)


def _to_json(scores: Sequence[Scores], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": "dedup.benchmark.accuracy/1",
        **meta,
        "systems": [
            {
                "name": s.name,
                "seconds": round(s.seconds, 3),
                "pairs_reported": s.reported,
                "pairs_correct": s.correct,
                "precision": s.precision,
                "rows": s.rows,
                "false_pairs": s.false_pairs[:50],
                "note": s.note,
            }
            for s in scores
        ],
    }


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Build the corpus, run dedup and the baselines, print the table; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus and of the scan (default 1)")
    parser.add_argument("--docs", type=int, default=350, help="articles drawn from the development data")
    parser.add_argument("--thesaurus", choices=("mythes", "wordnet"), default="mythes", help="spinner thesaurus")
    parser.add_argument("--json", metavar="OUT", type=Path, help="also write the figures as JSON to OUT")
    parser.add_argument("--baselines-only", action="store_true", help="skip dedup, run only the baselines")
    args = parser.parse_args(argv)
    if args.docs < 10:
        parser.error(f"--docs must be at least 10, not {args.docs}")

    started = time.perf_counter()
    dev = load_corpus(seed=args.seed)
    articles = dev.articles[: args.docs]
    corpus = make_corpus(articles, seed=args.seed, thesaurus=args.thesaurus)
    build_seconds = time.perf_counter() - started
    kinds = Counter(t.kind for t in corpus.truth.values())
    originals = kinds["original"] + kinds["distinct"]
    corpus_line = (
        f"{len(corpus.documents)} documents: {originals} originals ({kinds['distinct']} without a copy), "
        f"{len(corpus.expected_pairs())} copies; {len(articles) - originals} articles held back as filler; "
        f"{dev.dropped} near-identical source articles dropped; built in {build_seconds:.1f}s "
        f"(seed {args.seed}, thesaurus {args.thesaurus})"
    )
    if args.docs > len(dev.articles):
        corpus_line += f"\n(--docs {args.docs} asked, {len(dev.articles)} distinct articles available)"

    found: list[Found] = []
    if not args.baselines_only:
        try:
            found.append(run_dedup(corpus.documents, args.seed))
        except ImportError as error:  # the pipeline is optional while it is being written
            found.append(Found("dedup", {}, 0.0, note=f"not run: {error}"))
    found.append(baseline(corpus.documents, 5, 0.7))
    found.append(baseline(corpus.documents, 1, 0.5))
    scores = [evaluate(corpus, f) for f in found]
    out(render(scores, corpus_line))
    if args.json:
        meta = {
            "seed": args.seed,
            "docs": len(articles),
            "thesaurus": args.thesaurus,
            "documents": len(corpus.documents),
            "kinds": dict(sorted(kinds.items())),
            "source_dropped": dev.dropped,
            "source": dev.source,
        }
        args.json.write_text(json.dumps(_to_json(scores, meta), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
