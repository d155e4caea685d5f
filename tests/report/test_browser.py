"""The HTML report opened for real in headless Chromium: what a reader sees, and how fast it comes up.

Skipped when Chromium is not installed (``apt-get install chromium``; ``.ci/run`` installs it). The
screenshots land in the pytest tmp dir and in ``benchmarks/out/`` (git-ignored) to be looked at.

Measure the page at corpus scale (10,000 pairs)::

    python tests/report/test_browser.py     # page size, Python time, browser time
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script for the measurement
    sys.path.insert(0, str(ROOT))

from dedup.compare import compare_texts  # noqa: E402
from dedup.config import ScanConfig  # noqa: E402
from dedup.io.corpus import Corpus  # noqa: E402
from dedup.io.notices import Notices  # noqa: E402
from dedup.io.options import ReadOptions  # noqa: E402
from dedup.model import Cluster, DocumentResult, Evidence, Pair, Repeat, SpinResult, Substitution  # noqa: E402
from dedup.report.html import render_pair_html, render_report_html  # noqa: E402
from dedup.report.report import Report  # noqa: E402
from dedup.stages.pipeline import scan  # noqa: E402

SEEDS = ROOT / "examples" / "seeds"
OUT = ROOT / "benchmarks" / "out"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: apt-get install -y chromium (Debian's package; .ci/run installs it)",
)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def chromium(page: Path, *args: str, fragment: str = "") -> str:
    """Run headless Chromium on ``page`` with ``args``; returns its standard output (the DOM for --dump-dom)."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="dedup-chromium-") as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri() + fragment],
            capture_output=True, text=True, timeout=120, check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Node:
    """An element of the dumped DOM: enough of a tree to find elements and read their text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if ((tag is None or child.tag == tag) and (cls is None or cls in child.classes)
                        and all(child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())):
                    found.append(child)
                found.extend(child.find(tag, cls, **attrs))
        return found


class _TreeBuilder(HTMLParser):
    VOID = {"meta", "br", "input", "img", "hr", "link", "col", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse_dom(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


def seed_report() -> Report:
    """The real scan of ``examples/seeds``: 004 carries the phrase checks' own evidence, 000 its repeats."""
    return scan(Corpus([str(SEEDS)], ReadOptions()).documents(Notices()))


@needs_chromium
def test_seed_report_marks_evidence_of_004_and_repeats_of_000(tmp_path: Path) -> None:
    report = seed_report()
    page = tmp_path / "seeds.html"
    page.write_text(render_report_html(report, title="dedup report: examples/seeds"), encoding="utf-8")
    dom = parse_dom(chromium(page, "--dump-dom"))
    assert dom.find("html")[0].attrs.get("data-ready") == "1", "the page script did not finish"

    spun = next(d for d in report.documents if d.id.startswith("004_"))
    assert spun.spin is not None and spun.spin.evidence, "004 should carry spin evidence"
    (card,) = dom.find("div", "doc", data_id=spun.id)
    marks = card.find("mark", "ev")
    marked = "".join(m.text() for m in marks)
    for e in spun.spin.evidence:
        assert e.text in marked
        if e.original:
            assert any(e.original in m.attrs.get("title", "") for m in marks), e.original
            assert e.original in [o.text() for o in card.find("span", "orig")]

    repeated = next(d for d in report.documents if d.id.startswith("000_"))
    text = report.text(repeated.id)
    (card,) = dom.find("div", "doc", data_id=repeated.id)
    shown = "".join(s.text() for s in card.find(cls="rep"))
    assert repeated.repeats
    for r in repeated.repeats:
        assert text[r.start:r.end] in shown
    assert f"({len(repeated.repeats)} occurrences)" in card.find("div", "head")[0].text()

    shot = tmp_path / "seeds.png"
    chromium(page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, OUT / "html_report_seeds.png")


def spun_copy(text: str, every: int, rng: random.Random) -> str:
    """Replace every ``every``-th longer word by a made-up word (a stand-in for a synonym)."""
    words = text.split(" ")
    for i in range(3, len(words), every):
        if words[i].isalpha() and len(words[i]) > 3:
            words[i] = "".join(rng.choice("aeioubdfgklmnprstv") for _ in range(len(words[i])))
    return " ".join(words)


@needs_chromium
def test_compare_page_shows_each_substitution_with_its_original(tmp_path: Path) -> None:
    source = (SEEDS / sorted(p.name for p in SEEDS.glob("002_*.txt"))[0]).read_text(encoding="utf-8")
    copy = spun_copy(source, 7, random.Random(5))
    comparison = compare_texts(source, copy)
    assert comparison.relation == "spun"
    pair = comparison.as_pair("source.txt", "copy.txt")
    page = tmp_path / "pair.html"
    page.write_text(render_pair_html("source.txt", source, "copy.txt", copy, pair), encoding="utf-8")
    dom = parse_dom(chromium(page, "--dump-dom"))
    assert dom.find("div", "verdict")[0].text() == "relation: spun"
    (card,) = dom.find("div", "pair")
    replaced = {s.attrs["data-k"]: s for s in card.find("span", "sb")}
    assert len(replaced) == len(pair.substitutions)
    for k, s in enumerate(pair.substitutions):
        node = replaced[str(k)]
        assert s.b_text in node.text() and node.attrs["title"] == f"original: {s.a_text}"
    originals = [o.text() for o in card.find("span", "orig")]
    assert originals == [s.a_text for s in pair.substitutions]
    shot = tmp_path / "pair.png"
    chromium(page, f"--screenshot={shot}", "--window-size=1280,1100")
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, OUT / "html_compare_spun.png")


# ---- corpus scale -------------------------------------------------------------------------------------------

def synthetic_report(clusters: int, seed: int = 0) -> Report:
    """A report of ``clusters`` clusters of three documents (three pairs each), with findings on some.

    Texts are ~2,200 characters of made-up words; each cluster holds a story, a copy changed as its
    relation says, and a second copy. Every third cluster is spun, with its substitutions.
    """
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghiklmnoprstuvwy") for _ in range(rng.randint(2, 10)))
                  for _ in range(4000)]

    def story() -> str:
        sentences = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 24))).capitalize() + "."
                     for _ in range(22)]
        return " ".join(sentences)

    texts: dict[str, str] = {}
    documents: list[DocumentResult] = []
    pairs: list[Pair] = []
    out_clusters: list[Cluster] = []
    for c in range(clusters):
        relation = ("near_duplicate", "partial", "spun")[c % 3]
        base = story()
        if relation == "partial":
            copy = base[: len(base) * 2 // 3]
        elif relation == "spun":
            copy = spun_copy(base, 6, rng)
        else:
            copy = base.replace(".", "!", 3)
        ids = [f"c{c:05d}-{k}" for k in range(3)]
        for doc_id, text in zip(ids, (base, copy, copy + " Read more."), strict=True):
            texts[doc_id] = text
            spin = None
            repeats: tuple[Repeat, ...] = ()
            if c % 50 == 0 and doc_id.endswith("-0"):
                spin = SpinResult(0.8, True, (Evidence(0, 12, text[:12], "likely words", "synthetic"),))
            if c % 20 == 0 and doc_id.endswith("-2"):
                repeats = (Repeat(0, 30, 2), Repeat(len(text) - 30, len(text), 2))
            documents.append(DocumentResult(doc_id, len(text), spin, repeats))
        for x, y in ((0, 1), (0, 2), (1, 2)):
            subs: tuple[Substitution, ...] = ()
            if relation == "spun" and x == 0:
                a, b = texts[ids[x]].split(" "), texts[ids[y]].split(" ")
                at = bt = 0
                found = []
                for wa, wb in zip(a, b, strict=False):
                    if wa != wb:
                        found.append(Substitution(at, at + len(wa), bt, bt + len(wb), wa, wb))
                    at, bt = at + len(wa) + 1, bt + len(wb) + 1
                subs = tuple(found)
            score = rng.uniform(0.6, 1.0)
            pairs.append(Pair(ids[x], ids[y], relation if subs or relation != "spun" else "near_duplicate", score,
                              score * 0.8, score, {"coverage": score}, subs))
        out_clusters.append(Cluster(c, tuple(ids), ids[0]))
    return Report(ScanConfig(), tuple(documents), tuple(pairs), tuple(out_clusters), texts=texts.__getitem__)


def measure(clusters: int = 3334) -> dict[str, float]:
    """Build, render and open a report of ``3 * clusters`` pairs; the figures of the benchmark."""
    report = synthetic_report(clusters)
    started = time.perf_counter()
    html = render_report_html(report)
    python_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="dedup-html-") as folder:
        page = Path(folder) / "big.html"
        page.write_text(html, encoding="utf-8")
        started = time.perf_counter()
        dom = chromium(page, "--dump-dom")
        browser_s = time.perf_counter() - started
    root = parse_dom(dom).find("html")[0]
    return {
        "pairs": len(report.pairs), "page_mb": len(html.encode("utf-8")) / 1e6, "python_s": python_s,
        "browser_process_s": browser_s, "load_ms": float(root.attrs["data-load-ms"]),
        "json_parse_ms": float(root.attrs["data-parse-ms"]), "script_ms": float(root.attrs["data-render-ms"]),
        "dom_bytes": len(dom), "pair_cards": len(parse_dom(dom).find("div", "pair")),
    }


@needs_chromium
def test_thousands_of_pairs_open_one_page_at_a_time(tmp_path: Path) -> None:
    # 1,200 pairs keep this test quick; the 10,000-pair figures come from running this file as a script.
    report = synthetic_report(400)
    page = tmp_path / "big.html"
    page.write_text(render_report_html(report), encoding="utf-8")
    dom = parse_dom(chromium(page, "--dump-dom", fragment="#rel=spun"))
    root = dom.find("html")[0]
    assert root.attrs["data-ready"] == "1"
    # Only one page of pairs is in the DOM, and the filter from the address applies.
    cards = dom.find("div", "pair")
    assert len(cards) == 20
    assert {c.attrs["data-rel"] for c in cards} == {"spun"}
    spun = sum(1 for p in report.pairs if p.relation == "spun")
    assert dom.find("section", id="pairs")[0].find("span", "count")[0].text() == f"{spun:,} of {len(report.pairs):,}"
    # A generous bound (slow CI machines): the point is "a second, not a frozen tab".
    assert float(root.attrs["data-render-ms"]) < 3000


if __name__ == "__main__":
    if CHROMIUM is None:
        sys.exit("Chromium is not installed: apt-get install -y chromium")
    for name, value in measure().items():
        print(f"{name:>18}: {value:,.2f}" if isinstance(value, float) else f"{name:>18}: {value:,}")
