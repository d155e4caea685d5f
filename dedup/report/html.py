"""The HTML report: one self-contained page to judge copies by looking.

Everything is inline (CSS, JavaScript, data); the page fetches nothing, and its Content-Security-Policy
forbids it to. The findings travel as JSON in a ``<script type="application/json">`` block and a small
vanilla script renders them on demand, one page of pairs or documents at a time, with filters and search.
The DOM therefore holds a few dozen items whatever the size of the scan, and the cost of a large report is
the JSON itself, which a browser parses far faster than it could build every pair as DOM nodes.
Measured (``python tests/test_browser.py``, headless Chromium, 2 cores): a synthetic report of 10,002 pairs
makes an 18 MB page, written in about 4 s; the browser reads the HTML in 0.3-0.5 s, parses the JSON in
0.13 s and draws the first page in 0.22-0.26 s (JSON included). Drawing all 10,002 pairs at once instead
takes the script 5 s and headless Chromium 90 s in all.

A dedup report is mostly copies, so the second text of a pair travels as slices of the first where they
agree (on the benchmark above: 27 MB down to 19 MB).

What Python computes and what the page does: Python decides what is shown (shared passages of each pair,
repeat groups, which texts fit the budget) and sends spans only; the page only paints spans onto texts.
Offsets in the report are Python string indices (code points); JavaScript strings count UTF-16 units, so
every offset is converted here before it is sent.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from rapidfuzz.distance import Indel

from dedup.model import DocumentResult, Pair, Repeat
from dedup.report.report import RELATIONS, Report
from dedup.text.normalize import Tokens, tokenize

__all__ = ["DEFAULT_TEXT_BUDGET", "MAX_ALIGN_WORDS", "MIN_SHARED_WORDS", "render_pair_html", "render_report_html",
           "shared_passages"]

# Characters of document text embedded in one page. A browser parses ~20 MB of JSON in well under a second,
# but beyond that the file itself gets unwieldy to open and pass around; texts past the budget are left out
# (the page says which) and their pairs still show figures and substitutions.
DEFAULT_TEXT_BUDGET = 20_000_000
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

SCHEMA = "dedup.html/1"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

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


def render_report_html(report: Report, *, title: str = "dedup report",
                       max_text_chars: int = DEFAULT_TEXT_BUDGET) -> str:
    """The whole report as one self-contained HTML page.

    Lists the documents that are in a pair or have findings (spin evidence, repeated passages), and embeds
    the texts of as many of them as ``max_text_chars`` allows: flagged documents first, then the documents
    of the strongest pairs, then documents with repeats. The same report gives the same bytes.

    >>> from dedup.config import ScanConfig
    >>> from dedup.model import DocumentResult, Repeat
    >>> text = "Subscribe now. A story. Subscribe now."
    >>> report = Report(ScanConfig(), (DocumentResult("d", len(text), None, (Repeat(0, 14, 2), Repeat(24, 38, 2))),),
    ...                 (), (), texts=lambda doc_id: text)
    >>> page = render_report_html(report)
    >>> page.startswith("<!DOCTYPE html>"), "Subscribe now." in page, "http" in page.replace("http-equiv", "")
    (True, True, False)
    """
    if max_text_chars < 0:
        raise ValueError(f"max_text_chars must be 0 or more, not {max_text_chars}")
    builder = _Builder(report.text if report.texts is not None else None, max_text_chars)
    flagged = [d for d in report.documents if _has_spin_findings(d)]
    flagged.sort(key=lambda d: (not d.spin.spun, -d.spin.score))  # type: ignore[union-attr]
    by_score = sorted(range(len(report.pairs)), key=lambda k: -report.pairs[k].score)
    with_repeats = [d for d in report.documents if d.repeats and not _has_spin_findings(d)]
    results = {d.id: d for d in report.documents}

    # The order of listing is the order of priority for the text budget.
    for d in flagged:
        builder.add(d.id, d)
    for k in by_score:
        a, b = report.pairs[k].a, report.pairs[k].b
        builder.add(a, results.get(a), partner=b)
        builder.add(b, results.get(b), partner=a)
    for d in with_repeats:
        builder.add(d.id, d)
    for cluster in report.clusters:
        for doc_id in cluster.members:
            builder.add(doc_id, results.get(doc_id))

    pairs = [builder.pair(p) for p in report.pairs]
    clusters = [{"id": c.id, "m": [builder.index[m] for m in c.members], "r": builder.index[c.representative]}
                for c in report.clusters]
    in_cluster = {m: c.id for c in report.clusters for m in c.members}
    for entry in builder.docs:
        if entry["id"] in in_cluster:
            entry["cl"] = in_cluster[entry["id"]]
    payload = {
        "schema": SCHEMA,
        "mode": "report",
        "title": title,
        "summary": report.summary,
        "relations": list(RELATIONS),
        "notices": list(report.notice_messages),
        "texts": builder.texts_note(len(report.documents)),
        "docs": builder.docs,
        "pairs": pairs,
        "clusters": clusters,
    }
    return _page(title, payload)


def render_pair_html(a_id: str, a_text: str, b_id: str, b_text: str, pair: Pair | None) -> str:
    """One pair side by side, the same view as in a scan's report; ``pair`` None means no relation was found.

    A pair whose ``relation`` is empty (``Comparison.as_pair`` of an unrelated pair) also reads as no
    relation found, with its figures shown.

    >>> page = render_pair_html("a.txt", "Boots on the ground.", "b.txt", "Boots on the floor.", None)
    >>> '"mode":"pair"' in page, "b.txt" in page
    (True, True)
    """
    texts = {a_id: a_text, b_id: b_text}
    builder = _Builder(texts.__getitem__, len(a_text) + len(b_text))
    builder.add(a_id, None)
    builder.add(b_id, None)
    unrelated = Pair(a_id, b_id, "", 0.0, 0.0, 0.0)
    entry = builder.pair(unrelated if pair is None else Pair(a_id, b_id, pair.relation, pair.score, pair.jaccard,
                                                            pair.containment, pair.details, pair.substitutions))
    if pair is None:
        entry["nofig"] = True
    payload = {
        "schema": SCHEMA,
        "mode": "pair",
        "title": f"{a_id} and {b_id}",
        "relations": list(RELATIONS),
        "docs": builder.docs,
        "pairs": [entry],
        "clusters": [],
    }
    return _page(f"dedup compare: {a_id} and {b_id}", payload)


def _has_spin_findings(d: DocumentResult) -> bool:
    return d.spin is not None and (d.spin.spun or bool(d.spin.evidence))


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


class _Builder:
    """Collects the listed documents (each once, in priority order) and spends the text budget."""

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
        ia, ib = self.index[p.a], self.index[p.b]
        fa, fb = self._to16(ia), self._to16(ib)
        entry: dict[str, Any] = {
            "a": ia, "b": ib, "rel": p.relation, "score": _round(p.score), "jac": _round(p.jaccard),
            "con": _round(p.containment), "det": {k: _round(v) for k, v in sorted(p.details.items())},
        }
        both = ia in self._text and ib in self._text
        if both:
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


def _script_json(payload: dict[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element and encodable as UTF-8."""
    text = json.dumps(payload, ensure_ascii=False, indent=None, separators=(",", ":"))
    # "<" only occurs inside JSON strings, so its escape changes nothing for JSON.parse, and no "</script>"
    # or "<!--" in a document can end or confuse the script element.
    text = text.replace("<", "\\u003c")
    # A lone surrogate (text decoded with surrogateescape) cannot be written as UTF-8; as a JSON escape it
    # reaches JavaScript as the same single code unit, so offsets still hold.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _page(title: str, payload: dict[str, Any]) -> str:
    parts: Iterable[str] = (
        _HEAD.replace("@TITLE@", html.escape(title)),
        _CSS,
        "</style>\n</head>\n<body>\n",
        _BODY,
        '<script type="application/json" id="dedup-data">',
        _script_json(payload),
        "</script>\n<script>\n",
        _JS,
        "</script>\n</body>\n</html>\n",
    )
    return "".join(parts)


_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="dedup">
<title>@TITLE@</title>
<style>
"""

_CSS = """
:root { --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --bg: #f6f8fa; --card: #fff;
  --shared: #dcf3e3; --sub-a: #ffe0e0; --sub-a-line: #d1242f; --sub-b: #ffe8a3; --sub-b-line: #bf8700;
  --ev: #ffd34d; --rep: #e3ecff; --rep-line: #3b6fd8; --hl: #ffb000; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); }
header.top { background: #24292f; color: #fff; padding: 14px 24px; }
header.top h1 { margin: 0; font-size: 20px; font-weight: 600; }
header.top .sub { color: #c9d1d9; font-size: 13px; }
header.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: baseline;
  gap: 4px 18px; }
nav { margin-left: auto; display: flex; gap: 6px; }
nav button { font: inherit; font-size: 13px; color: #fff; background: #3d444d; border: 1px solid #59636e;
  border-radius: 5px; padding: 2px 10px; cursor: pointer; }
nav button:hover { background: #4d5560; }
section { scroll-margin-top: 64px; }
main { max-width: 1240px; margin: 0 auto; padding: 12px 24px 48px; }
section { margin-top: 22px; }
h2 { font-size: 18px; margin: 0 0 10px; display: flex; align-items: baseline; gap: 10px; }
h2 .count { color: var(--muted); font-weight: 400; font-size: 14px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 10px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px;
  min-width: 150px; }
.tile b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.tile span { color: var(--muted); font-size: 13px; }
button.tile { font: inherit; color: inherit; text-align: left; cursor: pointer; }
button.tile:hover { border-color: var(--rep-line); }
.note { background: #fff8c5; border: 1px solid #e9d98a; border-radius: 6px; padding: 6px 12px; margin: 10px 0;
  font-size: 14px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line);
  font-size: 14px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
table.narrow { width: auto; min-width: 60%; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 6px 0 10px; font-size: 14px; }
.controls input[type=search] { min-width: 280px; }
.controls input, .controls select { font: inherit; padding: 3px 6px; border: 1px solid var(--line);
  border-radius: 5px; background: #fff; }
.pager { display: flex; gap: 8px; align-items: center; font-size: 14px; margin: 6px 0; }
.pager button, .linkish { font: inherit; font-size: 13px; padding: 2px 9px; border: 1px solid var(--line);
  border-radius: 5px; background: #fff; cursor: pointer; }
.pager button:disabled { opacity: .4; cursor: default; }
a.id, button.id { font: inherit; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px;
  color: #0a58ca; background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline dotted; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 12px 0;
  overflow: hidden; }
.card > .head { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: baseline; padding: 8px 12px;
  border-bottom: 1px solid var(--line); background: #fbfcfd; }
.badge { display: inline-block; border-radius: 10px; padding: 0 9px; font-size: 12px; font-weight: 600;
  color: #fff; background: #57606a; }
.badge.exact { background: #57606a; } .badge.near_duplicate { background: #0969da; }
.badge.partial { background: #9a6700; } .badge.spun { background: #cf222e; } .badge.none { background: #8c959f; }
.badge.flag { background: #cf222e; } .badge.ok { background: #1a7f37; }
.figs { font-size: 13px; color: var(--muted); font-variant-numeric: tabular-nums; }
.figs b { color: var(--ink); font-weight: 600; }
.cols { display: grid; grid-template-columns: 1fr 1fr; }
.cols > div { min-width: 0; }
.cols > div + div { border-left: 1px solid var(--line); }
.coltitle { font-size: 12px; color: var(--muted); padding: 4px 12px 0; font-family: ui-monospace, monospace; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; padding: 6px 12px 10px; max-height: 26em; overflow: auto;
  font-family: Georgia, "DejaVu Serif", serif; font-size: 15px; line-height: 1.55; }
.doc .text { max-height: 30em; }
.single .text { max-height: none; }
.legend .sw.ev { background: var(--ev); }
.sh { background: var(--shared); }
.sa { background: var(--sub-a); box-shadow: inset 0 -2px var(--sub-a-line); }
.sb { background: var(--sub-b); box-shadow: inset 0 -2px var(--sub-b-line); }
mark.ev { background: var(--ev); color: inherit; border-radius: 2px; box-shadow: inset 0 -2px #d4a72c; }
.rep { background: var(--rep); box-shadow: inset 0 -2px var(--rep-line); }
.hl { background: var(--hl) !important; }
.orig { display: inline-block; max-width: 100%; font-family: system-ui, sans-serif; font-size: 12px;
  line-height: 1.35; color: #4d2d00; background: #fff3d6; border: 1px solid #e8c37a; border-radius: 4px;
  padding: 0 4px; margin: 0 3px; white-space: normal; vertical-align: 1px; }
.orig::before { content: "was: "; color: var(--muted); }
.rlabel { font-family: system-ui, sans-serif; font-size: 11px; color: #fff; background: var(--rep-line);
  border-radius: 3px; padding: 0 3px; margin-right: 2px; vertical-align: 1px; }
body.no-inline .orig { display: none; }
.gap { color: var(--sub-a-line); font-weight: 700; }
details { padding: 4px 12px 8px; font-size: 14px; }
details summary { cursor: pointer; color: var(--muted); }
details table { margin-top: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 13px; color: var(--muted); margin: 4px 0; }
.legend span.sw { display: inline-block; width: 1.6em; height: 1em; vertical-align: -2px; margin-right: 4px;
  border-radius: 2px; }
.empty { padding: 14px; background: var(--card); border: 1px dashed var(--line); border-radius: 8px;
  color: var(--muted); }
.verdict { font-size: 20px; font-weight: 600; margin: 8px 0; }
"""

_BODY = """<header class="top"><h1 id="title"></h1><div class="sub" id="subtitle"></div><nav id="nav"></nav></header>
<main id="app"><noscript><p>This report draws its contents with JavaScript; allow scripts for this file,
or read the same findings with <code>dedup scan --json</code>.</p></noscript></main>
"""

# The page script: vanilla, no dependencies. Text always enters the DOM as text nodes (append/textContent),
# never as HTML, so a document holding markup shows it verbatim.
_JS = r""""use strict";
(function () {
  const t0 = performance.now();
  const D = JSON.parse(document.getElementById("dedup-data").textContent);
  const tParsed = performance.now();
  const docs = D.docs, pairs = D.pairs;
  const PAIRS_PER_PAGE = 20, DOCS_PER_PAGE = 10, CLUSTERS_PER_PAGE = 10, FLAGGED_SHOWN = 8;
  const app = document.getElementById("app");
  const NAMES = { exact: "exact", near_duplicate: "near-duplicate", partial: "partial", spun: "spun" };

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined && kid !== false) e.append(kid);
    return e;
  }
  const fmt = (x) => (x === undefined || x === null) ? "-" : Number(x).toFixed(3);
  const plural = (n, one, many) => n.toLocaleString("en") + " " + (n === 1 ? one : (many || one + "s"));
  function badge(rel) {
    return el("span", { class: "badge " + (rel || "none") }, rel ? NAMES[rel] || rel : "no relation");
  }

  // Paint ranges {s, e, cls, tag, title, data, after} onto text. Overlapping ranges split into segments that
  // carry every class active there; a range with s == e is a point (a deletion) drawn as a caret.
  function markup(text, ranges) {
    const frag = document.createDocumentFragment();
    const n = text.length;
    const clamp = (x) => Math.max(0, Math.min(n, x));
    ranges = ranges.map((r) => Object.assign({}, r, { s: clamp(r.s), e: clamp(r.e) }));
    const points = ranges.filter((r) => r.e <= r.s);
    const spans = ranges.filter((r) => r.e > r.s).sort((x, y) => x.s - y.s || y.e - x.e);
    const cuts = new Set([0, n]);
    for (const r of ranges) { cuts.add(r.s); cuts.add(r.e); }
    const at = [...cuts].sort((x, y) => x - y);
    let active = [], next = 0;
    for (let i = 0; i < at.length; i++) {
      const p = at[i];
      for (const r of points) {
        if (r.s === p) frag.append(el("span", { class: "gap " + r.cls, title: r.title }, "\u2038"));
      }
      if (i + 1 === at.length) break;
      const q = at[i + 1];
      active = active.filter((r) => r.e > p);
      while (next < spans.length && spans[next].s <= p) { if (spans[next].e > p) active.push(spans[next]); next++; }
      const piece = text.slice(p, q);
      if (!active.length) { frag.append(piece); continue; }
      const attrs = { class: active.map((r) => r.cls).join(" ") };
      const titles = active.map((r) => r.title).filter(Boolean);
      if (titles.length) attrs.title = titles.join("\n");
      for (const r of active) if (r.data) Object.assign(attrs, r.data);
      const node = el(active.some((r) => r.tag === "mark") ? "mark" : "span", attrs);
      for (const r of active) if (r.s === p && r.before) node.append(r.before());
      node.append(piece);
      frag.append(node);
      for (const r of active) if (r.e === q && r.after) frag.append(r.after());
    }
    return frag;
  }

  // Hovering a marked span lights up its partners: the two sides of a substitution, every occurrence of
  // a repeated passage.
  function linkHover(root) {
    const over = (on) => (ev) => {
      const t = ev.target.closest && ev.target.closest("[data-k],[data-g]");
      if (!t || !root.contains(t)) return;
      const sel = t.dataset.k !== undefined ? '[data-k="' + t.dataset.k + '"]' : '[data-g="' + t.dataset.g + '"]';
      for (const x of root.querySelectorAll(sel)) x.classList.toggle("hl", on);
    };
    root.addEventListener("mouseover", over(true));
    root.addEventListener("mouseout", over(false));
  }

  // A text comes whole ("text"), or as pieces: literal strings and [doc, start, end] slices of another text.
  function textOf(k) {
    const d = docs[k];
    if (d.text === undefined) {
      d.text = d.tx ? d.tx.map((p) => typeof p === "string" ? p : textOf(p[0]).slice(p[1], p[2])).join("") : null;
    }
    return d.text;
  }

  function textBox(k, ranges) {
    const text = textOf(k);
    if (text === null) {
      return el("div", { class: "text muted" }, "(text not included in this page)");
    }
    return el("div", { class: "text" }, markup(text, ranges));
  }

  function idButton(k) {
    return el("button", { class: "id", type: "button", title: "show this document's findings, or else its pairs",
      onclick: () => focusDoc(docs[k].id) }, docs[k].id);
  }

  // ---- pairs -------------------------------------------------------------------------------------------
  function pairCard(p, single) {
    const a = docs[p.a], b = docs[p.b];
    const aRanges = [], bRanges = [];
    for (const [s, e, t, u] of p.sh || []) {
      aRanges.push({ s, e, cls: "sh", title: "shared passage" });
      bRanges.push({ s: t, e: u, cls: "sh", title: "shared passage" });
    }
    const subs = (p.su || []).map(([s, e, t, u, orig, repl]) => [s, e, t, u,
      orig !== undefined ? orig : textOf(p.a).slice(s, e), repl !== undefined ? repl : textOf(p.b).slice(t, u)]);
    subs.forEach(([s, e, t, u, orig, repl], k) => {
      aRanges.push({ s, e, cls: "sa", title: "replaced by: " + repl, data: { "data-k": k } });
      bRanges.push({ s: t, e: u, cls: "sb", title: "original: " + orig, data: { "data-k": k },
        after: () => el("span", { class: "orig" }, orig || "(nothing)") });
    });
    const figs = el("span", { class: "figs" });
    if (!p.nofig) {
      figs.append("score ", el("b", null, fmt(p.score)), "   Jaccard ", el("b", null, fmt(p.jac)),
        "   containment ", el("b", null, fmt(p.con)));
      for (const [k, v] of Object.entries(p.det || {})) {
        if (k === "coverage" || k === "changed") figs.append("   " + k + " ", el("b", null, fmt(v)));
      }
    }
    const head = el("div", { class: "head" }, badge(p.rel),
      single ? el("b", null, a.id + "  \u2194  " + b.id) : el("span", null, idButton(p.a), " \u2194 ", idButton(p.b)),
      figs);
    if (subs.length) head.append(el("span", { class: "figs" }, plural(subs.length, "substitution")));
    const card = el("div", { class: "card pair", "data-rel": p.rel || "none", "data-a": a.id, "data-b": b.id }, head,
      el("div", { class: "cols" },
        el("div", null, el("div", { class: "coltitle" }, a.id + " (" + a.chars.toLocaleString("en") + " chars)"),
          textBox(p.a, aRanges)),
        el("div", null, el("div", { class: "coltitle" }, b.id + " (" + b.chars.toLocaleString("en") + " chars)"),
          textBox(p.b, bRanges))));
    if (p.cut) card.append(el("div", { class: "note" },
      "Shared passages were looked for in the first " + p.cut.toLocaleString("en") + " words of each text only."));
    if (subs.length) {
      const rows = subs.map(([, , , , orig, repl], k) => el("tr", { "data-k": k },
        el("td", { class: "num" }, String(k + 1)), el("td", null, orig), el("td", null, repl)));
      card.append(el("details", null, el("summary", null, "the " + plural(subs.length, "substitution") +
        " (original \u2192 replacement)"), el("table", null,
        el("tr", null, el("th", { class: "num" }, "#"), el("th", null, a.id + " (original)"), el("th", null, b.id)),
        ...rows)));
    }
    linkHover(card);
    return card;
  }

  // ---- documents with findings -------------------------------------------------------------------------
  function docCard(k) {
    const d = docs[k];
    const ranges = [];
    const ev = (d.spin && d.spin.ev) || [];
    for (const [s, e, , orig, reason] of ev) {
      ranges.push({ s, e, cls: "ev", tag: "mark",
        title: (orig ? "likely original: " + orig : "suspicious phrase") + (reason ? "\n" + reason : ""),
        after: orig ? () => el("span", { class: "orig" }, orig) : null });
    }
    for (const [s, e, count, g] of d.rep || []) {
      ranges.push({ s, e, cls: "rep", title: "repeated passage #" + (g + 1) + ": occurs " + count + " times here",
        data: { "data-g": g }, before: () => el("span", { class: "rlabel" }, "R" + (g + 1)) });
    }
    const head = el("div", { class: "head" }, el("b", null, d.id),
      el("span", { class: "figs" }, d.chars.toLocaleString("en") + " chars"));
    if (d.spin) {
      const verdict = d.spin.spun ? "reads as spun" : "not flagged";
      head.append(el("span", { class: "badge " + (d.spin.spun ? "flag" : "ok") }, verdict),
        el("span", { class: "figs" }, "spin score ", el("b", null, fmt(d.spin.score))),
        el("span", { class: "figs" }, plural(ev.length, "evidence span")));
    }
    if (d.rep && d.rep.length) {
      const groups = new Set(d.rep.map((r) => r[3]));
      head.append(el("span", { class: "figs" }, plural(groups.size, "repeated passage") + " (" +
        plural(d.rep.length, "occurrence") + ")"));
    }
    const inPairs = pairsOf.get(k) || 0;
    if (inPairs) head.append(el("button", { class: "linkish", type: "button", onclick: () => showPairsOf(d.id) },
      plural(inPairs, "pair") + " \u2192"));
    if (d.cl !== undefined) head.append(el("span", { class: "figs" }, "cluster " + d.cl));
    const card = el("div", { class: "card doc", "data-id": d.id }, head, textBox(k, ranges));
    if (ev.length) {
      card.append(el("details", null, el("summary", null, "the " + plural(ev.length, "evidence span")),
        el("table", null,
          el("tr", null, el("th", null, "phrase"), el("th", null, "likely original"), el("th", null, "why")),
          ...ev.map(([, , text, orig, reason]) => el("tr", null, el("td", null, text), el("td", null, orig || "-"),
            el("td", null, reason || ""))))));
    }
    linkHover(card);
    return card;
  }

  // ---- lists with paging, filter and search -----------------------------------------------------------
  const lowered = new Map();
  function textHas(k, q) {
    const d = docs[k];
    if (d.id.toLowerCase().includes(q)) return true;
    if (!textOf(k)) return false;
    if (!lowered.has(k)) lowered.set(k, textOf(k).toLowerCase());
    return lowered.get(k).includes(q);
  }

  function pagedList(opts) {
    // opts: {items(): array, render(item), perPage, empty, countEl}
    // A table's rows go in a tbody; any other list is a column of cards.
    const list = opts.table ? el("tbody", { class: "rows" }) : el("div", { class: "rows" });
    const box = el("div");
    const top = el("div", { class: "pager" }), bottom = el("div", { class: "pager" });
    box.append(top, opts.table ? el("table", null, list) : list, bottom);
    let page = 0, items = [];
    function bar(target) {
      target.replaceChildren();
      const pages = Math.max(1, Math.ceil(items.length / opts.perPage));
      if (items.length <= opts.perPage) return;
      const go = (to) => () => { page = to; draw(); if (target === bottom) box.scrollIntoView(); };
      target.append(
        el("button", { type: "button", disabled: page === 0, onclick: go(0) }, "\u00ab first"),
        el("button", { type: "button", disabled: page === 0, onclick: go(page - 1) }, "\u2039 previous"),
        el("span", null, "page " + (page + 1) + " of " + pages + "  (" +
          (page * opts.perPage + 1).toLocaleString("en") + "\u2013" +
          Math.min(items.length, (page + 1) * opts.perPage).toLocaleString("en") + " of " +
          items.length.toLocaleString("en") + ")"),
        el("button", { type: "button", disabled: page + 1 >= pages, onclick: go(page + 1) }, "next \u203a"),
        el("button", { type: "button", disabled: page + 1 >= pages, onclick: go(pages - 1) }, "last \u00bb"));
    }
    function draw() {
      list.replaceChildren(...items.slice(page * opts.perPage, (page + 1) * opts.perPage).map(opts.render));
      if (!items.length) list.append(el("div", { class: "empty" }, opts.empty()));
      bar(top); bar(bottom);
      if (opts.countEl) opts.countEl.textContent = opts.count(items.length);
    }
    function refresh() { items = opts.items(); page = 0; draw(); if (opts.onRefresh) opts.onRefresh(); }
    return { box, refresh };
  }

  function debounce(fn, ms) { let h; return () => { clearTimeout(h); h = setTimeout(fn, ms); }; }

  const pairsOf = new Map();
  for (const p of pairs) for (const k of [p.a, p.b]) pairsOf.set(k, (pairsOf.get(k) || 0) + 1);

  let pairSearch, pairRel, docSearch, pairsSection, docsSection, pairList, docList;
  let remember = () => {};
  function showPairsOf(id) {
    pairSearch.value = id; pairRel.value = ""; pairList.refresh(); pairsSection.scrollIntoView();
  }
  function focusDoc(id) {
    const k = docs.findIndex((d) => d.id === id);
    if (findings(k)) { docSearch.value = id; docList.refresh(); docsSection.scrollIntoView(); }
    else showPairsOf(id);
  }
  const findings = (k) => k >= 0 && ((docs[k].spin && (docs[k].spin.spun || docs[k].spin.ev.length)) ||
    (docs[k].rep && docs[k].rep.length));

  // ---- the page ------------------------------------------------------------------------------------------
  document.title = D.mode === "pair" ? "dedup compare: " + D.title : D.title;
  document.getElementById("title").textContent = D.mode === "pair" ? "dedup compare" : D.title;
  const inline = el("label", null, el("input", { type: "checkbox", checked: "checked", onchange: (e) =>
    document.body.classList.toggle("no-inline", !e.target.checked) }), " show likely originals inline");
  const legend = el("div", { class: "legend" },
    el("span", null, el("span", { class: "sw sh" }), "shared passage"),
    el("span", null, el("span", { class: "sw sa" }), "original wording (replaced in the copy)"),
    el("span", null, el("span", { class: "sw sb" }), "replacement in the copy"));
  if (D.mode !== "pair") {
    legend.append(el("span", null, el("span", { class: "sw ev" }), "spin evidence"),
      el("span", null, el("span", { class: "sw rep" }), "repeated passage (R1, R2...; hover to see its twins)"));
  }
  legend.append(inline);

  if (D.mode === "pair") {
    const p = pairs[0];
    document.getElementById("subtitle").textContent = docs[p.a].id + " and " + docs[p.b].id;
    app.append(el("div", { class: "verdict" }, p.rel ? "relation: " + (NAMES[p.rel] || p.rel) : "no relation found"),
      legend, pairCard(p, true));
    app.classList.add("single");
  } else {
    const S = D.summary, T = D.texts;
    document.getElementById("subtitle").textContent = plural(S.documents, "document") + " scanned";
    // Overview: what was scanned and kept, then the pairs by relation (a click filters the pair list).
    const tile = (value, label, attrs) => el(attrs ? "button" : "div", Object.assign({ class: "tile" }, attrs || {}),
      el("b", null, value.toLocaleString("en")), el("span", null, label));
    const showRelation = (rel) => () => {
      pairRel.value = rel; pairSearch.value = ""; pairList.refresh(); pairsSection.scrollIntoView();
    };
    const tiles = el("div", { class: "tiles" }, tile(S.documents, "documents"), tile(S.clusters, "clusters"),
      tile(S.kept.toLocaleString("en") + " / " + S.removed.toLocaleString("en"), "kept / removed"),
      tile(S.spun_documents, "read as spun"), tile(S.documents_with_repeats, "with repeated passages"));
    const relTiles = el("div", { class: "tiles" },
      tile(S.pairs, "pairs", { type: "button", title: "show every pair", onclick: showRelation("") }));
    for (const rel of D.relations) {
      relTiles.append(tile(S.relations[rel] || 0, NAMES[rel],
        { type: "button", title: "show the " + NAMES[rel] + " pairs", onclick: showRelation(rel) }));
    }
    const overview = el("section", { id: "overview" }, el("h2", null, "Overview"), tiles, relTiles);
    for (const [kind, n] of Object.entries(S.notices || {})) {
      overview.append(el("div", { class: "note" }, "input notice: " + kind + " \u00d7 " + n));
    }
    for (const m of D.notices || []) overview.append(el("div", { class: "note" }, m));
    const left = T.listed - T.included;
    if (T.listed < T.documents) overview.append(el("p", { class: "muted" }, plural(T.documents - T.listed, "document") +
      " with no pair and no finding " + (T.documents - T.listed === 1 ? "is" : "are") + " not listed."));
    if (left > 0) {
      const why = [];
      if (T.over_budget) {
        why.push(plural(T.over_budget, "text") + " past the budget of " + T.budget.toLocaleString("en") +
          " characters of text per page");
      }
      if (T.no_source) why.push(plural(T.no_source, "text") + " not available to the report");
      if (T.unreadable) why.push(plural(T.unreadable, "text") + " that could not be read back");
      overview.append(el("div", { class: "note texts-left-out" }, "Texts left out: this page holds the texts of " +
        T.included.toLocaleString("en") + " of the " + T.listed.toLocaleString("en") + " documents listed (" +
        why.join("; ") + "). Their findings and figures are still shown."));
    }
    app.append(overview);

    // Clusters, largest first
    if (D.clusters.length) {
      const order = D.clusters.slice().sort((x, y) => y.m.length - x.m.length || x.id - y.id);
      const clusterHead = el("span", { class: "count" });
      const list = pagedList({ perPage: CLUSTERS_PER_PAGE, table: true, items: () => order, countEl: clusterHead,
        count: (n) => plural(n, "cluster") + ", largest first", empty: () => "no cluster",
        render: (c) => {
          const others = c.m.filter((m) => m !== c.r);
          const shown = others.slice(0, 6);
          const cell = el("td");
          shown.forEach((m, i) => { if (i) cell.append(", "); cell.append(idButton(m)); });
          if (others.length > shown.length) cell.append(" (+" + (others.length - shown.length) + " more)");
          return el("tr", null, el("td", { class: "num" }, "#" + c.id), el("td", { class: "num" }, String(c.m.length)),
            el("td", null, idButton(c.r)), cell);
        } });
      app.append(el("section", { id: "clusters" }, el("h2", null, "Clusters", clusterHead), list.box));
      list.box.querySelector(".rows").before(el("thead", null, el("tr", null,
        el("th", { class: "num", style: "width:7em" }, "cluster"),
        el("th", { class: "num", style: "width:5em" }, "size"),
        el("th", { style: "width:30%" }, "kept"), el("th", null, "the others"))));
      list.refresh();
    }

    // Flagged documents (a short list; the full view is in the documents section)
    const flagged = docs.map((d, k) => k).filter((k) => docs[k].spin && docs[k].spin.spun);
    if (flagged.length) {
      const table = el("table", { class: "narrow" }, el("tr", null, el("th", null, "document"),
        el("th", { class: "num" }, "spin score"), el("th", { class: "num" }, "evidence spans")));
      for (const k of flagged.slice(0, FLAGGED_SHOWN)) {
        table.append(el("tr", null, el("td", null, idButton(k)), el("td", { class: "num" }, fmt(docs[k].spin.score)),
          el("td", { class: "num" }, String(docs[k].spin.ev.length))));
      }
      const sec = el("section", { id: "flagged" }, el("h2", null, "Documents that read as spun",
        el("span", { class: "count" }, String(flagged.length))), table);
      if (flagged.length > FLAGGED_SHOWN) {
        sec.append(el("p", { class: "muted" }, "... and " + (flagged.length - FLAGGED_SHOWN) +
          " more: filter the documents below by \u201cread as spun\u201d."));
      }
      app.append(sec);
    }

    // Documents with findings
    const withFindings = docs.map((d, k) => k).filter(findings);
    docSearch = el("input", { type: "search", placeholder: "search document ids and texts" });
    const docKind = el("select", null, el("option", { value: "" }, "all findings"),
      el("option", { value: "spun" }, "read as spun"), el("option", { value: "ev" }, "with spin evidence"),
      el("option", { value: "rep" }, "with repeated passages"));
    const docHead = el("span", { class: "count" });
    docList = pagedList({ perPage: DOCS_PER_PAGE, render: docCard, countEl: docHead, onRefresh: () => remember(),
      count: (n) => n === withFindings.length ? n.toLocaleString("en") :
        n.toLocaleString("en") + " of " + withFindings.length.toLocaleString("en"),
      empty: () => withFindings.length ? "No document matches." : "No document has spin evidence or repeated passages.",
      items: () => {
        const q = docSearch.value.trim().toLowerCase(), kind = docKind.value;
        return withFindings.filter((k) => {
          const d = docs[k];
          if (kind === "spun" && !(d.spin && d.spin.spun)) return false;
          if (kind === "ev" && !(d.spin && d.spin.ev.length)) return false;
          if (kind === "rep" && !(d.rep && d.rep.length)) return false;
          return !q || textHas(k, q);
        });
      } });
    docSearch.addEventListener("input", debounce(docList.refresh, 200));
    docKind.addEventListener("change", docList.refresh);
    docsSection = el("section", { id: "documents" }, el("h2", null, "Documents with findings", docHead),
      el("div", { class: "controls" }, docSearch, docKind), docList.box);

    // Pairs
    pairSearch = el("input", { type: "search", placeholder: "search document ids and texts" });
    pairRel = el("select", null, el("option", { value: "" }, "every relation"),
      ...D.relations.map((r) => el("option", { value: r },
        NAMES[r] + " (" + (S.relations[r] || 0).toLocaleString("en") + ")")));
    const minScore = el("input", { type: "number", min: "0", max: "1", step: "0.05", value: "0", style: "width:5em" });
    const sortBy = el("select", null, el("option", { value: "score" }, "strongest first"),
      el("option", { value: "weakest" }, "weakest first"), el("option", { value: "jac" }, "by Jaccard"),
      el("option", { value: "con" }, "by containment"), el("option", { value: "input" }, "input order"));
    const pairHead = el("span", { class: "count" });
    const byScore = pairs.map((p, i) => i);
    pairList = pagedList({ perPage: PAIRS_PER_PAGE, render: (i) => pairCard(pairs[i], false), countEl: pairHead,
      onRefresh: () => remember(),
      count: (n) => n === pairs.length ? n.toLocaleString("en") :
        n.toLocaleString("en") + " of " + pairs.length.toLocaleString("en"),
      empty: () => pairs.length ? "No pair matches." : "No pairs: every document stands alone.",
      items: () => {
        const q = pairSearch.value.trim().toLowerCase(), rel = pairRel.value, min = Number(minScore.value) || 0;
        const out = byScore.filter((i) => {
          const p = pairs[i];
          return (!rel || p.rel === rel) && p.score >= min && (!q || textHas(p.a, q) || textHas(p.b, q));
        });
        const key = sortBy.value;
        if (key === "score") out.sort((x, y) => pairs[y].score - pairs[x].score || x - y);
        else if (key === "weakest") out.sort((x, y) => pairs[x].score - pairs[y].score || x - y);
        else if (key !== "input") out.sort((x, y) => pairs[y][key] - pairs[x][key] || x - y);
        return out;
      } });
    pairSearch.addEventListener("input", debounce(pairList.refresh, 200));
    for (const c of [pairRel, minScore, sortBy]) c.addEventListener("change", pairList.refresh);
    pairsSection = el("section", { id: "pairs" }, el("h2", null, "Pairs", pairHead),
      el("div", { class: "controls" }, pairSearch, pairRel, el("label", null, "min score ", minScore), sortBy),
      pairList.box);

    // The filters live in the address (#rel=spun&q=...&doc=...), so a filtered view can be bookmarked or sent.
    const state = new URLSearchParams(location.hash.slice(1));
    pairRel.value = D.relations.includes(state.get("rel")) ? state.get("rel") : "";
    pairSearch.value = state.get("q") || "";
    docSearch.value = state.get("doc") || "";
    remember = () => {
      const h = new URLSearchParams();
      if (pairRel.value) h.set("rel", pairRel.value);
      if (pairSearch.value.trim()) h.set("q", pairSearch.value.trim());
      if (docSearch.value.trim()) h.set("doc", docSearch.value.trim());
      history.replaceState(null, "", h.toString() ? "#" + h.toString() : location.pathname + location.search);
    };

    app.append(el("section", null, legend));
    // Pairs come first when there are any; a scan without pairs opens on its documents' findings.
    if (withFindings.length && !pairs.length) app.append(docsSection, pairsSection);
    else app.append(pairsSection, docsSection);
    docList.refresh();
    pairList.refresh();
    const nav = document.getElementById("nav");
    const jump = (label, target) => nav.append(el("button", { type: "button", onclick: () => target.scrollIntoView() },
      label));
    jump("Overview", overview);
    if (D.clusters.length) jump("Clusters (" + D.clusters.length.toLocaleString("en") + ")",
      document.getElementById("clusters"));
    jump("Pairs (" + pairs.length.toLocaleString("en") + ")", pairsSection);
    jump("Documents with findings (" + withFindings.length.toLocaleString("en") + ")", docsSection);
  }
  const t1 = performance.now();
  // Timings for the benchmark: page start to script start (loading and parsing the HTML), JSON.parse, and
  // the whole script.
  document.documentElement.dataset.loadMs = t0.toFixed(1);
  document.documentElement.dataset.parseMs = (tParsed - t0).toFixed(1);
  document.documentElement.dataset.renderMs = (t1 - t0).toFixed(1);
  document.documentElement.dataset.ready = "1";
})();
"""
