"""Where an ``LSHIndex`` keeps its signatures: behind a small abstract class, so that an archive on disk or
in Redis can stand in for the in-memory arrays without the index changing."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

__all__ = ["MemoryStorage", "SignatureStorage"]


class SignatureStorage(ABC):
    """Signatures with their keys (document numbers), in insertion order."""

    @abstractmethod
    def add(self, keys: np.ndarray, sigs: np.ndarray) -> None:
        """Append ``sigs`` (one row per key) under ``keys`` (int64, none already stored)."""

    @abstractmethod
    def keys(self) -> np.ndarray:
        """Every key, in insertion order (int64)."""

    @abstractmethod
    def signatures(self) -> np.ndarray:
        """Every signature, one row per key, in the order of ``keys()`` (uint32)."""

    def __len__(self) -> int:
        return len(self.keys())


class MemoryStorage(SignatureStorage):
    """Numpy arrays in this process: blocks as inserted, joined once when first read after an insert.

    >>> s = MemoryStorage(num_perm=2)
    >>> s.add(np.array([4, 7]), np.array([[1, 2], [3, 4]], dtype=np.uint32))
    >>> s.keys().tolist(), s.signatures().tolist()
    ([4, 7], [[1, 2], [3, 4]])
    """

    def __init__(self, num_perm: int) -> None:
        self._num_perm = num_perm
        self._key_blocks: list[np.ndarray] = []
        self._sig_blocks: list[np.ndarray] = []

    def add(self, keys: np.ndarray, sigs: np.ndarray) -> None:
        self._key_blocks.append(np.asarray(keys, dtype=np.int64))
        self._sig_blocks.append(np.asarray(sigs, dtype=np.uint32))

    def _joined(self) -> None:
        if len(self._key_blocks) != 1:
            keys = np.concatenate(self._key_blocks) if self._key_blocks else np.empty(0, dtype=np.int64)
            sigs = (np.concatenate(self._sig_blocks) if self._sig_blocks
                    else np.empty((0, self._num_perm), dtype=np.uint32))
            self._key_blocks, self._sig_blocks = [keys], [sigs]

    def keys(self) -> np.ndarray:
        self._joined()
        return self._key_blocks[0]

    def signatures(self) -> np.ndarray:
        self._joined()
        return self._sig_blocks[0]
