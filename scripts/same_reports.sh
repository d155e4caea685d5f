#!/usr/bin/env bash
# Whether a change left the scan reports byte-identical: writes the JSON reports of `dedup scan` on the
# examples and the speed corpora (5,000 and 20,000 documents, benchmarks/.cache) into DIR, or, given a second
# directory written before the change, compares them with cmp.
#
#   scripts/same_reports.sh write /tmp/before      # on the old code
#   scripts/same_reports.sh write /tmp/after       # on the new code
#   scripts/same_reports.sh compare /tmp/before /tmp/after
#
# Set DOCS to choose the speed corpora (default "5000 20000"); each must be in benchmarks/.cache (run
# `python -m benchmarks.speed --docs N --rounds 1 --only rensa` once to build one).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: same_reports.sh write DIR | compare BEFORE AFTER}
inputs() {
    echo "seeds examples/seeds"
    echo "today examples/today.jsonl"
    for n in ${DOCS:-5000 20000}; do
        echo "speed-$n benchmarks/.cache/speed-v1-$n-seed1.jsonl"
    done
}
case $mode in
write)
    out=${2:?usage: same_reports.sh write DIR}
    mkdir -p "$out"
    inputs | while read -r name path; do
        python -m dedup.cli scan "$path" --quiet --json "$out/$name.json"
        python -m dedup.cli scan "$path" --quiet --no-spin --json "$out/$name-no-spin.json"
        echo "wrote $out/$name.json, $out/$name-no-spin.json"
    done
    ;;
compare)
    before=${2:?usage: same_reports.sh compare BEFORE AFTER} after=${3:?usage: same_reports.sh compare BEFORE AFTER}
    status=0
    inputs | { while read -r name _; do
        for report in "$name.json" "$name-no-spin.json"; do
            if cmp "$before/$report" "$after/$report"; then echo "same: $report"; else status=1; fi
        done
    done; exit $status; }
    ;;
*)
    echo "usage: same_reports.sh write DIR | compare BEFORE AFTER" >&2
    exit 2
    ;;
esac
