#!/usr/bin/env bash
# What each of the engine's low-level tricks brings: builds EngineBenchmark once as is and once
# without each trick (a -D build flag: the engine reads no switch at run time), then runs them
# interleaved, ROUNDS rounds of every build in turn, so that a shared machine's load falls on
# all alike. Prints the median and range per build, and per round the ratio of the build as
# is to each other (> 1: the trick pays).
#
#   bash Benchmarks/engine_tricks.sh [rounds=6] [markets ...]     (default markets: 10 1000 10000)
#
# Each build's binary is kept in $OUT (default /tmp/engine-tricks) as EngineBenchmark-FLAG.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-6}; shift || true
[ $# -gt 0 ] || set -- 10 1000 10000
out=${OUT:-/tmp/engine-tricks}
mkdir -p "$out"
builds=(default BREAKWATER_NO_PREFETCH BREAKWATER_NO_HUGE_PAGES BREAKWATER_SORT_INSERTION BREAKWATER_SORT_STANDARD)
for b in "${builds[@]}"; do
    flags=(); [ "$b" = default ] || flags=(-Xswiftc "-D$b")
    swift build -c release --product EngineBenchmark "${flags[@]}" > "$out/build-$b.log" 2>&1 ||
        { tail -30 "$out/build-$b.log"; exit 1; }
    cp .build/release/EngineBenchmark "$out/EngineBenchmark-$b"
done
# Leave the usual build in place.
swift build -c release --product EngineBenchmark > "$out/build.log" 2>&1 || { tail -30 "$out/build.log"; exit 1; }
log="$out/runs.txt"; : > "$log"
for r in $(seq 1 "$rounds"); do
    for b in "${builds[@]}"; do
        echo "== round $r config $b load $(cut -d' ' -f1 /proc/loadavg)" >> "$log"
        "$out/EngineBenchmark-$b" "$@" >> "$log"
    done
done
python3 - "$log" "${builds[@]}" <<'PY'
import re, sys, statistics, collections
log, builds = sys.argv[1], sys.argv[2:]
runs = collections.defaultdict(dict)  # round -> (build, markets, way) -> updates/s
for line in open(log):
    if m := re.match(r'== round (\d+) config (\S+)', line): r, b = int(m[1]), m[2]; continue
    if m := re.match(r'markets (\d+) x 5 sources: one at a time (\d+) .*batches of 1000 (\d+) ', line):
        runs[r][(b, int(m[1]), 'one at a time')] = int(m[2]); runs[r][(b, int(m[1]), 'batches')] = int(m[3])
keys = sorted({(k[1], k[2]) for v in runs.values() for k in v})
for n, way in keys:
    print(f'{n} markets, {way}:')
    for b in builds:
        xs = sorted(v[(b, n, way)] / 1e6 for v in runs.values())
        ratio = '' if b == 'default' else ', as is / this: median ratio %.2f' % statistics.median(
            v[('default', n, way)] / v[(b, n, way)] for v in runs.values())
        print(f'  {b}: median {statistics.median(xs):.2f} M/s ({xs[0]:.2f} - {xs[-1]:.2f}){ratio}')
PY
