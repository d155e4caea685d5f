"""How records are read: which fields hold the id and the text, and the files' text encoding."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

__all__ = ["BAD_RECORD_POLICIES", "DEFAULT_ID_FIELD", "ReadOptions"]

# The id field when none is named; only with this default may a file without ids get generated ones.
DEFAULT_ID_FIELD = "id"

# What a record that cannot be read does: stop the read with its error, or be skipped (counted, and written
# to the rejects file the caller gives the corpus).
BAD_RECORD_POLICIES = ("error", "skip")


@dataclass(frozen=True)
class ReadOptions:
    """How records are read: which fields hold the id and the text, the files' text encoding, and what a
    record that cannot be read does (``on_bad_record``: ``"error"`` or ``"skip"``).

    The encoding must be ASCII-compatible (utf-8, latin-1, cp1252...), because lines are split on the
    newline byte before decoding; that is what lets an encoding error name its exact line and byte.

    >>> ReadOptions(text_field="body").text_field
    'body'
    """

    id_field: str = DEFAULT_ID_FIELD
    text_field: str = "text"
    encoding: str = "utf-8"
    on_bad_record: str = "error"

    def __post_init__(self) -> None:
        for name in ("id_field", "text_field"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"{name} must be a non-empty string, not {getattr(self, name)!r}")
        if self.on_bad_record not in BAD_RECORD_POLICIES:
            raise ValueError(f"on_bad_record must be 'error' or 'skip', not {self.on_bad_record!r}")
        try:
            codec = codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {self.encoding!r}; try utf-8, latin-1 or cp1252") from None
        if "\n".encode(codec.name) != b"\n":
            raise ValueError(f"encoding {self.encoding!r} is not ASCII-compatible; convert the files to UTF-8 first")

