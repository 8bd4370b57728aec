#!/usr/bin/env bash
# Per-update instruction and cache-miss counts of the engine benchmark, which (unlike
# timings on a shared machine) do not vary from run to run. Needs valgrind.
#
#   bash Benchmarks/engine_counts.sh [markets ...]      (default: 10 1000 10000)
#   LL_MIB=8 bash Benchmarks/engine_counts.sh 10000     (another last-level cache size)
#
# Each figure is a run of 200,000 updates minus a run of 50,000, divided by 150,000, so the
# engine's setup cancels out (hashing made deterministic so that setup costs the same in
# both runs; the benchmark's own quote generation, ~50 instructions, stays in). Batched
# mode. "LL misses" come from valgrind's cache simulator with a last level of LL_MIB MiB
# (default 2, this machine's per-core L2): the cache lines a quote has to wait for or
# prefetch. Sweeping LL_MIB shows how much cache the quotes' working set needs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product EngineBenchmark >/dev/null 2>&1
bin=.build/release/EngineBenchmark
ll_bytes=$(( ${LL_MIB:-2} * 1024 * 1024 ))
run() { # markets updates: cachegrind's summary
    SWIFT_DETERMINISTIC_HASHING=1 BENCH_MODE=batch BENCH_ROUNDS=1 BENCH_UPDATES=$2 valgrind --tool=cachegrind \
        --cache-sim=yes --LL=$ll_bytes,16,64 --cachegrind-out-file=/dev/null "$bin" "$1" 2>&1
}
field() { grep -E "$1" | head -1 | awk -F: '{print $2}' | awk '{gsub(",", "", $1); print $1}'; }
[ $# -gt 0 ] || set -- 10 1000 10000
for markets in "$@"; do
    big=$(run "$markets" 200000); small=$(run "$markets" 50000)
    i=$(( ($(echo "$big" | field "I *refs") - $(echo "$small" | field "I *refs")) / 150000 ))
    llb=$(echo "$big" | field "LL misses"); lls=$(echo "$small" | field "LL misses")
    echo "markets $markets: $i instructions per update, $(awk -v a="$llb" -v b="$lls" 'BEGIN{printf "%.1f", (a-b)/150000}') LL misses per update (${LL_MIB:-2} MiB last level)"
done
