#!/usr/bin/env bash
# HTTP benchmark (not a test; issue 18 "The hot path"). Prints, from one run on one machine:
#  1. POST /v1/prices, batches of 1,000 quotes, 5 push sources (wrk -t5 -c10), 1,000 markets x 5
#     sources (each quote of a batch a different market): quotes/s;
#  2. resident memory of that server after the load (VmRSS from /proc/PID/status);
#  3. GET /v1/markets/M0 on that server against a bare Hummingbird route serving the same bytes
#     (wrk -t2 -c64, alternated twice), and their ratio;
#  4. the same push load on a second server with 10 markets x 5 sources: quotes/s.
# Needs wrk (apt-get install wrk) and release builds of both binaries:
#   swift build -c release --product breakwater && swift build -c release --product BareHummingbird
# Usage: bash scripts/bench-http.sh [seconds=10] [breakwater binary] [BareHummingbird binary]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
bin=${2:-.build/release/breakwater}
barebin=${3:-.build/release/BareHummingbird}
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk"; exit 1; }
for b in "$bin" "$barebin"; do [ -x "$b" ] || { echo "no binary at $b (build it with swift build -c release)"; exit 1; }; done
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
for k in 0 1 2 3 4; do export "BENCH_PUSH_$k=bench-push-token-$k"; done

# start N PORT: a server with N markets x 5 push sources (f0..f4), quotes kept 120 s; sets $pid.
start() {
  python3 - "$1" "$2" "$dir/$1" > "$dir/config-$1.json" <<'PY'
import json, sys
n, port, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sources = [{"id": f"f{k}", "kind": "push", "tokenEnv": f"BENCH_PUSH_{k}"} for k in range(5)]
print(json.dumps({"server": {"host": "127.0.0.1", "port": port}, "storage": {"path": f"{d}/state.sqlite"},
                  "markets": [{"id": f"M{i}", "sources": sources, "aggregation": {"minSources": 3, "maxAgeMs": 120000}}
                              for i in range(n)]}))
PY
  "$bin" serve --config "$dir/config-$1.json" --log-level warning > "$dir/serve-$1.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server did not become ready"; cat "$dir/serve-$1.log"; exit 1
}

# push N PORT: the push load for $secs seconds.
push() {
  echo "== POST /v1/prices, $1 markets x 5 push sources, batches of 1,000 quotes, wrk -t5 -c10 -d${secs}s"
  wrk -t5 -c10 -d"${secs}s" -s Benchmarks/push-prices.lua "http://127.0.0.1:$2" -- "$1" | grep -E "Latency|Requests/sec|quotes/s"
}

p1=$((18000 + RANDOM % 900)); p2=$((p1 + 1)); p3=$((p1 + 2))
start 1000 "$p1"
push 1000 "$p1"
sleep 1
echo "== resident memory after the load, 1,000 markets x 5 sources: $(awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status")"
curl -fs "http://127.0.0.1:$p1/v1/markets/M0" > "$dir/body.json"
"$barebin" "$p3" "$dir/body.json" > /dev/null 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p3/v1/markets/M0" >/dev/null 2>&1 && break; sleep 0.1; done
echo "== GET /v1/markets/M0 ($(wc -c < "$dir/body.json") bytes) against BareHummingbird, wrk -t2 -c64 -d${secs}s, alternated twice"
rate() { wrk -t2 -c64 -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
b1=$(rate "http://127.0.0.1:$p1/v1/markets/M0"); h1=$(rate "http://127.0.0.1:$p3/v1/markets/M0")
b2=$(rate "http://127.0.0.1:$p1/v1/markets/M0"); h2=$(rate "http://127.0.0.1:$p3/v1/markets/M0")
python3 -c "b, h = ($b1 + $b2) / 2, ($h1 + $h2) / 2; print(f'breakwater {b:.0f} req/s ($b1, $b2), bare hummingbird {h:.0f} req/s ($h1, $h2), ratio {b / h:.3f}')"
start 10 "$p2"
push 10 "$p2"
