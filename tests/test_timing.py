"""dedup.timing: off by default; with DEDUP_STAGE_TIMES set, a scan's processes append their stage timings,
which add up, and the report stays byte for byte the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dedup import timing

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"


def test_off_unless_asked() -> None:
    if os.environ.get(timing.STAGE_TIMES_VARIABLE):
        return  # this test run itself is being timed
    assert not timing.enabled()
    with timing.timed("nothing"):
        pass
    timing.counted("nothing", 1)
    timing.laps("x: ")("nothing", 1)
    timing.flush()  # writes nowhere, raises nothing


def test_read_adds_up_every_line(tmp_path: Path) -> None:
    path = tmp_path / "times.jsonl"
    lines = [{"pid": 1, "seconds": {"verify": [1.0, 0.5]}, "counts": {"verify: passage search": 3}},
             {"pid": 2, "seconds": {"verify": [2.0, 1.5], "analyse": [4.0, 4.0]}, "counts": {}}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    seconds, counts = timing.read(path)
    assert seconds == {"verify": (3.0, 2.0), "analyse": (4.0, 4.0)}
    assert counts == {"verify: passage search": 3}


def test_a_timed_scan_writes_the_same_report(tmp_path: Path) -> None:
    reports = []
    times = tmp_path / "times.jsonl"
    for variable in ("", str(times)):
        out = tmp_path / f"report{len(reports)}.json"
        env = {**os.environ, timing.STAGE_TIMES_VARIABLE: variable}
        subprocess.run([sys.executable, "-m", "dedup.cli", "scan", str(SEEDS), "--quiet", "--workers", "2",
                        "--json", str(out)], cwd=REPO, env=env, check=True)
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    seconds, counts = timing.read(times)
    assert {"analyse", "exact", "boilerplate", "candidates", "verify", "cluster", "report"} <= set(seconds)
    assert "candidates: distinct" in counts  # counted, even when no pair is proposed (as here)
