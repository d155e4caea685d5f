"""Stage 2, exact groups: documents whose normalised texts are equal are one group; only each group's first
document (its head) goes on to the later stages, and each other member is paired with it as ``exact``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.engine.base import Engine
from dedup.model import Pair, Passage
from dedup.stages.analyse import BatchResult

__all__ = ["ExactGroups", "exact_groups", "whole_passage"]


@dataclass(frozen=True, slots=True)
class ExactGroups:
    """The exact pairs ``(head, member, pair)`` and the heads: the first document of each group, in order
    (a document with no words has no key and is a head of its own)."""

    pairs: list[tuple[int, int, Pair]]
    heads: list[int]


def exact_groups(results: Sequence[BatchResult], ids: Sequence[str], engine: Engine,
                 chars: Sequence[int] | None = None) -> ExactGroups:
    """Group the documents by their exact keys (``results`` in document order, as the analyse stage made them).

    With ``chars`` (each document's length in characters), each pair carries its one passage: the whole of
    both documents.

    >>> from dedup.engine.local import LocalEngine
    >>> from dedup.stages.analyse import Batch, analyse_batch
    >>> from dedup.config import ScanConfig
    >>> result = analyse_batch(Batch(0, ["A cat.", "a  CAT.", "A dog."], None, ScanConfig(spun_pairs=False)))
    >>> found = exact_groups([result], ["x", "y", "z"], LocalEngine(1))
    >>> found.heads, [(p.a, p.b, p.relation) for _, _, p in found.pairs]
    ([0, 2], [('x', 'y', 'exact')])
    """
    flat = [key for r in results for key in r.exact_keys]
    lengths = [int(n) for r in results for n in r.lengths]
    has_key = np.array([len(key) > 0 for key in flat], dtype=bool)
    keyed = np.flatnonzero(has_key)
    # As fixed-width bytes, the 16-byte digests sort and compare as numpy values.
    groups = engine.group_by_key(np.array([flat[i] for i in keyed.tolist()], dtype="S16"))
    pairs: list[tuple[int, int, Pair]] = []
    heads = np.flatnonzero(~has_key).tolist()
    for g in range(len(groups.starts)):
        members = keyed[groups.members(g)].tolist()  # in document order: the sort is stable
        first = members[0]
        heads.append(first)
        pairs.extend((first, i, Pair(ids[first], ids[i], "exact", 1.0, 1.0, 1.0,
                                     passages=_whole(first, i, chars, lengths))) for i in members[1:])
    return ExactGroups(pairs, sorted(heads))


def _whole(i: int, j: int, chars: Sequence[int] | None, lengths: Sequence[int]) -> tuple[Passage, ...]:
    if chars is None:
        return ()
    return whole_passage(chars[i], chars[j], lengths[i], lengths[j])


def whole_passage(chars_a: int, chars_b: int, words_a: int, words_b: int) -> tuple[Passage, ...]:
    """An exact pair's one passage: the whole of both documents."""
    return (Passage(0, chars_a, 0, chars_b, words=min(words_a, words_b), changed=0.0),)
