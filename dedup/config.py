"""Configuration of a scan: plain frozen dataclasses, checked when built, never computing anything."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ScanConfig", "SpinConfig"]

KEEP_POLICIES = ("longest", "first")
SHINGLE_KINDS = ("word", "char")


@dataclass(frozen=True)
class SpinConfig:
    """Settings of the phrase checks (single-document spin detection)."""

    enabled: bool = True
    threshold: float = 0.5
    phrase_lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanConfig:
    """Everything that decides the result of a scan; the same config and input give the same report.

    >>> ScanConfig(ngram=3).ngram
    3
    """

    # The shingles of the reported ``jaccard`` and ``containment`` figures.
    shingle: str = "word"
    ngram: int = 3
    # Candidates, channel 1: MinHash LSH over a fixed sample of character n-grams, which survives OCR noise
    # and small edits that break word n-grams.
    char_ngram: int = 5
    char_sample: int = 4
    num_perm: int = 128
    seed: int = 1
    lsh_threshold: float = 0.4
    # Candidates, channel 2: documents sharing whole sentences (trimmed and extended copies).
    sentence_min_words: int = 6
    sentence_min_share: float = 0.3
    # Candidates, channel 3 (spun pairs): MinHash LSH over what spinners leave alone (see dedup.anchors).
    anchor_threshold: float = 0.3
    # Verification: the relation a pair's exact figures support (word or character shingles).
    near_threshold: float = 0.5
    partial_threshold: float = 0.6
    boilerplate_min_docs: int = 4
    keep_policy: str = "longest"
    spun_pairs: bool = True
    workers: int = 0
    spin: SpinConfig = field(default_factory=SpinConfig)

    def __post_init__(self) -> None:
        if self.shingle not in SHINGLE_KINDS:
            raise ValueError(f"shingle must be one of {SHINGLE_KINDS}, not {self.shingle!r}")
        if not 1 <= self.ngram <= 32:
            raise ValueError(f"ngram must be between 1 and 32, not {self.ngram}")
        if not 16 <= self.num_perm <= 1024:
            raise ValueError(f"num_perm must be between 16 and 1024, not {self.num_perm}")
        if not 2 <= self.char_ngram <= 32 or not 1 <= self.char_sample <= 64:
            raise ValueError(
                f"char_ngram must be in 2..32 and char_sample in 1..64, not {self.char_ngram}, {self.char_sample}"
            )
        for name in ("lsh_threshold", "anchor_threshold", "near_threshold", "partial_threshold", "sentence_min_share"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], not {value}")
        if self.boilerplate_min_docs < 2:
            raise ValueError(f"boilerplate_min_docs must be at least 2, not {self.boilerplate_min_docs}")
        if self.keep_policy not in KEEP_POLICIES:
            raise ValueError(f"keep_policy must be one of {KEEP_POLICIES}, not {self.keep_policy!r}")
        if self.workers < 0:
            raise ValueError(f"workers must be 0 (all cores) or more, not {self.workers}")
