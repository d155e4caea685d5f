"""The plain frozen dataclasses that flow between the stages of a scan.

Every stage takes and returns these; none of them computes anything. Offsets are
half-open character offsets (Python string indices) into the text as read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dedup.errors import ConfigError

__all__ = [
    "Cluster",
    "Document",
    "DocumentResult",
    "Evidence",
    "Pair",
    "Passage",
    "Repeat",
    "SpinResult",
    "Substitution",
]


@dataclass(frozen=True, slots=True)
class Document:
    """One input record: its id, its text and where it came from.

    >>> Document("a", "Some text.").id
    'a'
    """

    id: str
    text: str
    source: str = ""
    line: int | None = None

    def __post_init__(self) -> None:
        # A None or a number would fail deep inside a scan, far from the line that made it.
        if not isinstance(self.id, str):
            raise ConfigError(f"Document id must be a str, not {self.id!r}. Try Document(str(id), text)")
        if not isinstance(self.text, str):
            raise ConfigError(f"Document {self.id!r}: text must be a str, not {type(self.text).__name__}")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A suspicious phrase in one document and, where known, its likely original wording."""

    start: int
    end: int
    text: str
    original: str | None = None
    reason: str = ""
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class SpinResult:
    """Phrase-check verdict for one document: a score in [0, 1], a flag, and evidence."""

    score: float
    spun: bool
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Repeat:
    """A passage repeated inside one document: this occurrence and how often the passage occurs."""

    start: int
    end: int
    count: int


@dataclass(frozen=True, slots=True)
class Substitution:
    """One word-level difference of an aligned pair: ``a[a_start:a_end]`` became ``b[b_start:b_end]``."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of a pair: ``a[a_start:a_end]`` reappears as ``b[b_start:b_end]`` (character offsets into the
    texts as read). ``words``: the shorter side's length in words; ``changed``: the share of its distinct
    word forms the two sides do not share (0 for a verbatim copy)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    changed: float


@dataclass(frozen=True, slots=True)
class Pair:
    """A verified relation between two documents (``a`` comes before ``b`` in input order)."""

    a: str
    b: str
    relation: str
    score: float
    jaccard: float
    containment: float
    details: dict[str, float] = field(default_factory=dict)
    substitutions: tuple[Substitution, ...] = ()
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """Documents joined by verified pairs, with the one kept."""

    id: int
    members: tuple[str, ...]
    representative: str


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The single-document findings of a scan."""

    id: str
    chars: int
    spin: SpinResult | None = None
    repeats: tuple[Repeat, ...] = ()
    # In a scan against an archive index: "archive" (an archived document named in a pair) or "new".
    side: str | None = None
