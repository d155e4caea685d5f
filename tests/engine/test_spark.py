"""Tests of dedup.engine.spark on ``local[2]``: the engine keeps batch order and groups as the local engine
does, a scan on it gives the local engine's report byte for byte, and its connected components are
union-find's. The session is the conftest's, shared by the whole run."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
import dedup.stages.boilerplate
import dedup.stages.pipeline
import dedup.stages.verify
from dedup import Document, LocalEngine, ScanConfig
from dedup.cli import main
from dedup.engine.base import FindsComponents, group_sorted
from dedup.engine.spark import BATCHES_PER_CORE, SparkEngine, connected_components
from dedup.errors import ConfigError, DedupError, MissingDependencyError
from dedup.stages.cluster import UnionFind, build_clusters
from tests.copies import lifted_sources, near_copies, with_exact_copies_of_a_member

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


@pytest.fixture(scope="module")
def engine(spark: Any) -> SparkEngine:
    return SparkEngine(spark)


def _total(batch: list[int]) -> int:
    return sum(batch)


def _offset_total(offset: int, batch: list[int]) -> int:
    return offset + sum(batch)


def _refuse(batch: list[int]) -> int:
    raise ConfigError(f"batch {batch[0]} refused. Try another")


def test_results_come_back_in_batch_order_across_waves(engine: SparkEngine) -> None:
    # More batches than one wave holds, so several jobs run and are yielded in turn.
    batches = [list(range(k, k + k % 5)) for k in range(3 * BATCHES_PER_CORE * engine.workers + 1)]
    assert engine.workers == 2
    assert list(engine.map(_total, batches)) == [sum(b) for b in batches]
    assert list(engine.map_with(_offset_total, 1000, iter(batches))) == [1000 + sum(b) for b in batches]
    assert list(engine.map(_total, [])) == []


def test_a_dedup_error_on_an_executor_is_one_line_on_the_driver(engine: SparkEngine) -> None:
    with pytest.raises(DedupError) as caught:
        list(engine.map(_refuse, [[7], [8]]))
    assert str(caught.value) in ("batch 7 refused. Try another", "batch 8 refused. Try another")


KEYS = st.one_of(
    st.lists(st.integers(-5, 5), max_size=40).map(lambda v: np.array(v, dtype=np.int64)),
    # Exact-copy keys: 16-byte digests as fixed-width bytes, some with trailing zero bytes.
    st.lists(st.sampled_from([b"a" * 16, b"b" * 15 + b"\0", b"b" * 14 + b"\0\1", b"\0" * 16]), max_size=20).map(
        lambda v: np.array(v, dtype="S16")
    ),
)


@given(KEYS)
@settings(max_examples=6, deadline=None)
def test_group_by_key_is_the_local_grouping(engine: SparkEngine, keys: np.ndarray) -> None:
    local, spark = group_sorted(keys), engine.group_by_key(keys)
    for name in ("order", "starts", "sizes"):
        assert getattr(spark, name).tolist() == getattr(local, name).tolist(), name


def test_without_pyspark_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'dedup\[spark\]'"):
        SparkEngine()


def test_a_session_and_a_master_together_are_refused(spark: Any) -> None:
    with pytest.raises(ConfigError, match="not both"):
        SparkEngine(spark, master="local[1]")


def _kernel_threads(batch: list[int]) -> tuple[int, int]:
    from dedup import kernels
    from dedup.engine.spark import task_threads

    return task_threads(), kernels.threads()


def test_kernels_in_a_task_use_the_tasks_cores(engine: SparkEngine) -> None:
    # spark.task.cpus is 1 here (the default): each of local[2]'s two tasks gets one core, and the batch
    # kernels in it one thread, not one per core of the machine.
    cpus = int(engine.context.getConf().get("spark.task.cpus", "1"))
    assert list(engine.map(_kernel_threads, [[1], [2], [3]])) == [(cpus, cpus)] * 3
    from dedup import kernels
    from dedup.engine.spark import task_threads

    assert task_threads() == kernels.threads()  # outside a task: left as it is


def test_the_driver_jit_is_left_alone_when_the_user_sets_java_options(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup.engine.spark import DRIVER_JAVA_OPTIONS, _user_sets

    for name in ("PYSPARK_SUBMIT_ARGS", "SPARK_CONF_DIR", "SPARK_HOME"):
        monkeypatch.delenv(name, raising=False)
    assert not _user_sets(DRIVER_JAVA_OPTIONS)
    (tmp_path / "spark-defaults.conf").write_text("spark.driver.memory 2g\n# spark.driver.extraJavaOptions -Xss8m\n")
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    assert not _user_sets(DRIVER_JAVA_OPTIONS)  # a comment sets nothing
    (tmp_path / "spark-defaults.conf").write_text(f"{DRIVER_JAVA_OPTIONS}   -Xss8m\n")
    assert _user_sets(DRIVER_JAVA_OPTIONS)
    monkeypatch.delenv("SPARK_CONF_DIR")
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", f"--conf {DRIVER_JAVA_OPTIONS}=-Xss8m pyspark-shell")
    assert _user_sets(DRIVER_JAVA_OPTIONS)


# ---------------------------------------------------------------------------------------------------------
# Scans: the same report on either engine.

HEADER, FOOTER = "Daily Courier | Home | News | Sport", "Copyright Daily Courier. All rights reserved."


def _spun(text: str, seed: int) -> str:
    """A spun copy (the benchmarks' spinner, on the mythes thesaurus), or the text with a few words changed
    where that thesaurus is not installed (then the corpus holds no spun pair)."""
    from benchmarks.spinner import ThesaurusNotInstalled, spin

    try:
        return spin(text, 0.35, seed=seed).text
    except ThesaurusNotInstalled:
        return _edited(text, random.Random(seed), 10)


def _edited(text: str, rng: random.Random, edits: int) -> str:
    words = text.split(" ")
    for _ in range(edits):
        words[rng.randrange(len(words))] = rng.choice(["alpha", "beta", "gamma", "delta"])
    return " ".join(words)


def generated_corpus(seed: int) -> list[Document]:
    """The sample articles with copies of every kind: exact (case and spacing changed), edited, trimmed,
    spun, wrapped in a site's furniture (a common line: the boilerplate stage redoes them), a chain of edits
    of one article (a cluster past the listing limit the test sets), and unrelated word salad."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    vocabulary = sorted({w for t in texts for w in t.split()})
    found: list[str] = []
    for text in texts:
        lines = text.split("\n")
        found += [text, "  " + text.upper(), _edited(text, rng, 3), _edited(text, rng, 8),
                  "\n".join(lines[: max(2, len(lines) // 2)]), _spun(text, rng.randrange(100)),
                  f"{HEADER}\n{text}\n{FOOTER}"]
    chain = texts[0]
    for _ in range(7):
        chain = _edited(chain, rng, 2)
        found.append(chain)
    found += [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 160))) for _ in range(25)]
    found += [f"{HEADER}\nA short notice number {k}.\n{FOOTER}" for k in range(4)]
    rng.shuffle(found)
    return [Document(f"doc-{k:03d}", text) for k, text in enumerate(found)]


def _has_thesaurus() -> bool:
    from benchmarks.spinner import ThesaurusNotInstalled, spin

    try:
        spin("The minister said the talks went well.", 0.5, seed=1)
    except ThesaurusNotInstalled:
        return False
    return True


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches, verification chunks and the listing limit small enough that a corpus of a hundred documents
    runs every stage on the engine (several waves of batches, verification on executors, big clusters)."""
    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 6)
    monkeypatch.setattr(dedup.stages.boilerplate, "BATCH", 3)
    monkeypatch.setattr(dedup.stages.verify, "VERIFY_CHUNK", 10)
    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 8)


def test_the_seeds_give_the_local_report(engine: SparkEngine) -> None:
    local = dedup.scan(SEEDS, engine=LocalEngine(1)).to_json()
    assert dedup.scan(SEEDS, engine=engine).to_json() == local


@pytest.mark.usefixtures("small_batches")
def test_a_generated_corpus_gives_the_local_report(engine: SparkEngine) -> None:
    docs = generated_corpus(seed=3)
    local = dedup.scan(docs, ScanConfig(), engine=LocalEngine(2))
    relations = {p.relation for p in local.pairs}
    # The corpus exercises what the engines could disagree on: every kind of pair, big clusters, boilerplate.
    assert {"exact", "near_duplicate", "partial"} <= relations, relations
    assert "spun" in relations or not _has_thesaurus(), relations
    assert local.pairs_not_listed and max(len(c.members) for c in local.clusters) > 8
    assert dedup.scan(docs, ScanConfig(), engine=engine).to_json() == local.to_json()


@pytest.mark.usefixtures("small_batches")
def test_the_report_does_not_depend_on_the_partitioning(spark: Any) -> None:
    # Three shuffle partitions instead of the cores' two, batches of 6 (waves of several jobs).
    docs = generated_corpus(seed=5)
    local = dedup.scan(docs, ScanConfig(), engine=LocalEngine(1)).to_json()
    assert dedup.scan(docs, ScanConfig(), engine=SparkEngine(spark, partitions=3)).to_json() == local


def test_partitions_must_be_positive(spark: Any) -> None:
    with pytest.raises(ConfigError, match="positive whole number"):
        SparkEngine(spark, partitions=0)


def _parts(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("part-*")))


def test_spark_outputs_are_the_local_engines_files(spark: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup.stages.pipeline, "BATCH", 6)  # several waves of batches
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps({"id": d.id, "body": d.text, "n": k}) + "\n"
                              for k, d in enumerate(generated_corpus(seed=3))), encoding="utf-8")
    runner = CliRunner()
    options = ("--pairs", "--clusters", "--keep", "--removed")
    base = ["scan", str(corpus), "--text-field", "body"]
    local = runner.invoke(main, [*base, "--quiet", *[a for o in options for a in (o, str(tmp_path / o[2:]))]])
    assert local.exit_code == 0, local.output
    folders = [a for o in options for a in (o, f"{tmp_path / 'spark' / o[2:]}/")]
    (tmp_path / "spark").mkdir()
    on_spark = runner.invoke(main, [*base, "--engine", "spark", *folders])
    assert on_spark.exit_code == 0, on_spark.output
    for option in options:
        written = _parts(tmp_path / "spark" / option[2:])
        assert written == (tmp_path / option[2:]).read_text(encoding="utf-8"), option
    removed = (tmp_path / "removed").read_text(encoding="utf-8").splitlines()
    assert removed and all('"dedup"' in line for line in removed)
    # Only counts were gathered: the summary prints them, not the report's tables.
    assert f"{len(removed)}" in on_spark.output and "largest clusters" not in on_spark.output
    again = runner.invoke(main, [*base, "--engine", "spark", "--quiet", "--pairs", folders[1]])
    assert again.exit_code == 1 and "already exists" in again.output


def test_an_output_folder_needs_the_spark_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--quiet", "--pairs", f"{tmp_path}/pairs/"])
    assert result.exit_code == 2 and "add --engine spark" in result.output, result.output


# ---------------------------------------------------------------------------------------------------------
# Connected components.


def union_find_labels(n: int, edges: list[tuple[int, int]]) -> list[int]:
    found = UnionFind(n)
    for i, j in edges:
        found.union(i, j)
    return [found.find(v) for v in range(n)]


def _union_find_labels(n: int, edges: list[tuple[int, int]]) -> dict[int, int]:
    """Union-find's label of every node that is in an edge."""
    labels = union_find_labels(n, edges)
    return {v: labels[v] for e in edges for v in e}


def _random_graph(seed: int) -> tuple[int, list[tuple[int, int]]]:
    """Sparse random edges, a long chain of shuffled nodes and a star, over 400 nodes (some isolated)."""
    rng = random.Random(seed)
    n = 400
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(120)]
    chain = rng.sample(range(n), 150)  # a path visiting nodes in random order: many rounds of the iteration
    edges += list(zip(chain, chain[1:], strict=False))
    hub = rng.randrange(n)
    edges += [(hub, rng.randrange(n)) for _ in range(30)] + [(hub, hub)]
    return n, edges


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("edge_count", [None, "exact", "over the one-task limit"])
def test_connected_components_are_union_finds(spark: Any, seed: int, edge_count: str | None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # In rounds (no count, or more edges than ONE_TASK_EDGES), or in one task (a count within it).
    import dedup.engine.spark

    n, edges = _random_graph(seed)
    if edge_count == "over the one-task limit":
        monkeypatch.setattr(dedup.engine.spark, "ONE_TASK_EDGES", len(edges) - 1)
    counted = None if edge_count is None else len(edges)
    found = dict(connected_components(spark.sparkContext.parallelize(edges, 3), edge_count=counted).collect())
    assert found == _union_find_labels(n, edges)


def test_count_reads_every_partition(spark: Any) -> None:
    from dedup.engine.spark import count

    sc = spark.sparkContext
    assert count(sc.parallelize(range(7), 3)) == 7
    assert count(sc.parallelize([], 2)) == 0


def test_the_cluster_stage_finds_components_on_spark(engine: SparkEngine) -> None:
    n, edges = _random_graph(4)
    ids, lengths = [f"d{k}" for k in range(n)], [random.Random(k).randrange(50) for k in range(n)]
    assert isinstance(engine, FindsComponents)
    assert engine.components(n, np.array(edges)).tolist() == [union_find_labels(n, edges)[k] for k in range(n)]
    assert engine.components(3, np.empty((0, 2), dtype=np.int64)).tolist() == [0, 1, 2]
    assert build_clusters(ids, lengths, edges, engine=engine) == build_clusters(ids, lengths, edges)


def test_a_sorted_chain_is_one_component_labelled_by_its_first_node(spark: Any) -> None:
    edges = [(k + 1, k) for k in range(300)]  # the worst case for min-label propagation: 300 rounds
    found = dict(connected_components(spark.sparkContext.parallelize(edges, 2)).collect())
    assert found == {k: 0 for k in range(301)}


# ---------------------------------------------------------------------------------------------------------
# The command line.


@pytest.mark.parametrize("command", ["scan", "spin"])
def test_the_command_line_scans_on_spark(spark: Any, command: str) -> None:
    runner = CliRunner()
    args = [command, str(SEEDS), "--quiet", "--json", "-"]
    local = runner.invoke(main, args)
    on_spark = runner.invoke(main, [*args, "--engine", "spark", "--spark-master", "local[2]"])
    assert local.exit_code == 0 and on_spark.exit_code == 0, on_spark.output
    assert json.loads(on_spark.output) == json.loads(local.output)
    assert not spark.sparkContext._jsc.sc().isStopped()  # the CLI used the running session and left it running


@pytest.mark.parametrize(("extra", "message"), [
    (["--engine", "spark", "--workers", "2"], "--workers is for --engine local"),
    (["--spark-master", "local[2]"], "--spark-master goes with --engine spark"),
])
def test_engine_options_that_do_not_go_together_are_usage_errors(extra: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--quiet", *extra])
    assert result.exit_code == 2 and message in result.output, result.output


def test_without_pyspark_the_command_line_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--quiet", "--engine", "spark"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: this needs the optional package 'pyspark'. Install it with: pip install 'dedup[spark]'"
    )


def test_exact_copies_inside_a_big_cluster_are_listed_as_locally(engine: SparkEngine,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Exact copies of a member that is not the representative keep their exact pair, on both engines.
    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 5)
    docs = with_exact_copies_of_a_member(near_copies(12, seed=5))
    local = dedup.scan(docs, ScanConfig(), engine=LocalEngine(1))
    assert {d for p in local.pairs for d in (p.a, p.b)} >= {"copy0", "copy1", "copy2"}
    assert dedup.scan(docs, ScanConfig(), engine=engine).to_json() == local.to_json()


@pytest.mark.parametrize("family", [True, False])
def test_a_big_cluster_chained_by_partial_pairs_is_listed_as_locally(engine: SparkEngine, family: bool,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Sources each lifted whole into two longer documents, past a lowered limit: their partial pairs chain one
    # big cluster whose families are small, so every pair stays listed, on both engines; with a big family of
    # near copies beside them (or not: no family edge at all), whose pairs not with the representative are
    # dropped on both.
    monkeypatch.setattr(dedup.stages.verify, "LISTED_CLUSTER_LIMIT", 5)
    sources, holders = lifted_sources(7)
    docs = [Document(f"s{k}", t) for k, t in enumerate(sources)] + [Document(f"h{k}", t) for k, t in enumerate(holders)]
    docs += near_copies(8, seed=4) if family else []
    local = dedup.scan(docs, ScanConfig(), engine=LocalEngine(1))
    partial = {(p.a, p.b) for p in local.pairs if p.relation == "partial"}
    assert {(f"s{k}", f"h{h}") for h in range(6) for k in (h, h + 1)} <= partial
    assert local.pairs_not_listed and max(len(c.members) for c in local.clusters) > 5
    assert dedup.scan(docs, ScanConfig(), engine=engine).to_json() == local.to_json()
