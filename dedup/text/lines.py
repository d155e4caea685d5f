"""Lines and their keys: each line of a text with a key equal for equal lines in every text.

Boilerplate statistics count these keys across a corpus (``dedup.verify.boilerplate``); the batch fast path
(``dedup.text.batch``) computes the same keys for a whole batch of ASCII texts at once.
"""

from __future__ import annotations

import numpy as np

from dedup.text.hashing import WordHasher
from dedup.text.normalize import normalize

__all__ = ["line_keys"]


def line_keys(text: str) -> list[tuple[int, int, int | None]]:
    """``(start, end, key)`` for every line of ``text``; ``key`` is None for a blank line.

    A line's key is the word hash (``dedup.text.hashing.hash_spans``) of its normalised form, so equal lines get equal
    keys in every text, here and in ``TextBatch.line_keys``, which computes them for a batch of ASCII texts.

    >>> [(s, e) for s, e, _ in line_keys("a\\n\\nb")]
    [(0, 1), (2, 2), (3, 4)]
    """
    lines = text.split("\n")
    norms = [normalize(line) for line in lines]
    keys = iter(WordHasher().hash_words([n for n in norms if n]).view(np.int64).tolist())
    out = []
    pos = 0
    for line, norm in zip(lines, norms, strict=True):
        out.append((pos, pos + len(line), next(keys) if norm else None))
        pos += len(line) + 1
    return out
