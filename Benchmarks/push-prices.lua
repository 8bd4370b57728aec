-- wrk script: POST /v1/prices with batches of 1,000 quotes, fresh timestamps, 10 markets.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-feeder-token-0001"
local markets = {}
for i = 0, 9 do markets[#markets + 1] = "M" .. i end
request = function()
  local now = os.time()
  local parts = {}
  for i = 1, 1000 do
    parts[i] = string.format('{"market":"%s","price":%.2f,"timestamp":%d}', markets[(i % 10) + 1], 100 + (i % 7) * 0.01, now)
  end
  return wrk.format(nil, "/v1/prices", nil, '{"source":"feeder","prices":[' .. table.concat(parts, ",") .. ']}')
end
done = function(summary, latency, requests)
  io.write(string.format("quotes/s: %.0f\n", summary.requests / (summary.duration / 1e6) * 1000))
end
