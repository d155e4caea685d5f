"""The HTML report: one self-contained page to judge copies by looking.

Everything is inline (CSS, JavaScript, data); the page fetches nothing, and its Content-Security-Policy
forbids it to. The findings travel as JSON in a ``<script type="application/json">`` block and a small
vanilla script renders them on demand, one page of pairs or documents at a time, with filters and search.
The DOM therefore holds a few dozen items whatever the size of the scan, and the cost of a large report is
the JSON itself, which a browser parses far faster than it could build every pair as DOM nodes.
Measured (``python tests/report/test_browser.py``, headless Chromium, 2 cores): a synthetic report of 10,002
pairs makes an 18 MB page, written in about 4 s; the browser reads the HTML in 0.3-0.5 s, parses the JSON in
0.13 s and draws the first page in 0.22-0.26 s (JSON included). Drawing all 10,002 pairs at once instead
takes the script 5 s and headless Chromium 90 s in all.

What the page is sent is worked out in ``dedup.report.html_payload``; this module assembles the page. Its
skeleton, style sheet and script are package data (``dedup/report/assets/``): ``report.html`` with slots
``@TITLE@``, ``@CSS@``, ``@DATA@`` and ``@JS@``, ``report.css`` and ``report.js``. The script is vanilla, with
no dependencies, and puts text into the DOM only as text nodes (append/textContent), never as HTML, so a
document holding markup shows it verbatim.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from dedup.model import DocumentResult, Pair
from dedup.report.html_payload import PayloadBuilder
from dedup.report.report import RELATIONS, Report

__all__ = ["DEFAULT_TEXT_BUDGET", "render_pair_html", "render_report_html"]

# Characters of document text embedded in one page. A browser parses ~20 MB of JSON in well under a second,
# but beyond that the file itself gets unwieldy to open and pass around; texts past the budget are left out
# (the page says which) and their pairs still show figures and substitutions.
DEFAULT_TEXT_BUDGET = 20_000_000

SCHEMA = "dedup.html/1"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A slot of the page skeleton (assets/report.html): a name in capitals between two @.
_SLOT = re.compile("@([A-Z]+)@")


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
    builder = PayloadBuilder(report.text if report.texts is not None else None, max_text_chars)
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
    builder = PayloadBuilder(texts.__getitem__, len(a_text) + len(b_text))
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


def _script_json(payload: dict[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element and encodable as UTF-8."""
    text = json.dumps(payload, ensure_ascii=False, indent=None, separators=(",", ":"))
    # "<" only occurs inside JSON strings, so its escape changes nothing for JSON.parse, and no "</script>"
    # or "<!--" in a document can end or confuse the script element.
    text = text.replace("<", "\\u003c")
    # A lone surrogate (text decoded with surrogateescape) cannot be written as UTF-8; as a JSON escape it
    # reaches JavaScript as the same single code unit, so offsets still hold.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@cache
def _asset(name: str) -> str:
    """The text of ``assets/<name>``, read once: found through importlib.resources, so it works from a wheel."""
    return files("dedup.report").joinpath(f"assets/{name}").read_text(encoding="utf-8")


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``@NAME@`` slot replaced by ``values[NAME]``, in one pass.

    Values are never searched for slots themselves, so a document or title holding ``@JS@`` (or braces,
    which is why this is not ``str.format``) comes out as it went in. Every slot must have a value.

    >>> _fill("<p>@A@ and @B@</p>", {"A": "@B@", "B": "{x}"})
    '<p>@B@ and {x}</p>'
    """
    pieces = _SLOT.split(template)
    # split() with one group alternates literal text (even places) and slot names (odd places).
    pieces[1::2] = [values[name] for name in pieces[1::2]]
    return "".join(pieces)


def _page(title: str, payload: dict[str, Any]) -> str:
    return _fill(_asset("report.html"), {
        "TITLE": html.escape(title),
        "CSS": _asset("report.css"),
        "DATA": _script_json(payload),
        "JS": _asset("report.js"),
    })
