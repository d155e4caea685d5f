"""Where document texts wait between passes: a temporary file on disk, not memory.

A scan reads each text once from the input, appends it here, and reads it back when a later stage needs it
(shingling, alignment of a pair, evidence). Memory then grows with the number of documents, not their size.
"""

from __future__ import annotations

import tempfile
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
        self._at_end = True  # whether the file position is at the end, so appending needs no seek

    def append(self, text: str) -> int:
        data = text.encode("utf-8", "surrogatepass")
        if not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        self._file.write(data)
        self._offsets.append(self._end)
        self._lengths.append(len(data))
        self._end += len(data)
        return len(self._offsets) - 1

    def get(self, index: int) -> str:
        self._at_end = False
        self._file.seek(self._offsets[index])
        return self._file.read(self._lengths[index]).decode("utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self):  # type: ignore[no-untyped-def]
        for i in range(len(self._offsets)):
            yield self.get(i)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TextStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
