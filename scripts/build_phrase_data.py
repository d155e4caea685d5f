"""Derive the compact data files of the phrase checks (``dedup/data/phrase_*``) from their public sources.

Run again whenever a source changes; the output is deterministic for the same sources::

    apt-get install wordnet-base mythes-en-us pocketsphinx-en-us   # WordNet 3.0, MyThes, CMU language model
    pip install wordfreq numpy                                     # (build time only for wordfreq)
    python scripts/build_phrase_data.py

What it writes (read by ``dedup/spin/data.py``):

``phrase_lm.npz``
    A bigram back-off language model of English in compact form. Vocabulary: every word of the generic
    US English model of CMU Sphinx (``en-us.lm.bin``, a pruned trigram model of 72,547 words) that is a
    plain lower-case word, plus every word of wordfreq's ``large`` English list with Zipf >= 1.5. Per word:
    its log10 unigram probability (the CMU model's; for words it lacks, wordfreq's frequency brought to
    the same scale), its back-off weight, its Zipf frequency and whether the CMU model knows it.
    Bigrams: the CMU model's ~2 million bigrams of such words, with their log10 probabilities (0.1
    steps), as sorted integer keys. (``--min-unigram``/``--min-shift`` prune it further: 4.1 MB instead
    of 5.2, at a measurable loss of accuracy, so the default keeps every bigram.)
``phrase_lm3.npz``
    The trigram layer of that model, in its word ids: the CMU model's 1.58 million trigrams of such words
    as sorted 64-bit keys with their log10 probabilities, and the back-off weight of each bigram of
    ``phrase_lm.npz`` (see ``write_trigram_model``).
``phrase_alternatives.npz``
    For each word form (and each multi-word thesaurus entry) the synonyms it may have replaced, inflected
    like the form, most frequent first (see ``write_alternatives``). Synonymy is the union of WordNet 3.0
    synsets and the MyThes synonyms and similar terms, made symmetric (if a spinner can turn *x* into *y*,
    undoing the swap turns *y* back into *x*).
``phrase_expressions.tsv.gz``
    ``expression``: WordNet's multi-word lemmas of three to five common words, the fixed expressions and
    compounds a word-for-word swap breaks ("in the long run", "carry out", "prime minister").

The curated files next to them (``idioms_en.txt``, ``spinner_lexicon_en.csv``) are written by hand and are
not produced here. Each output gets a ``<name>.LICENSE`` file naming its sources and their licences.

This file puts the files together; the parts live in ``scripts/phrase_data/``: ``sources.py`` reads
wordfreq, the CMU model, WordNet and MyThes, ``forms.py`` holds synonymy, morphology and the alternatives
table, ``language_model.py`` writes the two model files and ``licences.py`` their licences.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a file, Python puts scripts/ on the path, not the repository: the repository goes first so that
# both ways of running it (as a file or with -m) import the modules of scripts/phrase_data/ of this checkout.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scripts.phrase_data.forms import (  # noqa: E402
    alternatives,
    inflections,
    irregular_forms,
    phrase_alternatives,
    synonym_graph,
    write_alternatives,
)
from scripts.phrase_data.language_model import (  # noqa: E402
    MIN_SHIFT,
    MIN_UNIGRAM,
    PROB_SCALE,
    write_language_model,
    write_trigram_model,
)
from scripts.phrase_data.licences import write_licence  # noqa: E402
from scripts.phrase_data.sources import read_cmu_trie, read_mythes, read_wordnet, read_zipf  # noqa: E402

__all__ = ["build", "main"]

DEFAULT_OUT = REPO / "dedup" / "data"
DEFAULT_WORDNET = Path("/usr/share/wordnet")
DEFAULT_MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")
DEFAULT_CMU = Path("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
# Words rarer than this (Zipf 1.5 is about one in 30 million words) are left out: a form that rare is
# treated as "rare" at run time, which is all the checks need to know about it.
MIN_ZIPF = 1.5
MAX_EXPRESSION_WORDS = 5


def write_lines(path: Path, lines: Iterable[str]) -> int:
    """Write ``lines`` gzip-compressed, one a line, and return how many were written."""
    count = 0
    # mtime=0 keeps the gzip bytes identical from one run to the next.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        for line in lines:
            handle.write(line.encode("utf-8") + b"\n")
            count += 1
    return count


def build(out: Path, wordnet: Path, mythes_path: Path, cmu_path: Path, **pruning: float) -> dict[str, int]:
    """Build every data file into ``out`` and return how many records each holds.

    ``pruning`` goes to ``write_language_model`` (``prob_scale``, ``min_unigram``, ``min_shift``); the
    bigram pruning also to ``write_trigram_model``, which gives a back-off weight to each bigram kept.
    """
    zipf = read_zipf(MIN_ZIPF)
    cmu = read_cmu_trie(cmu_path)
    synsets, exceptions, multiword = read_wordnet(wordnet)
    mythes = read_mythes(mythes_path)
    graph = synonym_graph(synsets, mythes)
    for (lemma, _pos) in list(graph):
        if " " in lemma:
            multiword.add(lemma)

    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    lm_path = out / "phrase_lm.npz"
    counts[lm_path.name] = write_language_model(lm_path, cmu, zipf, **pruning)  # type: ignore[arg-type]
    write_licence(lm_path, "bigram back-off language model: vocabulary, unigram and bigram log-probabilities, "
             "back-off weights and Zipf frequencies", ["cmu", "wordfreq"])
    lm3_path = out / "phrase_lm3.npz"
    bigram_pruning = {k: v for k, v in pruning.items() if k in ("min_unigram", "min_shift")}
    counts[lm3_path.name] = write_trigram_model(lm3_path, cmu, zipf, **bigram_pruning)
    write_licence(lm3_path, "trigram layer of the back-off language model phrase_lm.npz: trigram "
             "log-probabilities and the back-off weights of its bigrams, in its word ids", ["cmu", "wordfreq"])

    # Forms worth an entry: every known word, and every multi-word thesaurus entry made of known words
    # (with its verb inflections, since a spinner writes "carried out" as readily as "carry out").
    irregular = irregular_forms(exceptions)
    forms: set[str] = set(zipf)
    for lemma in multiword:
        words = lemma.split(" ")
        if 2 <= len(words) <= 4 and all(w in zipf for w in words):
            forms.add(lemma)
            for inflection in ("s", "ed", "ing"):
                forms.update(inflections(lemma, "verb", inflection, zipf, irregular))
    # Multi-word forms are looked up as they are, so they are analysed through their first word's lemma.
    table = alternatives(sorted(f for f in forms if " " not in f), graph, exceptions, zipf)
    table.update(phrase_alternatives(sorted(f for f in forms if " " in f), graph, exceptions, zipf, irregular))
    alt_path = out / "phrase_alternatives.npz"
    counts[alt_path.name] = write_alternatives(alt_path, table)
    write_licence(alt_path, "synonyms each word form may have replaced, inflected, commonest first",
             ["wordnet", "mythes", "wordfreq"])

    # Two-word compounds are left to the language model; expressions of three to five common words.
    expressions = sorted(
        e for e in multiword
        if 3 <= len(e.split(" ")) <= MAX_EXPRESSION_WORDS
        and all(w in zipf and zipf[w] >= 3.0 for w in e.split(" "))
    )
    expr_path = out / "phrase_expressions.tsv.gz"
    counts[expr_path.name] = write_lines(expr_path, expressions)
    write_licence(expr_path, "multi-word expressions (fixed phrases and compounds) of common words",
             ["wordnet", "mythes", "wordfreq"])
    return counts



def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: dedup/data)")
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET, help="WordNet 3.0 dict folder")
    parser.add_argument("--mythes", type=Path, default=DEFAULT_MYTHES, help="MyThes .dat file")
    parser.add_argument("--cmu", type=Path, default=DEFAULT_CMU, help="CMU Sphinx trie language model")
    parser.add_argument("--min-unigram", type=float, default=MIN_UNIGRAM, help="bigram pruning: rarest word kept")
    parser.add_argument("--min-shift", type=float, default=MIN_SHIFT, help="bigram pruning: least shift kept")
    parser.add_argument("--prob-scale", type=int, default=PROB_SCALE, help="bigram probability steps per log10")
    args = parser.parse_args(argv)
    for path, package in ((args.wordnet, "wordnet-base"), (args.mythes, "mythes-en-us"),
                          (args.cmu, "pocketsphinx-en-us")):
        if not path.exists():
            raise SystemExit(f"error: {path} is missing. Install it with: apt-get install {package}")
    counts = build(args.out, args.wordnet, args.mythes, args.cmu, prob_scale=args.prob_scale,
                   min_unigram=args.min_unigram, min_shift=args.min_shift)
    for name, count in counts.items():
        size = (args.out / name).stat().st_size
        print(f"{name}: {count} records, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
