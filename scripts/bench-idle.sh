#!/usr/bin/env bash
# Idle-cost benchmark (not a test): N markets x 5 push sources, one round of quotes so every
# market is live, then no quote at all for S seconds. Prints the CPU the server used over those
# seconds (utime+stime from /proc/PID/stat, as % of one core), the bytes it wrote meanwhile
# (wchar from /proc/PID/io: SQLite's WAL writes, no request is served) and the WAL size after.
# Usage: [MAX_AGE_MS=120000] bash scripts/bench-idle.sh [markets=1000] [seconds=60] [binary=.build/release/breakwater]
# MAX_AGE_MS is every market's aggregation.maxAgeMs: longer than seconds, the markets stay live (and
# warming, which lasts maxAgeMs from start) for the whole measure; shorter, every source goes
# stale during it and the quorum-lost alerts of every market are written then.
# Build the binary first: swift build -c release --product breakwater
set -euo pipefail
cd "$(dirname "$0")/.."
markets=${1:-1000}
secs=${2:-60}
bin=${3:-.build/release/breakwater}
[ -x "$bin" ] || { echo "no binary at $bin (swift build -c release --product breakwater)"; exit 1; }
port=$((18000 + RANDOM % 1000))
dir=$(mktemp -d)
python3 - "$markets" "$port" "$dir" "${MAX_AGE_MS:-120000}" > "$dir/config.json" <<'PY'
import json, sys
n, port, d, max_age = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
sources = [{"id": f"f{k}", "kind": "push", "tokenEnv": f"BENCH_FEEDER_{k}"} for k in range(5)]
print(json.dumps({"server": {"host": "127.0.0.1", "port": port}, "storage": {"path": f"{d}/state.sqlite"},
                  "markets": [{"id": f"M{i}", "sources": sources, "aggregation": {"minSources": 3, "maxAgeMs": max_age}} for i in range(n)]}))
PY
for k in 0 1 2 3 4; do export "BENCH_FEEDER_$k=bench-idle-feeder-token-$k"; done
"$bin" serve --config "$dir/config.json" --log-level warning > "$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "server did not become ready"; cat "$dir/serve.log"; exit 1; }
# One round: every source quotes every market once (batches of at most 5,000 quotes).
now=$(date +%s)
for k in 0 1 2 3 4; do
  for ((first = 0; first < markets; first += 5000)); do
    python3 - "$first" "$markets" "$k" "$now" > "$dir/push.json" <<'PY'
import json, sys
first, n, k, now = (int(a) for a in sys.argv[1:])
print(json.dumps({"source": f"f{k}", "prices": [{"market": f"M{i}", "price": 100 + i % 7 + k * 0.01, "timestamp": now}
                                             for i in range(first, min(n, first + 5000))]}))
PY
    curl -fs -XPOST "http://127.0.0.1:$port/v1/prices" -H "Authorization: Bearer bench-idle-feeder-token-$k" \
      -H 'Content-Type: application/json' --data-binary "@$dir/push.json" > /dev/null
  done
done
live=$(curl -fs "http://127.0.0.1:$port/v1/markets" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for m in d["markets"] if m["price"] is not None))')
sleep 2 # let the push's own storage work finish
clk=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
written() { awk '/^wchar/ {print $2}' "/proc/$pid/io"; }
b0=$(written); t0=$(ticks); w0=$(date +%s.%N)
sleep "$secs"
t1=$(ticks); w1=$(date +%s.%N); b1=$(written)
wal=$(stat -c %s "$dir/state.sqlite-wal" 2>/dev/null || echo 0)
python3 - <<PY
cpu = ($t1 - $t0) / $clk
wall = $w1 - $w0
print(f"markets $markets (live {$live}), sources 5 push each, maxAgeMs ${MAX_AGE_MS:-120000}, idle {wall:.1f} s: cpu {cpu:.2f} s = {100 * cpu / wall:.2f} % of a core; written {$b1 - $b0} bytes; WAL {$wal} bytes")
PY
