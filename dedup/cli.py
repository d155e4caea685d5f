"""The ``dedup`` command: parses options, calls the library, renders. No algorithm lives here.

Library errors become a one-line ``Error: ...`` and exit status 1; usage errors exit with 2 (click's own).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import IO, Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

import dedup
from dedup.archive import Index
from dedup.config import ScanConfig, SpinConfig
from dedup.engine.base import Engine
from dedup.engine.local import LocalEngine, keep_freed_memory
from dedup.errors import DedupError
from dedup.index.lsh import lsh_params
from dedup.index.store import shown
from dedup.io.corpus import Corpus
from dedup.io.notices import Notices
from dedup.io.options import BAD_RECORD_POLICIES, ReadOptions
from dedup.io.outputs import write_clusters, write_keep_removed, write_pairs_csv
from dedup.io.safe_files import atomic_output, check_writable, output_conflict
from dedup.report.escape import json_safe, visible
from dedup.report.html import render_pair_html, render_report_html
from dedup.report.report import Report
from dedup.report.terminal import render_comparison, render_spin, render_summary

__all__ = ["main"]


def _fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's own errors into click's one-line error with exit status 1.

    Errors the library did not mean to raise get a one-line message too (a traceback helps no user), but
    one that names the exception type, so a real bug is still visible and can be reported.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except DedupError as exc:
            raise click.ClickException(_one_line(str(exc))) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(_one_line(f"{where}{exc.strerror or exc}")) from exc
        except UnicodeError as exc:
            raise click.ClickException(
                _one_line(f"text that cannot be encoded or decoded ({type(exc).__name__}: {exc}). Try --encoding")
            ) from exc
        except RecursionError as exc:
            raise click.ClickException("input nested too deeply to process (RecursionError)") from exc
        except BrokenProcessPool as exc:
            raise click.ClickException(
                "a worker process died (often out of memory). Try fewer --workers or smaller inputs"
                " (BrokenProcessPool)"
            ) from exc
        except MemoryError as exc:
            raise click.ClickException("out of memory (MemoryError). Try smaller inputs or fewer --workers") from exc
        except Exception as exc:  # the last resort: still one line, still naming what went wrong
            raise click.ClickException(
                _one_line(f"internal error ({type(exc).__name__}: {exc}). Please report it")
            ) from exc

    return wrapper


def _one_line(message: str) -> str:
    """The message on one line and safe for the terminal: ids and paths in it may hold anything."""
    return visible(message)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    # SIGTERM kills without unwinding: raising instead runs every finally block, so temporary files go.
    raise SystemExit(128 + signum)


def _check_outputs(outputs: dict[str, str | None], inputs: tuple[str, ...]) -> None:
    """Refuse, before any work, outputs that would destroy an input or each other, or cannot be written."""
    conflict = output_conflict(outputs, inputs)
    if conflict is not None:
        raise click.UsageError(visible(conflict))
    for path in outputs.values():
        if path is not None:
            check_writable(path)


def _checked_config(build: Callable[[], ScanConfig]) -> ScanConfig:
    """The config the options describe; a value the config refuses is a usage error (exit 2)."""
    try:
        config = build()
    except ValueError as exc:
        raise click.UsageError(visible(str(exc))) from exc
    return config


def _engine(workers: int) -> LocalEngine:
    """The engine of ``--workers``: a run option, not part of the config (the report does not depend on it)."""
    return dedup.LocalEngine(workers)


def _check_engine(engine: str, workers: int, spark_master: str | None) -> None:
    if engine == "local" and spark_master is not None:
        raise click.UsageError("--spark-master goes with --engine spark")
    if engine == "spark" and workers:
        raise click.UsageError("--workers is for --engine local; Spark's cores come from --spark-master (local[4])")


def _scan_engine(engine: str, workers: int, spark_master: str | None) -> contextlib.AbstractContextManager[Engine]:
    """The engine of ``--engine``, ``--workers`` and ``--spark-master`` (checked by ``_check_engine``); a Spark
    session it starts is stopped when the scan is done."""
    if engine == "local":
        return contextlib.nullcontext(_engine(workers))
    from dedup.engine.spark import SparkEngine  # pyspark loads only when asked for

    return SparkEngine(master=spark_master)


def _spark_folders(outputs: dict[str, str | None], engine: str) -> dict[str, str]:
    """The outputs to write as Spark output folders: --pairs, --clusters, --keep, --removed given a path that
    ends with '/' (with --engine spark only); checked before the scan."""
    folders = {option: path for option, path in outputs.items()
               if option in ("--pairs", "--clusters", "--keep", "--removed") and path is not None
               and path.endswith(("/", os.sep))}
    if folders and engine != "spark":
        option = next(iter(folders))
        raise click.UsageError(f"{option} {folders[option]}: a path ending in '/' is a folder that Spark writes;"
                               " add --engine spark, or give a file name")
    if folders:
        from dedup.engine.spark_output import check_folder

        for option, path in folders.items():
            check_folder(option, path)
    return folders


def _check_lsh(threshold: float, num_perm: int) -> None:
    try:
        lsh_params(threshold, num_perm)
    except ValueError:
        raise click.UsageError(
            f"--threshold {threshold} with --num-perm {num_perm} leaves fewer than two LSH bands;"
            " use a larger --num-perm or a lower --threshold"
        ) from None


def _check_stdin_once(inputs: tuple[str, ...]) -> None:
    if inputs.count("-") > 1:
        raise click.UsageError("'-' (standard input) is given more than once; give it once")


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that reads a corpus shares."""
    options = [
        click.option("--id-field", default="id", show_default=True, help="Field holding the id (JSONL, CSV, Parquet)."),
        click.option(
            "--text-field", default="text", show_default=True, help="Field holding the text (JSONL, CSV, Parquet)."
        ),
        click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text input files."),
        click.option("--on-bad-record", type=click.Choice(BAD_RECORD_POLICIES), default="error", show_default=True,
                     help="A record that cannot be read (bad JSON, a stray CSV quote, no text): stop with its error,"
                          " or skip it, counted, and write it to --rejects."),
        click.option("--rejects", metavar="FILE.jsonl",
                     help="With --on-bad-record skip: where the skipped records go, each with its file, line and"
                          " error."),
        click.option("--quiet", "-q", is_flag=True, help="No summary and no progress bar."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Where a command's stages run, shared by scan and spin (beside their --workers)."""
    func = click.option(
        "--spark-master", metavar="URL",
        help="Spark master for --engine spark: local[N], spark://HOST:PORT, yarn... [default: local[*], or the"
             " session spark-submit started]",
    )(func)
    return click.option(
        "--engine", "engine_name", type=click.Choice(["local", "spark"]), default="local", show_default=True,
        help="Where the stages run: this machine's cores, or Apache Spark (pip install 'dedup[spark]')."
             " The report does not depend on it.",
    )(func)


def phrase_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the phrase checks, shared by scan and spin."""
    func = click.option(
        "--spin-threshold", type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True), default=SpinConfig.threshold,
        show_default=True,
        help="Spin score at or above which a document is flagged spun.",
    )(func)
    return click.option(
        "--phrases", multiple=True, metavar="FILE",
        help="Your own phrase list (CSV 'phrase,original' or JSON), added to the shipped one; repeatable.",
    )(func)


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int | None], None] | None]:
    if not enabled:
        yield None
        return
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:<10}"), BarColumn(), TextColumn("{task.completed:>8,.0f}"),
        TimeElapsedColumn(), console=console, transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dedup")
def main() -> None:
    """Find exact, near-duplicate, partial and spun copies in news text, and show why."""
    keep_freed_memory()  # this process is ours: tune its allocator for batch work (see dedup.engine.local)
    with contextlib.suppress(ValueError):  # not in the main thread (embedded): leave signals alone
        signal.signal(signal.SIGTERM, _stop_on_sigterm)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@input_options
@click.option("--json", "json_out", metavar="FILE|-", help="Write the report as JSON (schema dedup.report/1).")
@click.option("--html", "html_out", metavar="FILE", help="Write a self-contained HTML report to open in a browser.")
@click.option("--pairs", "pairs_out", metavar="FILE.csv|DIR/",
              help="Write the verified pairs as CSV. With --engine spark, a path ending in '/' (local, hdfs://,"
                   " s3a://) is a folder of part files Spark writes (the same for --clusters, --keep, --removed);"
                   " given only such folders, the driver keeps counts only.")
@click.option("--clusters", "clusters_out", metavar="FILE.jsonl|DIR/", help="Write the clusters as JSON lines.")
@click.option("--keep", "keep_out", metavar="FILE.jsonl|DIR/",
              help="Write the records kept (one per cluster, and every unique one).")
@click.option("--removed", "removed_out", metavar="FILE.jsonl|DIR/",
              help="Write the records removed, each with its reason.")
@click.option("--no-spin", is_flag=True,
              help="Near-duplicates only: no spun pairs, no passages and no phrase checks.")
@click.option("--no-passages", is_flag=True, help="Do not look for passages shared by documents that are no copies.")
@click.option("--min-passage", type=click.IntRange(5, 100_000), default=ScanConfig.min_passage, show_default=True,
              metavar="WORDS", help="Shortest passage reported, in words.")
@click.option("--no-phrase-checks", is_flag=True,
              help="Find spun pairs but give documents no spin score (phrase checks are nearly half of a full scan).")
@phrase_options
@click.option("--keep-policy", type=click.Choice(["longest", "first"]), default="longest", show_default=True,
              help="Which document of a cluster is kept.")
@click.option("--shingle", type=click.Choice(["word", "char"]), default="word", show_default=True,
              help="Shingle words or characters.")
@click.option("--ngram", type=click.IntRange(1, 32), default=ScanConfig.ngram, show_default=True,
              help="Shingle length, in words or characters.")
@click.option("--num-perm", type=click.IntRange(16, 1024), default=ScanConfig.num_perm, show_default=True,
              help="MinHash permutations.")
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=ScanConfig.lsh_threshold, show_default=True,
              help="LSH candidate threshold (estimated Jaccard).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=ScanConfig.seed, show_default=True,
              help="Seed of the MinHash permutations (0 to 2**32-1).")
@click.option("--workers", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Processes analysing documents (0: every core). The report does not depend on it.")
@engine_options
@click.option("--against", metavar="INDEX",
              help="Scan against an archive index (SQLite file or redis://host:port/db): the pairs touching a new"
                   " document, as a full scan of archive and new would give them. Archived documents count as kept.")
@click.option("--add", "add_to_index", is_flag=True,
              help="With --against: add the new documents to the index after the scan.")
@click.pass_context
@_fail_cleanly
def scan(
    ctx: click.Context,
    inputs: tuple[str, ...], id_field: str, text_field: str, encoding: str, on_bad_record: str,
    rejects: str | None, quiet: bool, json_out: str | None,
    html_out: str | None, pairs_out: str | None, clusters_out: str | None, keep_out: str | None,
    removed_out: str | None, no_spin: bool, no_passages: bool, min_passage: int, no_phrase_checks: bool,
    phrases: tuple[str, ...], spin_threshold: float, keep_policy: str,
    shingle: str, ngram: int, num_perm: int, threshold: float, seed: int, workers: int, engine_name: str,
    spark_master: str | None, against: str | None, add_to_index: bool,
) -> None:
    """Scan INPUTS (files, folders, or - for JSONL on stdin) for copies and report them.

    \b
    Examples:
      dedup scan examples/seeds
      dedup scan news.jsonl --text-field body --json report.json --removed dupes.jsonl
      dedup scan today.jsonl --against archive.db --add --removed dupes.jsonl
    """
    _check_stdin_once(inputs)
    if add_to_index and against is None:
        raise click.UsageError("--add goes with --against INDEX")
    if against is not None and engine_name != "local":
        raise click.UsageError("--against runs on the local engine; leave out --engine spark")
    outputs = {
        "--json": json_out, "--html": html_out, "--pairs": pairs_out, "--clusters": clusters_out,
        "--keep": keep_out, "--removed": removed_out,
    }
    _check_rejects(on_bad_record, rejects)
    folders = _spark_folders(outputs, engine_name)
    _check_outputs({**{o: p for o, p in outputs.items() if o not in folders}, "--rejects": rejects}, inputs + phrases)
    _check_lsh(threshold, num_perm)
    _check_engine(engine_name, workers, spark_master)
    config = _checked_config(lambda: ScanConfig(
        shingle=shingle, ngram=ngram, num_perm=num_perm, seed=seed, lsh_threshold=threshold,
        keep_policy=keep_policy, spun_pairs=not no_spin, passages=not (no_spin or no_passages), min_passage=min_passage,
        spin=SpinConfig(enabled=not (no_spin or no_phrase_checks), threshold=spin_threshold, phrase_lists=phrases),
    ))
    options = _read_options(id_field, text_field, encoding, on_bad_record)
    counts: dict[str, Any] | None = None
    found: Report | None = None
    with contextlib.ExitStack() as stack:
        # Every output is renamed into place together, once all are complete (see dedup.io.safe_files); the
        # rejects file is opened first, as the scan's read writes it.
        corpus = _open_corpus(stack, inputs, options, rejects)
        with (_scan_engine(engine_name, workers, spark_master) as running,
              _progress_bar(not quiet and sys.stderr.isatty()) as progress):
            if against is not None:
                explicit = _explicit(ctx, _DECIDING_OPTIONS)
                report = _scan_against(against, corpus, config, explicit, add_to_index, running, progress)
            elif folders:  # Spark outputs: written by the executors; a report only when a file output asks for one
                from dedup.engine.spark_output import scan_to_folders

                notices = Notices()
                wanted = any(path is not None for option, path in outputs.items() if option not in folders)
                found, counts = scan_to_folders(running, corpus, config, folders, report=wanted,  # type: ignore[arg-type]
                                                notices=notices, progress=progress)
                report = found or Report(config=config, documents=(), pairs=(), clusters=(),
                                         notices=notices.counts(), notice_messages=notices.shown())
            else:
                report = dedup.scan(corpus, config, engine=running, progress=progress)
        files = {option: None if option in folders else stack.enter_context(atomic_output(path))
                 for option, path in outputs.items()}
        _write_outputs(report, corpus, files)
        if files["--html"] is not None:
            files["--html"].write(render_report_html(report, title="dedup report: " + " ".join(inputs)))
    if not quiet:
        to_stdout = "-" not in outputs.values()
        console = Console(stderr=not to_stdout)
        if counts is not None and found is None:  # Spark outputs only: the counts, not the report's tables
            from dedup.engine.spark_output import print_counts

            print_counts(counts, console)
        else:
            render_summary(report, console)
        _print_warnings(report, console)


# The scan options that decide what an archive index holds (``dedup.index.archive.deciding_config``).
_DECIDING_OPTIONS = ("shingle", "ngram", "num_perm", "threshold", "seed", "no_spin", "no_passages", "min_passage")


def _explicit(ctx: click.Context, names: tuple[str, ...]) -> list[str]:
    """Which of the options ``names`` the user gave (not left at their defaults)."""
    return [n for n in names if ctx.get_parameter_source(n) not in (None, click.core.ParameterSource.DEFAULT)]


def _scan_against(location: str, corpus: Corpus, config: ScanConfig, explicit: list[str], add: bool,
                  engine: Engine, progress: Callable[[str, int, int | None], None] | None) -> Report:
    """``scan --against``: with no setting given, the index's own settings (and the phrase checks asked for)."""
    with Index(location, create=False, engine=engine) as index:
        if not explicit:
            config = dataclasses.replace(index.config(), spin=config.spin, keep_policy=config.keep_policy)
        notices = Notices()
        report = index.scan(corpus.documents(notices), config, add=add, progress=progress)
    return dataclasses.replace(report, notices=notices.counts(), notice_messages=notices.shown())


def _print_warnings(report: Report, console: Console) -> None:
    for message in report.notice_messages:
        console.print("warning: " + visible(message), style="yellow", highlight=False, markup=False)


def _read_options(id_field: str, text_field: str, encoding: str, on_bad_record: str = "error") -> ReadOptions:
    try:
        return ReadOptions(id_field=id_field, text_field=text_field, encoding=encoding, on_bad_record=on_bad_record)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def _check_rejects(on_bad_record: str, rejects: str | None) -> None:
    """Skipped records must go somewhere: ``--on-bad-record skip`` and ``--rejects FILE`` come together."""
    if on_bad_record == "skip" and rejects is None:
        raise click.UsageError("--on-bad-record skip needs --rejects FILE.jsonl, where the skipped records are kept")
    if on_bad_record != "skip" and rejects is not None:
        raise click.UsageError("--rejects goes with --on-bad-record skip")


def _open_corpus(stack: contextlib.ExitStack, inputs: tuple[str, ...], options: ReadOptions,
                 rejects: str | None) -> Corpus:
    """The corpus of ``inputs``; its rejects file is written beside its target and renamed in when all is done."""
    return Corpus(list(inputs), options, rejects=stack.enter_context(atomic_output(rejects)))


def _write_outputs(report: Report, corpus: Corpus, files: dict[str, IO[str] | None]) -> None:
    if files["--json"] is not None:
        files["--json"].write(json_safe(report.to_json()))
    if files["--pairs"] is not None:
        write_pairs_csv(report, files["--pairs"])
    if files["--clusters"] is not None:
        write_clusters(report, files["--clusters"])
    keep, removed = files["--keep"], files["--removed"]
    if keep is not None or removed is not None:
        write_keep_removed(report, corpus.records(Notices()), keep, removed)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@input_options
@phrase_options
@click.option("--json", "json_out", metavar="FILE|-", help="Write the findings as JSON (schema dedup.report/1).")
@click.option("--all", "show_all", is_flag=True, help="List every document, not only those flagged spun.")
@click.option("--workers", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Processes to use (0: every core).")
@engine_options
@_fail_cleanly
def spin(inputs: tuple[str, ...], id_field: str, text_field: str, encoding: str, on_bad_record: str,
         rejects: str | None, quiet: bool,
         phrases: tuple[str, ...], spin_threshold: float, json_out: str | None, show_all: bool, workers: int,
         engine_name: str, spark_master: str | None) -> None:
    """Phrase checks only: flag documents of INPUTS (files, folders, or - for JSONL on stdin) that read as
    machine-spun, with the evidence.

    Looks for the fingerprints a synonym spinner leaves (broken idioms and collocations, rare synonyms
    where a common word fits) without needing the source text.

    \b
    Examples:
      dedup spin examples/seeds
      dedup spin news.jsonl --json spin.json --phrases tortured.csv
    """
    _check_stdin_once(inputs)
    _check_rejects(on_bad_record, rejects)
    _check_outputs({"--json": json_out, "--rejects": rejects}, inputs + phrases)
    _check_engine(engine_name, workers, spark_master)
    config = _checked_config(
        lambda: ScanConfig(spin=SpinConfig(threshold=spin_threshold, phrase_lists=phrases))
    )
    options = _read_options(id_field, text_field, encoding, on_bad_record)
    with contextlib.ExitStack() as stack:
        corpus = _open_corpus(stack, inputs, options, rejects)
        with (_scan_engine(engine_name, workers, spark_master) as running,
              _progress_bar(not quiet and sys.stderr.isatty()) as progress):
            report = dedup.check_spin(corpus, config, engine=running, progress=progress)
        fh = stack.enter_context(atomic_output(json_out))
        if fh is not None:
            fh.write(json_safe(report.to_json()))
    if not quiet:
        console = Console(stderr=json_out == "-")
        render_spin(report, console, show_all=show_all)
        _print_warnings(report, console)


@main.command()
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option("--pairs", "pairs_in", metavar="FILE.jsonl|-",
              help='Score many pairs: JSON lines {"id", "a", "b"} holding the two texts.')
@click.option("--json", "json_out", metavar="FILE|-", help="Write the verdict as JSON (JSON lines with --pairs).")
@click.option("--html", "html_out", metavar="FILE", help="Write the pair side by side as a self-contained HTML page.")
@click.option("--no-spin", is_flag=True, help="Do not label pairs as spun.")
@click.option("--min-passage", type=click.IntRange(5, 100_000), default=ScanConfig.min_passage, show_default=True,
              metavar="WORDS", help="Shortest passage reported, in words.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the two text files.")
@click.option("--workers", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Processes for --pairs (0: every core).")
@click.option("--quiet", "-q", is_flag=True, help="No terminal output.")
@_fail_cleanly
def compare(a: str | None, b: str | None, pairs_in: str | None, json_out: str | None, html_out: str | None,
            no_spin: bool, min_passage: int, encoding: str, workers: int, quiet: bool) -> None:
    """Explain how text file A relates to text file B, substitutions marked side by side.

    \b
    Examples:
      dedup compare original.txt copy.txt
      dedup compare --pairs pairs.jsonl --json scores.jsonl
    """
    config = _checked_config(lambda: ScanConfig(spun_pairs=not no_spin, min_passage=min_passage))
    inputs = tuple(path for path in (a, b, pairs_in) if path is not None)
    _check_outputs({"--json": json_out, "--html": html_out}, inputs)
    if pairs_in is not None:
        if a is not None or b is not None:
            raise click.UsageError("give either two files A B or --pairs FILE, not both")
        if json_out is None:
            raise click.UsageError("--pairs needs --json OUT.jsonl (or --json - for standard output)")
        if html_out is not None:
            raise click.UsageError("--html explains one pair; it does not go with --pairs")
        with contextlib.ExitStack() as stack:
            lines = sys.stdin.buffer if pairs_in == "-" else stack.enter_context(open(pairs_in, "rb"))
            out = stack.enter_context(atomic_output(json_out))
            assert out is not None
            count = dedup.compare_pairs_file(lines, out, source=pairs_in, config=config, engine=_engine(workers))
        if not quiet and json_out != "-":
            Console(stderr=True).print(f"{count} pairs scored -> {visible(json_out)}", markup=False)
        return
    if a is None or b is None:
        raise click.UsageError("give two text files A and B, or --pairs FILE.jsonl")
    a_text, b_text = _read_text(a, encoding), _read_text(b, encoding)
    comparison = dedup.compare_texts(a_text, b_text, config)
    with atomic_output(json_out) as fh:
        if fh is not None:
            verdict = json.dumps({"a": a, "b": b, **comparison.to_dict()}, ensure_ascii=False, indent=2)
            fh.write(json_safe(verdict) + "\n")
    with atomic_output(html_out) as fh:
        if fh is not None:
            fh.write(render_pair_html(a, a_text, b, b_text, comparison.as_pair(a, b)))
    if not quiet and "-" not in (json_out, html_out):
        render_comparison(a, a_text, b, b_text, comparison, Console())


def _read_text(path: str, encoding: str) -> str:
    try:
        with open(path, encoding=encoding) as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise DedupError(f"{path}: not valid {encoding} at byte {exc.start}. Try --encoding latin-1") from exc
    except FileNotFoundError as exc:
        raise DedupError(f"{path}: no such file. Check the path") from exc
    except IsADirectoryError as exc:
        raise DedupError(f"{path}: is a folder; give a text file. Check the path") from exc


@main.group()
def index() -> None:
    """A persistent archive index: add documents once, then scan new ones against it (scan --against)."""


@index.command("add")
@click.argument("inputs", nargs=-1, required=True)
@input_options
@click.option("--index", "location", required=True, metavar="PATH|URL",
              help="The index: a SQLite file (created if missing) or redis://host:port/db.")
@click.option("--no-spin", is_flag=True, default=None,
              help="Index for near-duplicates only (no spun pairs, no passages).")
@click.option("--no-passages", is_flag=True, default=None, help="Index without passage keys.")
@click.option("--min-passage", type=click.IntRange(5, 100_000), default=None, metavar="WORDS",
              help=f"Shortest passage, in words [default: {ScanConfig.min_passage}].")
@click.option("--shingle", type=click.Choice(["word", "char"]), default=None,
              help="Shingle words or characters [default: word].")
@click.option("--ngram", type=click.IntRange(1, 32), default=None,
              help=f"Shingle length [default: {ScanConfig.ngram}].")
@click.option("--num-perm", type=click.IntRange(16, 1024), default=None,
              help=f"MinHash permutations [default: {ScanConfig.num_perm}].")
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=None,
              help=f"LSH candidate threshold [default: {ScanConfig.lsh_threshold}].")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None,
              help=f"MinHash seed [default: {ScanConfig.seed}].")
@click.option("--workers", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Processes analysing documents (0: every core).")
@_fail_cleanly
def index_add(inputs: tuple[str, ...], id_field: str, text_field: str, encoding: str, on_bad_record: str,
              rejects: str | None, quiet: bool, location: str,
              no_spin: bool | None, no_passages: bool | None, min_passage: int | None, shingle: str | None,
              ngram: int | None, num_perm: int | None, threshold: float | None, seed: int | None,
              workers: int) -> None:
    """Add the documents of INPUTS to an index, creating it if needed (one transaction: all or nothing).

    The settings (shingles, permutations, threshold, ...) are fixed when the index is created; an add to an
    existing index takes them from it, and any given must match.

    \b
    Examples:
      dedup index add archive/ --index archive.db
      dedup index add 2026-12-01.jsonl --index redis://localhost:6379/0
    """
    _check_stdin_once(inputs)
    _check_rejects(on_bad_record, rejects)
    _check_outputs({"--rejects": rejects}, inputs)
    given: dict[str, Any] = {"spun_pairs": None if no_spin is None else not no_spin,
             "passages": None if no_passages is None and no_spin is None else not (no_spin or no_passages),
             "min_passage": min_passage, "shingle": shingle, "ngram": ngram, "num_perm": num_perm,
             "lsh_threshold": threshold, "seed": seed}
    given = {k: v for k, v in given.items() if v is not None}  # the settings given; the rest from the index
    if "lsh_threshold" in given or "num_perm" in given:
        _check_lsh(given.get("lsh_threshold", ScanConfig.lsh_threshold), given.get("num_perm", ScanConfig.num_perm))
    options = _read_options(id_field, text_field, encoding, on_bad_record)
    with (contextlib.ExitStack() as stack, Index(location, create=True, engine=_engine(workers)) as archive,
          _progress_bar(not quiet and sys.stderr.isatty()) as progress):
        corpus = _open_corpus(stack, inputs, options, rejects)
        stored = archive.config() if archive.store.exists() else ScanConfig()
        config = _checked_config(lambda: dataclasses.replace(stored, **given))
        notices = Notices()
        added = archive.add(corpus.documents(notices), config, progress=progress)  # other settings are refused
        total = archive.info()["documents"]
    if not quiet:
        console = Console(stderr=True)
        console.print(f"{added:,} documents added; {total:,} in {visible(shown(location))}", markup=False,
                      highlight=False)
        for message in notices.shown():
            console.print("warning: " + visible(message), style="yellow", highlight=False, markup=False)


@index.command("info")
@click.argument("location", metavar="INDEX")
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
@_fail_cleanly
def index_info(location: str, as_json: bool) -> None:
    """What the index INDEX (a file or redis:// URL) holds: its document count, the settings that decide
    results, format and size.

    \b
    Example:
      dedup index info archive.db --json
    """
    with Index(location, create=False) as archive:
        facts = archive.info()
    if as_json:
        click.echo(json_safe(json.dumps(facts, indent=2, ensure_ascii=False)))
        return
    console = Console()
    console.print(f"index     {visible(facts['index'])}", markup=False, highlight=False)
    console.print(f"documents {facts['documents']:,}", markup=False, highlight=False)
    console.print(f"format    {facts['format']} (written by dedup {facts['dedup']})", markup=False, highlight=False)
    console.print(f"size      {facts['bytes'] / 1e6:,.1f} MB", markup=False, highlight=False)
    settings = ", ".join(f"{k}={v}" for k, v in sorted(facts["config"].items()))
    console.print(f"settings  {settings}", markup=False, highlight=False)


@index.command("remove")
@click.argument("ids_file", metavar="IDS_FILE")
@click.option("--index", "location", required=True, metavar="PATH|URL", help="The index to remove documents from.")
@click.option("--quiet", "-q", is_flag=True, help="No summary and no progress bar.")
@click.option("--workers", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Processes analysing documents (0: every core).")
@_fail_cleanly
def index_remove(ids_file: str, location: str, quiet: bool, workers: int) -> None:
    """Drop the documents whose ids IDS_FILE lists (one per line; - for standard input).

    The index is rebuilt from the texts it keeps (a removed document can change exact groups and
    boilerplate anywhere), in one transaction.

    \b
    Example:
      dedup index remove retracted.txt --index archive.db
    """
    ids = _read_ids(ids_file)
    with (Index(location, create=False, engine=_engine(workers)) as archive,
          _progress_bar(not quiet and sys.stderr.isatty()) as progress):
        removed = archive.remove(ids, progress=progress)
        total = archive.info()["documents"]
    if not quiet:
        Console(stderr=True).print(f"{removed:,} documents removed; {total:,} left in {visible(shown(location))}",
                                   markup=False, highlight=False)


def _read_ids(path: str) -> list[str]:
    try:
        if path == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except FileNotFoundError as exc:
        raise DedupError(f"{path}: no such file. Check the path") from exc
    except UnicodeDecodeError as exc:
        raise DedupError(f"{path}: not valid UTF-8 at byte {exc.start}. Give one id per line in UTF-8") from exc
    ids = [line.strip("\r") for line in text.split("\n") if line.strip()]
    if not ids:
        raise DedupError(f"{path}: no ids in it. Give one id per line")
    return ids


if __name__ == "__main__":  # pragma: no cover
    main()
