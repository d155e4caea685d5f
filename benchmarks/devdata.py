"""Development data: real news articles we may use, read offline from a cached PyPI wheel.

The text is the Lee corpus (Lee, Pincombe & Welsh 2005): short news articles of the Australian Broadcasting
Corporation, one per line, shipped as test data inside the gensim wheel on PyPI (gensim is LGPL-2.1):
``gensim/test/test_data/lee_background.cor`` (300 articles) and ``lee.cor`` (50). The wheel is fetched
once with ``pip download --no-deps gensim==4.4.0`` into ``benchmarks/.cache/`` and read with ``zipfile``;
nothing reaches the network after that. See benchmarks/README.md for the provenance.

The corpus is deduplicated first (it holds a few re-runs of the same story), then every article is split
into sentences and laid out as paragraphs of 2-4 sentences separated by blank lines, so documents look like
real multi-paragraph news rather than one long line.

>>> corpus = load_corpus()  # doctest: +SKIP
>>> len(corpus.articles), corpus.dropped  # doctest: +SKIP
(339, 11)
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Article",
    "Corpus",
    "DevDataUnavailable",
    "GENSIM_VERSION",
    "LEE_FILES",
    "fetch_wheel",
    "load_corpus",
    "paragraphs",
    "split_sentences",
]

GENSIM_VERSION = "4.4.0"
LEE_FILES = ("gensim/test/test_data/lee_background.cor", "gensim/test/test_data/lee.cor")
CACHE_DIR = Path(__file__).resolve().parent / ".cache"

# Two articles whose word 5-gram sets overlap this much are the same story run twice, not two stories.
NEAR_IDENTICAL_JACCARD = 0.8
# ... and an article this much contained in another one is a shortened re-run of it.
NEAR_IDENTICAL_CONTAINMENT = 0.8


class DevDataUnavailable(RuntimeError):
    """The gensim wheel is not cached and could not be downloaded; the message says how to fetch it."""


@dataclass(frozen=True)
class Article:
    """One article: a stable id, its sentences, and its text laid out as paragraphs."""

    id: str
    sentences: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Corpus:
    """The deduplicated articles, how many near-identical ones were dropped, and where they came from."""

    articles: tuple[Article, ...]
    dropped: int
    dropped_ids: tuple[str, ...]
    source: str


def fetch_wheel(cache_dir: Path | None = None) -> Path:
    """Return the cached gensim wheel, downloading it with pip on first use.

    >>> fetch_wheel().name.startswith("gensim-")  # doctest: +SKIP
    True
    """
    cache_dir = CACHE_DIR if cache_dir is None else cache_dir
    found = sorted(cache_dir.glob(f"gensim-{GENSIM_VERSION}-*.whl"))
    if found:
        return found[0]
    cache_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", f"gensim=={GENSIM_VERSION}", "-d", str(cache_dir)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = sorted(cache_dir.glob(f"gensim-{GENSIM_VERSION}-*.whl"))
    if done.returncode != 0 or not found:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise DevDataUnavailable(
            f"could not download the gensim {GENSIM_VERSION} wheel into {cache_dir} ({tail[0]}). "
            f"Run once with network access: {' '.join(command)}"
        )
    return found[0]


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    (
        "mr", "mrs", "ms", "dr", "prof", "sen", "gen", "col", "lt", "sgt", "capt", "cpl", "maj", "rev", "st",
        "jr", "sr", "co", "corp", "inc", "ltd", "no", "vs", "etc", "approx", "est", "dept", "govt", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    )
)  # fmt: skip
# A candidate boundary: end punctuation, optional closing quotes or brackets, whitespace, then an opener.
_BOUNDARY = re.compile(r"([.!?]+[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split running news text into sentences, keeping each sentence's own punctuation.

    >>> split_sentences('Mr. Smith arrived at 4.30pm. "We won," he said. The U.S. team left.')
    ['Mr. Smith arrived at 4.30pm.', '"We won," he said.', 'The U.S. team left.']
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1]
        last_word = re.search(r"(\S+)$", before)
        token = last_word.group(1) if last_word else ""
        bare = token.rstrip(".!?\"')]").lower()
        # "Mr." and initials ("J.", "U.S.") end in a full stop but do not end the sentence.
        if token.endswith(".") and (bare in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", bare)):
            continue
        sentences.append(text[start : match.end(1)].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def paragraphs(sentences: Sequence[str], rng: random.Random) -> str:
    """Lay sentences out as paragraphs of 2-4 sentences separated by blank lines.

    >>> paragraphs(["A.", "B.", "C.", "D.", "E."], random.Random(0))
    'A. B. C.\\n\\nD. E.'
    """
    blocks: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.randint(2, 4)
        # Never leave a lone sentence at the end: take it in, or leave two behind when the block is full.
        if len(sentences) - (i + size) == 1:
            size = size + 1 if size < 4 else size - 1
        blocks.append(" ".join(sentences[i : i + size]))
        i += size
    return "\n\n".join(blocks)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {tuple(words)}
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _near_identical(texts: list[str]) -> set[int]:
    """Indexes of texts that repeat an earlier (kept) text: same 5-grams, or mostly contained in it."""
    sets = [_shingles(t) for t in texts]
    # An inverted index of shingles keeps this to pairs that share text, not all n^2 pairs.
    postings: dict[tuple[str, ...], list[int]] = {}
    dropped: set[int] = set()
    for i, current in enumerate(sets):
        shared: dict[int, int] = {}
        for shingle in current:
            for j in postings.get(shingle, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, common in shared.items():
            other = sets[j]
            jaccard = common / len(current | other)
            containment = common / min(len(current), len(other))
            if jaccard >= NEAR_IDENTICAL_JACCARD or containment >= NEAR_IDENTICAL_CONTAINMENT:
                dropped.add(i)
                break
        if i not in dropped:
            for shingle in current:
                postings.setdefault(shingle, []).append(i)
    return dropped


def _decode(data: bytes) -> str:
    # The files are ASCII except one Latin-1 pound sign in lee.cor; UTF-8 first keeps this right if fixed.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def load_corpus(seed: int = 0, cache_dir: Path | None = None) -> Corpus:
    """Read, deduplicate and lay out the Lee corpus; ``seed`` only decides the paragraph breaks.

    Article ids are ``lee-bg-NNN`` and ``lee-NNN`` after their line number in the source file.

    >>> load_corpus().articles[0].id  # doctest: +SKIP
    'lee-bg-000'
    """
    wheel = fetch_wheel(cache_dir)
    ids: list[str] = []
    texts: list[str] = []
    with zipfile.ZipFile(wheel) as archive:
        for member, prefix in zip(LEE_FILES, ("lee-bg", "lee"), strict=True):
            raw = _decode(archive.read(member))
            for number, line in enumerate(raw.splitlines()):
                # The corpus joins some sentences with "--" and stray double spaces; tidy only the spacing.
                line = re.sub(r"\s+", " ", line).strip()
                if line:
                    ids.append(f"{prefix}-{number:03d}")
                    texts.append(line)
    dropped = _near_identical(texts)
    rng = random.Random(seed)
    articles = []
    for index, (article_id, line) in enumerate(zip(ids, texts, strict=True)):
        if index in dropped:
            continue
        sentences = tuple(split_sentences(line))
        articles.append(Article(article_id, sentences, paragraphs(sentences, rng)))
    return Corpus(
        tuple(articles),
        len(dropped),
        tuple(ids[i] for i in sorted(dropped)),
        f"{wheel.name}: {', '.join(LEE_FILES)}",
    )
