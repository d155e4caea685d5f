"""One SparkSession (``local[2]``) for the whole test run: starting the JVM takes seconds, a job milliseconds.

Tests that ask for ``spark`` skip, with the reason, when pyspark or Java is missing; CI installs both.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dedup

# Where the executors' Python workers import dedup from: this checkout, installed or not.
ROOT = str(Path(dedup.__file__).resolve().parents[1])


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.skip("pyspark is not installed: pip install 'dedup[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17 or later: no java on the PATH and no JAVA_HOME")
    from dedup.engine.spark import DAEMON, DAEMON_MODULE

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this Python, with dedup's deps
    session = (
        SparkSession.builder.master("local[2]").appName("dedup-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executorEnv.PYTHONPATH", ROOT)
        .config(DAEMON_MODULE, DAEMON)  # as dedup's own local sessions run (dedup.engine.spark._session)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
