"""Two checkouts of dedup side by side on one corpus: wall time, CPU time and peak memory, and whether their
reports are the same.

    python -m benchmarks.versus --base /path/to/old/checkout [--new .] [--docs 20000] [--rounds 3] [--no-spin]

Each round runs the base and then the new checkout (alternating, so load on a shared machine falls on both),
with ``PYTHONPATH`` set to each checkout, on the generated corpus of ``benchmarks.speed``. It prints the
medians and the ratios new / base, and compares the JSON reports (the ``workers`` field aside, which left the
report's config when the scan became stages on an engine).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.speed import CACHE_DIR, corpus_file, measure

REPO = Path(__file__).resolve().parent.parent


def _command(checkout: Path, corpus: Path, out: Path, no_spin: bool) -> list[str]:
    code = "import sys; sys.path.insert(0, sys.argv.pop(1)); from dedup.cli import main; main()"
    argv = [sys.executable, "-c", code, str(checkout), "scan", str(corpus), "-q", "--json", str(out)]
    return argv + (["--no-spin"] if no_spin else [])


def _report(path: Path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))
    report["config"].pop("workers", None)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.versus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="the checkout to compare against")
    parser.add_argument("--new", type=Path, default=REPO, help="the checkout measured (default: this one)")
    parser.add_argument("--docs", type=int, default=20_000, help="documents in the corpus (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each checkout (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus (default 1)")
    parser.add_argument("--no-spin", action="store_true", help="scan with --no-spin")
    parser.add_argument("--corpus", type=Path, help="scan this JSONL file instead of the generated corpus")
    args = parser.parse_args(argv)
    corpus = args.corpus if args.corpus is not None else corpus_file(args.docs, args.seed, CACHE_DIR)[0]
    runs: dict[str, list] = {"base": [], "new": []}
    with tempfile.TemporaryDirectory() as folder:
        outs = {name: Path(folder) / f"{name}.json" for name in runs}
        for round_ in range(args.rounds):
            for name, checkout in (("base", args.base), ("new", args.new)):
                usage = measure(_command(checkout.resolve(), corpus, outs[name], args.no_spin), timeout=3600)
                if usage.exit_code != 0:
                    print(f"{name} failed ({usage.exit_code}): {usage.stderr_tail}")
                    return 1
                runs[name].append(usage)
                print(f"round {round_ + 1} {name}: {usage.seconds:.2f} s wall, {usage.cpu_seconds:.2f} s CPU, "
                      f"{usage.peak_mb:.0f} MB peak")
        same = _report(outs["base"]) == _report(outs["new"])
    med = {name: {k: statistics.median(getattr(u, k) for u in us) for k in ("seconds", "cpu_seconds", "peak_mb")}
           for name, us in runs.items()}
    what = str(args.corpus) if args.corpus is not None else f"{args.docs} documents"
    print(f"{what}{' --no-spin' if args.no_spin else ''}, medians of {args.rounds}:")
    for key, label in (("seconds", "wall s"), ("cpu_seconds", "CPU s"), ("peak_mb", "peak MB")):
        print(f"  {label:8} base {med['base'][key]:8.2f}  new {med['new'][key]:8.2f}  new/base "
              f"{med['new'][key] / med['base'][key]:.3f}")
    print(f"  reports {'identical' if same else 'DIFFER'} (workers field aside)")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
