"""Running a scan's stages on Apache Spark (``pip install 'dedup[spark]'``): the engine seam's second engine.

The stage functions are the local engine's own (``dedup.stages``): Spark only decides where they run. A
batch becomes one partition of an RDD and its result comes back with ``collect``, which keeps partitions in
order, so results arrive in batch order and the report is byte-identical to the local engine's whatever the
partitioning. Batches go out in waves of a few per core, the next wave read while the last one runs, so
the driver holds two waves of texts, never the whole corpus. State that every batch reads (features, texts,
signatures) is broadcast once and reaches each executor's Python worker once. ``group_by_key`` is a shuffle.

``connected_components`` finds the components of a graph held as an RDD of edges by the large-star /
small-star iteration (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014): the labels it
gives are each component's smallest node, as ``dedup.stages.cluster.UnionFind`` makes them, and no step
gathers the edges on the driver.

pyspark is imported only when an engine is made: without it, ``SparkEngine`` raises
``MissingDependencyError`` with the command to install it.
"""

from __future__ import annotations

import collections
import functools
import gc
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from dedup import kernels
from dedup.engine.base import Groups
from dedup.engine.local import keep_freed_memory, paused_gc
from dedup.errors import ConfigError, DedupError, MissingDependencyError

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "SparkEngine", "connected_components", "require_pyspark"]

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")

DEFAULT_MASTER = "local[*]"

# Up to this many copy edges, connected_components joins the partitions' components in one task rather than
# in rounds of jobs. That task's Python worker holds every such edge and its nodes in lists and dicts: a few
# hundred MB at this size (an estimate, not measured); past it, the rounds keep every task's share small.
ONE_TASK_EDGES = 1_000_000

# Batches per core in one Spark job. Each job costs a few tens of milliseconds to schedule, a batch of 500
# documents a second or so to analyse: four per core keeps the cores busy through a wave and the driver
# holding only a few waves of texts (``map``: the one running and the one being read; ``staged``: two running
# and the one being read).
BATCHES_PER_CORE = 4

# Jobs of ``SparkEngine.staged`` (the scan's analysis waves) running at a time: see there.
STAGED_IN_FLIGHT = 2


def require_pyspark() -> None:
    """Raise ``MissingDependencyError`` (saying what to install) when pyspark is not installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise MissingDependencyError("pyspark", "spark") from None


def _session(master: str | None) -> tuple[SparkSession, bool]:
    """The active SparkSession (and False), or a new one (and True: the caller stops it) that runs this Python
    on its executors: on ``master``; without one, on spark-submit's master when spark-submit started this
    process (it leaves the port of its JVM in PYSPARK_GATEWAY_PORT), else on ``DEFAULT_MASTER``."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    # Workers run PYSPARK_PYTHON, "python3" on the PATH by default: not this (virtual) environment's Python
    # with dedup's dependencies unless it is activated. Set only when the user has not chosen one.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        builder = SparkSession.builder.appName("dedup").config("spark.ui.showConsoleProgress", "false")
        if master is not None or "PYSPARK_GATEWAY_PORT" not in os.environ:
            builder = builder.master(master or DEFAULT_MASTER)
            if not _user_sets(DRIVER_JAVA_OPTIONS):
                builder = builder.config(DRIVER_JAVA_OPTIONS, DRIVER_JIT)
            if (master or DEFAULT_MASTER).startswith("local") and not _user_sets(DAEMON_MODULE):
                builder = builder.config(DAEMON_MODULE, DAEMON)
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: pyspark raises its own runtime errors, not OSError
        raise DedupError(
            f"could not start Spark on {master or DEFAULT_MASTER!r} ({type(exc).__name__}: {_first_line(str(exc))})."
            " Spark needs Java 17 or later on the PATH (or JAVA_HOME); check --spark-master"
        ) from exc
    session.sparkContext.setLogLevel("ERROR")  # a scan's own output, not Spark's warnings
    return session, True


DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"

# The JVM this process starts compiles hot code once (C1), not again with the optimising compiler (C2): its
# work is scheduling and moving bytes, and C2 compiling Spark's code paths cost more CPU than it saved.
# Measured on this 2-core machine (loaded: CPU seconds, not wall): starting Spark 8.5 -> 4.7 s of the JVM's
# CPU; a local[2] scan of 5,000 documents 15.9 -> 8.7 s of the JVM's CPU (29.0 -> 23.2 s in all); of 20,000,
# 20.8 -> 11.4 s. In local[N] the executors are this JVM too; a cluster's executors are not changed.
DRIVER_JIT = "-XX:TieredStopAtLevel=1"


DAEMON_MODULE = "spark.python.daemon.module"

# The Python worker daemon of the sessions dedup starts on local[N]: PySpark's own, with dedup's modules and
# the phrase checks' shipped data loaded before it forks the workers (dedup.engine.spark_daemon), so a
# worker does not load them again: about 1.3 s of CPU and 300 MB each, and local[2] starts four workers
# where local[1] starts two (a cached RDD first computed inside another Python stage takes a worker of its
# own). A cluster's executors keep PySpark's daemon.
DAEMON = "dedup.engine.spark_daemon"


def _user_sets(key: str) -> bool:
    """Whether ``key`` is set for spark-submit already: in PYSPARK_SUBMIT_ARGS or a spark-defaults.conf (of
    SPARK_CONF_DIR, or SPARK_HOME's conf/), where dedup leaves the user's choice alone."""
    if key in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return True
    home = os.environ.get("SPARK_HOME")
    for folder in filter(None, (os.environ.get("SPARK_CONF_DIR"), home and os.path.join(home, "conf"))):
        try:
            with open(os.path.join(folder, "spark-defaults.conf"), encoding="utf-8") as defaults:
                if any(line.split(None, 1)[:1] == [key] for line in defaults):
                    return True
        except OSError:
            continue
    return False


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "no message")


# What a dedup error raised on an executor looks like in the traceback Spark sends back.
_REMOTE_ERROR = re.compile(r"^dedup\.errors\.\w+: (.+)$", re.MULTILINE)


def _collect(rdd: RDD[R]) -> list[R]:
    """``rdd.collect()``, a dedup error raised on an executor raised again here as the one-line DedupError
    it was (Spark wraps it in a Java exception holding the worker's whole traceback)."""
    try:
        return rdd.collect()
    except Exception as exc:
        found = _REMOTE_ERROR.findall(str(exc))
        if found:
            raise DedupError(found[-1].strip()) from exc
        raise


_PREPARED = False  # whether this (executor's Python worker) process has tuned its allocator yet


def _run_batch(func: Callable[[T], R], batch: T) -> R:
    """``func(batch)`` on an executor, as a local worker runs it: freed memory kept, the collector paused,
    and the compiled kernels on the task's cores (``task_threads``)."""
    global _PREPARED
    if not _PREPARED:
        keep_freed_memory()
        _PREPARED = True
    kernels.set_threads(task_threads())
    with paused_gc():  # see dedup.engine.local.paused_gc: what a batch builds holds no cycles
        result = func(batch)
    # PySpark's worker runs a full collection after every task (pyspark.daemon), walking every object this
    # worker holds: the modules, the phrase checker's tables, the broadcast state. Frozen, they are left out
    # of it, and reference counting still frees what the batch made (it holds no cycles, see paused_gc).
    # Measured with py-spy on local[2], 20,000 documents: those collections took 8.5 s of the workers' CPU
    # time, 1.5 s once frozen.
    gc.freeze()
    return result


def task_threads() -> int:
    """How many threads the batch kernels may use in the Spark task running now: the cores Spark gave it
    (``spark.task.cpus``, 1 unless configured); outside a task, as many as they use already.

    An executor runs as many tasks side by side as it has cores, each in a Python worker of its own; a
    kernel using every core in each would put N tasks' N threads each on N cores, and local[1] would use
    every core of the machine. The local engine's workers are set to one thread each likewise
    (``dedup.engine.local``).
    """
    from pyspark import TaskContext

    context = TaskContext.get()
    return kernels.threads() if context is None else max(1, int(context.cpus()))


def _run_with_state(func: Callable[[S, T], R], state: Any, batch: T) -> R:
    """``func(state.value, batch)``: the broadcast ``state`` is unpickled once per worker, then cached."""
    return _run_batch(functools.partial(func, state.value), batch)


class SparkEngine:
    """The engine of a Spark cluster (or ``local[n]``): batches run as RDD partitions on the executors.

    ``spark`` is a SparkSession or SparkContext to use; without one, the active session is used (as it is,
    whatever ``master`` says: Spark runs one per process), or one is started on ``master`` (by default
    spark-submit's, or ``local[*]``: every core of this machine) and stopped again by ``close``.
    ``workers`` is the context's default parallelism (the executors' cores). ``partitions`` sets how many
    partitions hold a scan's documents and its shuffles (by default the cores): it never changes a result.

    >>> engine = SparkEngine(master="local[1]")  # doctest: +SKIP
    >>> list(engine.map(len, [[1, 2], [3]]))  # doctest: +SKIP
    [2, 1]
    """

    def __init__(self, spark: SparkSession | SparkContext | None = None, *, master: str | None = None,
                 partitions: int | None = None) -> None:
        require_pyspark()
        if partitions is not None and (isinstance(partitions, bool) or not isinstance(partitions, int)
                                       or partitions < 1):
            raise ConfigError(f"partitions must be a positive whole number, not {partitions!r}")
        self.partitions = partitions  # of a scan's shuffles; None: from the cores and the corpus's size
        from pyspark.sql import SparkSession

        if spark is not None and master is not None:
            raise ConfigError("give SparkEngine a session or a master URL, not both")
        self._owned = False
        if spark is None:
            spark, self._owned = _session(master)
        self._sc: SparkContext = spark.sparkContext if isinstance(spark, SparkSession) else spark
        self._session = spark

    @property
    def context(self) -> SparkContext:
        return self._sc

    @property
    def workers(self) -> int:
        return max(1, int(self._sc.defaultParallelism))

    def map(self, func: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        return self._waves(functools.partial(_run_batch, func), batches)

    def map_with(self, func: Callable[[S, T], R], state: S, batches: Iterable[T]) -> Iterator[R]:
        broadcast = self._sc.broadcast(state)
        try:
            yield from self._waves(functools.partial(_run_with_state, func, broadcast), batches)
        finally:
            broadcast.unpersist()

    def _waves(self, task: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        """``task`` over ``batches``, one partition per batch, in jobs of a wave of batches; while one job
        runs, the next wave is read and queued behind it.

        One thread runs the jobs, one after the other: two jobs running side by side share the cores task by
        task, and the first wave's results then come back only when both are done (measured: 16.6 s instead
        of 12.7 s for the first 4,000 documents on local[2]).
        """
        wave_size = BATCHES_PER_CORE * self.workers
        items = iter(batches)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dedup-spark-job") as jobs:
            running: Future[list[R]] | None = None
            while wave := list(itertools.islice(items, wave_size)):
                rdd = self._sc.parallelize(wave, len(wave)).map(task)
                submitted = jobs.submit(_collect, rdd)
                if running is not None:
                    yield from running.result()
                running = submitted
            if running is not None:
                yield from running.result()

    def wave_batches(self) -> int:
        """How many batches one job of a wave runs."""
        return BATCHES_PER_CORE * self.workers

    def staged(self, jobs: Iterable[T], wave_size: int, transform: Callable[[RDD[T]], RDD[R]], *,
               slices: int | None = None) -> Iterator[RDD[R]]:
        """``transform`` of each wave of ``jobs`` (in ``slices`` partitions, by default one per job), computed,
        kept on the executors' disks and cut from its lineage, so the driver (its JVM too) holds no wave once
        it has run. Waves come back in order.

        Two waves' jobs are in flight at a time (and the next wave is read meanwhile): Spark's FIFO scheduler
        runs the second one's tasks as soon as the first one's leave a core free, so the cores do not wait
        at the end of each wave for its slowest task (a wave is a task per partition, of several batches
        each), nor between waves for the next job to be planned and its texts moved.
        """
        from pyspark import StorageLevel

        def run(rdd: RDD[R]) -> RDD[R]:
            rdd.count()
            return rdd

        items = iter(jobs)
        with ThreadPoolExecutor(max_workers=STAGED_IN_FLIGHT, thread_name_prefix="dedup-spark-job") as pool:
            running: collections.deque[Future[RDD[R]]] = collections.deque()
            while wave := list(itertools.islice(items, wave_size)):
                rdd = transform(self._sc.parallelize(wave, min(len(wave), slices or len(wave))))
                rdd = rdd.persist(StorageLevel.DISK_ONLY)
                rdd.localCheckpoint()
                running.append(pool.submit(run, rdd))
                if len(running) == STAGED_IN_FLIGHT:
                    yield running.popleft().result()
            while running:
                yield running.popleft().result()

    def scan_documents(self, documents: Iterable[Any], config: Any, **options: Any) -> Any:
        """The whole scan as Spark jobs (``dedup.engine.spark_scan.scan_on_spark``): what ``dedup.scan`` runs
        on this engine. A dedup error raised on an executor comes back as the one-line error it was."""
        from dedup.engine.spark_scan import scan_on_spark

        try:
            return scan_on_spark(self, documents, config, **options)
        except DedupError:
            raise
        except Exception as exc:
            found = _REMOTE_ERROR.findall(str(exc))
            if found:
                raise DedupError(found[-1].strip()) from exc
            raise

    def group_by_key(self, keys: np.ndarray) -> Groups:
        """The positions of ``keys`` grouped by equal key, by a shuffle: groups in increasing key order,
        each group's positions increasing (as ``dedup.engine.base.group_sorted`` gives them)."""
        if len(keys) == 0:
            empty = np.empty(0, dtype=np.int64)
            return Groups(empty, empty, empty)
        # Python values of numpy keys compare as numpy does (fixed-width bytes lose only their padding).
        slices = min(len(keys), 2 * self.workers)
        grouped = (self._sc.parallelize(list(enumerate(keys.tolist())), slices)
                   .map(lambda item: (item[1], item[0]))
                   .groupByKey(slices)
                   .mapValues(sorted)
                   .sortByKey(numPartitions=slices)
                   .values())
        members = _collect(grouped)
        sizes = np.array([len(m) for m in members], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        order = np.fromiter(itertools.chain.from_iterable(members), dtype=np.int64, count=len(keys))
        return Groups(order, starts, sizes)

    def components(self, n: int, edges: np.ndarray) -> np.ndarray:
        """For each of ``n`` items, the smallest item joined to it by ``edges``: ``connected_components``
        on the executors (``dedup.engine.base.FindsComponents``, which the cluster stage uses)."""
        labels = np.arange(n, dtype=np.int64)
        if len(edges) == 0:
            return labels
        slices = min(len(edges), 2 * self.workers)
        found = _collect(connected_components(self._sc.parallelize(edges.tolist(), slices), edge_count=len(edges)))
        if found:
            nodes, roots = zip(*found, strict=True)
            labels[list(nodes)] = roots
        return labels

    def close(self) -> None:
        """Stop the Spark session if this engine started it (one it was given is left running)."""
        if self._owned:
            self._session.stop()
            self._owned = False

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SparkEngine(master={self._sc.master!r}, workers={self.workers})"


# ---------------------------------------------------------------------------------------------------------
# Connected components.

def connected_components(edges: RDD[tuple[int, int]], *, edge_count: int | None = None) -> RDD[tuple[int, int]]:
    """``(node, label)`` for every node of an edge, labelled with the smallest node of its component.

    Large-star and small-star alternate until every component is a star around its smallest node: a
    node's neighbours larger than it are linked to its neighbourhood's minimum (large-star), then a node and
    its smaller neighbours to their minimum (small-star). Each step keeps the components and shrinks their
    depth; a chain of n nodes takes O(log n) rounds. Self-loops and repeated edges are allowed.

    ``edge_count``, when the caller knows it (``len(edges)`` or at most that): with no more than
    ``ONE_TASK_EDGES`` edges, what each partition's union-find leaves is joined by one union-find in one
    task instead, which needs no rounds and so no job of its own (the rounds are a job each).

    >>> from pyspark import SparkContext  # doctest: +SKIP
    >>> sorted(connected_components(sc.parallelize([(3, 4), (4, 9), (1, 2)])).collect())  # doctest: +SKIP
    [(1, 1), (2, 1), (3, 3), (4, 3), (9, 3)]
    """
    # Oriented from the larger node to the smaller, self-loops dropped (a lone node is its own label).
    # Repeated edges are let through: each step reads a node's neighbours as a set.
    nodes = edges.flatMap(lambda e: (e[0], e[1])).distinct()
    # Each partition's edges first joined by union-find there, into stars around their smallest node: the
    # same components, and most of them finished (copies of one text are seldom spread over partitions), so
    # the rounds below, a job and two shuffles each, are few; often none.
    current = edges.mapPartitions(_local_stars)
    if edge_count is not None and edge_count <= ONE_TASK_EDGES:
        # At most as many star edges as edges: one union-find over them all is one more shuffle, no job.
        current = current.partitionBy(1).mapPartitions(_local_stars)
    else:
        current = current.persist()
        done = _is_star_forest(current)
        while not done:
            # One job a round: the star check computes the round, which is cached before the last is dropped.
            star = _small_star(_large_star(current)).persist()
            done = _is_star_forest(star)
            current.unpersist()
            current = star
    labels = current.union(nodes.map(lambda node: (node, node))).reduceByKey(min)
    return labels


def _local_stars(edges: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The components of ``edges`` (union-find) as edges from each node to its component's smallest node."""
    from dedup.stages.cluster import UnionFind

    pairs = [(int(a), int(b)) for a, b in edges if a != b]
    index = {v: k for k, v in enumerate(sorted({v for e in pairs for v in e}))}
    nodes = sorted(index)
    found = UnionFind(len(nodes))  # over positions in increasing node order: roots are the smallest nodes
    for a, b in pairs:
        found.union(index[a], index[b])
    for k, node in enumerate(nodes):
        root = found.find(k)
        if root != k:
            yield node, nodes[root]


def _large_star(edges: RDD[tuple[int, int]]) -> RDD[tuple[int, int]]:
    """Each node's larger neighbours linked to the minimum of its neighbourhood and itself."""

    def link(item: tuple[int, Iterable[int]]) -> list[tuple[int, int]]:
        node, neighbours = item
        found = set(neighbours)
        low = min(min(found), node)
        return [(v, low) for v in found if v > node]

    return edges.flatMap(lambda e: ((e[0], e[1]), (e[1], e[0]))).groupByKey().flatMap(link)


def _small_star(edges: RDD[tuple[int, int]]) -> RDD[tuple[int, int]]:
    """Each node and its smaller neighbours linked to their minimum (``edges`` run larger to smaller)."""

    def link(item: tuple[int, Iterable[int]]) -> list[tuple[int, int]]:
        node, smaller = item
        group = {*smaller, node}
        low = min(group)
        return [(v, low) for v in group if v != low]

    return edges.groupByKey().flatMap(link)


_Role = tuple[int | None, int | None, bool]  # a node's smallest and largest parent, and whether it is a parent


def _merge_roles(a: _Role, b: _Role) -> _Role:
    parents = [p for p in (a[0], a[1], b[0], b[1]) if p is not None]
    return (min(parents), max(parents), a[2] or b[2]) if parents else (None, None, a[2] or b[2])


def _is_star_forest(edges: RDD[tuple[int, int]]) -> bool:
    """Whether every edge (larger -> smaller) runs from a node with one parent to a node with none."""
    roles = edges.flatMap(lambda e: ((e[0], (e[1], e[1], False)), (e[1], (None, None, True))))
    merged = roles.reduceByKey(_merge_roles)
    return not count(merged.filter(lambda kv: kv[1][0] is not None and (kv[1][2] or kv[1][0] != kv[1][1])))


def count(rdd: RDD[Any]) -> int:
    """How many records ``rdd`` holds, every partition read to its end: ``rdd.isEmpty()`` stops reading one
    early, which ends the Python worker reading it (PySpark reuses only a worker whose task read all of its
    input), and the next task then pays for a new worker's imports."""
    return sum(_collect(rdd.mapPartitions(_count_of)))


def _count_of(items: Iterable[Any]) -> list[int]:
    return [sum(1 for _ in items)]
