#!/usr/bin/env bash
# Backtests the margin models on real daily index data: the S&P 500 closes 1999-2018 that the
# `arch` PyPI package ships (arch.data.sp500), replayed through `breakwater replay` with daily
# sampling and horizon, EWMA lambda 0.94 (half-life 86,400 x ln 0.5 / ln 0.94 s), coverage 99 %,
# for normal, Student-t(4) and filtered historical. Prints per side: exceptions, Kupiec p, zone.
#
#   Benchmarks/sp500-backtest.sh [BREAKWATER_BINARY (default .build/release/breakwater)] [WORK_DIR]
#
# Trading time: one row per trading day, stamped on consecutive days (a weekend is not three
# days of risk; domain-systemic.md's reference figures count daily returns the same way). The
# price stays fresh between rows (maxAgeMs two days) and the engine ticks every minute, so by
# the next close each side's margin has reached its target: the rise and fall bounds
# (1000 %/h, 99.9999 %/h) and the floor (0) never bind, and the backtest sees the model's own
# margin. Each window runs from one close to the next.
# Needs python3 with `arch` (pip install arch).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../.build/release/breakwater}"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
python3 "$here/sp500_backtest.py" prepare "$work"
for model in normal student-t filtered-historical; do
  "$bin" replay --config "$work/$model.json" --input "$work/sp500.csv" >"$work/$model.txt" 2>"$work/$model.err" || {
    cat "$work/$model.err" >&2
    exit 1
  }
done
python3 "$here/sp500_backtest.py" report "$work"
