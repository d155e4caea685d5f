"""The matching blocks of two word lists, as ``difflib`` finds them: what the passage search reads to tell a
passage copied word for word (``dedup.verify.passages._verbatim``).

``difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()`` is the reference; the compiled
kernel (``dedup._core.matching_blocks``, the same algorithm step for step, ties included) gives the same
blocks about 20 times faster, which matters because a scan asks for them twice per passage it finds and the
passages found grow with the square of the corpus (documents sharing sentences by chance).

>>> matching_blocks(["the", "cat", "sat"], ["a", "cat", "sat"])
[(1, 1, 2), (3, 3, 0)]
"""

from __future__ import annotations

import difflib

from dedup import kernels

__all__ = ["matching_blocks", "reference_blocks"]


def matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """``(i, j, size)`` with ``a[i:i + size] == b[j:j + size]``, closed by ``(len(a), len(b), 0)``: difflib's
    blocks, from the compiled kernel where it is built."""
    if kernels.core is None:
        return reference_blocks(a, b)
    return kernels.call(kernels.core.matching_blocks, a, b)


def reference_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """``matching_blocks`` by ``difflib`` itself (the reference)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [tuple(m) for m in matcher.get_matching_blocks()]  # type: ignore[misc]
