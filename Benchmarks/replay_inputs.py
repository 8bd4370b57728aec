#!/usr/bin/env python3
"""Writes the replay benchmark's inputs and their configs into DIR:

    daily.csv, daily.json   20 years of daily closes for two markets (BTC-USD, ETH-USD, one
                            source each; 7,305 days = 14,610 rows, a day between a market's
                            rows), a random walk with a 30 % crash on day 3,000.
    dense.csv, dense.json   Benchmarks/make_prices.py's 1,000,000 rows (200,000 seconds of
                            5 BTC-USD sources) and a config naming those sources.

    python3 Benchmarks/replay_inputs.py DIR [days]
The configs use the defaults for everything but the sources (tickMs 250, maxAgeMs 30,000).
"""
import json
import pathlib
import random
import subprocess
import sys

out = pathlib.Path(sys.argv[1])
days = int(sys.argv[2]) if len(sys.argv) > 2 else 7_305
out.mkdir(parents=True, exist_ok=True)
here = pathlib.Path(__file__).resolve().parent


def market(id, sources):
    # A push source needs its own tokenEnv in the config; replay does not read the token.
    return {"id": id, "sources": [{"id": s, "kind": "push", "tokenEnv": f"BENCH_TOKEN_{k}"} for k, s in enumerate(sources)],
            "aggregation": {"minSources": 1 if len(sources) == 1 else 3}}


START = 1_000_000_000  # 2001-09-09
random.seed(18)
prices = {"BTC-USD": 300.0, "ETH-USD": 10.0}
with open(out / "daily.csv", "w") as f:
    f.write("timestamp,market,source,price\n")
    for d in range(days):
        for m in prices:
            prices[m] *= 1 + random.gauss(0, 0.03)
            if d == 3_000:
                prices[m] *= 0.7
            f.write(f"{START + d * 86_400},{m},close,{prices[m]:.4f}\n")
(out / "daily.json").write_text(json.dumps({"markets": [market(m, ["close"]) for m in prices]}, indent=1))

with open(out / "dense.csv", "w") as f:
    subprocess.run([sys.executable, str(here / "make_prices.py")], stdout=f, check=True)
sources = ["coinbase", "coinbase-exchange", "kraken", "bitstamp", "pyth"]
(out / "dense.json").write_text(json.dumps({"markets": [market("BTC-USD", sources)]}, indent=1))
