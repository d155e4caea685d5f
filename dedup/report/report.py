"""The result of a scan and its JSON form, schema ``dedup.report/1``.

The report holds findings, not texts; ``Report.text(id)`` reads a document's text back from the scan's
store while it is open (the HTML report and the evidence listing use it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from dedup.config import ScanConfig
from dedup.model import Cluster, DocumentResult, Pair, Passage
from dedup.report.jsontext import dumps_indented

__all__ = ["SCHEMA", "Report", "passage_dict"]

SCHEMA = "dedup.report/1"
RELATIONS = ("exact", "near_duplicate", "partial", "spun")


@dataclass(frozen=True)
class Report:
    """Everything a scan found: per-document findings, verified pairs, clusters, and input notices."""

    config: ScanConfig
    documents: tuple[DocumentResult, ...]
    pairs: tuple[Pair, ...]
    clusters: tuple[Cluster, ...]
    notices: dict[str, int] = field(default_factory=dict)
    notice_messages: tuple[str, ...] = ()
    # Cluster id -> pairs of that cluster's members left out of ``pairs``, for clusters past
    # verify.LISTED_CLUSTER_LIMIT members (where a family past it lists only its pairs with the representative).
    pairs_not_listed: dict[int, int] = field(default_factory=dict)
    texts: Callable[[str], str] | None = field(default=None, compare=False, repr=False)

    def text(self, doc_id: str) -> str:
        """The text of document ``doc_id`` as read (needs the scan's text source)."""
        if self.texts is None:
            raise LookupError("this report was built without access to the texts")
        return self.texts(doc_id)

    @property
    def summary(self) -> dict[str, Any]:
        relations = {r: 0 for r in RELATIONS}
        for pair in self.pairs:
            relations[pair.relation] = relations.get(pair.relation, 0) + 1
        archived = {d.id for d in self.documents if d.side == "archive"}
        removed = sum(1 for c in self.clusters for m in c.members if m != c.representative and m not in archived)
        summary: dict[str, Any] = {
            "documents": len(self.documents) - len(archived),
            "pairs": len(self.pairs),
            "relations": relations,
            "clusters": len(self.clusters),
            "kept": len(self.documents) - len(archived) - removed,
            "removed": removed,
            "spun_documents": sum(1 for d in self.documents if d.spin is not None and d.spin.spun),
            "documents_with_repeats": sum(1 for d in self.documents if d.repeats),
            "notices": dict(sorted(self.notices.items())),
        }
        if any(d.side is not None for d in self.documents):  # a scan against an archive index
            summary["archived_documents"] = len(archived)
        if self.pairs_not_listed:  # only then, so reports of ordinary corpora keep their bytes
            summary["pairs_not_listed"] = sum(self.pairs_not_listed.values())
        return summary

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data, schema ``dedup.report/1``."""
        return {
            "schema": SCHEMA,
            "config": asdict(self.config),
            "summary": self.summary,
            "documents": [_document(d) for d in self.documents],
            "pairs": [_pair(p) for p in self.pairs],
            "clusters": [_cluster(c, self.pairs_not_listed.get(c.id, 0)) for c in self.clusters],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON text of the report; the same scan gives the same bytes."""
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False) + "\n"
        return dumps_indented(self.to_dict(), indent) + "\n"  # json.dumps' bytes, in a third of its time


def _cluster(c: Cluster, not_listed: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": c.id, "members": list(c.members), "representative": c.representative}
    if not_listed:
        entry["pairs_not_listed"] = not_listed
    return entry


def _round(x: float) -> float:
    # Six decimals: enough to compare, and short enough that float noise never changes the bytes.
    return round(float(x), 6)


def _document(d: DocumentResult) -> dict[str, Any]:
    spin: dict[str, Any] | None = None
    if d.spin is not None:
        spin = {
            "score": _round(d.spin.score),
            "spun": d.spin.spun,
            "evidence": [
                {"start": e.start, "end": e.end, "text": e.text, "original": e.original, "reason": e.reason}
                for e in d.spin.evidence
            ],
        }
    out = {
        "id": d.id,
        "chars": d.chars,
        "spin": spin,
        "repeats": [{"start": r.start, "end": r.end, "count": r.count} for r in d.repeats],
    }
    if d.side is not None:
        out["side"] = d.side
    return out


def passage_dict(p: Passage) -> dict[str, Any]:
    """A passage as the JSON report and ``dedup compare`` write it."""
    return {"a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start, "b_end": p.b_end, "words": p.words,
            "changed": _round(p.changed)}


def _pair(p: Pair) -> dict[str, Any]:
    out: dict[str, Any] = {
        "a": p.a,
        "b": p.b,
        "relation": p.relation,
        "score": _round(p.score),
        "jaccard": _round(p.jaccard),
        "containment": _round(p.containment),
    }
    out.update({k: _round(v) for k, v in sorted(p.details.items())})
    out["passages"] = [passage_dict(x) for x in p.passages]
    if p.substitutions:
        out["substitutions"] = [
            {"a_start": s.a_start, "a_end": s.a_end, "b_start": s.b_start, "b_end": s.b_end,
             "original": s.a_text, "replacement": s.b_text}
            for s in p.substitutions
        ]
    return out
