"""PySpark's Python worker daemon, with dedup's modules and the phrase checks' shipped data loaded before it
forks its workers (``spark.python.daemon.module``, set by ``dedup.engine.spark`` on the sessions it starts).

PySpark's daemon (``pyspark.daemon``) forks one Python worker per task slot that needs one; each worker
otherwise imports dedup and loads the phrase data (``dedup.spin.data.shipped``: about 1 s of CPU and 300 MB)
itself. Loaded here once, every worker inherits them from the fork, their pages shared until written.
Nothing here starts a thread (a fork keeps only the forking one): the data are numpy arrays, dicts and a
JSON model read from the package, and the compiled kernels' threads start only when a batch runs.

Run by Spark as ``python -m dedup.engine.spark_daemon`` with pyspark.daemon's own arguments.
"""

from __future__ import annotations

import gc

__all__ = ["main", "preload"]


def preload() -> None:
    """Import what the executors' functions import, and load the shipped phrase data."""
    import dedup.engine.spark_scan
    import dedup.stages.analyse
    import dedup.verify.pair  # noqa: F401
    from dedup.spin.data import shipped

    shipped()
    # Frozen, the loaded objects are left out of every later collection in the daemon and its workers
    # (PySpark collects after each task), and those collections write none of their pages.
    gc.freeze()


def main() -> None:
    from pyspark.daemon import manager

    preload()
    manager()


if __name__ == "__main__":
    main()
