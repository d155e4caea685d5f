"""Configuration of a scan: plain frozen dataclasses, checked when built, never computing anything."""

from __future__ import annotations

from dataclasses import dataclass, field

from dedup.errors import ConfigError

__all__ = ["ScanConfig", "SpinConfig", "scan_config"]

KEEP_POLICIES = ("longest", "first")
SHINGLE_KINDS = ("word", "char")


@dataclass(frozen=True)
class SpinConfig:
    """Settings of the phrase checks (single-document spin detection)."""

    enabled: bool = True
    threshold: float = 0.5
    phrase_lists: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.phrase_lists, str):  # one path given bare: read as one path, not letter by letter
            object.__setattr__(self, "phrase_lists", (self.phrase_lists,))
        if not isinstance(self.phrase_lists, tuple | list) or not all(
            isinstance(path, str) for path in self.phrase_lists
        ):
            raise ConfigError(f"phrase_lists must be a tuple of file paths, not {self.phrase_lists!r}")
        object.__setattr__(self, "phrase_lists", tuple(self.phrase_lists))
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, int | float) or not (
            0.0 < self.threshold < 1.0
        ):
            raise ConfigError(f"threshold must be a number strictly between 0 and 1, not {self.threshold!r}")


@dataclass(frozen=True)
class ScanConfig:
    """Everything that decides the result of a scan; the same config and input give the same report.

    How the scan is run (the engine, its workers, progress) is not here: it never changes a report.

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
    # Candidates, channel 3 (spun pairs): MinHash LSH over what spinners leave alone (see dedup.verify.anchors).
    anchor_threshold: float = 0.3
    # Verification: the relation a pair's exact figures support (word or character shingles).
    near_threshold: float = 0.5
    partial_threshold: float = 0.6
    boilerplate_min_docs: int = 4
    # Passages (relation "passage", and every pair's ``passages``): whether to look for them, and the shortest
    # reported, in words.
    passages: bool = True
    min_passage: int = 30
    keep_policy: str = "longest"
    spun_pairs: bool = True
    spin: SpinConfig = field(default_factory=SpinConfig)

    def __post_init__(self) -> None:
        if not isinstance(self.spin, SpinConfig):
            raise ConfigError(f"spin must be a SpinConfig, not {type(self.spin).__name__}. Try spin=SpinConfig(...)")
        for name in ("ngram", "num_perm", "seed", "char_ngram", "char_sample", "sentence_min_words",
                     "boilerplate_min_docs", "min_passage"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{name} must be a whole number, not {value!r}")
        if not 0 <= self.seed < 2**32:
            raise ConfigError(f"seed must be between 0 and 2**32 - 1, not {self.seed}")
        if self.shingle not in SHINGLE_KINDS:
            raise ConfigError(f"shingle must be one of {SHINGLE_KINDS}, not {self.shingle!r}")
        if not 1 <= self.ngram <= 32:
            raise ConfigError(f"ngram must be between 1 and 32, not {self.ngram}")
        if not 16 <= self.num_perm <= 1024:
            raise ConfigError(f"num_perm must be between 16 and 1024, not {self.num_perm}")
        if not 2 <= self.char_ngram <= 32 or not 1 <= self.char_sample <= 64:
            raise ConfigError(
                f"char_ngram must be in 2..32 and char_sample in 1..64, not {self.char_ngram}, {self.char_sample}"
            )
        for name in ("lsh_threshold", "anchor_threshold", "near_threshold", "partial_threshold", "sentence_min_share"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], not {value}")
        if not 5 <= self.min_passage <= 100_000:
            raise ConfigError(f"min_passage must be between 5 and 100000 words, not {self.min_passage}")
        if self.boilerplate_min_docs < 2:
            raise ConfigError(f"boilerplate_min_docs must be at least 2, not {self.boilerplate_min_docs}")
        if self.keep_policy not in KEEP_POLICIES:
            raise ConfigError(f"keep_policy must be one of {KEEP_POLICIES}, not {self.keep_policy!r}")


def scan_config(config: object) -> ScanConfig:
    """``config`` itself, or the default config for None; anything else is refused at once.

    (``config or ScanConfig()`` took an empty dict for the defaults, silently.)

    >>> scan_config(None) == ScanConfig()
    True
    >>> scan_config({})
    Traceback (most recent call last):
    ...
    dedup.errors.ConfigError: config must be a ScanConfig, not dict. Try config=ScanConfig(...)
    """
    if config is None:
        return ScanConfig()
    if not isinstance(config, ScanConfig):
        raise ConfigError(f"config must be a ScanConfig, not {type(config).__name__}. Try config=ScanConfig(...)")
    return config
