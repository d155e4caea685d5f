"""File outputs of a scan besides the JSON report: pairs CSV, clusters JSONL, and the keep/removed split.

Every input record lands in exactly one of keep and removed; a removed record carries a ``dedup`` object
with the reason (its relation to the cluster), the cluster id and the representative it duplicates.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from dedup.model import Document
from dedup.report.escape import csv_cell, json_safe
from dedup.report.report import Report

__all__ = ["removal_reasons", "write_clusters", "write_keep_removed", "write_pairs_csv"]

# When a document is linked to its cluster by several relations, the strongest names the reason.
_STRENGTH = {"exact": 0, "near_duplicate": 1, "partial": 2, "spun": 3}
PAIR_COLUMNS = ("a", "b", "relation", "score", "jaccard", "containment")


def write_pairs_csv(report: Report, out: IO[str]) -> None:
    """One row per verified pair, with a header row; ids a spreadsheet would run as formulas start with ``'``."""
    writer = csv.writer(out, lineterminator="\n")
    # csv quotes a field holding the line terminator but not a bare carriage return, which readers take for
    # a row end: a row holding one is written with every field quoted.
    quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(PAIR_COLUMNS)
    for p in report.pairs:
        row = [csv_cell(p.a), csv_cell(p.b), p.relation, f"{p.score:.6f}", f"{p.jaccard:.6f}", f"{p.containment:.6f}"]
        (quoting if "\r" in p.a or "\r" in p.b else writer).writerow(row)


def write_clusters(report: Report, out: IO[str]) -> None:
    """One JSON line per cluster: id, members, representative, and the reason each member was removed."""
    reasons = removal_reasons(report)
    for c in report.clusters:
        line = {
            "id": c.id,
            "representative": c.representative,
            "members": list(c.members),
            "removed": {m: reasons[m]["reason"] for m in c.members if m in reasons},
        }
        out.write(json_safe(json.dumps(line, ensure_ascii=False)) + "\n")


def removal_reasons(report: Report) -> dict[str, dict[str, Any]]:
    """For each removed document: its reason, cluster id, and the representative kept in its place.

    The reason is the relation to the representative where the two were paired directly, otherwise the
    strongest relation linking the document into its cluster.
    """
    direct: dict[tuple[str, str], str] = {}
    strongest: dict[str, str] = {}
    for p in report.pairs:
        if p.relation not in _STRENGTH:
            continue  # a passage pair joins no cluster: it is never the reason for a removal
        direct[(p.a, p.b)] = direct[(p.b, p.a)] = p.relation
        for doc in (p.a, p.b):
            if doc not in strongest or _STRENGTH[p.relation] < _STRENGTH[strongest[doc]]:
                strongest[doc] = p.relation
    out = {}
    archived = {d.id for d in report.documents if d.side == "archive"}  # kept already (a scan against an index)
    for c in report.clusters:
        for m in c.members:
            if m != c.representative and m not in archived:
                reason = direct.get((m, c.representative), strongest[m])
                out[m] = {"reason": reason, "cluster": c.id, "duplicate_of": c.representative}
    return out


def write_keep_removed(
    report: Report,
    records: Iterable[tuple[Document, dict[str, Any] | None]],
    keep: IO[str] | None,
    removed: IO[str] | None,
) -> tuple[int, int]:
    """Write each input record, unchanged, to ``keep`` or (with a ``dedup`` object added) to ``removed``.

    ``records`` is the input read again, in the same order as scanned. Values JSON cannot hold (a parquet
    timestamp) are written as their text. Returns the two counts.
    """
    reasons = removal_reasons(report)
    kept = dropped = 0
    for doc, record in records:
        line: dict[str, Any] = dict(record) if record is not None else {"id": doc.id, "text": doc.text}
        why = reasons.get(doc.id)
        if why is None:
            kept += 1
            if keep is not None:
                keep.write(json_safe(json.dumps(line, ensure_ascii=False, default=str)) + "\n")
        else:
            dropped += 1
            if removed is not None:
                line["dedup"] = why
                removed.write(json_safe(json.dumps(line, ensure_ascii=False, default=str)) + "\n")
    return kept, dropped
