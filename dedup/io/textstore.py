"""Where document texts wait between passes: a temporary file on disk, not memory.

A scan reads each text once from the input, appends it here, and reads it back when a later stage needs it
(shingling, alignment of a pair, evidence). Memory then grows with the number of documents, not their size.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Sequence
from types import TracebackType

__all__ = ["TextStore"]


class TextStore:
    """Append-only store of texts addressed by position.

    >>> with TextStore() as store:
    ...     store.append("caf\\u00e9"); store.append("b")
    ...     store.get(0), len(store)
    0
    1
    ('café', 2)
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="dedup-texts-")  # noqa: SIM115 - lives as long as the store
        self._offsets: list[int] = []
        self._lengths: list[int] = []
        self._end = 0
        self._unflushed = False

    def append(self, text: str) -> int:
        self.extend([text])
        return len(self._offsets) - 1

    def extend(self, texts: Sequence[str]) -> None:
        """Append many texts with one write (what a scan does, batch by batch)."""
        data = [t.encode("utf-8", "surrogatepass") for t in texts]
        lengths = [len(d) for d in data]
        offsets = itertools.accumulate(lengths[:-1], initial=self._end)
        self._offsets.extend(offsets)
        self._lengths.extend(lengths)
        self._end += sum(lengths)
        self._file.write(b"".join(data))
        self._unflushed = True

    def get(self, index: int) -> str:
        # A positioned read leaves the file position alone: appends need no seek, and processes forked from
        # this one (which share the position) can read side by side.
        self.flush()
        data = os.pread(self._file.fileno(), self._lengths[index], self._offsets[index])
        return data.decode("utf-8", "surrogatepass")

    def flush(self) -> None:
        """Write out what appends have buffered; do it before forking processes that will read."""
        if self._unflushed:
            self._file.flush()
            self._unflushed = False

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self):  # type: ignore[no-untyped-def]
        for i in range(len(self._offsets)):
            yield self.get(i)

    def __reduce__(self) -> tuple[object, tuple[bytes, list[int], list[int]]]:
        # Pickled (an engine sending a scan's state to other machines, as Spark broadcasts it), a store
        # travels as its texts and is written to a temporary file of its own where it is unpickled. The
        # local engine's forked workers never pickle it: they share the file.
        self.flush()
        # In pieces: one read returns at most 2 GB on Linux.
        piece = 1 << 30
        pieces = [os.pread(self._file.fileno(), min(piece, self._end - at), at) for at in range(0, self._end, piece)]
        return _restore, (b"".join(pieces), self._offsets, self._lengths)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TextStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _restore(data: bytes, offsets: list[int], lengths: list[int]) -> TextStore:
    """A pickled store again, in a temporary file of this process."""
    store = TextStore()
    store._file.write(data)
    store._offsets, store._lengths, store._end, store._unflushed = list(offsets), list(lengths), len(data), True
    return store
