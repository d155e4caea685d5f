"""The terminal summary of a scan, drawn with rich."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup.report.escape import masked, visible
from dedup.report.report import Report

if TYPE_CHECKING:  # for annotations only: comparing sits above the report in the layers
    from dedup.compare import Comparison

__all__ = ["render_comparison", "render_spin", "render_summary", "summary_table"]


def _shown(value: str) -> Text:
    """A document's id, name or phrase as rich shows it literally: no markup, control characters escaped."""
    return Text(visible(value))


def summary_table(s: dict[str, Any]) -> Table:
    """The counts of a report's summary (``Report.summary``): documents, pairs per relation, clusters, ..."""
    head = Table(title="dedup scan", show_header=False, box=None, pad_edge=False)
    head.add_column(style="bold")
    head.add_column(justify="right")
    head.add_row("documents", str(s["documents"]))
    if "archived_documents" in s:  # a scan against an archive index
        head.add_row("  archived, paired", str(s["archived_documents"]))
    for relation, count in s["relations"].items():
        head.add_row(f"  {relation} pairs", str(count))
    if "pairs_not_listed" in s:  # clusters too large to list every pair (see dedup.stages.pipeline)
        head.add_row("  pairs in large clusters not listed", f"{s['pairs_not_listed']:,}")
    head.add_row("clusters", str(s["clusters"]))
    head.add_row("kept / removed", f"{s['kept']} / {s['removed']}")
    head.add_row("flagged spun", str(s["spun_documents"]))
    head.add_row("with repeated passages", str(s["documents_with_repeats"]))
    for kind, count in s["notices"].items():
        head.add_row(f"notice: {kind}", str(count), style="yellow")
    return head


def render_summary(report: Report, console: Console, *, max_rows: int = 15) -> None:
    """Print counts per relation, the largest clusters, the strongest pairs and flagged documents."""
    console.print(summary_table(report.summary))

    if report.clusters:
        table = Table(title="largest clusters")
        table.add_column("cluster", justify="right")
        table.add_column("size", justify="right")
        table.add_column("representative")
        table.add_column("members")
        by_size = sorted(report.clusters, key=lambda c: (-len(c.members), c.id))
        for c in by_size[:max_rows]:
            others = [m for m in c.members if m != c.representative]
            shown = ", ".join(others[:4]) + (f" (+{len(others) - 4})" if len(others) > 4 else "")
            table.add_row(str(c.id), str(len(c.members)), _shown(c.representative), _shown(shown))
        console.print(table)
    if report.pairs:
        table = Table(title="strongest pairs")
        for name in ("a", "b", "relation", "score", "jaccard", "containment"):
            table.add_column(name, justify="right" if name in ("score", "jaccard", "containment") else "left")
        for p in sorted(report.pairs, key=lambda p: -p.score)[:max_rows]:
            figures = (f"{p.score:.3f}", f"{p.jaccard:.3f}", f"{p.containment:.3f}")
            table.add_row(_shown(p.a), _shown(p.b), p.relation, *figures)
        console.print(table)
    _longest_passages(report, console, max_rows)
    flagged = [d for d in report.documents if d.spin is not None and d.spin.spun]
    if flagged:
        table = Table(title="documents that read as spun")
        table.add_column("document")
        table.add_column("score", justify="right")
        table.add_column("evidence", justify="right")
        for d in sorted(flagged, key=lambda d: -d.spin.score)[:max_rows]:  # type: ignore[union-attr]
            table.add_row(_shown(d.id), f"{d.spin.score:.3f}", str(len(d.spin.evidence)))  # type: ignore[union-attr]
        console.print(table)
    if not report.pairs:
        console.print("No copies found: every document stands alone.")


def _longest_passages(report: Report, console: Console, max_rows: int) -> None:
    """The longest passages of ``passage`` pairs (documents that share passages but are no copies)."""
    found = [(x, p) for p in report.pairs if p.relation == "passage" for x in p.passages]
    if not found:
        return
    table = Table(title="longest shared passages")
    for name in ("a", "characters in a", "b", "characters in b", "words", "changed"):
        table.add_column(name, justify="right" if name in ("words", "changed") else "left")
    for x, p in sorted(found, key=lambda t: (-t[0].words, t[1].a, t[1].b, t[0].a_start))[:max_rows]:
        table.add_row(_shown(p.a), f"{x.a_start}-{x.a_end}", _shown(p.b), f"{x.b_start}-{x.b_end}", str(x.words),
                      f"{x.changed:.0%}")
    console.print(table)


def render_comparison(
    a_name: str, a_text: str, b_name: str, b_text: str, comparison: Comparison, console: Console,
    *, max_listed: int = 40,
) -> None:
    """Print the verdict on a pair, the two texts side by side with substitutions marked, and the list."""
    relation = comparison.relation or "no relation"
    figures = (
        f"score {comparison.score:.3f}   jaccard {comparison.jaccard:.3f}   "
        f"containment {comparison.containment:.3f}   coverage {comparison.alignment.coverage:.3f}"
    )
    console.print(f"[bold]{relation}[/bold]   {figures}", highlight=False)
    substitutions = comparison.alignment.substitutions
    a_view, b_view = Text(masked(a_text)), Text(masked(b_text))  # same length: the spans still fit
    passages = comparison.passages if comparison.relation == "passage" else ()
    for x in passages:
        a_view.stylize("underline", x.a_start, x.a_end)
        b_view.stylize("underline", x.b_start, x.b_end)
    for s in substitutions:
        a_view.stylize("bold red", s.a_start, s.a_end)
        b_view.stylize("bold green", s.b_start, s.b_end)
    table = Table(show_lines=False, expand=True)
    table.add_column(_shown(a_name), ratio=1, overflow="fold")
    table.add_column(_shown(b_name), ratio=1, overflow="fold")
    table.add_row(a_view, b_view)
    console.print(table)
    if substitutions:
        console.print(f"[bold]{len(substitutions)} substitutions[/bold] (original -> replacement):")
        for s in substitutions[:max_listed]:
            console.print(visible(f"  {s.a_text!r} -> {s.b_text!r}"), highlight=False, markup=False)
        if len(substitutions) > max_listed:
            console.print(f"  ... and {len(substitutions) - max_listed} more (see --json)")
    if passages:
        console.print(f"[bold]{len(passages)} shared passages[/bold] (underlined; characters in a ~ in b):")
        for x in passages[:max_listed]:
            console.print(f"  {x.a_start}-{x.a_end} ~ {x.b_start}-{x.b_end}: {x.words} words, {x.changed:.0%} changed",
                          highlight=False, markup=False)


def render_spin(report: Report, console: Console, *, show_all: bool = False, max_evidence: int = 60) -> None:
    """Print each flagged document's spin score and its evidence: the phrase, and its likely original."""
    table = Table(title="phrase checks")
    table.add_column("document")
    table.add_column("score", justify="right")
    table.add_column("spun")
    table.add_column("evidence", justify="right")
    shown = [d for d in report.documents if d.spin is not None and (show_all or d.spin.spun)]
    for d in shown:
        assert d.spin is not None
        spun = "yes" if d.spin.spun else "no"
        table.add_row(_shown(d.id), f"{d.spin.score:.3f}", spun, str(len(d.spin.evidence)))
    flagged = sum(1 for d in report.documents if d.spin is not None and d.spin.spun)
    if shown:
        console.print(table)
    console.print(f"{flagged} of {len(report.documents)} documents read as spun.")
    for d in shown:
        if not d.spin or not d.spin.spun:
            continue
        console.print(Text("\n").append(visible(d.id), style="bold").append(f" (score {d.spin.score:.3f}):"))
        said = ""
        for e in d.spin.evidence[:max_evidence]:
            line = Text(f"  {e.start:>6}  ")
            line.append(visible(e.text), style="bold red")
            if e.original:
                line.append("  <- likely ")
                line.append(visible(e.original), style="green")
            if e.reason and e.reason != said:  # each reason once in a row, so the list stays readable
                line.append(f"  ({visible(e.reason)})", style="dim")
                said = e.reason
            console.print(line)
        if len(d.spin.evidence) > max_evidence:
            console.print(f"  ... and {len(d.spin.evidence) - max_evidence} more (see --json)")
