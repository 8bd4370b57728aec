#!/usr/bin/env python3
"""Alert latency benchmark (not a test): time from a price push being accepted (202) to the
signed Standard Webhook arriving at a local receiver, p50 and p99 over many events.

Each round pushes one outlier quote (source `v0` 20 % off: source.degraded fires) and then a
normal one (it resolves): two alerts per round, each caused by an accepted price.
Usage: python3 Benchmarks/alert_latency.py PATH_TO_BREAKWATER [rounds]
With BREAKWATER_DATABASE_URL set (postgres://...), the store is that PostgreSQL database
(storage.kind postgres) instead of a new SQLite file."""
import base64, hashlib, hmac, http.server, json, os, socket, subprocess, sys, tempfile, threading, time, urllib.request

binary = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 200
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
key = base64.b64decode(secret.split("_", 1)[1])
arrivals, lock, bad = {}, threading.Lock(), []

class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        now = time.perf_counter()
        body = self.rfile.read(int(self.headers["content-length"]))
        mid, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        expected = base64.b64encode(hmac.new(key, f"{mid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        if f"v1,{expected}" not in self.headers["webhook-signature"].split(" "):
            bad.append(mid)
        data = json.loads(body)["data"]
        with lock:
            arrivals[(data["fingerprint"], data["status"], data.get("startsAt"))] = now
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

rx_port, port = free_port(), free_port()
server = http.server.ThreadingHTTPServer(("127.0.0.1", rx_port), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
tmp = tempfile.mkdtemp()
storage = ({"kind": "postgres", "urlEnv": "BREAKWATER_DATABASE_URL"} if os.environ.get("BREAKWATER_DATABASE_URL")
           else {"path": f"{tmp}/state.sqlite"})
config = {"server": {"host": "127.0.0.1", "port": port, "tickMs": 250}, "storage": storage,
          "markets": [{"id": "BTC-USD", "sources": [{"id": f"v{i}", "kind": "push", "tokenEnv": f"T{i}"} for i in range(4)],
                       "aggregation": {"minSources": 3, "maxAgeMs": 60000, "maxDeviation": 0.02}}],
          "alerts": {"webhooks": [{"id": "rx", "url": f"http://127.0.0.1:{rx_port}/hook", "format": "standard",
                                   "secretEnv": "WH", "types": ["source.degraded"]}],
                     # Fire at once: the default holds source.degraded for 10 s (no flapping), which
                     # is the point in production and would only add those 10 s here.
                     "sourceDegradedForSeconds": 0}}
json.dump(config, open(f"{tmp}/config.json", "w"))
env = dict(os.environ, WH=secret, **{f"T{i}": f"alert-latency-token-{i}" for i in range(4)})
proc = subprocess.Popen([binary, "serve", "--config", f"{tmp}/config.json", "--log-level", "warning"], env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1); break
        except Exception: time.sleep(0.1)
    def push(source, price):
        body = json.dumps({"source": source, "prices": [{"market": "BTC-USD", "price": price, "timestamp": time.time()}]}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/prices", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer alert-latency-token-{source[1:]}"})
        assert urllib.request.urlopen(req, timeout=5).status == 202
        return time.perf_counter()
    for i in range(4): push(f"v{i}", 100.0)
    time.sleep(1)
    latencies = []
    for r in range(rounds):
        for status, price in (("firing", 120.0), ("resolved", 100.0)):
            with lock: before = set(arrivals)
            accepted = push("v0", price)
            deadline = time.time() + 5
            while time.time() < deadline:
                with lock:
                    new = [k for k in arrivals if k not in before and k[1] == status]
                if new: break
                time.sleep(0.0002)
            if not new: print(f"round {r}: {status} not delivered within 5 s"); continue
            with lock: latencies.append((arrivals[new[0]] - accepted) * 1000)
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"alerts {len(latencies)} (of {2 * rounds}), bad signatures {len(bad)}")
    print(f"accepted -> signed webhook received: p50 {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms, max {latencies[-1]:.2f} ms")
finally:
    proc.terminate(); proc.wait(10); server.shutdown()
