"""Pool the JSON figures of several ``benchmarks.accuracy`` runs into one table (for the README).

Run: ``python -m benchmarks.summarise_accuracy benchmarks/out/acc-*.json``
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def main(paths: list[str]) -> int:
    found: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    precision: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    order: list[str] = []
    runs = []
    for path in paths:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        runs.append(f"seed {data['seed']} {data['thesaurus']}")
        for system in data["systems"]:
            name = system["name"]
            precision[name][0] += system["pairs_correct"]
            precision[name][1] += system["pairs_reported"]
            for kind, row in system["rows"].items():
                if kind not in order:
                    order.append(kind)
                cell = found[name][kind]
                cell[0] += row["pairs"]
                cell[1] += row["found"]
                cell[2] += row.get("labelled") or 0
    names = list(found)
    print(f"Pooled over {len(runs)} runs: {', '.join(runs)}.\n")
    print("| kind | pairs | " + " | ".join(f"{n} recall" for n in names) + " | dedup labelled as expected |")
    print("|---|---:|" + "---:|" * len(names) + "---:|")
    for kind in order:
        pairs = found[names[0]][kind][0]
        recalls = " | ".join(f"{100 * found[n][kind][1] / max(1, found[n][kind][0]):.1f}%" for n in names)
        dedup = found["dedup"][kind]
        print(f"| {kind} | {pairs} | {recalls} | {100 * dedup[2] / max(1, dedup[0]):.1f}% |")
    cells = " | ".join(
        f"{100 * precision[n][0] / max(1, precision[n][1]):.2f}% ({precision[n][1] - precision[n][0]} false of "
        f"{precision[n][1]})"
        for n in names
    )
    print(f"| **pair precision** | | {cells} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
