"""Every document's features, as the analyse stage packed them, with boilerplate redone in place."""

from __future__ import annotations

import numpy as np

from dedup.sketch.features import Features
from dedup.stages.analyse import BatchResult, Ragged

__all__ = ["FeatureTable"]


class FeatureTable:
    """Every document's features, kept as the workers packed them, with those analysed again (without
    boilerplate) in place of their first analysis. Every first-pass batch but the last holds the same number
    of documents, so document i is number i % size of batch i // size."""

    PACKED = True  # whether ``packed`` gives the sets (a FeatureList has them one by one only)

    def __init__(self, batches: list[BatchResult]) -> None:
        self.batches = batches
        self.size = len(batches[0].exact_keys) if batches else 1
        self.redone: dict[int, Features] = {}
        self.boilerplate: dict[int, list[tuple[int, int]]] = {}  # the spans left out of the redone documents
        self._packed: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}

    def __getitem__(self, i: int) -> Features:
        found = self.redone.get(i)
        return found if found is not None else self.batches[i // self.size].features(i % self.size)

    def packed(self, name: str) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
        """Every document's ``name`` set (``"words"`` or ``"chars"``) where the batches hold them, as
        ``dedup.verify.screen.pair_shared_counts`` reads them: ``(values, offsets)`` per batch, and how many
        documents a batch holds. These are the first pass's sets: for a document in ``redone``, its sets
        before boilerplate was left out, which callers must not use.
        """
        if name not in self._packed:
            parts: list[Ragged] = [getattr(b, name) for b in self.batches]
            if any(r.values.dtype != np.uint32 for r in parts):
                raise TypeError(f"the batches' {name} sets must be uint32, as the analyse stage packs them")
            self._packed[name] = [(r.values, np.array(r.offsets, dtype=np.int64)) for r in parts]
        return self._packed[name], self.size

    def sentences(self, i: int) -> np.ndarray:
        """Document ``i``'s sentence keys (without building its whole ``Features``)."""
        found = self.redone.get(i)
        return found.sentences if found is not None else self.batches[i // self.size].sentences[i % self.size]

    def passage_keys(self, i: int) -> np.ndarray:
        """Document ``i``'s passage keys (``dedup.sketch.features``)."""
        found = self.redone.get(i)
        return found.passage_keys if found is not None else self.batches[i // self.size].passage_keys[i % self.size]

    def line_keys(self, i: int) -> np.ndarray:
        """The distinct keys of document ``i``'s non-blank lines, as the first pass took them."""
        return self.batches[i // self.size].line_keys[i % self.size]

    def lengths(self, docs: np.ndarray) -> np.ndarray:
        """How many words each of ``docs`` holds (after boilerplate, where it was left out)."""
        lengths = np.concatenate([b.lengths for b in self.batches]) if self.batches else docs[:0]
        lengths = lengths[docs]
        for k, i in enumerate(docs.tolist()):
            if i in self.redone:
                lengths[k] = self.redone[i].length
        return lengths

    def char_sizes(self, docs: np.ndarray) -> np.ndarray:
        """How many character shingles each of ``docs`` holds."""
        sizes = np.concatenate([np.diff(b.chars.offsets) for b in self.batches]) if self.batches else docs[:0]
        sizes = sizes[docs]
        for k, i in enumerate(docs.tolist()):
            if i in self.redone:
                sizes[k] = len(self.redone[i].chars)
        return sizes


class FeatureList(FeatureTable):
    """A ``FeatureTable`` over features already in hand, one per document (a scan against an archive)."""

    PACKED = False

    def __init__(self, features: list[Features], boilerplate: dict[int, list[tuple[int, int]]]) -> None:
        super().__init__([])
        self.features = features
        self.boilerplate = boilerplate

    def __getitem__(self, i: int) -> Features:
        return self.features[i]

    def packed(self, name: str) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
        raise NotImplementedError("a FeatureList holds no packed sets")

    def sentences(self, i: int) -> np.ndarray:
        return self.features[i].sentences

    def passage_keys(self, i: int) -> np.ndarray:
        return self.features[i].passage_keys

    def line_keys(self, i: int) -> np.ndarray:
        raise NotImplementedError("a FeatureList holds no line keys")

    def lengths(self, docs: np.ndarray) -> np.ndarray:
        return np.array([self.features[i].length for i in docs.tolist()], dtype=np.int64)

    def char_sizes(self, docs: np.ndarray) -> np.ndarray:
        return np.array([len(self.features[i].chars) for i in docs.tolist()], dtype=np.int64)
