"""dedup: find exact, near-duplicate, partial and spun copies in news text, and show why."""

from dedup.config import ScanConfig, SpinConfig
from dedup.errors import DedupError, InputError, MissingDependencyError
from dedup.model import Cluster, Document, DocumentResult, Evidence, Pair, Repeat, SpinResult, Substitution

__all__ = [
    "Cluster",
    "DedupError",
    "Document",
    "DocumentResult",
    "Evidence",
    "InputError",
    "MissingDependencyError",
    "Pair",
    "Repeat",
    "ScanConfig",
    "SpinConfig",
    "SpinResult",
    "Substitution",
]
__version__ = "0.1.0"
