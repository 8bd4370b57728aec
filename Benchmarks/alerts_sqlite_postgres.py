#!/usr/bin/env python3
"""Alert storage benchmark (not a test), SQLite and PostgreSQL side by side in one run.

1. Throughput: alerts committed per second. `breakwater serve` with MARKETS markets of four push
   sources each; one push moves source `v0` 20 % off on every market, so MARKETS source.degraded
   alerts fire, and a push back resolves them. A push is answered (202) only once the alerts its
   quotes caused are committed, each with its webhook in the outbox; the figure is alerts over
   the push round trips. GET /v1/alerts then confirms every alert was stored.
2. Crash: how long a push that crashes MARKETS markets at once (one push source each, 30 % down:
   MARKETS breaker.halted alerts, their webhooks and margin notices) takes to be answered,
   median and max over ROUNDS pushes (each on markets of its own).
3. Latency: Benchmarks/alert_latency.py (price accepted -> signed webhook received, p50/p99) on
   each backend.

PostgreSQL: a throwaway server from Debian's `postgresql` package (initdb into a temporary
directory, default durability: fsync and synchronous_commit on), on a free port of 127.0.0.1.
Usage: python3 Benchmarks/alerts_sqlite_postgres.py PATH_TO_BREAKWATER [MARKETS=200] [ROUNDS=10] [latency_rounds=300]"""
import glob, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

binary = os.path.abspath(sys.argv[1])
markets = int(sys.argv[2]) if len(sys.argv) > 2 else 200
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
latency_rounds = sys.argv[4] if len(sys.argv) > 4 else "300"
here = os.path.dirname(os.path.abspath(__file__))
admin = "alert-bench-admin-token-0001"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


class Postgres:
    """A PostgreSQL server in a temporary directory, run as the `postgres` user when we are root."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins: sys.exit("PostgreSQL is not installed (apt-get install -y postgresql)")
        self.bin, self.port = os.path.dirname(bins[-1]), free_port()
        self.dir = tempfile.mkdtemp(prefix="bw-bench-pg-")
        self.as_user = ["/usr/sbin/runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self.as_user: shutil.chown(self.dir, "postgres")
        self.pg("initdb", "-D", f"{self.dir}/data", "-U", "breakwater", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self.pg("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-o", options, "-w", "start")

    def pg(self, tool, *args):
        subprocess.run(self.as_user + [f"{self.bin}/{tool}", *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, close_fds=True)

    def new_database(self, name):
        self.pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "breakwater", name)
        return f"postgres://breakwater@127.0.0.1:{self.port}/{name}"

    def stop(self):
        self.pg("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


class Serve:
    """`breakwater serve` on `storage` (a config storage block) with `market_configs`, one webhook
    destination (nothing listens: deliveries fail and retry later, off the measured path's
    storage queue at most), ready to take pushes."""

    def __init__(self, storage, env, market_configs, alert_types=None):
        self.tmp, port = tempfile.mkdtemp(), free_port()
        hook = {"id": "rx", "url": f"http://127.0.0.1:{free_port()}/hook", "format": "standard", "secretEnv": "WH"}
        if alert_types: hook["types"] = alert_types
        config = {"server": {"host": "127.0.0.1", "port": port, "tickMs": 250, "adminTokenEnv": "ADMIN"},
                  "storage": storage, "markets": market_configs,
                  "alerts": {"webhooks": [hook], "sourceDegradedForSeconds": 0}}
        json.dump(config, open(f"{self.tmp}/config.json", "w"))
        env = dict(env, WH="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ADMIN=admin,
                   **{f"T{i}": f"alert-bench-push-token-{i}" for i in range(4)})
        self.proc = subprocess.Popen([binary, "serve", "--config", f"{self.tmp}/config.json", "--log-level", "error"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try: urllib.request.urlopen(f"{self.base}/readyz", timeout=1); return
            except Exception: time.sleep(0.1)
        self.stop()
        sys.exit("breakwater did not become ready")

    def push(self, source, ids, price):
        """Seconds until a push of `price` for `ids` from `source` (v0...v3) is answered 202."""
        body = json.dumps({"source": source, "prices": [
            {"market": m, "price": price, "timestamp": time.time()} for m in ids]}).encode()
        req = urllib.request.Request(f"{self.base}/v1/prices", data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer alert-bench-push-token-{source[1:]}"})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                answer = json.load(r)
        except urllib.error.HTTPError as e:
            sys.exit(f"a push of {len(ids)} markets answered {e.code} after {time.perf_counter() - start:.2f} s: "
                     f"{e.read().decode()[:300]}")
        assert r.status == 202 and answer["accepted"] == len(ids), answer
        return time.perf_counter() - start

    def count(self, status, type):
        """Alerts of `type` with `status`, through GET /v1/alerts."""
        n, cursor = 0, None
        while True:
            url = f"{self.base}/v1/alerts?status={status}&type={type}&limit=1000"
            page = json.load(urllib.request.urlopen(url + (f"&cursor={cursor}" if cursor else ""), timeout=30))
            n += len(page["alerts"])
            if not (cursor := page.get("nextCursor")): return n

    def stop(self):
        self.proc.terminate(); self.proc.wait(30); shutil.rmtree(self.tmp, ignore_errors=True)


def throughput(storage, env):
    """Alerts committed per second on `storage`: `rounds` pushes that make `markets` source.degraded
    alerts fire and as many that resolve them."""
    ids = [f"M{i:04d}" for i in range(markets)]
    serve = Serve(storage, env, [
        {"id": m, "sources": [{"id": f"v{i}", "kind": "push", "tokenEnv": f"T{i}"} for i in range(4)],
         "aggregation": {"minSources": 3, "maxAgeMs": 600000, "maxDeviation": 0.02}} for m in ids],
        alert_types=["source.degraded"])
    try:
        for i in range(4): serve.push(f"v{i}", ids, 100.0)
        time.sleep(1.5)
        seconds, alerts = 0.0, 0
        for r in range(rounds):
            seconds += serve.push("v0", ids, 120.0)
            firing = serve.count("firing", "source.degraded")
            assert firing == markets, f"round {r}: {firing} firing, expected {markets}"
            seconds += serve.push("v0", ids, 100.0)
            firing = serve.count("firing", "source.degraded")
            assert firing == 0, f"round {r}: {firing} still firing"
            alerts += 2 * markets
        assert serve.count("resolved", "source.degraded") == rounds * markets
        return alerts, seconds
    finally:
        serve.stop()


def crash(storage, env):
    """Seconds each of `rounds` crash pushes takes to be answered on `storage`: one push drops the
    price of `markets` markets (one push source each) by 30 % at once, so every one of them halts
    (velocity) and its breaker.halted alert, its webhook and any margin notice are committed
    before the 202. Each round crashes markets of its own, warmed up beforehand."""
    groups = [[f"C{r}-{i:04d}" for i in range(markets)] for r in range(rounds)]
    serve = Serve(storage, env, [
        {"id": m, "sources": [{"id": "v0", "kind": "push", "tokenEnv": "T0"}],
         "aggregation": {"minSources": 1, "maxAgeMs": 600000}} for g in groups for m in g])
    try:
        for g in groups: serve.push("v0", g, 100.0)
        time.sleep(1.5)
        answered = []
        for r, g in enumerate(groups):
            answered.append(serve.push("v0", g, 70.0))
            halted = serve.count("firing", "breaker.halted")
            assert halted == (r + 1) * markets, f"round {r}: {halted} halted, expected {(r + 1) * markets}"
        return sorted(answered)
    finally:
        serve.stop()


pg = Postgres()
try:
    sqlite_dir = tempfile.mkdtemp()
    backends = [("SQLite", lambda n: ({"path": f"{sqlite_dir}/{n}.sqlite"}, {})),
                ("PostgreSQL", lambda n: ({"kind": "postgres", "urlEnv": "BREAKWATER_DATABASE_URL"},
                                          {"BREAKWATER_DATABASE_URL": pg.new_database(n)}))]
    for name, place in backends:
        storage, extra = place("throughput")
        alerts, seconds = throughput(storage, dict(os.environ, **extra))
        print(f"{name}: {alerts} alerts committed in {seconds:.2f} s of pushes ({markets} per push): "
              f"{alerts / seconds:,.0f} alerts/s")
    for name, place in backends:
        storage, extra = place("crash")
        answered = crash(storage, dict(os.environ, **extra))
        print(f"{name}: a push crashing {markets} markets answered in median {answered[len(answered) // 2]:.3f} s, "
              f"max {answered[-1]:.3f} s ({rounds} pushes)")
    for name, place in backends:
        _, extra = place("latency")
        env = {k: v for k, v in os.environ.items() if k != "BREAKWATER_DATABASE_URL"}
        out = subprocess.run([sys.executable, f"{here}/alert_latency.py", binary, latency_rounds],
                             env=dict(env, **extra), capture_output=True, text=True, check=True).stdout
        print(f"{name} latency: " + " | ".join(out.strip().splitlines()))
finally:
    pg.stop()
