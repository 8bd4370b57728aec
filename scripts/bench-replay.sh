#!/usr/bin/env bash
# Replay benchmark (not a test): wall time of `breakwater replay` over 1,000,000 dense rows
# and over 20 years of daily closes for two markets (inputs from Benchmarks/replay_inputs.py).
# Usage: bash scripts/bench-replay.sh [runs]     (default 3 runs of each input)
#   BIN=path/to/breakwater  time another binary (e.g. an older build kept for comparison)
#   INPUTS=dir              reuse the inputs written there (written when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
if [ -z "${BIN:-}" ]; then
    swift build -c release --product breakwater >/dev/null
    BIN=.build/release/breakwater
fi
dir=${INPUTS:-$(mktemp -d)}
[ -f "$dir/daily.csv" ] && [ -f "$dir/dense.csv" ] || python3 Benchmarks/replay_inputs.py "$dir"
for input in daily dense; do
    rows=$(($(wc -l < "$dir/$input.csv") - 1))
    for _ in $(seq 1 "$runs"); do
        /usr/bin/time -f "%e s %M KB" -o "$dir/time" "$BIN" replay --config "$dir/$input.json" \
            --input "$dir/$input.csv" --output "$dir/$input-events.jsonl" > "$dir/$input-summary.txt" 2> "$dir/$input-progress.txt"
        echo "$input ($rows rows): $(cat "$dir/time"), $(wc -l < "$dir/$input-events.jsonl") events"
    done
done
[ -n "${INPUTS:-}" ] || rm -rf "$dir"
