#!/usr/bin/env bash
# HTTP benchmark (not a test): GET /v1/markets/{id} against a bare Hummingbird route serving
# the same bytes, in the same run on the same machine; and POST /v1/prices in batches of 1,000.
# Needs wrk (apt-get install wrk). Usage: bash scripts/bench-http.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk"; exit 1; }
swift build -c release --product breakwater >/dev/null
swift build -c release --product BareHummingbird >/dev/null
dir=$(mktemp -d)
markets=$(python3 -c 'import json; print(json.dumps([{"id": f"M{i}", "sources": [{"id": "feeder", "kind": "push", "tokenEnv": "FEEDER_TOKEN"}], "aggregation": {"minSources": 1, "maxAgeMs": 60000}} for i in range(10)]))')
cat > "$dir/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": 18181}, "storage": {"path": "$dir/state.sqlite"}, "markets": $markets}
JSON
FEEDER_TOKEN=bench-feeder-token-0001 .build/release/breakwater serve --config "$dir/config.json" --log-level warning > "$dir/serve.log" 2>&1 &
bw=$!
trap 'kill $bw ${bare:-} 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18181/readyz >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs -XPOST http://127.0.0.1:18181/v1/prices -H 'Authorization: Bearer bench-feeder-token-0001' -H 'Content-Type: application/json' \
  -d "{\"source\":\"feeder\",\"prices\":[{\"market\":\"M0\",\"price\":100,\"timestamp\":$(date +%s)}]}" >/dev/null
curl -fs http://127.0.0.1:18181/v1/markets/M0 > "$dir/body.json"
.build/release/BareHummingbird 18182 "$dir/body.json" > /dev/null 2>&1 &
bare=$!
sleep 1
echo "== GET /v1/markets/M0 ($(wc -c < "$dir/body.json") bytes), wrk -t2 -c64 -d${secs}s"
b=$(wrk -t2 -c64 -d"${secs}s" http://127.0.0.1:18181/v1/markets/M0 | tee /dev/stderr | awk '/Requests\/sec/ {print $2}')
h=$(wrk -t2 -c64 -d"${secs}s" http://127.0.0.1:18182/v1/markets/M0 | tee /dev/stderr | awk '/Requests\/sec/ {print $2}')
echo "breakwater $b req/s, bare hummingbird $h req/s, ratio $(python3 -c "print(round($b/$h, 3))")"
echo "== POST /v1/prices, batches of 1,000 quotes, wrk -t2 -c8 -d${secs}s"
wrk -t2 -c8 -d"${secs}s" -s Benchmarks/push-prices.lua http://127.0.0.1:18181 | grep -E "Requests/sec|Latency|quotes/s|Non-2xx"
