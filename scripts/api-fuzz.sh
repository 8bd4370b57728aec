#!/usr/bin/env bash
# Runs schemathesis against the running service's /openapi.json: zero 5xx, zero schema violations.
# Needs the debug binary (swift build). Installs schemathesis from PyPI when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null 2>&1 || python3 -m pip install -q schemathesis
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$dir/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port, "adminRequestsPerSecond": 10000}, "storage": {"path": "$dir/state.sqlite"},
 "markets": [{"id": "BTC-USD", "sources": [{"id": "feeder", "kind": "push", "tokenEnv": "FEEDER_TOKEN"},
                                          {"id": "b", "kind": "push", "tokenEnv": "B_TOKEN"}],
              "aggregation": {"minSources": 1, "maxAgeMs": 30000}}]}
JSON
FEEDER_TOKEN=fuzz-feeder-token-0001 B_TOKEN=fuzz-source-b-token-0001 BREAKWATER_ADMIN_TOKEN=fuzz-admin-token-0001 .build/debug/breakwater serve --config "$dir/config.json" > "$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
schemathesis run "http://127.0.0.1:$port/openapi.json" --checks all -H "Authorization: Bearer fuzz-admin-token-0001" \
  --max-examples 30 --workers 2 --seed 1
kill -0 $pid || { echo "api-fuzz: the server died"; cat "$dir/serve.log"; exit 1; }
if command -v promtool >/dev/null 2>&1; then
  curl -fsS "http://127.0.0.1:$port/metrics" | promtool check metrics
  echo "api-fuzz: /metrics accepted by promtool check metrics"
fi
echo "api-fuzz: no 5xx, no schema violations"
