"""dedup: find exact, near-duplicate, partial and spun copies in news text, and show why."""

from dedup.api import scan
from dedup.config import ScanConfig, SpinConfig
from dedup.errors import DedupError, InputError, MissingDependencyError
from dedup.model import Cluster, Document, DocumentResult, Evidence, Pair, Repeat, SpinResult, Substitution
from dedup.report.report import Report
from dedup.verify.compare import Comparison, compare_texts

__all__ = [
    "Cluster",
    "Comparison",
    "DedupError",
    "Document",
    "DocumentResult",
    "Evidence",
    "InputError",
    "MissingDependencyError",
    "Pair",
    "Repeat",
    "Report",
    "ScanConfig",
    "SpinConfig",
    "SpinResult",
    "Substitution",
    "compare_texts",
    "scan",
]
__version__ = "0.1.0"
