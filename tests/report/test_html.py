"""The HTML report's page and the data it carries (the page in a real browser: test_browser.py; the data
worked out piece by piece: test_html_payload.py)."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import ScanConfig
from dedup.io.corpus import Corpus
from dedup.io.notices import Notices
from dedup.io.options import ReadOptions
from dedup.model import Cluster, DocumentResult, Evidence, Pair, Repeat, SpinResult, Substitution
from dedup.report.html import render_pair_html, render_report_html
from dedup.report.report import Report
from dedup.stages.pipeline import scan
from dedup.text.normalize import normalize

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
DATA = re.compile(r'<script type="application/json" id="dedup-data">(.*?)</script>', re.S)

STORY = ("The army said on Monday that its forces had taken the town after three days of fighting. "
         "Residents who fled described heavy shelling. Aid groups warned of shortages of food and water. ")


def payload(page: str) -> dict:
    match = DATA.search(page)
    assert match is not None
    return json.loads(match.group(1))


def utf16_slice(text: str, start: int, end: int) -> str:
    """What JavaScript's ``text.slice(start, end)`` gives for offsets counted in UTF-16 units."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


def text_of(data: dict, k: int) -> str | None:
    """A document's text rebuilt as the page does: whole, or from pieces of another text."""
    doc = data["docs"][k]
    if "tx" not in doc:
        return doc["text"]
    out = []
    for piece in doc["tx"]:
        if isinstance(piece, str):
            out.append(piece)
        else:
            ref, start, end = piece
            out.append(utf16_slice(text_of(data, ref) or "", start, end))
    return "".join(out)


def make_report(texts: dict[str, str], results: list[DocumentResult] | None = None, pairs: tuple[Pair, ...] = (),
                clusters: tuple[Cluster, ...] = (), with_texts: bool = True) -> Report:
    results = results or [DocumentResult(i, len(t)) for i, t in texts.items()]
    return Report(ScanConfig(), tuple(results), pairs, clusters, texts=texts.__getitem__ if with_texts else None)


def spun_pair(a: str, b: str, swaps: list[tuple[str, str]]) -> Pair:
    subs = []
    for old, new in swaps:
        i, j = a.index(old), b.index(new)
        subs.append(Substitution(i, i + len(old), j, j + len(new), old, new))
    return Pair("a", "b", "spun", 0.95, 0.5, 0.6, {"coverage": 1.0}, tuple(subs))


# ---- the page ---------------------------------------------------------------------------------------------

def test_page_is_self_contained() -> None:
    page = render_report_html(make_report({"a": STORY, "b": STORY + "More."},
                                          pairs=(Pair("a", "b", "near_duplicate", 0.99, 0.9, 1.0),)))
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Nothing to fetch: no src= or href= attributes, no URL anywhere (the texts here hold none).
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "@import" not in page


def test_style_and_script_come_inline_from_the_package_assets() -> None:
    assets = files("dedup.report").joinpath("assets")
    css, js = (assets.joinpath(name).read_text(encoding="utf-8") for name in ("report.css", "report.js"))
    assert assets.joinpath("report.html").is_file() and css and js
    page = render_report_html(make_report({"a": STORY}, [DocumentResult("a", len(STORY), None, (Repeat(0, 9, 2),))]))
    assert f"<style>\n\n{css}</style>" in page and f"<script>\n{js}</script>" in page
    assert not re.search("@[A-Z]+@", page)  # every slot of the skeleton filled


def test_slot_names_and_braces_in_texts_and_titles_come_out_as_they_went_in() -> None:
    text = STORY + "@JS@ @CSS@ @DATA@ @TITLE@ {title} {} {0"
    js = files("dedup.report").joinpath("assets/report.js").read_text(encoding="utf-8")
    page = render_report_html(make_report({"d": text}, [DocumentResult("d", len(text), None, (Repeat(0, 9, 2),))]),
                              title="{title} @JS@ <i>")
    assert payload(page)["docs"][0]["text"] == text
    assert "<title>{title} @JS@ &lt;i&gt;</title>" in page and payload(page)["title"] == "{title} @JS@ <i>"
    assert page.count(js) == 1


@pytest.mark.parametrize("hostile", [
    "</script><script>alert(1)</script>",
    "<!-- <script> -->",
    "</SCRIPT >",
    "a \u2028 line separator",
    "emoji \U0001f600 before </script>",
])
def test_any_text_survives_the_script_block(hostile: str) -> None:
    text = STORY + hostile
    page = render_report_html(make_report({"d": text}, [DocumentResult("d", len(text), None, (Repeat(0, 9, 2),))]))
    assert page.lower().count("</script") == 2  # the data block's and the page script's own
    assert payload(page)["docs"][0]["text"] == text


def test_lone_surrogates_still_write_as_utf8() -> None:
    text = STORY + "bad byte \udcff here"
    page = render_report_html(make_report({"d": text}, [DocumentResult("d", len(text), None, (Repeat(0, 9, 2),))]))
    page.encode("utf-8")
    assert payload(page)["docs"][0]["text"] == text


def test_same_report_gives_same_bytes() -> None:
    texts = {"a": STORY, "b": STORY.replace("Monday", "Tuesday")}
    report = make_report(texts, pairs=(Pair("a", "b", "near_duplicate", 0.97, 0.8, 0.9, {"coverage": 0.99}),))
    assert render_report_html(report) == render_report_html(report)


def test_title_is_escaped() -> None:
    page = render_report_html(make_report({}), title="<b>&</b>")
    assert "<title>&lt;b&gt;&amp;&lt;/b&gt;</title>" in page
    assert payload(page)["title"] == "<b>&</b>"


def test_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="max_text_chars"):
        render_report_html(make_report({}), max_text_chars=-1)


# ---- what is listed, and which texts go in ------------------------------------------------------------------

def test_only_documents_in_pairs_or_with_findings_are_listed() -> None:
    texts = {"lone": STORY, "a": STORY, "b": STORY + "!", "flagged": "x " * 20, "repeats": STORY * 2}
    results = [
        DocumentResult("lone", len(STORY)),
        DocumentResult("a", len(STORY)),
        DocumentResult("b", len(STORY) + 1),
        DocumentResult("flagged", 40, SpinResult(0.9, True, (Evidence(0, 1, "x", "y"),))),
        DocumentResult("repeats", 2 * len(STORY), None,
                       (Repeat(0, len(STORY), 2), Repeat(len(STORY), 2 * len(STORY), 2))),
    ]
    data = payload(render_report_html(make_report(texts, results, (Pair("a", "b", "near_duplicate", 1, 1, 1),))))
    assert sorted(d["id"] for d in data["docs"]) == ["a", "b", "flagged", "repeats"]
    assert data["texts"]["documents"] == 5 and data["texts"]["listed"] == 4 and data["texts"]["included"] == 4


def test_texts_past_the_budget_are_left_out_flagged_documents_first() -> None:
    texts = {"a": STORY, "b": STORY + "Extra.", "flagged": STORY}
    results = [DocumentResult("a", len(STORY)), DocumentResult("b", len(STORY) + 6),
               DocumentResult("flagged", len(STORY), SpinResult(0.7, True, (Evidence(4, 8, "army", None),)))]
    pair = Pair("a", "b", "near_duplicate", 0.9, 0.9, 1.0)
    data = payload(render_report_html(make_report(texts, results, (pair,)), max_text_chars=2 * len(STORY)))
    by_id = {d["id"]: d for d in data["docs"]}
    assert by_id["flagged"]["text"] == STORY and by_id["a"]["text"] == STORY
    assert by_id["b"]["text"] is None
    assert data["texts"]["over_budget"] == 1 and data["texts"]["included"] == 2
    (entry,) = data["pairs"]
    assert "sh" not in entry  # no shared passages without both texts


def test_report_without_texts_says_so() -> None:
    texts = {"a": STORY, "b": STORY}
    data = payload(render_report_html(make_report(texts, pairs=(Pair("a", "b", "exact", 1, 1, 1),), with_texts=False)))
    assert [d["text"] for d in data["docs"]] == [None, None]
    assert data["texts"]["no_source"] == 2


def test_unreadable_text_is_counted_not_raised() -> None:
    def texts(doc_id: str) -> str:
        raise LookupError(doc_id)

    report = Report(ScanConfig(), (DocumentResult("a", 5, None, (Repeat(0, 1, 2),)),), (), (), texts=texts)
    assert payload(render_report_html(report))["texts"]["unreadable"] == 1


# ---- offsets --------------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=60), st.data())
def test_evidence_offsets_reach_the_page_in_utf16_units(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    result = DocumentResult("d", len(text), SpinResult(0.9, True, (Evidence(start, end, text[start:end], "orig"),)))
    doc = payload(render_report_html(make_report({"d": text}, [result])))["docs"][0]
    s, e = doc["spin"]["ev"][0][:2]
    assert utf16_slice(doc["text"], s, e) == text[start:end]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "\U0001f600", "Delta", "eps.", "\n"]), min_size=4,
                max_size=60), st.data())
def test_second_text_of_a_pair_rebuilds_exactly_from_its_pieces(words: list[str], data: st.DataObject) -> None:
    a = " ".join(words) * 3
    cut = data.draw(st.integers(0, len(a)))
    b = a[:cut] + data.draw(st.text(max_size=5)) + a[cut:]
    page = render_report_html(make_report({"a": a, "b": b}, pairs=(Pair("a", "b", "near_duplicate", 1, 1, 1),)))
    rebuilt = payload(page)
    assert {rebuilt["docs"][k]["id"]: text_of(rebuilt, k) for k in (0, 1)} == {"a": a, "b": b}


# ---- pairs ----------------------------------------------------------------------------------------------------

def test_spun_pair_sends_substitutions_and_shared_passages() -> None:
    a = STORY
    b = STORY.replace("fighting", "combat").replace("described", "portrayed")
    pair = spun_pair(a, b, [("fighting", "combat"), ("described", "portrayed")])
    data = payload(render_report_html(make_report({"a": a, "b": b}, pairs=(pair,))))
    (entry,) = data["pairs"]
    assert entry["rel"] == "spun" and entry["score"] == 0.95 and entry["det"] == {"coverage": 1.0}
    assert [(a[s:e], b[t:u]) for s, e, t, u in entry["su"]] == [("fighting", "combat"), ("described", "portrayed")]
    for s, e, t, u in entry["sh"]:
        assert normalize(a[s:e]) == normalize(b[t:u])
    assert "Residents who fled" in "".join(a[s:e] for s, e, _, _ in entry["sh"])


def test_substitution_wording_travels_when_a_text_is_left_out() -> None:
    a, b = STORY, STORY.replace("fighting", "combat")
    pair = spun_pair(a, b, [("fighting", "combat")])
    data = payload(render_report_html(make_report({"a": a, "b": b}, pairs=(pair,)), max_text_chars=len(a)))
    assert [s[4:] for s in data["pairs"][0]["su"]] == [["fighting", "combat"]]


def test_clusters_point_at_listed_documents() -> None:
    texts = {"a": STORY, "b": STORY, "c": STORY + "x"}
    pairs = (Pair("a", "b", "exact", 1, 1, 1), Pair("a", "c", "near_duplicate", 0.99, 0.97, 1))
    data = payload(render_report_html(make_report(texts, pairs=pairs, clusters=(Cluster(0, ("a", "b", "c"), "c"),))))
    ids = [d["id"] for d in data["docs"]]
    (cluster,) = data["clusters"]
    assert [ids[m] for m in cluster["m"]] == ["a", "b", "c"] and ids[cluster["r"]] == "c"
    assert all(d["cl"] == 0 for d in data["docs"])


@pytest.mark.parametrize("pair", [None, Pair("x", "y", "", 0.2, 0.05, 0.1, {"coverage": 0.3})])
def test_pair_page_without_relation(pair: Pair | None) -> None:
    other = "Something else entirely, about the weather."
    data = payload(render_pair_html("left.txt", STORY, "right.txt", other, pair))
    assert data["mode"] == "pair"
    assert [d["id"] for d in data["docs"]] == ["left.txt", "right.txt"]
    (entry,) = data["pairs"]
    assert entry["rel"] == "" and entry.get("nofig", False) == (pair is None)


def test_pair_page_of_a_spun_pair() -> None:
    b = STORY.replace("shelling", "bombardment")
    pair = spun_pair(STORY, b, [("shelling", "bombardment")])
    data = payload(render_pair_html("a.txt", STORY, "b.txt", b, pair))
    (entry,) = data["pairs"]
    assert entry["rel"] == "spun" and len(entry["su"]) == 1
    assert {data["docs"][k]["id"]: text_of(data, k) for k in (0, 1)} == {"a.txt": STORY, "b.txt": b}


# ---- the sample articles, end to end --------------------------------------------------------------------------

def test_seed_scan_renders_with_repeats_of_000() -> None:
    report = scan(Corpus([str(SEEDS)], ReadOptions()).documents(Notices()))
    data = payload(render_report_html(report))
    assert data["summary"]["documents"] == 5 and data["pairs"] == []
    doc = next(d for d in data["docs"] if d["id"].startswith("000_"))
    text = (SEEDS / doc["id"]).read_text(encoding="utf-8")
    repeated = [text[s:e] for s, e, _, _ in doc["rep"]]
    assert repeated.count("There was fierce fighting at a military airport in the northeastern city of Deir Ezzor") == 2
    assert doc["text"] == text
