#!/usr/bin/env python3
"""Writes a copy of a Breakwater config that never calls out: every polled feed's baseURL points at
http://127.0.0.1:DEAD_PORT (a port nothing listens on), push, json and chainlink sources untouched.
Used by the image checks (scripts/check-image.sh, scripts/run-image-checks.sh) so CI needs no network.

usage: offline-config.py SRC DST DEAD_PORT [STATE_PATH]   (STATE_PATH replaces storage.path)
"""
import json
import sys

if len(sys.argv) not in (4, 5):
    sys.exit(__doc__)
src, dst, port = sys.argv[1:4]
c = json.load(open(src))
if len(sys.argv) == 5:
    c["storage"]["path"] = sys.argv[4]
for m in c["markets"]:
    for s in m["sources"]:
        if s["kind"] not in ("push", "json", "chainlink"):
            s["baseURL"] = f"http://127.0.0.1:{port}"
json.dump(c, open(dst, "w"), indent=2)
