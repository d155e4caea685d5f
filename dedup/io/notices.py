"""Notices: the counted warnings a read gives (empty documents, reused ids, skipped files and records,
generated ids).

The library never prints; whoever reads a corpus passes a ``Notices`` and shows its counts and first
messages (the CLI does so after a scan).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BAD_RECORD", "DUPLICATE_ID", "EMPTY", "GENERATED_ID", "SKIPPED_FILE", "Notice", "Notices"]

# Notice kinds (the CLI shows their counts and first messages).
EMPTY = "empty"
DUPLICATE_ID = "duplicate_id"
SKIPPED_FILE = "skipped_file"
GENERATED_ID = "generated_id"
BAD_RECORD = "bad_record"  # a record skipped with --on-bad-record skip


@dataclass(frozen=True)
class Notice:
    """One warning about the input: its kind (``empty``, ``duplicate_id``...) and a one-line message.

    >>> str(Notice("empty", "a.txt: document 'a.txt' is empty"))
    "a.txt: document 'a.txt' is empty"
    """

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


class Notices:
    """Collects counted warnings while reading; the library never prints, the caller shows these.

    Every notice is counted; only the first ``keep`` messages of each kind are kept.

    >>> notices = Notices(keep=1)
    >>> notices.add("empty", "a.txt: empty document 'a.txt'")
    >>> notices.add("empty", "b.txt: empty document 'b.txt'")
    >>> notices.counts(), len(notices.messages)
    ({'empty': 2}, 1)
    """

    def __init__(self, keep: int = 5) -> None:
        if keep < 0:
            raise ValueError(f"keep must be 0 or more, not {keep}")
        self.keep = keep
        self._counts: dict[str, int] = {}
        self._messages: list[Notice] = []

    def add(self, kind: str, message: str) -> None:
        """Count one notice of ``kind``, keeping its message if fewer than ``keep`` of that kind are kept."""
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        if count <= self.keep:
            self._messages.append(Notice(kind, message))

    def counts(self) -> dict[str, int]:
        """How many notices of each kind were added, in the order kinds first appeared."""
        return dict(self._counts)

    @property
    def messages(self) -> tuple[Notice, ...]:
        """The kept notices, in the order they were added."""
        return tuple(self._messages)

    def shown(self) -> tuple[str, ...]:
        """The kept messages, then one line per kind that had more than were kept, saying how many more.

        >>> notices = Notices(keep=1)
        >>> for name in "abc":
        ...     notices.add("empty", f"{name}.txt: empty document")
        >>> notices.shown()
        ('a.txt: empty document', '... and 2 more empty notices')
        """
        dropped = {kind: count - self.keep for kind, count in self._counts.items() if count > self.keep}
        more = tuple(f"... and {count} more {kind} notices" for kind, count in dropped.items())
        return tuple(n.message for n in self._messages) + more

