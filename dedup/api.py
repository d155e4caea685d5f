"""The library's front door: ``dedup.scan`` over paths or documents, ``dedup.verify.compare`` of two texts."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

from dedup.config import ScanConfig
from dedup.io.corpus import Corpus
from dedup.io.notices import Notices
from dedup.io.options import ReadOptions
from dedup.model import Document
from dedup.report.report import Report
from dedup.stages.pipeline import Progress
from dedup.stages.pipeline import scan as scan_documents

__all__ = ["scan"]

PathLike = str | os.PathLike[str]


def scan(
    inputs: PathLike | Iterable[PathLike] | Iterable[Document],
    config: ScanConfig | None = None,
    *,
    id_field: str = "id",
    text_field: str = "text",
    encoding: str = "utf-8",
    progress: Progress | None = None,
) -> Report:
    """Scan files and folders (as ``dedup scan`` reads them) or ``Document`` objects; return the report.

    >>> report = scan("examples/seeds")
    >>> report.summary["documents"], report.pairs
    (5, ())
    >>> [p.relation for p in scan([Document("a", "One story."), Document("b", "one  STORY.")]).pairs]
    ['exact']
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    items = list(inputs) if not isinstance(inputs, list) else inputs
    if items and all(isinstance(item, Document) for item in items):
        return scan_documents(items, config, progress=progress)  # type: ignore[arg-type]
    if not all(isinstance(item, str | os.PathLike) for item in items):
        raise TypeError("scan() takes paths (files, folders, '-') or Document objects, not a mix")
    corpus = Corpus([os.fspath(p) for p in items], ReadOptions(id_field=id_field, text_field=text_field,  # type: ignore[arg-type]
                                                               encoding=encoding))
    notices = Notices()
    report = scan_documents(corpus.documents(notices), config, progress=progress)
    return dataclasses.replace(
        report, notices=notices.counts(), notice_messages=notices.shown()
    )
