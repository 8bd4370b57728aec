#!/usr/bin/env python3
"""Writes a replay benchmark file: 200,000 seconds of 5 BTC-USD sources quoting once a
second (1,000,000 rows), a random walk with one 15 % crash at t = 100,000 s.

    python3 Benchmarks/make_prices.py > prices-1m.csv
    time .build/release/breakwater replay --config config.json --input prices-1m.csv --output events.jsonl
"""
import random
import sys

SOURCES = ["coinbase", "coinbase-exchange", "kraken", "bitstamp", "pyth"]
START = 1_700_000_000
random.seed(7)
out = sys.stdout
out.write("timestamp,market,source,price\n")
price = 65_000.0
for s in range(200_000):
    price *= 1 + random.gauss(0, 0.0002)
    if s == 100_000:
        price *= 0.85
    for name in SOURCES:
        quote = price * (1 + random.gauss(0, 0.0001))
        out.write(f"{START + s},BTC-USD,{name},{quote:.2f}\n")
