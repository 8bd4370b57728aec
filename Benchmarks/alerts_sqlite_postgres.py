#!/usr/bin/env python3
"""Alert storage benchmark (not a test), SQLite and PostgreSQL side by side in one run.

1. Throughput: alerts committed per second. `breakwater serve` with MARKETS markets of four push
   sources each; one push moves source `v0` 20 % off on every market, so MARKETS source.degraded
   alerts fire, and a push back resolves them. A push is answered (202) only once the alerts its
   quotes caused are committed, each with its webhook in the outbox; the figure is alerts over
   the push round trips. GET /v1/alerts then confirms every alert was stored.
2. Latency: Benchmarks/alert_latency.py (price accepted -> signed webhook received, p50/p99) on
   each backend.

PostgreSQL: a throwaway server from Debian's `postgresql` package (initdb into a temporary
directory, default durability: fsync and synchronous_commit on), on a free port of 127.0.0.1.
Usage: python3 Benchmarks/alerts_sqlite_postgres.py PATH_TO_BREAKWATER [markets] [rounds] [latency_rounds]"""
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


def throughput(storage, env):
    """Alerts committed per second on `storage` (a config storage block)."""
    tmp, port = tempfile.mkdtemp(), free_port()
    ids = [f"M{i:04d}" for i in range(markets)]
    config = {"server": {"host": "127.0.0.1", "port": port, "tickMs": 250, "adminTokenEnv": "ADMIN"},
              "storage": storage,
              "markets": [{"id": m, "sources": [{"id": f"v{i}", "kind": "push", "tokenEnv": f"T{i}"} for i in range(4)],
                           "aggregation": {"minSources": 3, "maxAgeMs": 600000, "maxDeviation": 0.02}} for m in ids],
              # A destination, so that each alert also enqueues its webhook (nothing listens:
              # deliveries fail and retry later, off the measured path's storage queue at most).
              "alerts": {"webhooks": [{"id": "rx", "url": f"http://127.0.0.1:{free_port()}/hook", "format": "standard",
                                       "secretEnv": "WH", "types": ["source.degraded"]}],
                         "sourceDegradedForSeconds": 0}}
    json.dump(config, open(f"{tmp}/config.json", "w"))
    env = dict(env, WH="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ADMIN=admin,
               **{f"T{i}": f"alert-bench-push-token-{i}" for i in range(4)})
    proc = subprocess.Popen([binary, "serve", "--config", f"{tmp}/config.json", "--log-level", "error"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try: urllib.request.urlopen(f"{base}/readyz", timeout=1); break
            except Exception: time.sleep(0.1)
        else: sys.exit("breakwater did not become ready")

        def push(source, price):
            body = json.dumps({"source": source, "prices": [
                {"market": m, "price": price, "timestamp": time.time()} for m in ids]}).encode()
            req = urllib.request.Request(f"{base}/v1/prices", data=body, method="POST", headers={
                "Content-Type": "application/json", "Authorization": f"Bearer alert-bench-push-token-{source[1:]}"})
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    answer = json.load(r)
            except urllib.error.HTTPError as e:
                sys.exit(f"a push of {markets} alerts answered {e.code} after {time.perf_counter() - start:.2f} s: "
                         f"{e.read().decode()[:300]}")
            assert r.status == 202 and answer["accepted"] == markets, answer
            return time.perf_counter() - start

        def count(status):
            n, cursor = 0, None
            while True:
                url = f"{base}/v1/alerts?status={status}&type=source.degraded&limit=1000"
                page = json.load(urllib.request.urlopen(url + (f"&cursor={cursor}" if cursor else ""), timeout=30))
                n += len(page["alerts"])
                if not (cursor := page.get("nextCursor")): return n

        for i in range(4): push(f"v{i}", 100.0)
        time.sleep(1.5)
        seconds, alerts = 0.0, 0
        for r in range(rounds):
            seconds += push("v0", 120.0)
            assert count("firing") == markets, f"round {r}: {count('firing')} firing, expected {markets}"
            seconds += push("v0", 100.0)
            assert count("firing") == 0, f"round {r}: {count('firing')} still firing"
            alerts += 2 * markets
        assert count("resolved") == rounds * markets, count("resolved")
        return alerts, seconds
    finally:
        proc.terminate(); proc.wait(30); shutil.rmtree(tmp, ignore_errors=True)


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
        _, extra = place("latency")
        env = {k: v for k, v in os.environ.items() if k != "BREAKWATER_DATABASE_URL"}
        out = subprocess.run([sys.executable, f"{here}/alert_latency.py", binary, latency_rounds],
                             env=dict(env, **extra), capture_output=True, text=True, check=True).stdout
        print(f"{name} latency: " + " | ".join(out.strip().splitlines()))
finally:
    pg.stop()
