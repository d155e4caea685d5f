"""Broken fixed expressions: a swap that breaks an idiom ("a blessing in camouflage") is a sure sign of spin.

The expressions are WordNet's multi-word lemmas and the hand-curated idioms of ``idioms_en.txt``, of three
to five words (``PhraseData.expressions``). A candidate word breaks one when one of the synonyms it may have
replaced, put back, completes an expression with the words around it. The words around every candidate are
first tested all at once against the keys of the expressions (``expression_shapes``); only the few that pass
are then looked up word by word (``broken_expression``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from dedup.spin.analysis import Scan, contains
from dedup.spin.data import PhraseData, expression_keys

__all__ = ["EXPRESSION_SHAPES", "broken_expression", "expression_shapes"]

# The (size, slot) of the fixed expressions a swapped word may break, in the order they are tried: three to
# five words, the swapped one anywhere in them.
EXPRESSION_SHAPES = tuple((size, slot) for size in (3, 4, 5) for slot in range(size))


def expression_shapes(data: PhraseData, scan: Scan, at: np.ndarray) -> np.ndarray:
    """For each slot of ``at`` and each shape of ``EXPRESSION_SHAPES``, whether the words around it make
    the rest of a fixed expression of that shape: all in one clause, all expression words, and their key
    among the expressions' (a test of all the slots at once, which may say yes wrongly, never no).
    """
    # Four slots of padding each side, numbered -1 (no expression word) and with runs -1 and -2 (unlike
    # any slot's), so that every window around a slot reads inside the arrays and none past the ends is ok.
    pad = np.full(4, -1)
    numbers = np.concatenate([pad, scan.expression_number, pad])
    run = np.concatenate([pad, scan.run, pad - 1])
    at = at + len(pad)
    hits = np.zeros((len(at), len(EXPRESSION_SHAPES)), dtype=bool)
    for column, (size, slot) in enumerate(EXPRESSION_SHAPES):
        window = [at - slot + offset for offset in range(size)]
        ok = run[window[0]] == run[window[-1]]
        others = [numbers[k] for offset, k in enumerate(window) if offset != slot]
        for other in others:
            ok &= other >= 0
        rows = np.flatnonzero(ok)
        keys = expression_keys(size, slot, [other[rows] for other in others], len(data.expression_numbers))
        hits[rows, column] = contains(data.expression_keys, keys)
    return hits


def broken_expression(
    data: PhraseData, forms: Sequence[str], i: int, shapes: Iterable[tuple[int, int]]
) -> str | None:
    """The fixed expression word ``i`` breaks, if swapping it back for a synonym restores one.

    ``shapes`` are the (size, slot) of the expressions to try, in order: those ``expression_shapes``
    finds around word ``i`` (the others cannot be one).
    """
    span = data.forms.get(forms[i])
    if span is None:
        return None
    options = [o for o in data.alt_text[span[0] : span[1]] if o in data.expression_fillers]
    if not options:
        return None
    for size, slot in shapes:
        start = i - slot
        end = start + size
        others = (*forms[start:i], *forms[i + 1 : end])
        for filler in data.expressions.get((slot, others), ()):
            if filler in options:
                return " ".join((*forms[start:i], filler, *forms[i + 1 : end]))
    return None
