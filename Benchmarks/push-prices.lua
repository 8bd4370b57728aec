-- wrk script: POST /v1/prices in batches of 1,000 quotes from 5 push sources (bench-http.sh).
-- Usage: wrk -t5 -c10 -s Benchmarks/push-prices.lua URL -- MARKETS
-- Thread k (0..4) is push source f<k> (token bench-push-token-<k>). Quote i of a batch goes to
-- market M(i mod MARKETS): with 1,000 markets each quote of a batch is a different market.
-- Bodies are built once per thread (8 price variants, timestamps at start: the servers the
-- script pushes to keep quotes for 120 s), so the client spends its time sending, not formatting.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("source", counter % 5)
  counter = counter + 1
  table.insert(threads, thread)
end

local bodies = {}
local next_body = 1

function init(args)
  local markets = tonumber(args[1] or "1000")
  local now = os.time()
  for v = 1, 8 do
    local parts = {}
    for i = 0, 999 do
      parts[i + 1] = string.format('{"market":"M%d","price":%.2f,"timestamp":%d}', i % markets,
                                   100 + ((i + v) % 7) * 0.01, now)
    end
    local body = '{"source":"f' .. source .. '","prices":[' .. table.concat(parts, ",") .. ']}'
    bodies[v] = wrk.format("POST", "/v1/prices", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer bench-push-token-" .. source,
    }, body)
  end
end

function request()
  local r = bodies[next_body]
  next_body = next_body % #bodies + 1
  return r
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("quotes/s: %.0f (requests %d, non-2xx %d, socket errors %d)\n",
    (summary.requests - non2xx) / (summary.duration / 1e6) * 1000, summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
