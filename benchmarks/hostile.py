"""Hostile-input benchmark: the costly cases of the hostile-input issue, each run once as its own process.

Run ``python -m benchmarks.hostile [--cases NAME ...] [--tiny 200000]``. Each case builds its input under a
temporary folder (seeded, so the same every run), runs the ``dedup`` command on it as a child process, and
prints a Markdown table: wall seconds, peak resident memory (``os.wait4`` of that child, as in
``benchmarks.speed``), the size of the JSON written, and what the report says (pairs, largest cluster).

Cases:

- ``long-word``: one document holding a 100,000-character word (``dedup scan``);
- ``near-copies``: 2,500 copies of one 200-word article, two words changed in each (``dedup scan``);
- ``tiny``: ``--tiny`` texts of 3-8 words drawn from a sample article's vocabulary (``dedup scan``);
- ``compare-550k``: two 550 KB texts, the second with 2,000 words changed (``dedup compare``);
- ``big-document``: one 20 MB text of news-like paragraphs (``dedup scan``).

>>> sorted(CASES)
['big-document', 'compare-550k', 'long-word', 'near-copies', 'tiny']
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.speed import REPO, corpus_file, measure

SEED_TEXT = REPO / "examples" / "seeds" / "001_7accc43c01826d1b.txt"
DEDUP = [sys.executable, "-m", "dedup.cli"]


def _jsonl(path: Path, texts: Sequence[str], prefix: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for k, text in enumerate(texts):
            out.write(json.dumps({"id": f"{prefix}{k}", "text": text}) + "\n")


def long_word(folder: Path, args: argparse.Namespace) -> list[str]:
    (folder / "in").mkdir()
    (folder / "in" / "word.txt").write_text("A story. " + "x" * 100_000 + " ends here.", encoding="utf-8")
    return [*DEDUP, "scan", str(folder / "in"), "-q", "--json", str(folder / "out.json")]


def near_copies(folder: Path, args: argparse.Namespace) -> list[str]:
    rng = random.Random(1)
    base = SEED_TEXT.read_text(encoding="utf-8").split()[:200]
    vocabulary = ["apple", "river", "stone", "cloud", "lamp", "market", "tower", "garden", "bottle", "window"]
    texts = []
    for _ in range(2500):
        words = list(base)
        for _ in range(2):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        texts.append(" ".join(words))
    _jsonl(folder / "in.jsonl", texts, "d")
    return [*DEDUP, "scan", str(folder / "in.jsonl"), "-q", "--json", str(folder / "out.json")]


def tiny(folder: Path, args: argparse.Namespace) -> list[str]:
    rng = random.Random(2)
    words = sorted({w.strip('.,"\'()').lower() for w in SEED_TEXT.read_text(encoding="utf-8").split()} - {""})
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 8))) for _ in range(args.tiny)]
    _jsonl(folder / "in.jsonl", texts, "t")
    return [*DEDUP, "scan", str(folder / "in.jsonl"), "-q", "--json", str(folder / "out.json")]


def _news(n_chars: int, rng: random.Random) -> list[str]:
    corpus, _, _ = corpus_file(4000, 1)
    docs = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    out, size = [], 0
    while size < n_chars:
        words = rng.choice(docs).split()
        for _ in range(3):
            words[rng.randrange(len(words))] = str(rng.randrange(10**6))
        out.append(" ".join(words))
        size += len(out[-1]) + 2
    return out


def compare_550k(folder: Path, args: argparse.Namespace) -> list[str]:
    rng = random.Random(3)
    a = "\n\n".join(_news(550_000, rng))[:550_000]
    words = a.split(" ")
    for _ in range(2000):
        words[rng.randrange(len(words))] = "changed"
    (folder / "a.txt").write_text(a, encoding="utf-8")
    (folder / "b.txt").write_text(" ".join(words)[:550_000], encoding="utf-8")
    return [*DEDUP, "compare", str(folder / "a.txt"), str(folder / "b.txt"), "-q", "--json", str(folder / "out.json")]


def big_document(folder: Path, args: argparse.Namespace) -> list[str]:
    (folder / "in").mkdir()
    (folder / "in" / "big.txt").write_text("\n\n".join(_news(20_000_000, random.Random(5))), encoding="utf-8")
    return [*DEDUP, "scan", str(folder / "in"), "-q", "--json", str(folder / "out.json")]


CASES: dict[str, Callable[[Path, argparse.Namespace], list[str]]] = {
    "long-word": long_word,
    "near-copies": near_copies,
    "tiny": tiny,
    "compare-550k": compare_550k,
    "big-document": big_document,
}


def _what_it_says(path: Path) -> str:
    if not path.exists():
        return "no report"
    report = json.loads(path.read_text(encoding="utf-8"))
    if "summary" not in report:  # compare's verdict
        return f"relation {report.get('relation')}, score {report.get('score', 0):.3f}"
    largest = max((len(c["members"]) for c in report["clusters"]), default=0)
    not_listed = report["summary"].get("pairs_not_listed", 0)
    return f"{report['summary']['pairs']} pairs, largest cluster {largest}, {not_listed} pairs not listed"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--tiny", type=int, default=200_000, help="how many tiny texts (default 200,000)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a case is killed")
    args = parser.parse_args(argv)
    print("| case | exit | seconds | peak MB | JSON MB | report |")
    print("|---|---:|---:|---:|---:|---|")
    for name in args.cases:
        with tempfile.TemporaryDirectory(prefix="dedup-hostile-") as tmp:
            folder = Path(tmp)
            command = CASES[name](folder, args)
            usage = measure(command, args.timeout)
            out = folder / "out.json"
            size = out.stat().st_size / 1e6 if out.exists() else 0.0
            status = str(usage.exit_code) if usage.exit_code == 0 else f"{usage.exit_code}: {usage.stderr_tail}"
            print(f"| {name} | {status} | {usage.seconds:.1f} | {usage.peak_mb:,.0f} | {size:.2f} | "
                  f"{_what_it_says(out)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
