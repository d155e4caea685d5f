"""Benchmark: the phrase checks on text spun with tortured phrases, substitutions real spinners were caught making.

The tortured-phrase half in ``../shared/corpora/tortured-phrases-half.csv`` (``tortured,expected,papers``:
"information mining" written for "data mining") is split in two by a hash of the expected phrase. Nothing
of ``dedup`` is fitted on either part (its phrase lists are hand-written; the ``phrase`` family of
``benchmarks.real_spinners``, which the ``--other-domains`` refit sees, keeps only counts of the whole half,
``learn_profile``), so both parts are unseen; the figures are given per part, so that one can be fitted on
some day and the other still measured.

Text: the clean text the phrase model is not fitted on (``benchmarks.spin_families``): odd-position Lee
articles, 300-word chunks of the held-out Brown genres and of Reuters stories with even ids. A copy replaces
each expected phrase of one part found in a text (whole words, any case, at most ``--per-text`` of them, the
rarest expected phrases first) by its tortured wording; entries whose expected phrase is a function word
("and") are left out, as their tortured forms are OCR debris rather than a spinner's choice. Texts with at
least ``--min-swaps`` replacements make the positives, the clean texts they were made from the negatives
(ranked by ``PhraseChecker.margins``): AUROC, TPR at 1 % FPR and at the default threshold.

    python -m benchmarks.tortured [--min-swaps 2] [--per-text 8] [--reuters 5000] [--seed 1] [--model FILE]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.devdata import load_corpus
from benchmarks.spin_families import auroc, clean_domains, held_out_genres, tpr_at_fpr, use_model
from benchmarks.spinner_sources import TORTURED_PATH
from dedup.spin import load_checker

__all__ = ["Entry", "load_entries", "main", "substitutions", "torture", "torture_words"]

# An expected phrase this common (Zipf scale) is a function word.
FUNCTION_ZIPF = 6.0


@dataclass(frozen=True)
class Entry:
    tortured: str
    expected: str
    part: int  # 0 or 1: the half of the list it falls in


def load_entries(path: Path = TORTURED_PATH) -> list[Entry]:
    """The usable entries of the list: an expected phrase of letters, spaces and hyphens (not "???"), a
    tortured wording different from it, and not a function word."""
    lm = load_checker().data.lm
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            expected, tortured = row["expected"].strip().lower(), row["tortured"].strip()
            if not re.fullmatch(r"[a-z][a-z -]*[a-z]", expected) or tortured.lower() == expected:
                continue
            if " " not in expected and lm.zipf[lm.ids.get(expected, lm.unknown)] >= FUNCTION_ZIPF:
                continue
            entries.append(Entry(tortured, expected, zlib.crc32(expected.encode()) % 2))
    return entries


def torture(text: str, entries: Sequence[Entry], per_text: int) -> tuple[str, int]:
    """``text`` with up to ``per_text`` of the entries' expected phrases replaced by their tortured wording
    (every occurrence of a chosen phrase; a capital first letter is kept); returns it and the phrases
    replaced. ``entries`` come rarest first, longer phrases before the words inside them."""
    low = text.lower()
    present = set(re.findall(r"[a-z]+", low))
    taken: list[tuple[int, int, str]] = []
    used = 0
    for entry in entries:
        if used == per_text:
            break
        if not present.issuperset(re.split("[ -]", entry.expected)):
            continue
        spans = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(entry.expected)}(?![\w-])", low)]
        spans = [(s, e) for s, e in spans if all(e <= a or s >= b for a, b, _ in taken)]
        if not spans:
            continue
        used += 1
        for s, e in spans:
            wording = entry.tortured[0].upper() + entry.tortured[1:] if text[s].isupper() else entry.tortured
            taken.append((s, e, wording))
    out, last = [], 0
    for s, e, wording in sorted(taken):
        out += [text[last:s], wording]
        last = e
    return "".join(out) + text[last:], used


def substitutions(entries: Sequence[Entry]) -> dict[str, list[str]]:
    """The word-for-word substitutions of ``entries``: in an entry whose tortured wording has as many words
    as the expected phrase, each expected word written as another word ("data" -> "information" of
    "information mining"); per expected word, its tortured words, most often seen first (then by spelling).
    Only plain lower-case words on both sides."""
    seen: dict[str, dict[str, int]] = {}
    for entry in entries:
        expected, tortured = entry.expected.split(), entry.tortured.lower().split()
        if len(expected) != len(tortured):
            continue
        for a, b in zip(expected, tortured, strict=True):
            if a != b and a.isalpha() and b.isalpha():
                seen.setdefault(a, {}).setdefault(b, 0)
                seen[a][b] += 1
    return {a: sorted(bs, key=lambda b: (-bs[b], b)) for a, bs in seen.items()}


def torture_words(text: str, table: dict[str, list[str]], rate: float, seed: int) -> tuple[str, list[tuple[int, int]]]:
    """``text`` spun word by word with ``table`` (``substitutions``): each word the table knows is replaced,
    with chance ``rate``, by its commonest tortured word (a capital first letter kept), as a spinner with
    that thesaurus would; returns it and where the replacements stand in it (start, end)."""
    rng = random.Random(seed)
    out: list[str] = []
    swaps: list[tuple[int, int]] = []
    last = length = 0
    for match in re.finditer(r"[A-Za-z]+", text):
        word = match.group()
        choices = table.get(word.lower())
        if not choices or rng.random() >= rate:
            continue
        wording = choices[0][0].upper() + choices[0][1:] if word[0].isupper() else choices[0]
        between = text[last : match.start()]
        out += [between, wording]
        start = length + len(between)
        swaps.append((start, start + len(wording)))
        length = start + len(wording)
        last = match.end()
    return "".join(out) + text[last:], swaps


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tortured", description=__doc__.split("\n")[0])
    parser.add_argument("--min-swaps", type=int, default=2, help="replacements a copy needs (default 2)")
    parser.add_argument("--per-text", type=int, default=8, help="most phrases replaced per text (default 8)")
    parser.add_argument("--reuters", type=int, default=5000, help="Reuters stories with even ids (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", type=Path, help="measure this phrase_model.json instead of the shipped one")
    parser.add_argument("--word-rates", type=float, nargs="*", default=[0.3, 1.0],
                        help="rates of the word-for-word spinner (``substitutions``; default 0.3 1.0; none: skip)")
    args = parser.parse_args(argv)
    if not TORTURED_PATH.exists():
        out(f"Error: {TORTURED_PATH} not found (the shared development corpora)")
        return 1
    if args.model is not None:
        use_model(args.model)
    start = time.perf_counter()
    checker = load_checker()
    lm = checker.data.lm
    entries = load_entries()
    # Rarest expected phrase first (its rarest word's Zipf), then longer first: a copy shows the list's
    # distinctive entries rather than the same few common ones, and "data mining" goes before "mining".
    entries.sort(key=lambda e: (min(float(lm.zipf[lm.ids.get(w, lm.unknown)]) for w in re.split("[ -]", e.expected)),
                                -len(e.expected)))
    domains = clean_domains(args.reuters, args.seed)
    texts = {"lee (odd)": [a.text for a in load_corpus().articles[1::2]],
             "brown (held-out genres)": [c for g in held_out_genres() for c in domains[f"brown/{g}"]],
             "reuters (even ids)": domains["reuters (even ids)"]}
    rows = []
    pooled: dict[int, tuple[list[float], list[float], list[float]]] = {0: ([], [], []), 1: ([], [], [])}
    for part in (0, 1):
        chosen = [e for e in entries if e.part == part]
        for name, clean in texts.items():
            copies = [(original, *torture(original, chosen, args.per_text)) for original in clean]
            copies = [c for c in copies if c[2] >= args.min_swaps]
            if not copies:
                rows.append((part, len(chosen), name, 0, 0.0, float("nan"), float("nan"), float("nan")))
                continue
            # Each copy against the clean text it was made from.
            negative = checker.margins([original for original, _text, _used in copies])
            spun = [text for _original, text, _used in copies]
            positive = checker.margins(spun)
            flagged = sum(r.spun for r in checker.check_many(spun)) / len(spun)
            mean_used = sum(used for _original, _text, used in copies) / len(copies)
            rows.append((part, len(chosen), name, len(spun), mean_used, auroc(negative, positive),
                         tpr_at_fpr(negative, positive), flagged))
            pooled[part][0].extend(negative)
            pooled[part][1].extend(positive)
            pooled[part][2].append(flagged * len(spun))
    out(f"Tortured phrases ({len(entries)} usable entries of {TORTURED_PATH.name}), copies with >= {args.min_swaps}"
        f" replacements (at most {args.per_text} phrases each):\n")
    out("| part | entries | clean text | copies | phrases per copy | AUROC | TPR@1%FPR | TPR@default |")
    out("|---|---|---|---|---|---|---|---|")
    for part, n, name, copies_n, mean_used, area, tpr, flagged in rows:
        out(f"| {part} | {n} | {name} | {copies_n} | {mean_used:.1f} | {area:.3f} | {tpr:.1%} | {flagged:.1%} |")
    for part, (negative, positive, flags) in pooled.items():
        if positive:
            out(f"| {part} | | **all** | {len(positive)} | | {auroc(negative, positive):.3f} |"
                f" {tpr_at_fpr(negative, positive):.1%} | {sum(flags) / len(positive):.1%} |")
    if args.word_rates:
        out("\nSpun word for word with each part's substitutions (``substitutions``: \"data\" -> \"information\"),"
            " every word the part knows replaced with chance RATE; copies with >= "
            f"{args.min_swaps} words replaced, pooled over the three clean sets:\n")
        out("| part | substitutions | rate | copies | words replaced | AUROC | TPR@1%FPR | TPR@default |")
        out("|---|---|---|---|---|---|---|---|")
        pooled_clean = [t for clean in texts.values() for t in clean]
        for part in (0, 1):
            table = substitutions([e for e in entries if e.part == part])
            for rate in args.word_rates:
                made = [(t, *torture_words(t, table, rate, args.seed * 100_003 + k))
                        for k, t in enumerate(pooled_clean)]
                made = [(t, spun, swaps) for t, spun, swaps in made if len(swaps) >= args.min_swaps]
                if not made:
                    continue
                negative = checker.margins([t for t, _spun, _swaps in made])
                positive = checker.margins([spun for _t, spun, _swaps in made])
                flagged = sum(r.spun for r in checker.check_many([spun for _t, spun, _swaps in made])) / len(made)
                share = sum(len(swaps) for _t, _spun, swaps in made) / sum(len(t.split()) for t, _spun, _swaps in made)
                out(f"| {part} | {len(table)} | {rate:.1f} | {len(made)} | {share:.1%} |"
                    f" {auroc(negative, positive):.3f} | {tpr_at_fpr(negative, positive):.1%} | {flagged:.1%} |")
    out(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
