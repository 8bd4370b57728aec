#!/usr/bin/env python3
"""Writes a Breakwater config with N markets (M-0001 ... M-N), each priced by three push sources
a, b and c (tokens in BREAKWATER_PUSH_TOKEN_A/B/C), the positions token in
BREAKWATER_POSITIONS_TOKEN, a short warm-up (maxAgeMs 5000) and one
alertmanager destination at http://127.0.0.1:DEAD_PORT (nothing listens: its deliveries fail).
Used by scripts/status-page-check.sh to load the status page with 1 and with 1,000 markets.

usage: status-page-config.py N DST STATE_PATH DEAD_PORT
"""
import json
import sys

if len(sys.argv) != 5:
    sys.exit(__doc__)
n, dst, state, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sources = [{"id": s, "kind": "push", "tokenEnv": f"BREAKWATER_PUSH_TOKEN_{s.upper()}"} for s in "abc"]
config = {
    "server": {"host": "127.0.0.1", "adminTokenEnv": "BREAKWATER_ADMIN_TOKEN", "positionsTokenEnv": "BREAKWATER_POSITIONS_TOKEN"},
    "storage": {"path": state},
    "defaults": {"aggregation": {"minSources": 2, "maxAgeMs": 5000}},
    "alerts": {"webhooks": [{"id": "oncall-am", "url": f"http://127.0.0.1:{port}/api/v2/alerts", "format": "alertmanager"}]},
    "markets": [{"id": f"M-{i:04d}", "sources": sources} for i in range(1, n + 1)],
}
json.dump(config, open(dst, "w"), indent=1)
