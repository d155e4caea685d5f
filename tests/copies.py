"""Corpora several test modules build: near-copies of one generated article, passages lifted from the samples."""

from __future__ import annotations

import random
from pathlib import Path

from dedup import Document

SEEDS = sorted((Path(__file__).resolve().parents[1] / "examples" / "seeds").glob("*.txt"))


def near_copies(count: int, seed: int, *, words: int = 300, edits: int = 2) -> list[Document]:
    """``count`` copies ``d000``, ``d001``... of one article of random words, each with ``edits`` words changed."""
    rnd = random.Random(seed)
    article = [f"w{rnd.randrange(5000)}" for _ in range(words)]
    docs = []
    for k in range(count):
        copy = list(article)
        for _ in range(edits):
            copy[rnd.randrange(len(copy))] = f"edit{k}x{rnd.randrange(99)}"
        docs.append(Document(id=f"d{k:03d}", text=" ".join(copy)))
    return docs


def with_exact_copies_of_a_member(docs: list[Document], copies: int = 3) -> list[Document]:
    """``docs`` with its first made the longest (the representative) and ``copies`` exact copies ``copy0``...
    of its fourth: members that are no exact group's head and not the representative."""
    first = Document(id=docs[0].id, text=docs[0].text + " and a longer ending of several more words here")
    return [first, *docs[1:], *(Document(id=f"copy{k}", text=docs[3].text) for k in range(copies))]


def lifted_sources(sources: int) -> tuple[list[str], list[str]]:
    """``sources`` texts of 60 words or more (the first four samples' paragraphs gathered in order) and
    ``sources - 1`` longer texts, the k-th holding sources k and k + 1 whole and a text of its own: the
    sources' ``partial`` pairs chain them all into one cluster, though no two texts are near copies."""
    chunks, chunk = [], []
    for seed in SEEDS[:4]:
        for paragraph in seed.read_text(encoding="utf-8").split("\n\n"):
            chunk.append(paragraph)
            if sum(len(p.split()) for p in chunk) >= 60:
                chunks.append("\n\n".join(chunk))
                chunk = []
    lifted = chunks[:sources]
    holders = [f"{lifted[k]}\n\n{lifted[k + 1]}\n\n{chunks[10 + k]}" for k in range(sources - 1)]
    return lifted, holders
