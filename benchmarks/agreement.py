"""Do ``dedup compare A B`` and a scan agree? The relation of every pair a scan reports, compared with the
relation ``compare_texts`` gives the same two texts.

    python -m benchmarks.agreement [--corpus FILE.jsonl ...] [--limit N]

Corpora: the labelled copies corpus of ``benchmarks.copies`` (seed 1, every kind of copy, spun ones
included) and, where ``../shared/corpora`` is present, Reuters-21578 (real newswire with real
near-duplicates). A scan leaves out the lines it finds to be boilerplate across the corpus; ``compare`` has
no corpus and keeps every line, so pairs where one document holds such a line are counted apart.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from dedup import Document, ScanConfig, compare_texts, scan
from dedup.sketch.features import content_text
from dedup.verify.boilerplate import LineStats, boilerplate_spans

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def copies_corpus() -> list[Document]:
    from benchmarks.copies import make_corpus
    from benchmarks.devdata import load_corpus

    return [Document(d.id, d.text) for d in make_corpus(load_corpus().articles, seed=1).documents]


def jsonl_corpus(path: Path) -> list[Document]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [Document(str(r["id"]), r["text"]) for r in map(json.loads, fh)]


def agreement(name: str, documents: Sequence[Document], out=print) -> dict[str, int]:
    config = ScanConfig()
    report = scan(documents, config)
    text = {d.id: d.text for d in documents}
    lines = LineStats(config.boilerplate_min_docs)
    for t in dict.fromkeys(text.values()):  # lines counted over distinct texts, as the scan counts them
        lines.add(t)
    tally: Counter[str] = Counter()
    for pair in report.pairs:
        verdict = compare_texts(text[pair.a], text[pair.b], config).relation or "none"
        spans_a, spans_b = boilerplate_spans(text[pair.a], lines), boilerplate_spans(text[pair.b], lines)
        if verdict == pair.relation:
            tally["agree"] += 1
        elif spans_a or spans_b:
            # Does the difference come from the lines the scan left out? Compare the texts without them.
            without = compare_texts(content_text(text[pair.a], spans_a), content_text(text[pair.b], spans_b), config)
            # Texts that differ only in boilerplate are exact without it; the scan, which groups exact copies
            # by the texts as given, calls them near-duplicates.
            relation = without.relation or "none"
            explained = relation == pair.relation or (relation, pair.relation) == ("exact", "near_duplicate")
            tally["differ, as compare without the boilerplate lines agrees" if explained
                  else "disagree (boilerplate)"] += 1
            if not explained:
                out(f"  {name}: {pair.a} / {pair.b}: scan {pair.relation}, compare {verdict} ({relation} without"
                    " boilerplate)")
        else:
            tally["disagree"] += 1
            out(f"  {name}: {pair.a} / {pair.b}: scan {pair.relation}, compare {verdict}")
    out(f"{name}: {len(report.pairs)} pairs reported; " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    return dict(tally)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.agreement", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="JSONL corpus (id, text); repeatable")
    parser.add_argument("--limit", type=int, default=0, help="read at most N documents of each corpus")
    args = parser.parse_args(argv)
    corpora: list[tuple[str, list[Document]]] = []
    if args.corpus:
        corpora = [(p.name, jsonl_corpus(p)) for p in args.corpus]
    else:
        corpora.append(("copies (seed 1)", copies_corpus()))
        if (SHARED / "reuters21578.jsonl.gz").exists():
            corpora.append(("reuters21578", jsonl_corpus(SHARED / "reuters21578.jsonl.gz")))
    for name, documents in corpora:
        agreement(name, documents[: args.limit] if args.limit else documents)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
