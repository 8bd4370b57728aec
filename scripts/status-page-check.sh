#!/usr/bin/env bash
# The status page in a real browser (run by scripts/test.sh, so by CI): for 1 and for 1,000 markets
# (scripts/status-page-config.py), starts the debug binary, pushes prices from three sources, halts
# one market (a firing breaker.halted alert), posts positions in up to three markets (the first
# underwater: the fund is short) and lets the one alert destination fail (nothing listens at its
# port), then loads GET / in headless Chromium and checks the rendered DOM: a row per market, the
# halted market first with its countdown, the alert, the failing destination, the fund shown short
# with the critical-markets table and a liquidation map per market with positions, no JavaScript
# error, nothing wider than the window at 1,400 and 390 px. Screenshots of both widths are left in
# .build/status-page/ to look at. Needs .build/debug/breakwater and chromium (CI installs it:
# scripts/setup.sh); without chromium it says so and exits 77 (skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/status-page
mkdir -p "$out"
command -v chromium >/dev/null 2>&1 || { echo "status-page: SKIPPED: chromium is not installed (scripts/setup.sh installs it)"; exit 77; }
bin=.build/debug/breakwater
[ -x "$bin" ] || { echo "status-page: FAIL: $bin missing (swift build first)"; exit 1; }
export BREAKWATER_ADMIN_TOKEN=status-page-admin-token-0123456789
export BREAKWATER_PUSH_TOKEN_A=status-page-push-a-0123456789 BREAKWATER_PUSH_TOKEN_B=status-page-push-b-0123456789
export BREAKWATER_PUSH_TOKEN_C=status-page-push-c-0123456789
export BREAKWATER_POSITIONS_TOKEN=status-page-positions-0123456789
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
fail() { echo "status-page: FAIL ($1 markets): $2"; exit 1; }

# push SOURCE FACTOR N PORT TOKEN: one quote per market from SOURCE at 100 + market number / 10,
# times FACTOR.
push() {
  python3 - "$1" "$2" "$3" <<'PY' | curl -sf -o /dev/null -X POST "http://127.0.0.1:$4/v1/prices" \
      -H "Authorization: Bearer $5" -H 'Content-Type: application/json' --data-binary @-
import json, sys, time
src, factor, n, t = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), time.time()
print(json.dumps({"source": src, "prices": [
    {"market": f"M-{i:04d}", "price": round((100 + i / 10) * factor, 4), "timestamp": t} for i in range(1, n + 1)]}))
PY
}

check() {
  local n=$1 port=$((18000 + RANDOM % 1000)) dead=$((19000 + RANDOM % 1000)) dir="$out/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  python3 scripts/status-page-config.py "$n" "$dir/config.json" "$dir/state.sqlite" "$dead"
  BREAKWATER_PORT=$port "$bin" serve --config "$dir/config.json" >"$dir/server.log" 2>&1 &
  pids+=($!)
  local url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "$url/healthz" >/dev/null || fail "$n" "the service did not start (see $dir/server.log)"
  # Three sources every second until the end (the first 8 s pass the 5 s warm-up), c 0.1 % above a.
  (
    while true; do
      push a 1 "$n" "$port" "$BREAKWATER_PUSH_TOKEN_A"; push b 1.0002 "$n" "$port" "$BREAKWATER_PUSH_TOKEN_B"
      push c 1.001 "$n" "$port" "$BREAKWATER_PUSH_TOKEN_C"; sleep 1
    done
  ) &
  pids+=($!)
  sleep 8
  local halted=M-0001
  curl -sf -o /dev/null -X POST "$url/v1/markets/$halted/halt" -H "Authorization: Bearer $BREAKWATER_ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"reason":"status page check","durationSeconds":600}' \
    || fail "$n" "the admin halt was refused"
  for _ in $(seq 1 50); do
    curl -sf "$url/v1/alerts?status=firing" | grep -q breaker.halted && break; sleep 0.2
  done
  for _ in $(seq 1 50); do
    curl -sf "$url/v1/destinations" | grep -q '"failing":true' && break; sleep 0.2
  done
  # Positions in up to three markets: the first's longs are underwater (entered at 120, bankrupt at
  # 108), so the standing scenario's bad debt exceeds the $1 fund.
  python3 - "$n" <<'PY' | curl -sf -o /dev/null -X POST "$url/v1/positions" \
      -H "Authorization: Bearer $BREAKWATER_POSITIONS_TOKEN" -H 'Content-Type: application/json' --data-binary @- \
    || fail "$n" "the positions snapshot was refused"
import json, sys, time
n = int(sys.argv[1])
liquidity = {"dailyVolume": 1e9, "depth1Pct": 2e7, "impactY": 0.7}
def book(i):
    entry = 120 if i == 1 else 100
    return {"market": f"M-{i:04d}", "liquidity": liquidity, "positions": [
        {"side": "long", "size": 1000 * k, "entry": entry, "collateral": 1000 * k * entry / (5 * k)} for k in range(1, 6)] + [
        {"side": "short", "size": 2000, "entry": 100, "collateral": 20000, "account": "acct-1"}]}
print(json.dumps({"asOf": time.time(), "insuranceFund": {"balance": 1}, "markets": [book(i) for i in range(1, min(n, 3) + 1)]}))
PY
  for _ in $(seq 1 50); do
    curl -sf "$url/v1/alerts?status=firing" | grep -q system.insurance_shortfall && break; sleep 0.2
  done
  # Chromium lays --dump-dom out at least 500 px wide: the page is read from a frame of each width.
  local fport=$((port + 1000))
  python3 scripts/status-page-frame.py "$fport" "$url" &
  pids+=($!)
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$fport/healthz" && break; sleep 0.1; done
  for w in 1400 390; do
    # The halted market opened (#open=...): its detail, countdown and charts are rendered.
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1500,1300 --virtual-time-budget=9000 \
      --dump-dom "http://127.0.0.1:$fport/frame?width=$w&open=$halted" >"$dir/dom-$w.html" 2>"$dir/chromium-$w.log" \
      || fail "$n" "chromium --dump-dom failed"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$w,1600 --virtual-time-budget=6000 \
      --screenshot="$dir/screenshot-$w.png" "$url/#open=$halted" >>"$dir/chromium-$w.log" 2>&1 \
      || fail "$n" "chromium --screenshot failed"
    python3 - "$dir/dom-$w.html" "$n" "$w" "$halted" <<'PY' || fail "$n" "the rendered page at $w px (see above)"
import re, sys
dom, n, width, halted = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
dom = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)  # what is rendered, not the script's text
problems = []
def need(ok, what):
    if not ok: problems.append(what)
rows = re.findall(r'<div class="row (\w+)"[^>]*data-id="([^"]+)"', dom)
need(len(rows) == n, f"{len(rows)} market rows, expected {n}")
need(rows[:1] == [("halted", halted)], f"first row {rows[:1]}, expected the halted {halted}")
need(re.search(r'class="countdown"[^>]*>Halt ends in \d+ min \d+ s \(', dom), "no halt countdown")
need("manual: an operator halted the market" in dom, "no explanation of the manual reason")
need(re.search(r'<div class="alert firing">.*?breaker\.halted', dom, re.S), "no firing breaker.halted alert")
need(re.search(r'<div class="dest failing"><b>oncall-am</b>', dom), "the failing destination does not stand out")
maps = re.findall(r'data-map="([^"]+)"', dom)
need(dom.count("<svg viewBox") - len(maps) == 3, "not three charts in the opened market")
need(maps == [f"M-{i:04d}" for i in range(1, min(n, 3) + 1)], f"liquidation maps {maps}, expected one per market with positions, M-0001 first")
need(re.search(r'<p id="fund" class="bad"><b>Insurance fund \$1</b>.*?Short by', dom, re.S), "the fund is not shown short")
need(re.search(r'<table id="critical">.*?M-0001', dom, re.S), "no critical-markets table")
need("data-js-error" not in dom, "a JavaScript error: " + (re.findall(r'data-js-error="([^"]*)"', dom) or [""])[0])
m = re.search(r'<div id="out"[^>]*data-scroll-width="(\d+)"[^>]*data-inner-width="(\d+)"', dom)
need(m and int(m.group(2)) == width, f"the frame is {m and m.group(2)} px wide, expected {width}")
need(m and int(m.group(1)) <= width, f"page {m and m.group(1)} px wide in a {width} px window")
need(not re.search(r'https?://(?!127\.0\.0\.1)', dom), "an external URL in the page")
for p in problems: print("  -", p)
sys.exit(1 if problems else 0)
PY
    if grep -a "Uncaught\|CONSOLE.*error" "$dir/chromium-$w.log"; then fail "$n" "console errors at $w px"; fi
  done
  cleanup; pids=()
  echo "status-page: ok ($n markets; screenshots $dir/screenshot-1400.png, $dir/screenshot-390.png)"
}
check 1
check 1000
