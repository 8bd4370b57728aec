#!/usr/bin/env python3
"""The two halves of Benchmarks/sp500-backtest.sh.

    prepare DIR   writes DIR/sp500.csv (the closes, one row per trading day on consecutive
                  days) and one config per model (DIR/normal.json, student-t.json,
                  filtered-historical.json)
    report DIR    reads each model's `breakwater replay` output (DIR/MODEL.txt) and prints
                  the per-side table
"""
import json
import math
import pathlib
import re
import sys

DAY = 86_400
START = 915_408_000  # 1999-01-04T00:00:00Z, the first close
MODELS = ["normal", "student-t", "filtered-historical"]


def prepare(out: pathlib.Path) -> None:
    from arch.data import sp500

    closes = sp500.load()["Adj Close"]
    with open(out / "sp500.csv", "w") as f:
        f.write("timestamp,market,source,price\n")
        for k, close in enumerate(closes.values):
            f.write(f"{START + k * DAY},SPX,arch,{float(close)!r}\n")
    for model in MODELS:
        margin = {
            "sampleSeconds": DAY,
            "horizonSeconds": DAY,
            "halfLifeSeconds": DAY * math.log(0.5) / math.log(0.94),
            "coverage": 0.99,
            "distribution": model,
            "tailDegreesOfFreedom": 4,
            "historySamples": 1000,
            "minHistorySamples": 500,
            # About the first year's daily volatility (1.3 %/day), annualized over 365 days.
            "initialVolatility": 0.013 * math.sqrt(365),
            "maintenanceFloor": 0,
            "maintenanceRatio": 0.5,
            "maxIncreasePerHour": 1000,
            "maxDecreasePerHour": 0.999999,
        }
        config = {
            "server": {"tickMs": 60_000},
            "markets": [
                {
                    "id": "SPX",
                    "sources": [{"id": "arch", "kind": "push", "tokenEnv": "SP500_BACKTEST_TOKEN"}],
                    "aggregation": {"minSources": 1, "maxAgeMs": 2 * DAY * 1000, "maxDeviation": None},
                    "margin": margin,
                    "breaker": {
                        "band": 0.99,
                        "limitSeconds": 0,
                        "recoverySeconds": 0,
                        "maxDivergence": None,
                        "maxSpread": None,
                        "velocity": {"move": 10, "windowSeconds": 1, "haltSeconds": 1},
                    },
                }
            ],
        }
        (out / f"{model}.json").write_text(json.dumps(config, indent=2) + "\n")


def per_side(text: str) -> dict:
    """The maintenance columns (long, short) of replay's per-side backtest block."""
    block = re.search(r"^backtest SPX: (\d+) windows.*?\n(.*?)(?:\n\s*\n|\Z)", text, re.M | re.S)
    if not block:
        raise SystemExit("no per-side backtest in replay's output (a breakwater with the per-side replay table is needed)")
    rows = {}
    for line in block.group(2).splitlines():
        m = re.match(r"\s{2,}(\S.*?)\s{2,}(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    return {"windows": int(block.group(1)), "rows": rows}


def report(out: pathlib.Path) -> None:
    print("S&P 500 daily closes 1999-2018 (arch.data.sp500), EWMA lambda 0.94, 99 %, one-day horizon;")
    print("maintenance margin, per side (long: falls, short: rises); expected 1 % of the windows each.")
    print()
    head = f"{'model':<22}{'windows':>8}  {'long exc':>9} {'rate':>7} {'Kupiec p':>9} {'zone':>7}   {'short exc':>9} {'rate':>7} {'Kupiec p':>9} {'zone':>7}"
    print(head)
    for model in MODELS:
        t = per_side(open(out / f"{model}.txt").read())
        r = t["rows"]
        cells = []
        for k in range(2):
            x = int(r["exceptions"][k])
            cells.append(f"{x:>9} {100 * x / t['windows']:>6.2f}% {r['Kupiec p'][k]:>9} {r['Basel zone, whole history'][k]:>7}")
        print(f"{model:<22}{t['windows']:>8}  {cells[0]}   {cells[1]}")


if __name__ == "__main__":
    {"prepare": prepare, "report": report}[sys.argv[1]](pathlib.Path(sys.argv[2]))
