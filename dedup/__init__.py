"""dedup: find exact, near-duplicate, partial and spun copies in news text, and show why."""

from dedup.api import check_spin, scan
from dedup.archive import Index
from dedup.compare import Comparison, compare_pairs_file, compare_texts
from dedup.config import ScanConfig, SpinConfig
from dedup.engine.base import Engine
from dedup.engine.local import LocalEngine
from dedup.errors import ConfigError, DedupError, InputError, MissingDependencyError
from dedup.index.lsh import LSHIndex
from dedup.model import Cluster, Document, DocumentResult, Evidence, Pair, Repeat, SpinResult, Substitution
from dedup.report.report import Report

__all__ = [
    "Cluster",
    "Comparison",
    "ConfigError",
    "DedupError",
    "Document",
    "DocumentResult",
    "Engine",
    "Evidence",
    "Index",
    "InputError",
    "LSHIndex",
    "LocalEngine",
    "MissingDependencyError",
    "Pair",
    "Repeat",
    "Report",
    "ScanConfig",
    "SpinConfig",
    "SpinResult",
    "Substitution",
    "check_spin",
    "compare_pairs_file",
    "compare_texts",
    "scan",
]
__version__ = "0.1.0"
