"""The library's front door: ``dedup.scan`` and ``dedup.check_spin`` over paths, a corpus or documents.

``dedup compare`` is ``dedup.compare_texts`` (one pair) and ``dedup.compare_pairs_file`` (many). The command
line calls these and nothing deeper.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable, Iterable, Iterator

from dedup.config import ScanConfig
from dedup.engine.base import Engine
from dedup.engine.local import LocalEngine
from dedup.io.corpus import Corpus
from dedup.io.notices import Notices
from dedup.io.options import ReadOptions
from dedup.model import Document
from dedup.report.report import Report
from dedup.stages import pipeline
from dedup.stages.pipeline import Progress

__all__ = ["check_spin", "scan"]

PathLike = str | os.PathLike[str]
Inputs = PathLike | Iterable[PathLike] | Iterable[Document] | Corpus


def scan(
    inputs: Inputs,
    config: ScanConfig | None = None,
    *,
    id_field: str = "id",
    text_field: str = "text",
    encoding: str = "utf-8",
    workers: int = 0,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> Report:
    """Scan files and folders (as ``dedup scan`` reads them), a ``Corpus``, or ``Document`` objects.

    Documents are read one by one as the scan goes (any iterable, a generator included: it is not held in
    a list first). ``workers`` is how many processes the local engine uses (0: every core); ``engine`` runs
    the scan elsewhere instead. Neither changes the report.

    >>> report = scan("examples/seeds")
    >>> report.summary["documents"], report.pairs
    (5, ())
    >>> [p.relation for p in scan(Document(k, "One story.") for k in "ab").pairs]
    ['exact']
    """
    return _run(pipeline.scan, inputs, config, ReadOptions(id_field=id_field, text_field=text_field,
                                                           encoding=encoding), engine or LocalEngine(workers), progress)


def check_spin(
    inputs: Inputs,
    config: ScanConfig | None = None,
    *,
    id_field: str = "id",
    text_field: str = "text",
    encoding: str = "utf-8",
    workers: int = 0,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> Report:
    """The phrase checks alone (``dedup spin``): each document's spin score, verdict and evidence, no pairs.

    >>> report = check_spin([Document("a", "The minister said the talks went well.")])
    >>> report.documents[0].spin.spun
    False
    """
    return _run(pipeline.check_spin, inputs, config, ReadOptions(id_field=id_field, text_field=text_field,
                                                                 encoding=encoding), engine or LocalEngine(workers),
                progress)


def _run(run: Callable[..., Report], inputs: Inputs, config: ScanConfig | None, options: ReadOptions, engine: Engine,
         progress: Progress | None) -> Report:
    """``run`` (the scan or the phrase checks) over the documents of ``inputs``, with the reader's notices."""
    documents = _documents(inputs, options)
    if not isinstance(documents, Corpus):
        return run(documents, config, engine=engine, progress=progress)
    notices = Notices()
    report = run(documents.documents(notices), config, engine=engine, progress=progress)
    # The reader's notices are complete only once the stream has been consumed.
    return dataclasses.replace(report, notices=notices.counts(), notice_messages=notices.shown())


def _documents(inputs: Inputs, options: ReadOptions) -> Corpus | Iterator[Document]:
    """A corpus to read for paths, or the documents themselves, streamed (a mix of the two is refused)."""
    if isinstance(inputs, Corpus):
        return inputs
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    items = iter(inputs)
    first = next(items, None)
    if isinstance(first, Document):
        return _only_documents(itertools.chain([first], items))
    paths = [] if first is None else [first, *items]
    for number, item in enumerate(paths, start=1):
        if not isinstance(item, str | os.PathLike):
            raise TypeError(f"item {number} is a {type(item).__name__}, not a path: scan() takes paths"
                            " (files, folders, '-') or Document objects, not a mix")
    return Corpus([os.fspath(p) for p in paths], options)  # type: ignore[arg-type]


def _only_documents(items: Iterable[object]) -> Iterator[Document]:
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Document):
            raise TypeError(f"item {number} is a {type(item).__name__}, not a Document: scan() takes paths"
                            " (files, folders, '-') or Document objects, not a mix")
        yield item
