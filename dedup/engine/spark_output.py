"""A Spark scan's outputs written by the executors, as folders of part files (``dedup scan --engine spark``).

An output path ending in ``/`` (``--pairs out/pairs/``, ``--keep hdfs://nn/corpus/keep/``) is written by
Spark as a folder of part files, ``part-00000``, ``part-00001``..., in the format of the file the local
engine writes (CSV for ``--pairs``, its header in the first part; JSON lines for ``--clusters``, ``--keep``
and ``--removed``), in the same order: the parts put end to end are that file, byte for byte. The driver
gathers nothing for them; when no JSON or HTML report is asked for as well, it keeps only the counts the
summary prints. A report, when asked for, lists every document and pair: the driver gathers those.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from dedup.config import ScanConfig
from dedup.engine.spark_scan import _STRENGTH, SparkScan, _report, json_line, pair_csv_line
from dedup.errors import DedupError
from dedup.io.outputs import PAIR_COLUMNS

if TYPE_CHECKING:
    from pyspark import RDD
    from rich.console import Console

    from dedup.engine.spark import SparkEngine
    from dedup.io.corpus import Corpus
    from dedup.report.report import Report
    from dedup.stages.pipeline import Progress

__all__ = ["check_folder", "is_folder", "print_counts", "scan_to_folders"]

FOLDER_OPTIONS = ("--pairs", "--clusters", "--keep", "--removed")


def is_folder(path: str | None) -> bool:
    """Whether an output path names a folder for Spark to write (it ends with ``/``)."""
    return path is not None and path.endswith(("/", os.sep))


def check_folder(option: str, path: str) -> None:
    """Fail before the scan when Spark could not write the folder ``path`` (a local one only: a cluster's
    file system is Spark's to check)."""
    if "://" in path and not path.startswith("file://"):
        return
    local = path.removeprefix("file://")
    if os.path.exists(local):
        raise DedupError(f"{option} {path}: already exists. Spark writes a new folder: give another path or remove it")
    parent = os.path.dirname(os.path.abspath(local.rstrip("/" + os.sep)))
    if not os.path.isdir(parent):
        raise DedupError(f"{option} {path}: folder {parent} does not exist. Create it first")


def scan_to_folders(engine: SparkEngine, corpus: Corpus, config: ScanConfig, folders: dict[str, str], *,
                    report: bool, notices: Any, progress: Progress | None = None
                    ) -> tuple[Report | None, dict[str, Any]]:
    """Scan ``corpus`` on ``engine`` and write ``folders`` (option -> path) as Spark outputs; the report too
    when ``report`` is asked for. Returns it (or None) and the summary's counts."""
    with_records = "--keep" in folders or "--removed" in folders
    stream = corpus.records(notices) if with_records else corpus.documents(notices)
    found = engine.scan_documents(stream, config, progress=progress, collect=False, with_records=with_records)
    assert isinstance(found, SparkScan)
    found.summary["notices"] = dict(sorted(notices.counts().items()))
    try:
        write_folders(found, folders)
    except Exception as exc:  # Spark's own error (a folder that appeared meanwhile, a file system refusing)
        raise DedupError(f"Spark could not write the outputs ({type(exc).__name__}: "
                         f"{_first_line(str(exc))}). Check the output folders") from exc
    if not report:
        return None, found.summary
    full = _report(found, notices.counts(), notices.shown(), True)
    return full, found.summary


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "no message")


def removal_reasons(found: SparkScan) -> RDD[tuple[int, dict[str, Any]]]:
    """``dedup.io.outputs.removal_reasons`` with joins: for each removed document, by number, its reason
    (the relation to the representative where they were paired, else its strongest relation), its cluster
    and the representative it duplicates."""
    parts = found.partitions
    ids = found.ids()
    removed = found.clusters.flatMap(lambda c: [(m, (c[0], c[1][1])) for m in c[1][0] if m != c[1][1]])
    incident = (found.pairs.filter(lambda kv: kv[1].relation in _STRENGTH)
                .flatMap(lambda kv: [(kv[0][0], (kv[0][1], kv[1].relation)), (kv[0][1], (kv[0][0], kv[1].relation))]))

    def reason(item: tuple[int, tuple[Iterable[tuple[int, int]], Iterable[tuple[int, str]]]]
               ) -> Iterator[tuple[int, tuple[int, str, int]]]:
        m, (where, links) = item
        for cid, rep in where:
            links = list(links)
            direct = [rel for other, rel in links if other == rep]
            strongest = min((rel for _, rel in links), key=lambda rel: _STRENGTH[rel], default="exact")
            yield rep, (m, direct[0] if direct else strongest, cid)

    return (removed.cogroup(incident, parts).flatMap(reason).join(ids, parts)
            .map(lambda kv: (kv[1][0][0], {"reason": kv[1][0][1], "cluster": kv[1][0][2], "duplicate_of": kv[1][1]})))


def write_folders(found: SparkScan, folders: dict[str, str]) -> None:
    """Write the outputs of ``folders`` from the executors, each in the local engine's order."""
    sc = found.blocks.context
    parts = found.partitions
    header = ",".join(PAIR_COLUMNS)
    if "--pairs" in folders:
        rows = found.pairs.sortByKey(numPartitions=parts).values().map(pair_csv_line) \
            if found.pairs.getNumPartitions() else sc.parallelize([], 1)
        rows.mapPartitionsWithIndex(lambda k, lines: _with_header(k, lines, header)).saveAsTextFile(
            folders["--pairs"])
    reasons = removal_reasons(found).persist() if set(folders) - {"--pairs"} else None
    if "--clusters" in folders:
        assert reasons is not None
        ids = found.ids()
        why = reasons.mapValues(lambda r: r["reason"])
        placed = found.clusters.flatMap(
            lambda c: [(m, (c[0], k)) for k, m in enumerate(c[1][0])] + [(c[1][1], (c[0], -1))])
        lines = (placed.join(ids, parts).leftOuterJoin(why, parts)
                 .map(lambda kv: (kv[1][0][0][0], (kv[1][0][0][1], kv[1][0][1], kv[1][1])))
                 .groupByKey(parts).map(lambda kv: (kv[0], _cluster_line(kv[0], kv[1])))
                 .sortByKey(numPartitions=parts).values()
                 if found.clusters.getNumPartitions() else sc.parallelize([], 1))
        lines.saveAsTextFile(folders["--clusters"])
    if "--keep" in folders or "--removed" in folders:
        assert reasons is not None
        records = (found.records().leftOuterJoin(reasons, parts).sortByKey(numPartitions=parts)
                   .values().persist())
        if "--keep" in folders:
            records.filter(lambda rw: rw[1] is None).map(lambda rw: json_line(rw[0])).saveAsTextFile(folders["--keep"])
        if "--removed" in folders:
            records.filter(lambda rw: rw[1] is not None).map(lambda rw: json_line({**(rw[0] or {}), "dedup": rw[1]})) \
                .saveAsTextFile(folders["--removed"])
        records.unpersist()
    if reasons is not None:
        reasons.unpersist()


def _with_header(index: int, lines: Iterable[str], header: str) -> Iterator[str]:
    if index == 0:
        yield header
    yield from lines


def _cluster_line(cid: int, entries: Iterable[tuple[int, str, str | None]]) -> str:
    """A cluster's line of ``write_clusters``: entry -1 is its representative, the others its members in order."""
    ordered = sorted(entries, key=lambda e: e[0])
    representative, members = ordered[0][1], ordered[1:]
    return json_line({"id": cid, "representative": representative, "members": [name for _, name, _ in members],
                      "removed": {name: why for _, name, why in members if why is not None}})


def print_counts(summary: dict[str, Any], console: Console) -> None:
    """The summary's counts (``render_summary``'s first table): what a scan written as Spark outputs prints."""
    from dedup.report.terminal import summary_table

    console.print(summary_table(summary))
