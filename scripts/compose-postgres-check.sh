#!/usr/bin/env bash
# Runs Deploy/compose-postgres.yaml for real with podman-compose (no Docker engine here) and checks
# what it promises:
#   1. everything is started at once: podman before 4.6 ignores depends_on: service_healthy, so the
#      replicas start before PostgreSQL accepts connections and must join it by themselves (no
#      restart); PostgreSQL comes up healthy by the compose file's own healthcheck;
#   2. every replica answers /readyz 200 on the one database;
#   3. exactly one replica holds the alert lease (breakwater_alert_lease_held), the others not;
#   4. a halt through one replica is seen halted on every other one within a second;
#   5. PostgreSQL stopped: every /readyz answers 503 with the reason, reads still answer 200 and a
#      halt answers 503 storage_unavailable; PostgreSQL started again: every /readyz answers 200
#      again without a restart, and the halt stored before the outage still holds on every replica.
# The compose file is run as written, with three things replaced for this machine through an
# override file and its own variables: the images (BREAKWATER_IMAGE: the image build-image.sh built;
# BREAKWATER_POSTGRES_IMAGE: Debian's PostgreSQL from scripts/postgres-image, since postgres:16
# cannot be pulled), the published host ports (free ones instead of 8081-8083) and the replicas'
# config (the compose file's own, with every polled feed pointed at a closed port by
# scripts/offline-config.py, so the check never calls out).
# Usage: scripts/compose-postgres-check.sh [IMAGE]   (default breakwater:dev)
# Exits 0 when every check passed; 77 with "image: SKIPPED: <reason>" when podman-compose cannot be
# installed; otherwise non-zero with "compose-postgres-check: FAIL: ..." on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
# shellcheck source=scripts/podman-common.sh
source scripts/podman-common.sh
IMAGE=${1:-$IMAGE}
fail() { echo "compose-postgres-check: FAIL: $*" >&2; exit 1; }
note() { echo "compose-postgres-check: $*"; }
[ "$(id -u)" -eq 0 ] || pod() { sudo podman --runtime runc "$@"; }
COMPOSE_FILE=Deploy/compose-postgres.yaml
POSTGRES_IMAGE=localhost/postgres-local:bookworm
BASE="localhost/$(dockerfile_runtime_image)"
pod image exists "$IMAGE" || fail "no image $IMAGE: run scripts/build-image.sh first"
pod image exists "$BASE" || fail "no base $BASE: run scripts/build-image.sh first"
if ! command -v podman-compose >/dev/null 2>&1; then
  note "installing podman-compose (PyPI)"
  python3 -m pip install -q podman-compose >/dev/null 2>&1 || skip "pip install podman-compose failed (no PyPI reachable)"
  hash -r
  command -v podman-compose >/dev/null 2>&1 || skip "podman-compose is not on PATH after pip installed it"
fi

WORK=$(mktemp -d)
PROJECT="bwpgcheck$$"
compose() {
  local sudo_=(); [ "$(id -u)" -eq 0 ] || sudo_=(sudo --preserve-env)
  "${sudo_[@]}" podman-compose --podman-args="--runtime runc" \
    --podman-run-args="${ULIMITS[*]}" -p "$PROJECT" -f "$COMPOSE_FILE" -f "$WORK/override.yaml" "$@"
}
cleanup() {
  # rm -v first: podman-compose down -v leaves the anonymous volumes of the image's VOLUME behind.
  local c
  for c in $(pod ps -aq --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
    pod rm -f -v -t 0 "$c" >/dev/null 2>&1 || true
  done
  compose down -v -t 0 >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- The PostgreSQL image (layers cached after the first build) ------------------------------------
pod build "${ULIMITS[@]}" --network host --format docker --pull=never --build-arg BASE_IMAGE="$BASE" \
  -t "$POSTGRES_IMAGE" scripts/postgres-image > "$WORK/pg-build.log" 2>&1 \
  || { tail -n 20 "$WORK/pg-build.log" >&2; fail "podman build of $POSTGRES_IMAGE failed"; }
PG_VERSION=$(pod run --rm "${ULIMITS[@]}" --network none --entrypoint postgres "$POSTGRES_IMAGE" --version)
note "$POSTGRES_IMAGE: $PG_VERSION on $BASE"

# --- What the compose file says, and the override for this machine ---------------------------------
export BREAKWATER_ADMIN_TOKEN="compose-check-admin-$RANDOM$RANDOM$RANDOM"
export POSTGRES_PASSWORD="compose-check-pg-$RANDOM$RANDOM"
export BREAKWATER_IMAGE="$IMAGE" BREAKWATER_POSTGRES_IMAGE="$POSTGRES_IMAGE"
python3 - "$COMPOSE_FILE" "$WORK" <<'PY' || fail "cannot read $COMPOSE_FILE"
import json, os, socket, subprocess, sys, yaml
path, work = sys.argv[1:3]
c = yaml.safe_load(open(path))
here = os.path.dirname(path)
services = c["services"]
pg = [n for n, s in services.items() if "BREAKWATER_POSTGRES_IMAGE" in s.get("image", "")]
replicas = [n for n, s in services.items() if "BREAKWATER_IMAGE" in s.get("image", "")]
if len(pg) != 1 or len(replicas) < 2:
    sys.exit(f"expected one service on ${{BREAKWATER_POSTGRES_IMAGE}} and several on ${{BREAKWATER_IMAGE}}: {pg} {replicas}")
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
lines, table = ["services:"], []
for n in replicas:
    s = services[n]
    config = s["environment"]["BREAKWATER_CONFIG"]
    volumes = []
    for v in s["volumes"]:
        src, target = v.split(":")[:2]
        if target == config:
            offline = os.path.join(work, f"{n}.json")
            subprocess.run([sys.executable, "scripts/offline-config.py", os.path.join(here, src), offline, "9"], check=True)
            os.chmod(offline, 0o644)
            v = f"{offline}:{target}:ro"
        volumes.append(v)
    (published,) = s["ports"]
    container_port = published.rsplit(":", 1)[1]
    host_port = free_port()
    lines += [f"  {n}:", f"    ports: !override [{json.dumps(f'127.0.0.1:{host_port}:{container_port}')}]",
              f"    volumes: !override {json.dumps(volumes)}"]
    table.append(f"{n} {host_port} {published}")
open(os.path.join(work, "override.yaml"), "w").write("\n".join(lines) + "\n")
open(os.path.join(work, "replicas"), "w").write("\n".join(table) + "\n")
open(os.path.join(work, "postgres"), "w").write(pg[0] + "\n")
PY
PG_SERVICE=$(cat "$WORK/postgres")
mapfile -t REPLICAS < <(awk '{print $1}' "$WORK/replicas")
declare -A PORT
while read -r name port published; do PORT[$name]=$port; note "$name: $published in $COMPOSE_FILE, published on 127.0.0.1:$port here"; done < "$WORK/replicas"
url() { echo "http://127.0.0.1:${PORT[$1]}$2"; }
status() { curl -sS -o "$WORK/body" -w '%{http_code}' --max-time 2 "$@" 2>/dev/null || true; }
# The container of a service, by the labels podman-compose sets as docker compose does.
container_of() {
  pod ps -a --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1" \
    --format '{{.Names}}' | head -n 1
}

# --- 1. Everything at once, as `up` does with an engine that ignores depends_on (podman-compose 1.x on
# podman 4): the replicas start before PostgreSQL accepts connections and must join it by themselves.
compose up -d --no-build > "$WORK/up.log" 2>&1 || { tail -n 20 "$WORK/up.log" >&2; fail "podman-compose up failed"; }
PG=$(container_of "$PG_SERVICE")
[ -n "$PG" ] || fail "no container for $PG_SERVICE after podman-compose up"
wait_healthy() {
  local t0=$SECONDS
  # No systemd here to schedule HEALTHCHECKs: run the compose file's healthcheck as its interval would.
  until pod healthcheck run "$PG" >/dev/null 2>&1; do
    [ $((SECONDS - t0)) -lt 60 ] || { pod logs "$PG" 2>&1 | tail -n 20 >&2; fail "$PG_SERVICE not healthy within 60 s"; }
    sleep 1
  done
}
wait_healthy
note "$PG_SERVICE healthy: $(pod inspect --format '{{json .Config.Healthcheck.Test}}' "$PG") exit 0"

# until_all SECONDS WANT PATH: waits until every replica's PATH answers WANT, prints how long it took.
until_all() {
  local limit=$1 want=$2 path=$3 start=$EPOCHREALTIME r pending
  while :; do
    pending=()
    for r in "${REPLICAS[@]}"; do [ "$(status "$(url "$r" "$path")")" = "$want" ] || pending+=("$r"); done
    [ ${#pending[@]} -eq 0 ] && break
    if awk -v s="$start" -v e="$EPOCHREALTIME" -v l="$limit" 'BEGIN { exit !(e - s > l) }'; then
      for r in "${pending[@]}"; do echo "  $r: $path answered $(status "$(url "$r" "$path")") $(head -c 300 "$WORK/body")" >&2; done
      pod logs "$(container_of "${pending[0]}")" 2>&1 | tail -n 15 >&2
      fail "$path did not answer $want on ${pending[*]} within $limit s"
    fi
    sleep 0.2
  done
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }'
}

# --- 2. Ready on one database -----------------------------------------------------------------------
took=$(until_all 60 200 /readyz)
status "$(url "${REPLICAS[0]}" /readyz)" >/dev/null
note "/readyz 200 on ${REPLICAS[*]} $took s after $PG_SERVICE was healthy (started with it, no restart): $(head -c 150 "$WORK/body")"
joined=()
for r in "${REPLICAS[@]}"; do
  pod logs "$(container_of "$r")" 2>&1 | grep -q "joined without a restart" && joined+=("$r")
done
note "started before $PG_SERVICE accepted connections and joined it by themselves: ${joined[*]:-none (it was up first this time)}"

# --- 3. One lease holder ------------------------------------------------------------------------------
lease_of() { curl -fsS --max-time 2 "$(url "$1" /metrics)" | awk '/^breakwater_alert_lease_held\{/ { print $NF + 0 }'; }
holders=""
for _ in $(seq 1 75); do
  holders=""; summary=""
  for r in "${REPLICAS[@]}"; do
    held=$(lease_of "$r"); summary+="$r=$held "
    [ "$held" = 1 ] && holders+="$r "
  done
  [ "$(wc -w <<<"$holders")" -eq 1 ] && break
  sleep 0.2
done
[ "$(wc -w <<<"$holders")" -eq 1 ] || fail "expected exactly one replica with breakwater_alert_lease_held 1 within 15 s: $summary"
note "alert lease: breakwater_alert_lease_held $summary(one holder: $holders)"

# --- 4. A halt through one replica holds on the others within a second -------------------------------
halted_on() { curl -fsS --max-time 2 "$(url "$1" /v1/markets/BTC-USD)" | python3 -c 'import json, sys; b = json.load(sys.stdin)["breaker"]; sys.exit(0 if b["state"] == "halted" and "manual" in b["reasons"] else 1)'; }
THROUGH=${REPLICAS[1]}
others=()
for r in "${REPLICAS[@]}"; do
  ! halted_on "$r" || fail "BTC-USD is already halted on $r before the halt"
  [ "$r" = "$THROUGH" ] || others+=("$r=$(url "$r" /v1/markets/BTC-USD)")
done
# Polls the others in turn from the moment the halt is answered; each one's first halted answer.
python3 - "$(url "$THROUGH" /v1/markets/BTC-USD/halt)" "$BREAKWATER_ADMIN_TOKEN" "${others[@]}" > "$WORK/halt.txt" <<'PY' \
  || fail "the halt through $THROUGH: $(cat "$WORK/halt.txt")"
import json, sys, time, urllib.error, urllib.request
halt, token, others = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
req = urllib.request.Request(halt, method="POST", data=b'{"reason":"compose-postgres-check"}',
                             headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
try:
    urllib.request.urlopen(req, timeout=5).read()
except urllib.error.HTTPError as e:
    sys.exit(print(f"POST answered {e.code}: {e.read()[:200]!r}"))
start, seen = time.monotonic(), {}
while len(seen) < len(others) and time.monotonic() - start <= 1.0:
    for name, url in others.items():
        if name not in seen:
            b = json.load(urllib.request.urlopen(url, timeout=1))["breaker"]
            if b["state"] == "halted" and "manual" in b["reasons"]:
                seen[name] = time.monotonic() - start
    time.sleep(0.02)
print(", ".join(f"{n} after {seen[n]:.2f} s" if n in seen else f"{n} NOT within 1 s" for n in others))
sys.exit(0 if len(seen) == len(others) else 1)
PY
note "halt through $THROUGH: 200; BTC-USD halted (manual) on $(cat "$WORK/halt.txt")"

# --- 5. PostgreSQL stopped, then started ------------------------------------------------------------------
compose stop -t 10 "$PG_SERVICE" > "$WORK/stop.log" 2>&1 || { cat "$WORK/stop.log" >&2; fail "podman-compose stop $PG_SERVICE failed"; }
took=$(until_all 30 503 /readyz)
note "$PG_SERVICE stopped: /readyz 503 on ${REPLICAS[*]} within $took s: $(head -c 200 "$WORK/body")"
code=$(status "$(url "${REPLICAS[0]}" /v1/markets/ETH-USD)")
[ "$code" = 200 ] || fail "GET /v1/markets/ETH-USD answered $code while the database is away: reads must go on"
code=$(status -X POST -H "Authorization: Bearer $BREAKWATER_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"reason":"compose-postgres-check outage"}' "$(url "${REPLICAS[0]}" /v1/markets/ETH-USD/halt)")
[ "$code" = 503 ] && grep -q storage_unavailable "$WORK/body" \
  || fail "a halt while the database is away answered $code $(cat "$WORK/body"), expected 503 storage_unavailable"
note "while it is away: GET /v1/markets/ETH-USD 200; POST halt 503 $(head -c 120 "$WORK/body")"
compose start "$PG_SERVICE" > "$WORK/start.log" 2>&1 || { cat "$WORK/start.log" >&2; fail "podman-compose start $PG_SERVICE failed"; }
wait_healthy
took=$(until_all 60 200 /readyz)
note "$PG_SERVICE started and healthy: /readyz 200 on ${REPLICAS[*]} $took s later (no replica restarted)"
for r in "${REPLICAS[@]}"; do
  halted_on "$r" || fail "BTC-USD is no longer halted on $r after the database came back"
  [ "$(pod inspect --format '{{.RestartCount}}' "$(container_of "$r")")" = 0 ] || fail "$r was restarted"
done
note "after the outage: BTC-USD still halted on ${REPLICAS[*]}"
echo "compose-postgres-check: all checks passed"
