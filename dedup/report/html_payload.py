"""What the HTML page is sent: the listed documents, their texts within a budget, and spans to paint.

Python decides what is shown (shared passages of each pair, repeat groups, which texts fit the budget) and
sends spans only; the page's script only paints spans onto texts (``dedup.report.html`` assembles the page).
Offsets in the report are Python string indices (code points); JavaScript strings count UTF-16 units, so
every offset is converted here before it is sent.

A dedup report is mostly copies, so the second text of a pair travels as slices of the first where they
agree (on the 10,002-pair benchmark of ``tests/report/test_browser.py``: 27 MB down to 19 MB).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import Indel

from dedup.model import DocumentResult, Pair, Repeat
from dedup.text.normalize import Tokens, tokenize

__all__ = ["MAX_ALIGN_WORDS", "MIN_SHARED_WORDS", "PayloadBuilder", "shared_passages"]

# A shared passage is a run of at least this many equal words. Shorter runs between two unrelated stretches
# are chance matches of common words ("of the"), which would speckle the page without meaning anything.
MIN_SHARED_WORDS = 3
# Words of each text compared for shared passages. The word alignment is bit-parallel (fast), but its
# traceback matrix grows with the product of the lengths; 10,000 x 10,000 words stays near 12 MB.
MAX_ALIGN_WORDS = 10_000
# A text sent as slices of its pair partner's: only runs at least this long (a slice costs ~20 bytes), and
# only when the character alignment stays small (its traceback grows with the product of the lengths).
MIN_PIECE_CHARS = 40
MAX_PIECE_CELLS = 100_000_000
# Documents whose words are kept while shared passages are computed.
TOKEN_CACHE = 256
# Two occurrences of repeated text sharing this many consecutive words are shown as one passage.
TWIN_WORDS = 5

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

Span = tuple[int, int, int, int]


def shared_passages(a: str, b: str, *, min_words: int = MIN_SHARED_WORDS,
                    max_words: int = MAX_ALIGN_WORDS) -> list[Span]:
    """Passages of ``a`` found in the same order in ``b``: ``(a_start, a_end, b_start, b_end)`` character spans.

    Words are compared in normalised form (case, quotes and spacing do not matter) by a longest common
    subsequence; runs shorter than ``min_words`` are chance matches and left out. Only the first
    ``max_words`` words of each text are compared.

    >>> a = "The army took the town on Monday."
    >>> b = "THE ARMY seized the town on Monday!"
    >>> [(a[s:e], b[t:u]) for s, e, t, u in shared_passages(a, b)]
    [('the town on Monday', 'the town on Monday')]
    """
    return _shared(tokenize(a), tokenize(b), min_words, max_words)


def _shared(ta: Tokens, tb: Tokens, min_words: int, max_words: int) -> list[Span]:
    wa, wb = ta.words[:max_words], tb.words[:max_words]
    if not wa or not wb:
        return []
    spans: list[Span] = []
    # rapidfuzz's stub types the tuple items loosely, hence the annotation (as in dedup.verify.align).
    ops: list[tuple[str, int, int, int, int]] = Indel.opcodes(wa, wb).as_list()  # type: ignore[assignment]
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i2 - i1 >= min_words:
            spans.append((ta.starts[i1], ta.ends[i2 - 1], tb.starts[j1], tb.ends[j2 - 1]))
    return spans


def _repeat_groups(text: str | None, repeats: tuple[Repeat, ...]) -> list[int]:
    """Number the repeated passages of a document: occurrences sharing a run of words get one number.

    Occurrences of one passage need not have the same extent (a notice printed once whole and once cut
    short), so equal text is too strict a test; sharing ``TWIN_WORDS`` consecutive words is what makes them
    the same passage to a reader. Groups are numbered in order of first occurrence.
    """
    if text is None:
        return list(range(len(repeats)))
    parent = list(range(len(repeats)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, ...], int] = {}
    for i, r in enumerate(repeats):
        words = tokenize(text[r.start:r.end]).words
        for k in range(max(1, len(words) - TWIN_WORDS + 1)):
            window = words[k:k + TWIN_WORDS]
            j = seen.setdefault(window, i)
            if root(j) != root(i):
                parent[root(i)] = root(j)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root(i), len(numbers)) for i in range(len(repeats))]


def _round(x: float) -> float:
    return round(float(x), 4)


def _utf16(text: str) -> Callable[[int], int]:
    """Map code-point offsets of ``text`` to UTF-16 offsets (each character beyond U+FFFF counts twice)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda i: i
    return lambda i: i + bisect_left(astral, i)


class PayloadBuilder:
    """Collects the listed documents (each once, in priority order) and spends the text budget.

    ``texts`` gives a document's text by id (None: the report has no texts); ``budget`` is the number of
    characters of text the page may hold. Documents are added first, then their pairs are turned into
    entries that point at them by position in ``docs``.

    >>> texts = {"a": "The army took the town.", "b": "The army took the city."}
    >>> builder = PayloadBuilder(texts.__getitem__, budget=100)
    >>> builder.add("a", None)
    >>> builder.add("b", None, partner="a")
    >>> builder.pair(Pair("a", "b", "near_duplicate", 0.8, 0.6, 0.6))["sh"]
    [[0, 17, 0, 17]]
    >>> builder.texts_note(total_documents=2)["included"]
    2
    """

    def __init__(self, texts: Callable[[str], str] | None, budget: int) -> None:
        self._texts = texts
        self._budget = budget
        self.docs: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        self._text: dict[int, str] = {}
        self._tokens: OrderedDict[int, Tokens] = OrderedDict()
        self._offsets: dict[int, Callable[[int], int]] = {}
        self._literal: set[int] = set()
        self.used = 0
        self.over_budget = 0
        self.unreadable = 0

    def add(self, doc_id: str, result: DocumentResult | None, partner: str | None = None) -> None:
        """List ``doc_id`` once; its text, if it fits, is sent as pieces of ``partner``'s where they agree."""
        if doc_id in self.index:
            return
        k = self.index[doc_id] = len(self.docs)
        text = self._read(doc_id, result)
        entry: dict[str, Any] = {"id": doc_id, "chars": result.chars if result else len(text or "")}
        if text is None:
            entry["text"] = None
        else:
            self._text[k] = text
            pieces = self._pieces(text, self.index.get(partner)) if partner is not None else None
            if pieces is None:
                entry["text"] = text
                self._literal.add(k)
            else:
                entry["tx"] = pieces
        to16 = self._to16(k)
        if result is not None and result.spin is not None:
            entry["spin"] = {
                "score": _round(result.spin.score),
                "spun": result.spin.spun,
                "ev": [[to16(e.start), to16(e.end), e.text, e.original, e.reason] for e in result.spin.evidence],
            }
        if result is not None and result.repeats:
            groups = _repeat_groups(text, result.repeats)
            entry["rep"] = [[to16(r.start), to16(r.end), r.count, g]
                            for r, g in zip(result.repeats, groups, strict=True)]
        self.docs.append(entry)

    def _read(self, doc_id: str, result: DocumentResult | None) -> str | None:
        if self._texts is None:
            return None
        size = result.chars if result is not None else 0
        if self.used + size > self._budget:
            self.over_budget += 1
            return None
        try:
            text = self._texts(doc_id)
        except (LookupError, OSError, ValueError):
            # A text the store cannot give back is shown as missing; the findings still render.
            self.unreadable += 1
            return None
        if self.used + len(text) > self._budget:
            self.over_budget += 1
            return None
        self.used += len(text)
        return text

    def _pieces(self, text: str, ref: int | None) -> list[str | list[int]] | None:
        """``text`` as literal strings and ``[ref, start, end]`` slices of a text already sent, or None.

        Copies are what a dedup report is made of, so most of a pair's second text is the first one again;
        sending it as slices roughly halves a large page. Only texts sent whole are referenced (no chains),
        and only runs of ``MIN_PIECE_CHARS`` or more, below which a slice costs more than the letters.
        """
        if ref is None or ref not in self._literal or len(text) * len(self._text[ref]) > MAX_PIECE_CELLS:
            return None
        to16 = self._to16(ref)
        pieces: list[str | list[int]] = []
        done = 0
        ops: list[tuple[str, int, int, int, int]] = Indel.opcodes(self._text[ref], text).as_list()  # type: ignore[assignment]
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal" and j2 - j1 >= MIN_PIECE_CHARS:
                if j1 > done:
                    pieces.append(text[done:j1])
                pieces.append([ref, to16(i1), to16(i2)])
                done = j2
        if not any(isinstance(p, list) for p in pieces):
            return None
        if done < len(text):
            pieces.append(text[done:])
        return pieces

    def _to16(self, k: int) -> Callable[[int], int]:
        if k not in self._offsets:
            self._offsets[k] = _utf16(self._text.get(k, ""))
        return self._offsets[k]

    def _tokens_of(self, k: int) -> Tokens:
        # Tokens take several times the memory of their text, so only the recently used are kept: pairs
        # come in input order, where the pairs of one document follow each other.
        if k in self._tokens:
            self._tokens.move_to_end(k)
        else:
            self._tokens[k] = tokenize(self._text[k])
            if len(self._tokens) > TOKEN_CACHE:
                self._tokens.popitem(last=False)
        return self._tokens[k]

    def pair(self, p: Pair) -> dict[str, Any]:
        """The entry of pair ``p`` (both documents already added): figures, shared passages, substitutions."""
        ia, ib = self.index[p.a], self.index[p.b]
        fa, fb = self._to16(ia), self._to16(ib)
        entry: dict[str, Any] = {
            "a": ia, "b": ib, "rel": p.relation, "score": _round(p.score), "jac": _round(p.jaccard),
            "con": _round(p.containment), "det": {k: _round(v) for k, v in sorted(p.details.items())},
        }
        both = ia in self._text and ib in self._text
        if both and p.relation == "passage":
            # The passages themselves, side by side in context: what makes the pair.
            entry["sh"] = [[fa(x.a_start), fa(x.a_end), fb(x.b_start), fb(x.b_end)] for x in p.passages]
        elif both:
            ta, tb = self._tokens_of(ia), self._tokens_of(ib)
            entry["sh"] = [[fa(s), fa(e), fb(t), fb(u)]
                           for s, e, t, u in _shared(ta, tb, MIN_SHARED_WORDS, MAX_ALIGN_WORDS)]
            if max(len(ta), len(tb)) > MAX_ALIGN_WORDS:
                entry["cut"] = MAX_ALIGN_WORDS
        if p.substitutions:
            # The wording of each side is a slice of the texts when the page has them.
            entry["su"] = [[fa(s.a_start), fa(s.a_end), fb(s.b_start), fb(s.b_end)]
                           + ([] if both else [s.a_text, s.b_text]) for s in p.substitutions]
        return entry

    def texts_note(self, total_documents: int) -> dict[str, Any]:
        """How many texts the page holds out of the documents listed and scanned, and why the others are not."""
        listed = len(self.docs)
        return {
            "documents": total_documents,
            "listed": listed,
            "included": len(self._text),
            "chars": self.used,
            "budget": self._budget,
            "over_budget": self.over_budget,
            "unreadable": self.unreadable,
            "no_source": listed - len(self._text) - self.over_budget - self.unreadable,
        }

