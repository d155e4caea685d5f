"""Refit the calibrated model of the phrase checks (``dedup/data/phrase_model.json``) and write its licence.

Run again whenever the phrase data (``scripts/build_phrase_data.py``), the per-word features
(``dedup.spin.FEATURES``) or the benchmark's samples change; the same data and the same scikit-learn give
the same bytes::

    pip install -e '.[bench]'               # scikit-learn: needed to refit only, never by the package
    python scripts/refit_phrase_model.py    # or: python -m scripts.refit_phrase_model
    python -m benchmarks.phrase_bench       # then measure the new model

What it fits: boosted regression trees over the per-word features, on the training split of the Lee corpus
(even positions) and copies of it spun by ``benchmarks/spinner.py`` in every thesaurus and style of
``benchmarks/phrase_bench.py``; the document threshold is a quantile of the statistic on clean text made
from that split and on clean news of other sources (Brown's press editorials, odd-numbered Reuters-21578
stories, from ``../shared/corpora``), which only sets the threshold (``benchmarks.phrase_bench.calibrate``).
The held-out split is left to the benchmarks.

``--other-domains`` adds the fit split of other domains from ``../shared/corpora`` (Brown genres editorial,
religion, lore, learned, mystery, adventure, humor; odd-numbered Reuters-21578 stories), cut into 300-word
chunks: clean as negatives, spun as positives (one copy by ``benchmarks/spinner.py``, one by the ``phrase``
or ``function`` family of ``benchmarks/real_spinners.py``), and sets one threshold per bin of candidate
counts on clean text of that split (Lee texts of many lengths, the domains' chunks of 100, 300 and 600
words). Held out: odd Lee articles, the other Brown genres, even Reuters stories, the ``idiom`` and
``mixed`` families (``python -m benchmarks.spin_families``). It cuts false alarms on clean text of held-out
domains to about 0.3 %, but the model it fits no longer flags the spun sample 004 and flags moderately spun
news far less often, so it is not the shipped fit; it is kept to be measured and improved (``--model`` of
``benchmarks.spin_families`` measures a fit without shipping it).

The samples and the fitting stay in the benchmark, which fits models of its own for the cross figures:
this script is only the part that writes shipped data.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a file, Python puts scripts/ on the path, not the repository, and benchmarks/ is not installed
# with the package: the repository goes first so both ways of running it import this checkout.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.phrase_bench import THESAURI, calibrate, lee_articles, make_samples, zipf_table  # noqa: E402
from dedup.spin import load_checker  # noqa: E402

__all__ = ["DOMAINS_LICENCE", "MODEL_LICENCE", "main", "write_model"]

DEFAULT_OUT = REPO / "dedup" / "data"
MODEL_NAME = "phrase_model.json"
# Written next to the model on every refit; it must stay equal to the shipped file (a test checks it).
MODEL_LICENCE = """phrase_model.json: the calibrated per-word model and document threshold of the phrase checks.

Fitted by scripts/refit_phrase_model.py in this repository (run it again to refit): boosted
regression trees over the features of dedup/spin/word_model.py, learnt from the Lee corpus of ABC news articles (Lee,
Pincombe & Welsh 2005, shipped as test data in the gensim wheel on PyPI, gensim being LGPL-2.1) and from
copies of it spun by benchmarks/spinner.py; the threshold is a quantile of the document statistic on that
clean text and on clean news of two other sources: the press editorials
of the Brown corpus (Brown University Standard Corpus of Present-Day American English, 1961; distributed for
research with NLTK) and odd-numbered stories of Reuters-21578 (Distribution 1.0: free for research; cite
Lewis, D. D. (1997), Reuters-21578 text categorization test collection). No text of any corpus is stored,
only the fitted numbers. Part of dedup and licensed with it (MIT).
"""


# Written instead by ``--other-domains``: the data and terms of the extra corpora.
DOMAINS_LICENCE = """phrase_model.json: the calibrated per-word model and document thresholds of the phrase checks.

Fitted by scripts/refit_phrase_model.py --other-domains in this repository (run it again to refit): boosted
regression trees over the features of dedup/spin/word_model.py, learnt from the Lee corpus of ABC news articles (Lee,
Pincombe & Welsh 2005, shipped as test data in the gensim wheel on PyPI, gensim being LGPL-2.1), from
seven genres of the Brown corpus (Brown University Standard Corpus of Present-Day American English, 1961;
distributed for research with NLTK) and from odd-numbered stories of Reuters-21578 (Distribution 1.0: free
for research; cite Lewis, D. D. (1997), Reuters-21578 text categorization test collection): their clean
text, and copies of it spun by benchmarks/spinner.py and benchmarks/real_spinners.py. The thresholds, one
per bin of candidate counts, are a quantile of the document statistic on that clean text. The model holds
tree thresholds and leaf values only: no text of any corpus is stored. Part of dedup and licensed with it
(MIT).
"""


def write_model(model: dict[str, object], folder: Path, licence: str = MODEL_LICENCE) -> Path:
    """Write ``model`` as ``phrase_model.json`` in ``folder``, with its ``.LICENSE``; returns the model's path.

    The layout (one-space indent, trailing newline) is the shipped file's, so an unchanged fit leaves
    ``git diff`` empty.
    """
    path = folder / MODEL_NAME
    path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    path.with_name(path.name + ".LICENSE").write_text(licence, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: dedup/data)")
    parser.add_argument("--other-domains", action="store_true",
                        help="also fit on clean and spun Brown and Reuters text (fit split), one threshold per"
                             " length bin")
    args = parser.parse_args(argv)
    # Fail before the minute of feature extraction, not after it.
    if not args.out.is_dir():
        raise SystemExit(f"error: {args.out} is not a folder")
    if importlib.util.find_spec("sklearn") is None:
        raise SystemExit("error: refitting needs scikit-learn: pip install -e '.[bench]'")

    from benchmarks.spin_families import CORPORA

    missing = [name for name in ("brown.jsonl.gz", "reuters21578.jsonl.gz") if not (CORPORA / name).exists()]
    if missing:
        raise SystemExit(f"error: {', '.join(missing)} not found in {CORPORA} (the shared development corpora, "
                         "whose clean news sets the thresholds); put ../shared beside the checkout")
    checker = load_checker()
    train_articles, _held_out = lee_articles()
    train = make_samples(train_articles, THESAURI, zipf_table(checker))
    model = calibrate(checker, train, other_domains=args.other_domains)
    path = write_model(model, args.out, DOMAINS_LICENCE if args.other_domains else MODEL_LICENCE)
    bins = "".join(f"<{bound}: {t:.3f}, " for bound, t in model.get("thresholds", []))  # type: ignore[attr-defined]
    print(f"Wrote {path}: threshold {bins}{model['threshold']:.3f}, scale {model['scale']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
