"""Benchmark: short spun copies on the *fit* side of issue 13, to choose the spun relation's rules on.

``benchmarks.spin_families`` measures held-out text (odd Lee articles) and every family; rules are chosen
here instead, on what may be fitted: the paragraphs of the **even** Lee articles, spun alone at real spinners'
rates (60-90 % by default) by the fit spinners only: ``benchmarks.spinner`` (``thesaurus``), the ``phrase``
and ``function`` families of ``benchmarks.real_spinners``, or ``chained``: the three one after the other
(thesaurus at 0.8 of the rate, then phrase, then function), a harsh stand-in for a tool that rewrites most
phrases. ``mixed`` and ``idiom`` are never run here: they stay held out.

Each original paragraph and its copy are scanned together; for every copy not labelled ``spun`` the reason
is given: the character gate, the anchor gate, the alignment (coverage or swaps), a relation the gates left
as it was, or no candidate at all (``not proposed``: the verdict would be ``spun``).

    python -m benchmarks.spin_fit [--family chained] [--seed 1] [--docs 170] [--rates 0.6 0.9] [--show N]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Sequence

from benchmarks.devdata import load_corpus
from benchmarks.real_spinners import FAMILIES
from benchmarks.spin_families import Copy, scan_copies
from benchmarks.spinner import spin as thesaurus_spin
from dedup import Document
from dedup.api import scan
from dedup.config import ScanConfig
from dedup.stages.analyse import analyse_pair, pair_anchors
from dedup.text.normalize import tokenize
from dedup.verify.align import align, is_spun
from dedup.verify.anchors import name_agreement
from dedup.verify.relations import (
    SAME_NAMES,
    SPUN_ANCHORS,
    SPUN_ANCHORS_SAME_NAMES,
    SPUN_CANDIDATE,
    SPUN_CANDIDATE_SAME_NAMES,
    overlap,
    verify_pair,
)

__all__ = ["FIT_SPINNERS", "fit_copies", "main", "why_not_spun"]


def _chained(text: str, rate: float, seed: int) -> str:
    text = thesaurus_spin(text, rate * 0.8, seed).text
    text = FAMILIES["phrase"](text, rate, seed + 1).text
    return FAMILIES["function"](text, rate, seed + 2).text


FIT_SPINNERS: dict[str, Callable[[str, float, int], str]] = {
    "chained": _chained,
    "thesaurus": lambda text, rate, seed: thesaurus_spin(text, rate, seed).text,
    "phrase": lambda text, rate, seed: FAMILIES["phrase"](text, rate, seed).text,
    "function": lambda text, rate, seed: FAMILIES["function"](text, rate, seed).text,
}


def fit_copies(spinner: str, seed: int, docs: int, rates: tuple[float, float]) -> list[Copy]:
    """Every paragraph of ``docs`` even Lee articles (seeded sample), spun alone at its article's rate."""
    even = [a.text for a in load_corpus().articles[0::2]]
    texts = random.Random(seed).sample(even, min(docs, len(even)))
    spin = FIT_SPINNERS[spinner]
    rng = random.Random(f"{spinner}-{seed}")
    copies = []
    for i, text in enumerate(texts):
        rate = rng.uniform(*rates)
        for j, paragraph in enumerate(text.split("\n\n")):
            spun = spin(paragraph, rate, seed * 100_003 + i * 101 + j)
            if spun != paragraph:
                copies.append(Copy(f"{i:04d}-{j}", paragraph, spun, rate, 1, 0.0))
    return copies


def why_not_spun(a: str, b: str, relation: str | None, config: ScanConfig) -> tuple[str, str]:
    """Which rule kept the pair ``a``, ``b`` from being ``spun`` (given the scan's ``relation``), and its figures."""
    ta, tb = tokenize(a), tokenize(b)
    fa, fb = analyse_pair(a, b, config).features
    chars = verify_pair("a", "b", fa, fb, config).details["char_containment"]
    anchors = overlap(*pair_anchors(a, b, (ta, tb)))[0]
    names = name_agreement(a, ta, b, tb)
    alignment = align(a, b, tokens_a=ta, tokens_b=tb)
    second_chance = names >= SAME_NAMES
    if relation is not None:
        why = f"labelled {relation}"
    elif chars < SPUN_CANDIDATE_SAME_NAMES or (
            chars < SPUN_CANDIDATE and not (anchors >= SPUN_ANCHORS and second_chance)):
        why = "character gate"
    elif anchors < SPUN_ANCHORS_SAME_NAMES or (anchors < SPUN_ANCHORS and not second_chance):
        why = "anchor gate"
    elif not is_spun(alignment):
        why = "alignment"
    else:
        why = "not proposed"
    figures = (f"chars {chars:.2f} anchors {anchors:.2f} names {names:.2f} coverage {alignment.coverage:.2f} "
               f"swapped {alignment.swapped:.1f} of {alignment.matched + alignment.substituted}")
    return why, figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.spin_fit", description=__doc__.split("\n")[0])
    parser.add_argument("--family", choices=list(FIT_SPINNERS), default="chained")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--docs", type=int, default=170, help="even articles to spin (default 170: all)")
    parser.add_argument("--rates", type=float, nargs=2, default=[0.6, 0.9], metavar=("LOW", "HIGH"))
    parser.add_argument("--show", type=int, default=0, help="print the texts of this many misses")
    args = parser.parse_args(argv)
    config = ScanConfig(seed=args.seed)
    copies = fit_copies(args.family, args.seed, args.docs, (args.rates[0], args.rates[1]))
    figures = scan_copies(copies, args.seed)
    print(f"{args.family}, seed {args.seed}: {len(copies)} paragraph copies of even articles; found "
          f"{figures.found:.1%}, spun {figures.labelled_spun:.1%}, false pairs {figures.false_pairs} "
          f"(two paragraphs of one article: {figures.same_article_false_pairs})")
    documents = [Document(f"orig-{c.key}", c.original) for c in copies] + [Document(f"spun-{c.key}", c.text)
                                                                         for c in copies]
    relations = {frozenset((p.a, p.b)): p.relation for p in scan(documents, config, workers=1).pairs}
    reasons: Counter[str] = Counter()
    shown = 0
    for c in copies:
        relation = relations.get(frozenset((f"orig-{c.key}", f"spun-{c.key}")))
        if relation == "spun":
            continue
        why, numbers = why_not_spun(c.original, c.text, relation, config)
        reasons[why] += 1
        if shown < args.show:
            shown += 1
            print(f"--- {c.key}: {why}; {numbers}\nA: {c.original}\nB: {c.text}")
    print("not spun: " + (", ".join(f"{k} {v}" for k, v in reasons.most_common()) or "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
