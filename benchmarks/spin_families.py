"""Benchmark: the current ``dedup`` on copies made by the spinner families of ``benchmarks.real_spinners``.

Data: the held-out development articles (odd positions of ``benchmarks.devdata.load_corpus()``, the split
``phrase_bench`` measures on), ``--docs`` of them sampled with ``--seed``, each spun by every family at a rate
drawn uniformly from 15-45 %. Per family it measures:

- **scan**: the originals and their spun copies scanned together: share of the spun pairs found (any
  relation), share labelled ``spun``, and false pairs (two documents of different articles); and the same
  with every paragraph spun alone and scanned with the originals' paragraphs (short texts, as the real
  rewrites of issue 13 are), where a false pair of two paragraphs of one article is counted apart;
- **compare**: ``compare_texts`` relation of each original-copy pair, and its mean score;
- **phrase checks** (no source): AUROC of the copies against the clean held-out articles (ranked by the margin
  of the statistic over its threshold, ``PhraseChecker.margins``: the score's order without its rounding),
  TPR at 1 % FPR (threshold at the 99th percentile of the clean scores) and at the default threshold.

Then the phrase checks' false-alarm rate at the default threshold on clean text of many domains: the 15 genres
of the Brown corpus and Reuters-21578 newswire (``../shared/corpora/``), cut into runs of sentences of about
300 words, per genre; and the same on all Brown genres pooled for chunks of several lengths (the flag rate
of the phrase checks grows with a text's length). Nothing here changes ``dedup``; it is the baseline for issue 13.

    python -m benchmarks.spin_families [--docs N] [--seed 1] [--reuters 5000] [--lengths 100 300 600] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.devdata import load_corpus, split_sentences
from benchmarks.real_spinners import FAMILIES
from dedup import Document
from dedup.api import scan
from dedup.compare import compare_texts
from dedup.config import ScanConfig
from dedup.spin import load_checker

__all__ = ["Copy", "FamilyScores", "ScanFigures", "chunks", "clean_domains", "domain_detection", "held_out_genres",
           "main", "measure_family", "reuters_chunks", "scan_copies"]

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
RATE_RANGE = (0.15, 0.45)
CHUNK_WORDS = 300
BROWN_GENRES = ("news", "editorial", "reviews", "religion", "hobbies", "lore", "belles_lettres", "government",
                "learned", "fiction", "mystery", "science_fiction", "adventure", "romance", "humor")


@dataclass
class FamilyScores:
    """What the current tool does on one family's copies."""

    family: str
    pairs: int
    mean_rate: float
    mean_swaps: float
    words_changed: float
    found: float
    labelled_spun: float
    false_pairs: int
    scan_relations: dict[str, int] = field(default_factory=dict)
    compare_relations: dict[str, int] = field(default_factory=dict)
    compare_score: float = 0.0
    auroc: float = 0.0
    tpr_at_1pct: float = 0.0
    tpr_default: float = 0.0
    paragraph_pairs: int = 0
    paragraph_found: float = 0.0
    paragraph_spun: float = 0.0
    paragraph_false_pairs: int = 0
    paragraph_same_article_false: int = 0
    paragraph_relations: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------
# Figures.


def use_model(path: Path) -> None:
    """Make every phrase checker of this process (the benchmark's and those of scan and compare) use the
    model in ``path`` instead of the shipped one."""
    import dedup.spin.checker as checker_module
    from dedup.spin.data import shipped
    from dedup.spin.word_model import Model

    model = Model.from_json(json.loads(path.read_text(encoding="utf-8")))
    data = shipped()[0]
    checker_module.shipped = lambda: (data, model)  # type: ignore[assignment]


def auroc(negatives: Sequence[float], positives: Sequence[float]) -> float:
    """Area under the ROC curve: the chance a positive outscores a negative (ties count half).

    >>> auroc([0.1, 0.2], [0.3, 0.2])
    0.875
    """
    neg = np.asarray(negatives)[None, :]
    pos = np.asarray(positives)[:, None]
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean())


def tpr_at_fpr(negatives: Sequence[float], positives: Sequence[float], fpr: float = 0.01) -> float:
    """True-positive rate above the ``1 - fpr`` quantile of the negatives."""
    cut = float(np.quantile(np.asarray(negatives), 1.0 - fpr))
    return float((np.asarray(positives) > cut).mean())


# ---------------------------------------------------------------------------------------------------------
# One family.


@dataclass(frozen=True)
class Copy:
    """One spun copy: ``key`` names its original ("0007" an article, "0007-2" its third paragraph)."""

    key: str
    original: str
    text: str
    rate: float
    swaps: int
    changed: float  # share of the original's words inside a swap


def _changed(text: str, swaps: Sequence[tuple[int, int, str, int, int, str]]) -> float:
    return sum(len(s[2].split()) for s in swaps) / max(1, len(text.split()))


def spin_articles(texts: Sequence[str], family: str, seed: int,
                  rates: tuple[float, float] = RATE_RANGE) -> list[Copy]:
    """Each text spun by ``family`` at a rate drawn in ``rates`` (15-45 % by default; seeded per family and
    text)."""
    spin = FAMILIES[family]
    rng = random.Random(f"{family}-{seed}")
    copies = []
    for i, text in enumerate(texts):
        rate = rng.uniform(*rates)
        spun = spin(text, rate, seed * 100_003 + i)
        copies.append(Copy(f"{i:04d}", text, spun.text, rate, len(spun.swaps), _changed(text, spun.swaps)))
    return copies


def spin_paragraphs(articles: Sequence[Copy], family: str, seed: int) -> list[Copy]:
    """Each paragraph of each article spun alone, at its article's rate: short texts, as real rewrites are."""
    spin = FAMILIES[family]
    copies = []
    for article in articles:
        for j, paragraph in enumerate(article.original.split("\n\n")):
            spun = spin(paragraph, article.rate, seed * 100_003 + int(article.key) * 101 + j)
            copies.append(Copy(f"{article.key}-{j}", paragraph, spun.text, article.rate, len(spun.swaps),
                               _changed(paragraph, spun.swaps)))
    return copies


@dataclass(frozen=True)
class ScanFigures:
    """A scan of originals and their copies: shares found and labelled spun, and the false pairs."""

    found: float
    labelled_spun: float
    relations: dict[str, int]
    false_pairs: int
    same_article_false_pairs: int


def scan_copies(copies: Sequence[Copy], seed: int) -> ScanFigures:
    """Scan every original and copy together, as a user would scan a crawl holding both."""
    docs = [Document(f"orig-{c.key}", c.original) for c in copies] + [Document(f"spun-{c.key}", c.text) for c in copies]
    report = scan(docs, ScanConfig(seed=seed), workers=1)
    relations = {frozenset((p.a, p.b)): p.relation for p in report.pairs}
    found = [relations[k] for k in (frozenset((f"orig-{c.key}", f"spun-{c.key}")) for c in copies) if k in relations]
    keys = [{doc_id.split("-", 1)[1] for doc_id in pair} for pair in relations]
    false = [k for k in keys if len(k) > 1]
    same_article = [k for k in false if len({key.split("-")[0] for key in k}) == 1]
    count = max(1, len(copies))
    return ScanFigures(len(found) / count, found.count("spun") / count, dict(Counter(found).most_common()),
                       len(false), len(same_article))


def measure_family(family: str, texts: Sequence[str], clean_scores: Sequence[float], seed: int,
                   rates: tuple[float, float] = RATE_RANGE) -> FamilyScores:
    """Scan, compare and phrase-check the copies of ``texts`` spun by ``family``, whole and by paragraph."""
    # A copy with no swap is an exact copy, not a spun one: left out, and the number of pairs says so.
    articles = spin_articles(texts, family, seed, rates)
    kept = [c for c in articles if c.swaps > 0]
    paragraphs = [c for c in spin_paragraphs(articles, family, seed) if c.swaps > 0]
    whole, short = scan_copies(kept, seed), scan_copies(paragraphs, seed)
    compared = [compare_texts(c.original, c.text) for c in kept]
    checker = load_checker()
    results = checker.check_many([c.text for c in kept])
    scores = checker.margins([c.text for c in kept])
    count = max(1, len(kept))
    return FamilyScores(
        family=family,
        pairs=len(kept),
        mean_rate=sum(c.rate for c in kept) / count,
        mean_swaps=sum(c.swaps for c in kept) / count,
        words_changed=sum(c.changed for c in kept) / count,
        found=whole.found,
        labelled_spun=whole.labelled_spun,
        false_pairs=whole.false_pairs,
        scan_relations=whole.relations,
        compare_relations=dict(Counter(c.relation or "none" for c in compared).most_common()),
        compare_score=sum(c.score for c in compared) / count,
        auroc=auroc(clean_scores, scores),
        tpr_at_1pct=tpr_at_fpr(clean_scores, scores),
        tpr_default=sum(r.spun for r in results) / count,
        paragraph_pairs=len(paragraphs),
        paragraph_found=short.found,
        paragraph_spun=short.labelled_spun,
        paragraph_false_pairs=short.false_pairs,
        paragraph_same_article_false=short.same_article_false_pairs,
        paragraph_relations=short.relations,
    )


# ---------------------------------------------------------------------------------------------------------
# Clean text of many domains.


def chunks(text: str, words: int = CHUNK_WORDS) -> Iterator[str]:
    """Runs of whole sentences of about ``words`` words; a short remainder joins the run before it.

    >>> [len(c.split()) for c in chunks(" ".join(["One two three."] * 250))]
    [300, 450]
    """
    runs: list[list[str]] = []
    run: list[str] = []
    size = 0
    for sentence in split_sentences(text):
        run.append(sentence)
        size += len(sentence.split())
        if size >= words:
            runs.append(run)
            run, size = [], 0
    if run and runs:
        runs[-1] += run  # a remainder shorter than a chunk is kept with the chunk before it
    elif run:
        runs.append(run)
    for sentences in runs:
        yield " ".join(sentences)


def _reuters_text(raw: str) -> str:
    # Reuters wraps lines at ~65 characters and indents each paragraph by four spaces.
    return re.sub(r"\s+", " ", raw.replace("\n    ", " \n\n ")).strip()


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def clean_domains(reuters_docs: int, seed: int, words: int = CHUNK_WORDS) -> dict[str, list[str]]:
    """Clean chunks of about ``words`` words per domain: each Brown genre (all samples) and ``reuters_docs``
    Reuters stories (most are shorter than a chunk: one story, one chunk).

    Chunks under 40 words (one-line Reuters items, tables) are left out: no phrase check works on them.
    """
    domains: dict[str, list[str]] = {f"brown/{g}": [] for g in BROWN_GENRES}
    for record in _read_jsonl(CORPORA / "brown.jsonl.gz"):
        domains[f"brown/{record['genre']}"] += [c for c in chunks(record["text"], words) if len(c.split()) >= 40]
    domains["reuters (even ids)"] = reuters_chunks(reuters_docs, seed, words)
    return domains


def reuters_chunks(stories: int, seed: int, words: int = CHUNK_WORDS) -> list[str]:
    """Clean chunks of ``stories`` Reuters-21578 stories with even ids (the odd ones are the phrase model's fit
    split), sampled with ``seed``; chunks under 40 words are left out."""
    even = [record["text"] for record in _read_jsonl(CORPORA / "reuters21578.jsonl.gz")
            if int(record["id"].split("-")[1]) % 2 == 0]
    picked = random.Random(seed).sample(range(len(even)), min(stories, len(even)))
    return [c for i in sorted(picked) for c in chunks(_reuters_text(even[i]), words) if len(c.split()) >= 40]


def held_out_genres() -> tuple[str, ...]:
    """The Brown genres the shipped phrase model was not fitted on."""
    from benchmarks.phrase_bench import FIT_GENRES  # here: phrase_bench imports this module

    return tuple(g for g in BROWN_GENRES if g not in FIT_GENRES)


Detection = tuple[str, str, int, float, float, float]


def domain_detection(domains: dict[str, list[str]], per_domain: int, seed: int) -> list[Detection]:
    """The phrase checks on spun copies of clean text of domains they were not fitted on.

    For each domain, ``per_domain`` clean chunks (seeded sample) are spun once by ``benchmarks.spinner``
    (thesaurus and style of ``phrase_bench`` drawn per chunk, rate 12-55 %) and once by each family (rate
    15-45 %); each kind of copy is scored against the same clean chunks: ``(domain, spinner, copies, AUROC,
    TPR at 1 % FPR, TPR at the default threshold)``.
    """
    from benchmarks.phrase_bench import RATE_RANGE as THESAURUS_RATES
    from benchmarks.phrase_bench import SHARPNESS, STYLES, THESAURI, spin_common, zipf_table
    from benchmarks.spinner import spin as thesaurus_spin

    checker = load_checker()
    zipf = zipf_table(checker)
    out = []
    for name, texts in domains.items():
        rng = random.Random(f"{name}-{seed}")
        clean = rng.sample(texts, min(per_domain, len(texts)))
        copies: dict[str, list[str]] = {"thesaurus": [], **{family: [] for family in FAMILIES}}
        for i, text in enumerate(clean):
            thesaurus, style = rng.choice(THESAURI), rng.choice(STYLES)
            rate, spin_seed = rng.uniform(*THESAURUS_RATES), seed * 100_003 + i
            spun = (thesaurus_spin(text, rate, seed=spin_seed, thesaurus=thesaurus) if style == "uniform"
                    else spin_common(text, rate, spin_seed, thesaurus, zipf, SHARPNESS[style]))
            if spun.swaps:
                copies["thesaurus"].append(spun.text)
            for family, spin in FAMILIES.items():
                made = spin(text, rng.uniform(*RATE_RANGE), spin_seed)
                if made.swaps:
                    copies[family].append(made.text)
        negatives = checker.margins(clean)
        for kind, texts_spun in copies.items():
            results = checker.check_many(texts_spun)
            scores = checker.margins(texts_spun)
            out.append((name, kind, len(texts_spun), auroc(negatives, scores), tpr_at_fpr(negatives, scores),
                        sum(r.spun for r in results) / max(1, len(results))))
    return out


def false_alarms(domains: dict[str, list[str]]) -> dict[str, tuple[int, float]]:
    """Per domain: chunks checked and the share flagged spun at the default threshold."""
    checker = load_checker()
    out = {}
    for name, texts in domains.items():
        flagged = [r.spun for r in checker.check_many(texts)]
        out[name] = (len(texts), sum(flagged) / max(1, len(texts)))
    return out


# ---------------------------------------------------------------------------------------------------------
# Output.


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def brown_by_length(lengths: Sequence[int]) -> dict[int, tuple[int, float]]:
    """All Brown genres pooled, cut into chunks of each length: chunks and share flagged spun."""
    out = {}
    for words in lengths:
        pooled = [c for name, texts in clean_domains(0, 0, words).items() if name.startswith("brown/") for c in texts]
        out[words] = false_alarms({"brown": pooled})["brown"]
    return out


def render(families: Sequence[FamilyScores], alarms: dict[str, tuple[int, float]], clean_fpr: float,
           by_length: dict[int, tuple[int, float]],
           detection: Sequence[Detection] = ()) -> str:
    lines = [
        "| family | pairs | rate | swaps | words changed | scan found | scan spun | false pairs | compare relations "
        "| compare score | AUROC | TPR@1%FPR | TPR@default |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in families:
        relations = ", ".join(f"{k} {v}" for k, v in f.compare_relations.items())
        lines.append(
            f"| {f.family} | {f.pairs} | {_pct(f.mean_rate)} | {f.mean_swaps:.1f} | {_pct(f.words_changed)} "
            f"| {_pct(f.found)} "
            f"| {_pct(f.labelled_spun)} | {f.false_pairs} | {relations} | {f.compare_score:.3f} | {f.auroc:.3f} "
            f"| {_pct(f.tpr_at_1pct)} | {_pct(f.tpr_default)} |"
        )
    lines += ["", "Each paragraph spun alone and scanned with the originals' paragraphs (short texts):", "",
              "| family | pairs | found | spun | relations | false pairs (same article) |", "|---|---|---|---|---|---|"]
    for f in families:
        relations = ", ".join(f"{k} {v}" for k, v in f.paragraph_relations.items())
        lines.append(f"| {f.family} | {f.paragraph_pairs} | {_pct(f.paragraph_found)} | {_pct(f.paragraph_spun)} "
                     f"| {relations} | {f.paragraph_false_pairs} ({f.paragraph_same_article_false}) |")
    lines += ["", f"Clean held-out Lee articles flagged at the default threshold: {_pct(clean_fpr)}", "",
              "| clean domain | phrase model | chunks | flagged spun |", "|---|---|---|---|"]
    held = set(held_out_genres())
    fitted = {name for name in alarms if name.startswith("brown/") and name.split("/", 1)[1] not in held}
    lines += [f"| {name} | {'fitted on' if name in fitted else 'held out'} | {n} | {_pct(rate)} |"
              for name, (n, rate) in alarms.items()]
    for label, names in (("**held out**", [k for k in alarms if k not in fitted]), ("**fitted on**", sorted(fitted))):
        total = sum(alarms[k][0] for k in names)
        hits = sum(alarms[k][0] * alarms[k][1] for k in names)
        lines.append(f"| {label} | | {total} | {_pct(hits / max(1, total))} |")
    if detection:
        lines += ["", "Spun copies of held-out domains against their clean chunks (300 words):", "",
                  "| domain | spinner | copies | AUROC | TPR@1%FPR | TPR@default |", "|---|---|---|---|---|---|"]
        lines += [f"| {d} | {k} | {n} | {a:.3f} | {_pct(t)} | {_pct(t0)} |" for d, k, n, a, t, t0 in detection]
    lines += ["", "| Brown, all genres: chunk words | chunks | flagged spun |", "|---|---|---|"]
    lines += [f"| {words} | {n} | {_pct(rate)} |" for words, (n, rate) in by_length.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.spin_families", description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=0, help="held-out articles to spin (default 0: all 169)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuters", type=int, default=5000,
                        help="Reuters stories with even ids to sample (default 5000)")
    parser.add_argument("--lengths", type=int, nargs="*", default=[100, 300, 600],
                        help="chunk lengths (words) of the Brown false-alarm sweep (default 100 300 600)")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--rates", type=float, nargs=2, default=list(RATE_RANGE), metavar=("LOW", "HIGH"),
                        help="spin each article at a rate drawn in [LOW, HIGH] (default 0.15 0.45); real spinners"
                             " rewrite far more: try 0.6 0.9")
    parser.add_argument("--domain-docs", type=int, default=400,
                        help="clean chunks per held-out domain to spin for the detection figures"
                             " (default 400; 0: none)")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--model", type=Path,
                        help="measure this phrase_model.json (a refit's, say) instead of the shipped one")
    args = parser.parse_args(argv)
    if args.model is not None:
        use_model(args.model)
    missing = [name for name in ("brown.jsonl.gz", "reuters21578.jsonl.gz") if not (CORPORA / name).exists()]
    if missing:
        out(f"Error: {', '.join(missing)} not found in {CORPORA} (the shared development corpora)")
        return 1
    start = time.perf_counter()
    held_out = [a.text for a in load_corpus().articles[1::2]]
    size = len(held_out) if args.docs <= 0 else min(args.docs, len(held_out))
    texts = random.Random(args.seed).sample(held_out, size)
    clean = load_checker().check_many(held_out)
    clean_scores = load_checker().margins(held_out)
    rates = (args.rates[0], args.rates[1])
    families = [measure_family(name, texts, clean_scores, args.seed, rates) for name in args.families]
    domains = clean_domains(args.reuters, args.seed)
    alarms = false_alarms(domains)
    by_length = brown_by_length(args.lengths)
    held = held_out_genres()
    unseen = {"brown (held-out genres)": [c for g in held for c in domains[f"brown/{g}"]],
              "reuters (even ids)": domains["reuters (even ids)"]}
    detection = domain_detection(unseen, args.domain_docs, args.seed) if args.domain_docs > 0 else []
    clean_fpr = sum(r.spun for r in clean) / len(clean)
    out(f"{len(texts)} held-out articles, spun at {rates[0]:.0%}-{rates[1]:.0%};"
        f" negatives: {len(held_out)} clean held-out articles")
    out(render(families, alarms, clean_fpr, by_length, detection))
    out(f"({time.perf_counter() - start:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({
            "docs": len(texts), "seed": args.seed, "families": [asdict(f) for f in families],
            "clean_lee_flagged": clean_fpr,
            "false_alarms": {k: {"chunks": n, "flagged": r} for k, (n, r) in alarms.items()},
            "brown_by_length": {str(k): {"chunks": n, "flagged": r} for k, (n, r) in by_length.items()},
            "held_out_domains": [dict(zip(("domain", "spinner", "copies", "auroc", "tpr_at_1pct", "tpr_default"),
                                          row, strict=True)) for row in detection],
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
