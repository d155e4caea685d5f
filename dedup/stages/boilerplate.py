"""Stage 3, boilerplate statistics: lines standing in many distinct documents (a site's furniture) are
counted over the exact groups' heads, and the few documents holding such a line are analysed again without
it, so that shared furniture makes no copy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.config import ScanConfig
from dedup.engine.base import Engine
from dedup.io.textstore import TextStore
from dedup.model import Repeat
from dedup.stages.analyse import BATCH, Batch, analyse_batch
from dedup.stages.table import FeatureTable
from dedup.verify.boilerplate import LineStats, boilerplate_spans

__all__ = ["common_line_documents", "redo_without_boilerplate"]


def common_line_documents(table: FeatureTable, heads: Sequence[int], min_docs: int) -> tuple[list[int], LineStats]:
    """The heads holding a line that stands in ``min_docs`` or more of them, and the line statistics."""
    lines = LineStats(min_docs)
    head_index = np.array(heads, dtype=np.int64)
    head_keys = [table.line_keys(i) for i in heads]
    all_keys = np.concatenate(head_keys) if head_keys else np.empty(0, dtype=np.int64)
    lines.add_many(all_keys)
    owner = np.repeat(np.arange(len(heads)), [len(k) for k in head_keys])
    redo = head_index[np.bincount(owner[lines.common(all_keys)], minlength=len(heads)) > 0].tolist()
    return redo, lines


def redo_without_boilerplate(
    redo: list[int],
    lines: LineStats,
    store: TextStore,
    config: ScanConfig,
    engine: Engine,
    *,
    table: FeatureTable,
    repeats: dict[int, tuple[Repeat, ...]],
    sigs: np.ndarray,
    spun_sigs: np.ndarray,
) -> None:
    """Analyse the ``redo`` documents again without their boilerplate lines, and put the new features,
    repeats and signatures in place of the first pass's (in ``table``, ``repeats``, ``sigs``, ``spun_sigs``).

    The phrase checks of the first pass stand: they read the text as given, boilerplate included.
    """
    batches = []
    for start in range(0, len(redo), BATCH):
        texts = [store.get(i) for i in redo[start : start + BATCH]]
        spans = [boilerplate_spans(t, lines) for t in texts]
        table.boilerplate.update(zip(redo[start : start + BATCH], spans, strict=True))
        batches.append(Batch(start, texts, spans, config))
    for again in engine.map(analyse_batch, batches):
        for k in range(len(again.exact_keys)):
            i = redo[again.start + k]
            table.redone[i] = again.features(k)
            repeats.pop(i, None)
            if k in again.repeats:
                repeats[i] = again.repeats[k]
            sigs[i] = again.char_sigs[k]
            if config.spun_pairs:
                spun_sigs[i] = again.anchor_sigs[k]
