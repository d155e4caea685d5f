"""The one verification: the relation and figures of a candidate pair, for a scan and for ``dedup compare``.

A scan calls it on each candidate its index proposes; ``dedup compare A B`` calls it on the pair it is given,
with the same features, so the two give the same verdict. (A scan reads its features without the lines it
found to be boilerplate across the corpus; ``compare`` has no corpus, so there it keeps every line.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from dedup.config import ScanConfig
from dedup.model import Pair
from dedup.sketch.features import Features, batch_features
from dedup.verify.relations import needs_alignment, needs_full_characters, overlap, spun_pair, verify_pair

if TYPE_CHECKING:
    from dedup.verify.align import Alignment

__all__ = ["decide_pair"]

Texts = Callable[[], tuple[str, str]]


def decide_pair(a: str, b: str, fa: Features, fb: Features, config: ScanConfig, *, texts: Texts,
                contents: Texts | None = None, alignment: Alignment | None = None,
                anchors: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None) -> Pair:
    """The verdict on documents ``a`` and ``b`` (two distinct texts): the pair with its relation, or with
    relation "" when it is no copy (its figures still filled in).

    First the exact shingle sets; a short text whose verdict rests on its character sample alone is checked
    on all its character n-grams; then, where the figures and anchors leave room for spinning, the texts are
    aligned word by word. ``texts`` reads the two texts as given (aligned for spinning), ``contents`` the two
    as their features were taken (boilerplate left out; the texts when None); both are called only when
    needed, since a scan reads them from disk. ``alignment`` may pass the texts' alignment already at hand,
    ``anchors`` a way to take the two anchor sets when they are not in the features (only when needed).
    """
    shingled = verify_pair(a, b, fa, fb, config)
    if needs_full_characters(shingled, fa, fb, config):
        content_a, content_b = (contents or texts)()
        full = batch_features([content_a, content_b], replace(config, char_sample=1))
        fa, fb = replace(fa, chars=full[0].chars), replace(fb, chars=full[1].chars)
        shingled = verify_pair(a, b, fa, fb, config)
    char_containment = shingled.details["char_containment"]
    # The anchors' Jaccard is the last gate: look at the anchors only when the others are passed.
    if not needs_alignment(shingled, char_containment, config):
        return shingled
    anchors_a, anchors_b = anchors() if anchors is not None else (fa.anchors, fb.anchors)
    if needs_alignment(shingled, char_containment, config, overlap(anchors_a, anchors_b)[0]):
        text_a, text_b = texts()
        return spun_pair(a, b, text_a, text_b, shingled, alignment) or shingled
    return shingled
