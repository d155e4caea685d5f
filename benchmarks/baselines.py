"""The two pipelines ``dedup`` is timed against, written the way their users write them.

Both read a JSONL file (``id``, ``text``), lower-case each text, take its word 5-grams (words are ``\\w+``
runs, the same shingles as the accuracy benchmark's baseline), sign them with 128 MinHash permutations, ask
an LSH index for the documents seen so far that may be similar, keep a candidate only when the exact
Jaccard of the two shingle sets reaches the threshold, then insert the document. Query-before-insert finds
every pair once, from its later document, and keeps the pipelines streaming: only the texts and the index
stay in memory, and the shingles of a candidate are recomputed from its text when it is checked.

- ``datasketch``: ``MinHash(num_perm=128)`` and ``update_batch`` per document, ``MinHashLSH(threshold=0.7)``
  (datasketch picks 14 bands of 9 rows for that threshold);
- ``rensa`` (MinHash in Rust): ``RMinHash(num_perm=128, seed=42)`` and ``update`` per document,
  ``RMinHashLSH(threshold=0.7, num_perm=128, num_bands=16)``: 16 bands of 8 rows, the split closest to 0.7
  that rensa accepts (bands must divide the permutations); its S-curve crosses 50% near 0.71.

Both verify at the same Jaccard threshold, 0.7, so their pair counts differ only through LSH misses.
Run one with ``python -m benchmarks.baselines {datasketch,rensa} FILE.jsonl [--pairs OUT.csv]``; it prints
the number of verified pairs.

>>> records = [("a", "The cat sat on the mat all day."), ("b", "the cat sat on the mat all day!"), ("c", "Other.")]
>>> [(p.a, p.b) for p in datasketch_pairs(records)], [(p.a, p.b) for p in rensa_pairs(records)]
([('b', 'a')], [('b', 'a')])
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BASELINES",
    "NGRAM",
    "NUM_PERM",
    "THRESHOLD",
    "FoundPair",
    "datasketch_pairs",
    "jaccard",
    "main",
    "read_jsonl",
    "rensa_pairs",
    "shingles",
]

NGRAM = 5
NUM_PERM = 128
THRESHOLD = 0.7
# rensa takes the band count itself; 16 x 8 = 128 puts its threshold, (1/16)^(1/8) = 0.707, nearest 0.7.
RENSA_BANDS = 16

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FoundPair:
    """A verified pair: the later document ``a``, the earlier ``b``, and their exact shingle Jaccard."""

    a: str
    b: str
    jaccard: float


def read_jsonl(path: str | Path) -> Iterator[tuple[str, str]]:
    """Yield ``(id, text)`` from a JSONL file, one object per line.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
    ...     _ = fh.write('{"id": "a", "text": "Hello"}\\n')
    >>> list(read_jsonl(fh.name)); os.unlink(fh.name)
    [('a', 'Hello')]
    """
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                yield str(record["id"]), record["text"]


def shingles(text: str, ngram: int = NGRAM) -> set[str]:
    """The lower-cased word ``ngram``-grams of ``text``; a text shorter than that is one shingle.

    >>> sorted(shingles("One two, THREE four", 3))
    ['one two three', 'two three four']
    """
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + ngram]) for i in range(max(1, len(words) - ngram + 1))} if words else set()


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two sets (0 when both are empty).

    >>> jaccard({"x", "y"}, {"y", "z"})
    0.3333333333333333
    """
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _verify(
    doc_id: str,
    grams: set[str],
    candidates: Iterable[int],
    ids: Sequence[str],
    texts: Sequence[str],
    threshold: float,
    ngram: int,
) -> Iterator[FoundPair]:
    for j in candidates:
        score = jaccard(grams, shingles(texts[j], ngram))
        if score >= threshold:
            yield FoundPair(doc_id, ids[j], score)


def datasketch_pairs(
    records: Iterable[tuple[str, str]], threshold: float = THRESHOLD, num_perm: int = NUM_PERM, ngram: int = NGRAM
) -> list[FoundPair]:
    """Verified pairs of ``records`` with datasketch's ``MinHash.update_batch`` and ``MinHashLSH``.

    >>> [p.b for p in datasketch_pairs([("a", "one two three four five six"), ("b", "one two three four five six")])]
    ['a']
    """
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    ids: list[str] = []
    texts: list[str] = []
    found: list[FoundPair] = []
    for doc_id, text in records:
        grams = shingles(text, ngram)
        if not grams:
            continue
        minhash = MinHash(num_perm=num_perm)
        minhash.update_batch([g.encode("utf-8") for g in grams])
        found.extend(_verify(doc_id, grams, lsh.query(minhash), ids, texts, threshold, ngram))
        # datasketch keys may be anything hashable; the position doubles as the key into ``texts``.
        lsh.insert(len(ids), minhash)
        ids.append(doc_id)
        texts.append(text)
    return found


def rensa_pairs(
    records: Iterable[tuple[str, str]],
    threshold: float = THRESHOLD,
    num_perm: int = NUM_PERM,
    ngram: int = NGRAM,
    num_bands: int = RENSA_BANDS,
) -> list[FoundPair]:
    """Verified pairs of ``records`` with rensa's ``RMinHash`` and ``RMinHashLSH``.

    >>> [p.b for p in rensa_pairs([("a", "one two three four five six"), ("b", "one two three four five six")])]
    ['a']
    """
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=num_bands)
    ids: list[str] = []
    texts: list[str] = []
    found: list[FoundPair] = []
    for doc_id, text in records:
        grams = shingles(text, ngram)
        if not grams:
            continue
        minhash = RMinHash(num_perm=num_perm, seed=42)
        minhash.update(list(grams))
        found.extend(_verify(doc_id, grams, lsh.query(minhash), ids, texts, threshold, ngram))
        lsh.insert(len(ids), minhash)
        ids.append(doc_id)
        texts.append(text)
    return found


BASELINES: dict[str, Callable[[Iterable[tuple[str, str]]], list[FoundPair]]] = {
    "datasketch": datasketch_pairs,
    "rensa": rensa_pairs,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one baseline on a JSONL file; print the pair count, optionally write the pairs as CSV."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baselines", description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", choices=sorted(BASELINES))
    parser.add_argument("corpus", type=Path, help="JSONL file with id and text fields")
    parser.add_argument("--pairs", type=Path, help="write the verified pairs here (CSV: a,b,jaccard)")
    args = parser.parse_args(argv)
    found = BASELINES[args.baseline](read_jsonl(args.corpus))
    if args.pairs:
        with open(args.pairs, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(("a", "b", "jaccard"))
            writer.writerows((p.a, p.b, f"{p.jaccard:.6f}") for p in found)
    print(f"{args.baseline}: {len(found)} verified pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
