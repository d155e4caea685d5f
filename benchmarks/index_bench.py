"""The archive index against a full scan (issue 15), on the speed benchmark's corpus.

    python -m benchmarks.index_bench [--docs 50000] [--new 0.1] [--seed 1] [--corpus FILE.jsonl] [--repeat N]
                                     [--json OUT]

Splits the corpus (``benchmarks.speed.corpus_file``) into an archive (the first 90%) and new documents (the
rest), then runs, each as a child process of its own (``benchmarks.speed.measure``): a full scan of all of
it, ``dedup index add`` of the archive, and ``dedup scan NEW --against INDEX``. It reports the scan
against the index as a share of the full scan's wall time (target <= 20%), that scan's peak memory (target
<= 500 MB), the index's size on disk against its input (target <= 1.5x), whether the pairs touching a new
document are exactly the full scan's, and a kill -9 in the middle of adding the whole archive to an index of
the new documents: afterwards that index must answer exactly as before the add.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.speed import Usage, corpus_file, measure

DEDUP = [sys.executable, "-m", "dedup"]


def _pairs(report: Path, touching: set[str] | None = None) -> list[str]:
    found = json.loads(report.read_text(encoding="utf-8"))["pairs"]
    return sorted(json.dumps(p, sort_keys=True) for p in found
                  if touching is None or p["a"] in touching or p["b"] in touching)


def _killed_add(index: Path, new: Path, after: float) -> int:
    """Start ``dedup index add NEW`` and kill -9 it ``after`` seconds in; its exit status."""
    proc = subprocess.Popen([*DEDUP, "index", "add", str(new), "--index", str(index), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGKILL)  # the add and its workers, as a crash would
    return proc.wait()


def _round(full: Usage, against: Usage) -> dict[str, float]:
    """One full scan and one scan against the index, as shares, with the machine's load after them."""
    return {"wall_share": against.seconds / full.seconds, "cpu_share": against.cpu_seconds / full.cpu_seconds,
            "full_seconds": full.seconds, "against_seconds": against.seconds, "load_1min": os.getloadavg()[0]}


def split_corpus(corpus: Path, new_share: float, work: Path) -> tuple[list[str], int, Path, Path]:
    """The corpus's lines, where the new part starts, and the two parts written as ``work``'s archive.jsonl
    (first) and new.jsonl (the last ``new_share``)."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = int(len(lines) * (1 - new_share))
    archive, new = work / "archive.jsonl", work / "new.jsonl"
    archive.write_text("".join(lines[:cut]), encoding="utf-8")
    new.write_text("".join(lines[cut:]), encoding="utf-8")
    return lines, cut, archive, new


def run(n_docs: int, new_share: float, seed: int, work: Path, corpus: Path | None = None,
        repeat: int = 1) -> dict[str, object]:
    if corpus is None:
        corpus, _, _ = corpus_file(n_docs, seed)
    lines, cut, archive, new = split_corpus(corpus, new_share, work)
    new_ids = {json.loads(line)["id"] for line in lines[cut:]}
    index = work / "archive.db"

    full = measure([*DEDUP, "scan", str(corpus), "--quiet", "--json", str(work / "full.json")], 3600)
    add = measure([*DEDUP, "index", "add", str(archive), "--index", str(index), "--quiet"], 3600)
    size = index.stat().st_size
    against = measure([*DEDUP, "scan", str(new), "--against", str(index), "--quiet", "--json",
                       str(work / "against.json")], 3600)
    exact = _pairs(work / "full.json", new_ids) == _pairs(work / "against.json")
    # On a shared machine the load moves between two runs: with --repeat, the full scan and the scan against
    # the index alternate, each pair's ratios are kept with the load, and the medians are reported.
    rounds = [_round(full, against)]
    for _ in range(repeat - 1):
        again = measure([*DEDUP, "scan", str(corpus), "--quiet", "--json", str(work / "full-again.json")], 3600)
        against_again = measure([*DEDUP, "scan", str(new), "--against", str(index), "--quiet", "--json",
                                 str(work / "against-again.json")], 3600)
        rounds.append(_round(again, against_again))

    # kill -9 in the middle of a large add: an index of the new documents, to which the whole archive is
    # being added; afterwards it must answer as before (probed with a scan of the archive's first documents).
    killed, probe = work / "killed.db", work / "probe.jsonl"
    probe.write_text("".join(lines[: min(2000, cut)]), encoding="utf-8")
    subprocess.run([*DEDUP, "index", "add", str(new), "--index", str(killed), "--quiet"], check=True)
    subprocess.run([*DEDUP, "scan", str(probe), "--against", str(killed), "--quiet", "--json",
                    str(work / "probe-before.json")], check=True)
    status = _killed_add(killed, archive, max(1.0, add.seconds * 0.6))
    after = measure([*DEDUP, "scan", str(probe), "--against", str(killed), "--quiet", "--json",
                     str(work / "probe-after.json")], 3600)
    info = json.loads(subprocess.run([*DEDUP, "index", "info", str(killed), "--json"], capture_output=True,
                                     text=True, check=True).stdout)
    survived = (status != 0 and after.exit_code == 0 and info["documents"] == len(lines) - cut
                and _pairs(work / "probe-after.json") == _pairs(work / "probe-before.json"))
    return {
        "documents": len(lines), "archived": cut, "new": len(lines) - cut,
        "full_scan": full.__dict__, "index_add": add.__dict__, "scan_against": against.__dict__,
        "against_share_of_full_wall": statistics.median(r["wall_share"] for r in rounds),
        "against_share_of_full_cpu": statistics.median(r["cpu_share"] for r in rounds),
        "rounds": rounds,
        "index_bytes": size, "archive_input_bytes": archive.stat().st_size,
        "size_ratio": size / archive.stat().st_size,
        "pairs_touching_new": len(_pairs(work / "against.json")), "pairs_in_full_scan": len(_pairs(work / "full.json")),
        "identical_to_full_scan": exact,
        "kill9_exit_status": status, "kill9_index_unchanged": survived,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--new", type=float, default=0.1, help="share of the corpus that is new")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", dest="json_out")
    parser.add_argument("--corpus", type=Path, help="a JSONL corpus instead of the speed benchmark's (e.g. Reuters)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate the full scan and the scan against the index this many times; medians")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, not {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="dedup-index-bench-") as folder:
        result = run(args.docs, args.new, args.seed, Path(folder), args.corpus, args.repeat)
    print(json.dumps(result, indent=2))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
