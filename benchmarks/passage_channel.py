"""Benchmark: what the scan's passage channel would propose at other settings, from every document's passage
keys, without a scan.

A scan proposes two documents for a passage search when they share ``PASSAGE_CHANNEL_KEYS`` passage keys
(two content words in a row, in any order) held by at most ``PASSAGE_MAX_POSTINGS`` documents
(``dedup.stages.candidates``), and the verify stage searches a pair that is no copy only when it shares
``PASSAGE_MIN_KEYS`` keys of any kind (``dedup.verify.pair``). For each setting (k keys held by at most P
documents, the gate, and optionally m of the shared keys within a window of W content words in both texts)
this prints, per PAN 2013 obfuscation type, the share of the split's pairs in which ``compare`` finds a passage
that the channel proposes, the share of all the type's pairs a scan would then report (proposed, gate passed,
and found by ``compare``), and how many Reuters-21578 pairs the channel proposes (every proposal costs a
passage search).

    python -m benchmarks.passage_channel [--split fit] [--keys 8 6 5] [--postings 10 20] [--gate 5]
                                         [--window 80 --in-window 4] [--workers 2]

The estimates leave out what a scan does besides (boilerplate lines taken out of the features, pairs proposed
by other channels): on the fit half they came within 0.6 points of ``benchmarks.pan --scan`` at 8/10 and 5/10.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from benchmarks.pan import TYPES, _read, detect, load_pairs, unpacked
from benchmarks.spin_families import CORPORA
from dedup.config import ScanConfig
from dedup.index.lsh import shared_key_pairs
from dedup.sketch.features import MASK32, PASSAGE_KEY_WORDS, _function_hashes, batch_features
from dedup.text.batch import TextBatch
from dedup.text.hashing import mix64

__all__ = ["key_positions", "window_count"]

REUTERS = CORPORA / "reuters21578.jsonl.gz"
KINDS = TYPES[2:]  # random, translation, summary

Keyed = tuple[np.ndarray, np.ndarray]  # sorted distinct keys, and the content-word position of each one's first run


def key_positions(texts: Sequence[str]) -> list[Keyed]:
    """Each text's passage keys (as ``Features.passage_keys``: sorted, distinct) with the position, in content
    words, of the first run that makes each; ``dedup.sketch.features._passage_sets`` with the positions kept."""
    out: list[Keyed] = []
    function = _function_hashes()
    for start in range(0, len(texts), 500):
        chunk = texts[start : start + 500]
        tokens = TextBatch(chunk).tokens()
        hashes, doc = tokens.hashes[~tokens.is_mark], tokens.doc[~tokens.is_mark]
        slots = np.minimum(np.searchsorted(function, hashes), len(function) - 1)
        content = function[slots] != hashes
        hashes, doc = mix64(hashes[content]), doc[content]
        n = PASSAGE_KEY_WORDS
        prefix = np.zeros(len(hashes) + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            np.cumsum(hashes, out=prefix[1:])
            sums = prefix[n:] - prefix[:-n] if len(hashes) >= n else prefix[:0]
        keep = doc[: len(sums)] == doc[n - 1 :] if len(sums) else np.zeros(0, dtype=bool)
        keys = (mix64(sums[keep]) & MASK32).astype(np.uint32)
        key_doc = doc[: len(sums)][keep]
        position = np.flatnonzero(keep) - np.searchsorted(doc, np.arange(len(chunk)))[key_doc]
        for i in range(len(chunk)):
            mine = key_doc == i
            distinct, first = np.unique(keys[mine], return_index=True)
            out.append((distinct, position[mine][first]))
    return out


def window_count(a: np.ndarray, b: np.ndarray, window: int) -> int:
    """The most shared keys lying within ``window`` content words of each other in both texts (``a`` and ``b``:
    the shared keys' positions in each text, in the same order).

    >>> window_count(np.array([0, 5, 100]), np.array([50, 52, 54]), 10)
    2
    """
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    best, end = 0, 0
    for start in range(len(a)):
        while end < len(a) and a[end] - a[start] <= window:
            end += 1
        if end - start > best:
            inside = np.sort(b[start:end])
            reach = np.searchsorted(inside, inside + window, side="right") - np.arange(len(inside))
            best = max(best, int(reach.max()))
    return best


def _rare(keyed: list[Keyed], lengths: np.ndarray, postings: int, min_words: int) -> list[Keyed]:
    """Each long enough document's keys held by at most ``postings`` of those documents (the channel's)."""
    taking = [k for k, n in zip(keyed, lengths, strict=True) if n >= min_words]
    held, counts = np.unique(np.concatenate([k for k, _ in taking]), return_counts=True)
    common = held[counts > postings]
    out = []
    for (k, p), n in zip(keyed, lengths, strict=True):
        ok = ~np.isin(k, common) if n >= min_words else np.zeros(len(k), dtype=bool)
        out.append((k[ok], p[ok]))
    return out


def _proposes(x: Keyed, y: Keyed, keys: int, window: int, in_window: int) -> bool:
    shared, ix, iy = np.intersect1d(x[0], y[0], assume_unique=True, return_indices=True)
    if len(shared) < keys:
        return False
    return not window or window_count(x[1][ix], y[1][iy], window) >= in_window


def _documents(paths: Sequence[Path]) -> tuple[list[Keyed], np.ndarray]:
    texts = [_read(p) for p in paths]
    lengths = np.array([f.length for f in batch_features(texts, ScanConfig())], dtype=np.int64)
    return key_positions(texts), lengths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.passage_channel", description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("held", "fit", "all"), default="fit")
    parser.add_argument("--keys", type=int, nargs="+", default=[8, 6, 5], help="shared keys asked (k)")
    parser.add_argument("--postings", type=int, nargs="+", default=[10], help="most documents holding a key (P)")
    parser.add_argument("--gate", type=int, default=5, help="the verify stage's keys of any kind (PASSAGE_MIN_KEYS)")
    parser.add_argument("--window", type=int, default=0, help="content words (W; 0: no window asked)")
    parser.add_argument("--in-window", type=int, default=0, help="shared rare keys within the window (m)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    config = ScanConfig()
    root = unpacked()
    pairs = [p for p in load_pairs(root, args.split) if p.kind in KINDS]
    jobs = [(str(root / "susp" / p.suspicious), str(root / "src" / p.source)) for p in pairs]
    with ProcessPoolExecutor(args.workers) as pool:
        found = [bool(d) for d in pool.map(detect, jobs, chunksize=16)]
    paths = sorted((root / "susp").glob("*.txt")) + sorted((root / "src").glob("*.txt"))
    index = {path.name: k for k, path in enumerate(paths)}
    keyed, lengths = _documents(paths)
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        reuters = [json.loads(line)["text"] for line in lines]
    reuters_keyed = key_positions(reuters)
    reuters_lengths = np.array([f.length for f in batch_features(reuters, config)], dtype=np.int64)
    print(f"PAN 2013 training corpus, split {args.split}; gate {args.gate} keys"
          + (f"; {args.in_window} keys within {args.window} content words" if args.window else ""))
    print("| k / P | " + " | ".join(f"{k[3:]}: proposed / scan" for k in KINDS) + " | Reuters pairs |")
    print("|---|" + "---|" * (len(KINDS) + 1))
    for postings in args.postings:
        rare = _rare(keyed, lengths, postings, config.min_passage)
        rare_reuters = _rare(reuters_keyed, reuters_lengths, postings, config.min_passage)
        for keys in args.keys:
            cells = []
            for kind in KINDS:
                mine = [(p, f) for p, f in zip(pairs, found, strict=True) if p.kind == kind]
                hits = [(p, f, _proposes(rare[index[p.suspicious]], rare[index[p.source]], keys, args.window,
                                         args.in_window)) for p, f in mine]
                proposed = sum(f and h for _, f, h in hits) / max(1, sum(f for _, f, _ in hits))
                reported = sum(f and h and len(np.intersect1d(keyed[index[p.suspicious]][0], keyed[index[p.source]][0]))
                               >= args.gate for p, f, h in hits) / max(1, len(hits))
                cells.append(f"{proposed:.1%} / {reported:.1%}")
            candidates = shared_key_pairs([k for k, _ in rare_reuters], min_share=0.0, min_shared=keys,
                                          max_postings=len(reuters))
            if args.window:
                near = [_proposes(rare_reuters[i], rare_reuters[j], keys, args.window, args.in_window)
                        for i, j in candidates.tolist()]
                candidates = candidates[np.array(near, dtype=bool)]
            print(f"| {keys} / {postings} | " + " | ".join(cells) + f" | {len(candidates):,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
