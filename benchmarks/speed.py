"""Speed benchmark: ``dedup scan`` against plain datasketch and rensa pipelines on one news-like corpus.

Run ``python -m benchmarks.speed --docs 50000 --rounds 2``. It writes (once, then reuses) a JSONL corpus of
about 1 KB news-like documents under ``benchmarks/.cache/``, then runs five contenders on it, each as its
own subprocess, in rotating order over ``--rounds``:

- ``dedup --no-spin``: ``dedup scan FILE --no-spin --quiet --pairs OUT.csv`` (near-duplicates only);
- ``dedup``: ``dedup scan FILE --quiet --pairs OUT.csv`` (the full default scan, spin analyses included);
- ``dedup --no-phrase-checks``: the full scan without the phrase checks, to show their share of its time;
- ``datasketch`` and ``rensa``: the pipelines of ``benchmarks.baselines`` (word 5-grams, 128 permutations,
  LSH at 0.7, exact Jaccard >= 0.7 for every candidate);
- ``dedup --no-spin (numpy)`` and ``dedup (numpy)``: the first two with ``DEDUP_PURE_PYTHON=1``, the numpy
  references instead of the compiled kernels (``dedup.kernels``), to show what the kernels give.

``--stages`` adds a second table: the wall and CPU time of each stage of a scan (analyse, with its phrase
checks; exact copies; boilerplate; candidates, per channel with the pairs each proposes; verify, with its
passage searches and alignments; cluster; report), and the rest of the process (start, reading, writing),
for ``dedup`` and ``dedup --no-spin`` (or the dedup contenders ``--only`` names, ``dedup (numpy)`` among
them). Each is the contender's own command run once more with ``DEDUP_STAGE_TIMES`` set (``dedup.timing``:
the scan appends its stage timings to that file; the report is the same).

It prints a Markdown table (median wall and CPU time, documents per second by wall time, peak resident
memory, verified pairs, how many planted copies each contender paired with their original, how many pairs
found by either baseline a ``dedup`` run misses) and the ratios the targets are stated in. Peak memory is
the ``ru_maxrss`` that ``os.wait4`` returns for that one child, so contenders never share a figure. CPU
time is printed because other jobs on a shared machine stretch wall time; the load average is printed too.

``dedup`` counts every relation it verifies (exact, near-duplicate, partial, spun) and links each exact
copy to the first of its group; the baselines count every pair whose word 5-gram Jaccard reaches 0.7.
Passage pairs (documents sharing sentences, no copies; the corpus recombines sentences, so it has many at
small sizes) are left out of the counts, since no baseline looks for them.

The corpus: sentences of the Lee news corpus (``benchmarks.devdata``) drawn across all articles and lightly
varied (names, numbers, an opening phrase), laid out as paragraphs of new documents of 700-1,150
characters; 10% of the documents are near-duplicate copies of another (1-5 words replaced, deleted or
inserted) and 0.5% exact copies. Everything is seeded: the same ``--docs`` and ``--seed`` give the same file.
When it builds the corpus it also reports how many unrelated documents share whole sentences by chance.

>>> docs, truth, stats = build_corpus(30, seed=1)  # doctest: +SKIP
>>> len(docs), sum(t[2] == "near" for t in truth)  # doctest: +SKIP
(30, 3)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.devdata import CACHE_DIR, Article, load_corpus, paragraphs

__all__ = [
    "CONTENDERS",
    "Contender",
    "CorpusStats",
    "Measurement",
    "Row",
    "STAGES",
    "STAGE_RUNS",
    "StageRun",
    "render_stages",
    "run_stages",
    "stage_times",
    "SentencePool",
    "build_corpus",
    "corpus_file",
    "main",
    "measure",
    "render",
    "run_all",
    "summarise",
    "vary_sentence",
    "Usage",
    "word_edits",
]

REPO = Path(__file__).resolve().parent.parent
# Bump when the generator changes, so a cached corpus of the old recipe is not reused.
CORPUS_VERSION = 1
DOC_CHARS = (700, 1150)
NEAR_SHARE = 0.10
EXACT_SHARE = 0.005
EDITS = (1, 5)
# Chance that each name or number of a drawn sentence is swapped, and that it gets an opening phrase.
SWAP_RATE = 0.6
LEAD_RATE = 0.25
LEADS = (
    "Meanwhile, ", "However, ", "On {day}, ", "Earlier on {day}, ", "In {place}, ", "Officials say ",
    "According to reports, ", "At the same time, ", "Separately, ", "Late on {day}, ",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A run of capitalised words inside a sentence (after a lower-case word or a comma): a name or place.
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+(?: [A-Z][a-z]+)*(?![\w'-])")
_NUMBER = re.compile(r"\b\d+\b")
_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
# Sentence openers that may follow a lead-in phrase once lower-cased.
_PLAIN_OPENERS = frozenset(
    ("the", "a", "an", "police", "officials", "authorities", "it", "they", "he", "she", "there", "this", "many")
)


# ---------------------------------------------------------------------------------------------------------
# The corpus.


@dataclass(frozen=True)
class SentencePool:
    """What documents are made of: every sentence of the source articles, and what varies them.

    ``names`` holds the capitalised runs found inside sentences, grouped by their number of words, so a
    two-word name ("New York") is swapped for another two-word one.
    """

    sentences: tuple[str, ...]
    names: dict[int, tuple[str, ...]]
    words: tuple[str, ...]

    @classmethod
    def from_sentences(cls, sentences: Sequence[str]) -> SentencePool:
        """Collect the names and lower-case words of ``sentences``.

        >>> SentencePool.from_sentences(["Rain fell on New York and Perth today."]).names
        {1: ('Perth',), 2: ('New York',)}
        """
        found = sorted({m.group(0) for s in sentences for m in _NAME.finditer(s)})
        names: dict[int, list[str]] = {}
        for name in found:
            names.setdefault(name.count(" ") + 1, []).append(name)
        words = sorted({w for s in sentences for w in _LOWER_WORD.findall(s)})
        return cls(tuple(sentences), {k: tuple(v) for k, v in sorted(names.items())}, tuple(words))


def vary_sentence(sentence: str, rng: random.Random, pool: SentencePool) -> str:
    """A light variant of a news sentence: some names and numbers swapped, sometimes an opening phrase.

    Names and numbers are what differ between two real reports of similar events; swapping them keeps the
    sentence readable while making a reused sentence a different string, so unrelated documents built from
    one sentence pool rarely share whole sentences.

    >>> pool = SentencePool.from_sentences(["About 300 people left Sydney on foot.", "Rain hit Perth."])
    >>> vary_sentence(pool.sentences[0], random.Random(3), pool)
    'About 718 people left Perth on foot.'
    """

    def swap_name(match: re.Match[str]) -> str:
        if rng.random() >= SWAP_RATE:
            return match.group(0)
        return rng.choice(pool.names[match.group(0).count(" ") + 1])

    def swap_number(match: re.Match[str]) -> str:
        number = match.group(0)
        if rng.random() >= SWAP_RATE:
            return number
        if len(number) == 4 and number[:2] in ("19", "20"):  # a year stays a plausible year
            return str(rng.randint(1990, 2010))
        return str(rng.randint(10 ** (len(number) - 1), 10 ** len(number) - 1))

    text = _NUMBER.sub(swap_number, _NAME.sub(swap_name, sentence))
    first, _, rest = text.partition(" ")
    # Only before a plain opener that reads right in lower case ("The", "Police"): not a name, a quote, or
    # a conjunction that would make "Meanwhile, but ...".
    if rng.random() < LEAD_RATE and first[1:] == first[1:].lower() and first.lower() in _PLAIN_OPENERS:
        lead = rng.choice(LEADS).format(day=rng.choice(DAYS), place=rng.choice(pool.names.get(1, ("Sydney",))))
        text = lead + first.lower() + " " + rest
    return text


def word_edits(text: str, rng: random.Random, words: Sequence[str], count: int) -> str:
    """``text`` with ``count`` lower-case words replaced, deleted or preceded by an inserted word.

    >>> word_edits("the cat sat on the mat", random.Random(0), ["dog"], 1)
    'the cat sat on mat'
    """
    spots = [m for m in _LOWER_WORD.finditer(text)]
    if not spots:
        return text
    chosen = sorted(rng.sample(spots, min(count, len(spots))), key=lambda m: m.start(), reverse=True)
    # From the end backwards, so the offsets of earlier edits stay valid.
    for match in chosen:
        action = rng.choice(("replace", "delete", "insert"))
        start, end = match.span()
        if action == "replace":
            text = text[:start] + rng.choice(words) + text[end:]
        elif action == "delete" and text[end : end + 1] == " ":
            text = text[:start] + text[end + 1 :]
        else:
            text = text[:start] + rng.choice(words) + " " + text[start:]
    return text


@dataclass(frozen=True)
class CorpusStats:
    """How the corpus was made and how much unrelated documents overlap by chance."""

    docs: int
    mean_chars: float
    near_copies: int
    exact_copies: int
    sentence_uses: int
    distinct_sentences: int
    # Pairs of unrelated documents (not an original and its copy) by how many whole sentences they share.
    chance_sharing: dict[int, int] = field(default_factory=dict)

    def describe(self) -> str:
        shared = ", ".join(f"{k}: {v:,}" for k, v in sorted(self.chance_sharing.items())) or "none"
        return (
            f"{self.docs:,} documents, mean {self.mean_chars:,.0f} characters; planted copies: "
            f"{self.near_copies:,} near-duplicate (1-5 word edits), {self.exact_copies:,} exact. "
            f"{self.distinct_sentences:,} distinct sentences in {self.sentence_uses:,} uses. "
            f"Unrelated document pairs sharing k whole sentences (k: pairs): {shared}."
        )


def build_corpus(
    n_docs: int, seed: int = 1, articles: Sequence[Article] | None = None
) -> tuple[list[dict[str, str]], list[tuple[str, str, str]], CorpusStats]:
    """``n_docs`` news-like documents, the planted copies ``(copy id, original id, kind)``, and statistics."""
    rng = random.Random(seed)
    if articles is None:
        articles = load_corpus().articles
    pool = SentencePool.from_sentences([s for a in articles for s in a.sentences])
    n_exact = round(n_docs * EXACT_SHARE)
    n_near = round(n_docs * NEAR_SHARE)
    n_originals = max(1, n_docs - n_exact - n_near)
    texts: list[str] = []
    sentences_of: list[list[str]] = []
    for _ in range(n_originals):
        target = rng.randint(*DOC_CHARS)
        chosen: list[str] = []
        size = 0
        while size < target or len(chosen) < 3:
            chosen.append(vary_sentence(rng.choice(pool.sentences), rng, pool))
            size += len(chosen[-1]) + 1
        sentences_of.append(chosen)
        texts.append(paragraphs(chosen, rng))
    family = list(range(n_originals))
    kinds = ["original"] * n_originals
    sources = rng.sample(range(n_originals), k=min(n_originals, n_near + n_exact))
    sources += [rng.randrange(n_originals) for _ in range(n_near + n_exact - len(sources))]
    for k, source in enumerate(sources):
        near = k < n_near
        texts.append(word_edits(texts[source], rng, pool.words, rng.randint(*EDITS)) if near else texts[source])
        family.append(source)
        kinds.append("near" if near else "exact")
    order = list(range(len(texts)))
    rng.shuffle(order)
    ids = [""] * len(texts)
    for position, index in enumerate(order):
        ids[index] = f"news-{position:06d}"
    documents = [{"id": ids[i], "text": texts[i]} for i in order]
    truth = [(ids[i], ids[family[i]], kinds[i]) for i in range(n_originals, len(texts))]
    stats = CorpusStats(
        docs=len(texts),
        mean_chars=statistics.fmean(len(t) for t in texts),
        near_copies=n_near,
        exact_copies=len(texts) - n_originals - n_near,
        sentence_uses=sum(len(s) for s in sentences_of),
        distinct_sentences=len({s for chosen in sentences_of for s in chosen}),
        chance_sharing=_chance_sharing(sentences_of),
    )
    return documents, truth, stats


def _chance_sharing(sentences_of: Sequence[Sequence[str]]) -> dict[int, int]:
    """How many pairs of originals (copies left out) share 1, 2, 3... whole sentences."""
    postings: dict[str, list[int]] = {}
    for doc, chosen in enumerate(sentences_of):
        for sentence in set(chosen):
            postings.setdefault(sentence, []).append(doc)
    # One int per pair rather than a tuple: at 50,000 documents there are millions of pairs.
    n = len(sentences_of)
    shared: Counter[int] = Counter()
    for docs in postings.values():
        for x in range(len(docs)):
            shared.update(docs[x] * n + other for other in docs[x + 1 :])
    return dict(sorted(Counter(shared.values()).items()))


def corpus_file(n_docs: int, seed: int, cache_dir: Path = CACHE_DIR) -> tuple[Path, list[tuple[str, str, str]], str]:
    """The cached corpus file for ``n_docs`` and ``seed`` (built on first use), its planted copies, its stats."""
    path = cache_dir / f"speed-v{CORPUS_VERSION}-{n_docs}-seed{seed}.jsonl"
    meta = path.with_suffix(".meta.json")
    if not (path.exists() and meta.exists()):
        documents, truth, stats = build_corpus(n_docs, seed)
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
        meta.write_text(json.dumps({"truth": truth, "stats": stats.describe()}), encoding="utf-8")
        # Renamed last: an interrupted build never leaves a file that looks complete.
        partial.replace(path)
    saved = json.loads(meta.read_text(encoding="utf-8"))
    return path, [tuple(t) for t in saved["truth"]], saved["stats"]


# ---------------------------------------------------------------------------------------------------------
# Running the contenders.


@dataclass(frozen=True)
class Contender:
    """A named command line; ``{corpus}`` and ``{pairs}`` are filled in per run."""

    name: str
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()  # set in the child's environment

    def command(self, corpus: Path, pairs: Path) -> list[str]:
        return [arg.format(corpus=corpus, pairs=pairs) for arg in self.argv]


_PURE_PYTHON = (("DEDUP_PURE_PYTHON", "1"),)


CONTENDERS: tuple[Contender, ...] = (
    Contender("dedup --no-spin", (sys.executable, "-m", "dedup.cli", "scan", "{corpus}", "--no-spin", "--quiet",
                                  "--pairs", "{pairs}")),
    Contender("rensa", (sys.executable, "-m", "benchmarks.baselines", "rensa", "{corpus}", "--pairs", "{pairs}")),
    Contender("dedup", (sys.executable, "-m", "dedup.cli", "scan", "{corpus}", "--quiet", "--pairs", "{pairs}")),
    Contender("dedup --no-phrase-checks", (sys.executable, "-m", "dedup.cli", "scan", "{corpus}",
                                           "--no-phrase-checks", "--quiet", "--pairs", "{pairs}")),
    Contender("datasketch", (sys.executable, "-m", "benchmarks.baselines", "datasketch", "{corpus}",
                             "--pairs", "{pairs}")),
    Contender("dedup --no-spin (numpy)", (sys.executable, "-m", "dedup.cli", "scan", "{corpus}", "--no-spin",
                                          "--quiet", "--pairs", "{pairs}"), _PURE_PYTHON),
    Contender("dedup (numpy)", (sys.executable, "-m", "dedup.cli", "scan", "{corpus}", "--quiet", "--pairs",
                                "{pairs}"), _PURE_PYTHON),
)  # fmt: skip


@dataclass(frozen=True)
class Measurement:
    """One run of one contender: wall and CPU seconds, peak RSS in MB, its pairs, and how it ended."""

    name: str
    round: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    pairs: frozenset[tuple[str, str]]
    status: str  # "ok", "timeout" or "exit N: <last line of stderr>"


@dataclass(frozen=True)
class Usage:
    """What one child process took: wall and CPU (user + system) seconds, peak RSS; how it exited."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    exit_code: int
    stderr_tail: str


def measure(command: Sequence[str], timeout: float, cwd: Path = REPO, env: dict[str, str] | None = None) -> Usage:
    """Run ``command`` and return what it took, its exit status and the last line of its stderr.

    ``os.wait4`` gives the resource usage of exactly that child, unlike ``RUSAGE_CHILDREN``, which holds the
    largest of all children waited for so far. A timer kills the child at ``timeout`` (status -9).

    CPU time counts the child and the processes it waited for (worker pools), so CPU above wall time shows
    parallel work, and CPU time stays comparable when other jobs load the machine.

    >>> usage = measure([sys.executable, "-c", "pass"], 60)
    >>> usage.exit_code, usage.peak_mb > 1
    (0, True)
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, **env} if env else None)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped; stop Popen from waiting again
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-1:]
    # Linux reports ru_maxrss in kilobytes.
    return Usage(
        seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, tail[0] if tail else ""
    )


def _read_pairs(path: Path) -> frozenset[tuple[str, str]]:
    if not path.exists():
        return frozenset()
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]  # the header row
    # Passage pairs (documents sharing a passage, no copies) are no near-duplicates: no baseline looks for them.
    return frozenset((min(a, b), max(a, b)) for a, b, *rest in rows if rest[:1] != ["passage"])


def run_all(
    corpus: Path,
    contenders: Sequence[Contender],
    rounds: int,
    timeout: float,
    log: Callable[[str], None] = lambda line: None,
) -> list[Measurement]:
    """Every contender once per round; each round starts one contender later, so none always runs first."""
    # Read the file once so the first contender does not pay for a cold page cache alone.
    corpus.read_bytes()
    results = []
    with tempfile.TemporaryDirectory(prefix="dedup-speed-") as tmp:
        for r in range(rounds):
            order = [contenders[(r + k) % len(contenders)] for k in range(len(contenders))]
            for contender in order:
                out = Path(tmp) / f"pairs-{r}-{contenders.index(contender)}.csv"
                used = measure(contender.command(corpus, out), timeout, env=dict(contender.env))
                if used.exit_code == 0:
                    status = "ok"
                elif used.exit_code == -9 and used.seconds >= timeout:
                    status = f"timeout ({timeout:.0f} s)"
                else:
                    status = f"exit {used.exit_code}: {used.stderr_tail}"
                pairs = _read_pairs(out) if used.exit_code == 0 else frozenset()
                results.append(
                    Measurement(contender.name, r, used.seconds, used.cpu_seconds, used.peak_mb, pairs, status)
                )
                log(
                    f"round {r + 1}/{rounds} {contender.name}: {used.seconds:.1f} s wall, {used.cpu_seconds:.1f} s "
                    f"CPU, {used.peak_mb:.0f} MB, {len(pairs):,} pairs, {status}"
                )
    return results


# ---------------------------------------------------------------------------------------------------------
# The table.


@dataclass(frozen=True)
class Row:
    """The figures of one contender over all its rounds."""

    name: str
    seconds: float | None  # median over successful rounds; None when no round succeeded
    cpu_seconds: float | None
    docs_per_second: float | None
    peak_mb: float | None
    pairs: int | None
    planted_found: int | None
    baseline_missed: int | None
    status: str


def summarise(measurements: Sequence[Measurement], n_docs: int, planted: Sequence[tuple[str, str, str]]) -> list[Row]:
    """Median wall time and largest peak memory per contender, with pair counts from its last good run."""
    names = list(dict.fromkeys(m.name for m in measurements))
    good = {name: [m for m in measurements if m.name == name and m.status == "ok"] for name in names}
    baseline_pairs: frozenset[tuple[str, str]] = frozenset().union(
        *(good[name][-1].pairs for name in names if not name.startswith("dedup") and good[name])
    )
    truth = {(min(a, b), max(a, b)) for a, b, _ in planted}
    rows = []
    for name in names:
        runs = good[name]
        if not runs:
            failed = [m.status for m in measurements if m.name == name]
            rows.append(Row(name, None, None, None, None, None, None, None, failed[-1]))
            continue
        seconds = statistics.median(m.seconds for m in runs)
        pairs = runs[-1].pairs
        unstable = len({m.pairs for m in runs}) > 1
        missed = len(baseline_pairs - pairs) if name.startswith("dedup") else None
        status = "ok" if len(runs) == sum(m.name == name for m in measurements) else "some rounds failed"
        rows.append(
            Row(
                name,
                seconds,
                statistics.median(m.cpu_seconds for m in runs),
                n_docs / seconds,
                max(m.peak_mb for m in runs),
                len(pairs),
                len(truth & pairs),
                missed,
                status + ("; pairs differ between rounds" if unstable else ""),
            )
        )
    return rows


def _ratio(rows: Sequence[Row], fast: str, slow: str, figure: str) -> float | None:
    by_name = {r.name: r for r in rows}
    a, b = by_name.get(fast), by_name.get(slow)
    quick, slow_value = (getattr(a, figure), getattr(b, figure)) if a and b else (None, None)
    return slow_value / quick if quick and slow_value else None


def _speedup(ratio: float) -> str:
    return f"{ratio:.2f}x faster" if ratio >= 1 else f"{ratio:.2f}x ({1 / ratio:.2f}x slower)"


def render(rows: Sequence[Row], planted: int) -> str:
    """The Markdown table and the ratios the targets are stated in (wall time; CPU time alongside).

    >>> print(render([Row("rensa", 2.0, 1.5, 50.0, 100.0, 9, 8, None, "ok")], 10).splitlines()[2])
    | rensa | 2.00 | 1.50 | 50 | 100 | 9 | 8 / 10 | 1 | - | ok |
    """

    def cell(value: Any, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    lines = [
        "| contender | wall s | CPU s | docs/s | peak RSS MB | verified pairs | planted copies found "
        "| pairs not planted | baseline pairs missed | status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        # Pairs between documents the generator did not copy: chance overlap of shared (varied) sentences.
        unplanted = r.pairs - r.planted_found if r.pairs is not None and r.planted_found is not None else None
        lines.append(
            f"| {r.name} | {cell(r.seconds, '.2f')} | {cell(r.cpu_seconds, '.2f')} "
            f"| {cell(r.docs_per_second, ',.0f')} | {cell(r.peak_mb, ',.0f')} "
            f"| {cell(r.pairs, ',')} | {cell(r.planted_found, ',')} / {planted:,} | {cell(unplanted, ',')} "
            f"| {cell(r.baseline_missed, ',')} "
            f"| {r.status} |"
        )
    by_name = {r.name: r for r in rows}
    notes = []
    for fast, slow, goal in (("dedup --no-spin", "rensa", "target 3x"),
                             ("dedup", "datasketch", "target 2x"),
                             ("dedup --no-spin", "dedup --no-spin (numpy)", "the compiled kernels' gain"),
                             ("dedup", "dedup (numpy)", "the compiled kernels' gain")):  # fmt: skip
        wall, cpu = _ratio(rows, fast, slow, "seconds"), _ratio(rows, fast, slow, "cpu_seconds")
        if wall is not None:
            in_cpu = f"; CPU time {_speedup(cpu)}" if cpu is not None else ""
            notes.append(f"- `{fast}` vs {slow}: {_speedup(wall)} ({goal}){in_cpu}")
    full = by_name.get("dedup")
    if full is not None and full.peak_mb is not None:
        notes.append(f"- `dedup` (full scan) peak RSS: {full.peak_mb:,.0f} MB (target < 1,024 MB)")
    no_phrases = by_name.get("dedup --no-phrase-checks")
    if full is not None and no_phrases is not None and full.seconds and no_phrases.seconds is not None:
        share = 1 - no_phrases.seconds / full.seconds
        notes.append(f"- phrase checks: {share:.0%} of the full scan's wall time (full scan less `--no-phrase-checks`)")
    nospin, rensa = by_name.get("dedup --no-spin"), by_name.get("rensa")
    if nospin is not None and rensa is not None and nospin.pairs is not None and rensa.pairs is not None:
        notes.append(
            f"- verified pairs, `dedup --no-spin` vs rensa: {nospin.pairs:,} vs {rensa.pairs:,} "
            "(target: at least as many)"
        )
    return "\n".join(lines + ([""] + notes if notes else []))


# ---------------------------------------------------------------------------------------------------------
# Per-stage times.

STAGES = ("analyse", "exact", "boilerplate", "candidates", "verify", "cluster", "report")
"""The top-level stages of a scan, in order, as ``dedup.stages.pipeline`` times them (``dedup.timing``)."""
STAGE_RUNS = ("dedup", "dedup --no-spin")
"""The contenders timed stage by stage unless ``--only`` names others."""


@dataclass(frozen=True)
class StageRun:
    """One scan's stage timings: per stage ``(wall, cpu)`` seconds and counts (``dedup.timing.read``), and
    the whole child process's wall and CPU seconds and peak RSS (``measure``)."""

    seconds: dict[str, tuple[float, float]]
    counts: dict[str, int]
    total: Usage


def stage_times(contender: Contender, corpus: Path, timeout: float) -> StageRun:
    """Run ``contender`` on ``corpus`` as in the main table, with ``DEDUP_STAGE_TIMES`` set, and read its
    timings. Top-level stages are timed in the scan's own process, CPU time counting the workers each stage
    forks; sub-stages (``analyse: phrase checks``, ``verify: passage search``...) inside the workers, added up
    over them, so a sub-stage's wall time may exceed its stage's on several workers."""
    from dedup.timing import STAGE_TIMES_VARIABLE, read

    with tempfile.TemporaryDirectory(prefix="dedup-stages-") as tmp:
        times, out = Path(tmp) / "times.jsonl", Path(tmp) / "pairs.csv"
        times.touch()
        used = measure(contender.command(corpus, out), timeout, env={**dict(contender.env),
                                                                     STAGE_TIMES_VARIABLE: str(times)})
        if used.exit_code != 0:
            raise RuntimeError(f"{contender.name} failed: exit {used.exit_code}: {used.stderr_tail}")
        seconds, counts = read(times)
    return StageRun(seconds, counts, used)


def run_stages(
    corpus: Path, names: Sequence[str], rounds: int, timeout: float, log: Callable[[str], None] = lambda line: None
) -> dict[str, list[StageRun]]:
    """Each contender of ``names`` timed stage by stage once per round, in rotating order."""
    by_name = {c.name: c for c in CONTENDERS}
    found: dict[str, list[StageRun]] = {}
    for r in range(rounds):
        for name in [names[(r + k) % len(names)] for k in range(len(names))]:
            run = stage_times(by_name[name], corpus, timeout)
            found.setdefault(name, []).append(run)
            log(f"stages round {r + 1}/{rounds} {name}: {run.total.seconds:.1f} s wall, "
                f"{run.total.cpu_seconds:.1f} s CPU")
    return found


def _stage_order(found: dict[str, list[StageRun]]) -> list[str]:
    """Top-level stages in pipeline order, each followed by its sub-stages (``"stage: part"``) as first met."""
    # The run naming the most stages first: its order is the pipeline's (a --no-spin run lacks some channels).
    every = sorted((run for runs in found.values() for run in runs), key=lambda r: -len(r.seconds) - len(r.counts))
    named = list(dict.fromkeys(k for run in every for k in (*run.seconds, *run.counts)))
    order = []
    for stage in STAGES:
        order.append(stage)
        order.extend(k for k in named if k.startswith(stage + ": "))
    return order + [k for k in named if k not in order]


def render_stages(found: dict[str, list[StageRun]]) -> str:
    """Per run, the median wall and CPU seconds of each stage and its count (candidate pairs, searches).

    >>> use = Usage(3.0, 4.0, 100.0, 0, "")
    >>> one = StageRun({"analyse": (2.0, 3.0), "verify: passage search": (0.5, 0.5)}, {"verify: passage search": 7},
    ...                use)
    >>> lines = render_stages({"dedup": [one]}).splitlines()
    >>> print(lines[2]); print(lines[7])
    | analyse | 2.00 | 3.00 | - |
    | &nbsp;&nbsp;verify: passage search | 0.50 | 0.50 | 7 |
    """

    def median(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    def cell(value: float | None, spec: str = ".2f") -> str:
        return "-" if value is None else format(value, spec)

    names = list(found)
    lines = ["| stage | " + " | ".join(f"{n}: wall s | CPU s | count" for n in names) + " |",
             "|---|" + "---:|---:|---:|" * len(names)]
    for stage in _stage_order(found):
        cells = []
        for name in names:
            runs = found[name]
            wall = median([r.seconds[stage][0] for r in runs if stage in r.seconds])
            cpu = median([r.seconds[stage][1] for r in runs if stage in r.seconds])
            count = median([float(r.counts[stage]) for r in runs if stage in r.counts])
            cells.append(f"{cell(wall)} | {cell(cpu)} | {cell(count, ',.0f')}")
        label = stage if stage in STAGES else "&nbsp;&nbsp;" + stage
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, pick in (("rest (start, reading the input, writing outputs)", None), ("whole process", "total")):
        cells = []
        for name in names:
            runs = found[name]
            if pick == "total":
                wall = median([r.total.seconds for r in runs])
                cpu = median([r.total.cpu_seconds for r in runs])
            else:
                wall = median([r.total.seconds - sum(r.seconds.get(s, (0, 0))[0] for s in STAGES) for r in runs])
                cpu = median([r.total.cpu_seconds - sum(r.seconds.get(s, (0, 0))[1] for s in STAGES) for r in runs])
            cells.append(f"{cell(wall)} | {cell(cpu)} | -")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _environment(load_at_start: float) -> str:
    versions = []
    for package in ("dedup", "datasketch", "rensa"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} not installed")
    describe = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    # Other jobs on the machine slow every contender's wall time; the load average says how busy it was.
    load = f"1-min load average {load_at_start:.1f} at start, {os.getloadavg()[0]:.1f} at end"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({load}), Python {platform.python_version()}, "
        f"{', '.join(versions)}, commit {describe or '?'}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build or reuse the corpus, run the contenders, print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=50_000, help="documents in the corpus (default 50000)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each contender (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus (default 1)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a contender is killed")
    parser.add_argument(
        "--only",
        action="append",
        choices=[c.name for c in CONTENDERS],
        metavar="NAME",
        help="run only this contender (repeatable): " + ", ".join(c.name for c in CONTENDERS),
    )
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR, help="where the corpus is written")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage of the dedup scans (those of --only, else "
                             + " and ".join(STAGE_RUNS) + ")")
    parser.add_argument("--stages-only", action="store_true", help="only the per-stage table")
    args = parser.parse_args(argv)
    if args.docs < 10 or args.rounds < 1:
        parser.error("--docs must be at least 10 and --rounds at least 1")

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    load_at_start = os.getloadavg()[0]
    start = time.perf_counter()
    corpus, planted, stats = corpus_file(args.docs, args.seed, args.cache_dir)
    log(f"corpus {corpus} ready in {time.perf_counter() - start:.1f} s")
    contenders = [c for c in CONTENDERS if not args.only or c.name in args.only]
    measurements = [] if args.stages_only else run_all(corpus, contenders, args.rounds, args.timeout, log)
    stage_names = [c.name for c in contenders if c.name.startswith("dedup")] if args.only else list(STAGE_RUNS)
    stages = (run_stages(corpus, stage_names, args.rounds, args.timeout, log)
              if args.stages or args.stages_only else None)
    shown = ["python -m benchmarks.speed", *(argv if argv is not None else sys.argv[1:])]
    print(f"Command: `{' '.join(shown)}`  ")
    print(f"Machine: {_environment(load_at_start)}  ")
    print(f"Corpus: {corpus.name}: {stats}  ")
    print(f"Rounds: {args.rounds}, alternating order; wall and CPU time are medians, peak RSS the largest.\n")
    if measurements:
        print(render(summarise(measurements, args.docs, planted), len(planted)))
    if stages is not None:
        print("\nSeconds per stage (medians; each scan in its own process, timed by dedup.timing with "
              "DEDUP_STAGE_TIMES set). A stage's CPU time counts the workers it forks; an indented sub-stage is "
              "timed inside the workers and added up over them (its wall time may exceed its stage's); counts are "
              "candidate pairs per channel, passage searches and passages found:\n")
        print(render_stages(stages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
