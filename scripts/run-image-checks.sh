#!/usr/bin/env bash
# Runs the image scripts/build-image.sh built, as it is deployed, and checks:
#   1. the config it ships passes `breakwater check-config` inside it, and `ldd` inside it resolves
#      every library of the binary (SQLite, and LAPACK for the cross-market view);
#   2. it starts with its own ENTRYPOINT and CMD, root file system read-only (--read-only), a named
#      volume at /var/lib/breakwater, the container's port published on 127.0.0.1;
#   3. /readyz answers 200 through that port; the image's HEALTHCHECK passes (podman healthcheck run);
#   4. it runs as the Dockerfile's USER (`id` inside, and the process's uids seen from the host), and
#      even root cannot write its root file system;
#   5. the state lands on the volume: an admin halt answers 200 and the SQLite file appears there;
#   6. `podman stop` (SIGTERM) ends it with exit code 0 before the stop timeout would SIGKILL it.
# The config it runs with is the image's own with every polled feed pointed at a closed port
# (scripts/offline-config.py, mounted read-only over it) so the check never calls out.
# Usage: scripts/run-image-checks.sh [IMAGE]   (default breakwater:dev)
# Exits 0 when every check passed; 77 with "image: SKIPPED: <reason>" when podman cannot publish a
# port here; otherwise non-zero with "run-image-checks: FAIL: ..." on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/podman-common.sh
source scripts/podman-common.sh
IMAGE=${1:-$IMAGE}
fail() { echo "run-image-checks: FAIL: $*" >&2; exit 1; }
note() { echo "run-image-checks: $*"; }
[ "$(id -u)" -eq 0 ] || pod() { sudo podman --runtime runc "$@"; }
pod image exists "$IMAGE" || fail "no image $IMAGE: run scripts/build-image.sh first"

NAME="breakwater-check-$$"
VOLUME="breakwater-check-state-$$"
WORK=$(mktemp -d)
cleanup() {
  pod rm -f -v -t 0 "$NAME" "$NAME-idle" >/dev/null 2>&1 || true
  pod volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# What the image says about itself.
image_env() { pod image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed -n "s/^$1=//p"; }
PORT=$(image_env BREAKWATER_PORT)
CONFIG=$(image_env BREAKWATER_CONFIG)
USER_SPEC=$(pod image inspect --format '{{.Config.User}}' "$IMAGE")
[ -n "$PORT" ] && [ -n "$CONFIG" ] || fail "the image sets no BREAKWATER_PORT or BREAKWATER_CONFIG"
[[ "$USER_SPEC" =~ ^([0-9]+):([0-9]+)$ ]] || fail "the image's USER '$USER_SPEC' is not numeric uid:gid"
WANT_UID=${BASH_REMATCH[1]}; WANT_GID=${BASH_REMATCH[2]}
[ "$WANT_UID" -ne 0 ] || fail "the image runs as root"
note "$IMAGE: USER $USER_SPEC, port $PORT, config $CONFIG"

# --- 1. The shipped config, inside the image ---------------------------------------------------------
pod run --rm "${ULIMITS[@]}" --no-healthcheck --read-only --network none "$IMAGE" check-config "$CONFIG" > "$WORK/check-config.log" 2>&1 \
  || { cat "$WORK/check-config.log" >&2; fail "breakwater check-config $CONFIG failed inside the image"; }
note "check-config $CONFIG inside the image: exit 0"

# --- 1b. The shared libraries, as the image's own loader resolves them --------------------------------
pod run --rm "${ULIMITS[@]}" --no-healthcheck --read-only --network none --entrypoint ldd "$IMAGE" /usr/local/bin/breakwater \
  > "$WORK/ldd.txt" 2>&1 || { cat "$WORK/ldd.txt" >&2; fail "ldd /usr/local/bin/breakwater failed inside the image"; }
if grep -q "not found" "$WORK/ldd.txt"; then fail "libraries missing in the image: $(grep 'not found' "$WORK/ldd.txt" | tr -s ' \t' ' ')"; fi
for lib in libsqlite3.so.0 liblapacke.so.3 liblapack.so.3 libblas.so.3; do
  grep -q "$lib => /" "$WORK/ldd.txt" || fail "ldd inside the image does not resolve $lib: $(tr -s ' \t\n' ' ' < "$WORK/ldd.txt")"
done
note "ldd inside the image: every library resolved, LAPACK at $(sed -n 's/.*liblapacke.so.3 => \([^ ]*\).*/\1/p' "$WORK/ldd.txt")"

# --- 2. Start it --------------------------------------------------------------------------------------
HOST_PORT=$(free_port)
if ! out=$(pod run --rm "${ULIMITS[@]}" --no-healthcheck -p "127.0.0.1:$(free_port):$PORT" --entrypoint true "$IMAGE" 2>&1); then
  skip "podman cannot publish a container port here: $(printf '%s' "$out" | tail -n 1)"
fi
pod run --rm "${ULIMITS[@]}" --no-healthcheck --network none --entrypoint cat "$IMAGE" "$CONFIG" > "$WORK/image-config.json" \
  || fail "cannot read $CONFIG from the image"
python3 scripts/offline-config.py "$WORK/image-config.json" "$WORK/config.json" 9 || fail "cannot write the offline config"
chmod 0644 "$WORK/config.json"
TOKEN="run-image-checks-$RANDOM$RANDOM"
pod volume create "$VOLUME" >/dev/null
# Without systemd podman cannot schedule the HEALTHCHECK (it logs "unable to get systemd connection",
# kept in run.log): the checks run it themselves with `podman healthcheck run`.
pod run -d --name "$NAME" "${ULIMITS[@]}" --read-only \
  -p "127.0.0.1:$HOST_PORT:$PORT" -v "$VOLUME:/var/lib/breakwater" \
  -v "$WORK/config.json:$CONFIG:ro" -e BREAKWATER_ADMIN_TOKEN="$TOKEN" "$IMAGE" > "$WORK/run.log" 2>&1 \
  || { cat "$WORK/run.log" >&2; fail "podman run $IMAGE failed"; }
note "started $NAME: entrypoint $(pod inspect --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' "$NAME"), --read-only, volume $VOLUME, 127.0.0.1:$HOST_PORT -> $PORT"

# --- 3. Ready through the port; HEALTHCHECK inside --------------------------------------------------
ready=""
for _ in $(seq 1 150); do
  [ "$(pod inspect --format '{{.State.Running}}' "$NAME")" = true ] \
    || { pod logs "$NAME" 2>&1 | tail -n 20 >&2; fail "the container exited before becoming ready"; }
  if curl -fsS --max-time 1 "http://127.0.0.1:$HOST_PORT/readyz" > "$WORK/readyz" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { pod logs "$NAME" 2>&1 | tail -n 20 >&2; fail "/readyz did not answer 200 on 127.0.0.1:$HOST_PORT within 30 s"; }
note "/readyz through 127.0.0.1:$HOST_PORT: 200 $(head -c 120 "$WORK/readyz")"
pod healthcheck run "$NAME" > "$WORK/hc.log" 2>&1 || { cat "$WORK/hc.log" >&2; fail "podman healthcheck run: the image's HEALTHCHECK failed"; }
health=$(pod inspect --format '{{.State.Health.Status}}' "$NAME")
[ "$health" = healthy ] || fail "after a passing healthcheck run the container is '$health', not healthy"
# The same HEALTHCHECK in a container of the image where breakwater does not serve must fail.
pod run -d --name "$NAME-idle" "${ULIMITS[@]}" --read-only --network none \
  --entrypoint sleep "$IMAGE" 60 > "$WORK/idle.log" 2>&1 || { cat "$WORK/idle.log" >&2; fail "podman run of an idle container failed"; }
if pod healthcheck run "$NAME-idle" > /dev/null 2>&1; then fail "the HEALTHCHECK passed where nothing serves: it cannot detect a dead service"; fi
idle_health=$(pod inspect --format '{{.State.Health.Status}}' "$NAME-idle")
pod rm -f -v -t 0 "$NAME-idle" > /dev/null 2>&1
note "HEALTHCHECK $(pod inspect --format '{{json .Config.Healthcheck.Test}}' "$NAME"): exit 0, $health; where nothing serves: exit 1, $idle_health"

# --- 4. User and read-only root ------------------------------------------------------------------------
ids=$(pod exec "$NAME" id -u):$(pod exec "$NAME" id -g)
[ "$ids" = "$WANT_UID:$WANT_GID" ] || fail "id inside the container is $ids, expected $WANT_UID:$WANT_GID"
PID=$(pod inspect --format '{{.State.Pid}}' "$NAME")
uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$PID/status")
gids=$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$PID/status")
[ "$uids" = "$WANT_UID $WANT_UID $WANT_UID $WANT_UID" ] && [ "$gids" = "$WANT_GID $WANT_GID $WANT_GID $WANT_GID" ] \
  || fail "the breakwater process (host pid $PID) runs with uids '$uids' gids '$gids', expected $WANT_UID/$WANT_GID"
note "user: id inside $ids; host pid $PID ($(cat "/proc/$PID/comm")) uids $uids, gids $gids"
[ "$(pod inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$NAME")" = true ] || fail "the root file system is not read-only"
if pod exec --user 0 "$NAME" touch /usr/local/bin/probe > "$WORK/ro.log" 2>&1; then
  fail "root could write /usr/local/bin in a --read-only container"
fi
grep -q "Read-only file system" "$WORK/ro.log" || { cat "$WORK/ro.log" >&2; fail "writing the root file system failed for another reason than read-only"; }
note "read-only root: even uid 0 gets '$(head -n 1 "$WORK/ro.log")'"

# --- 5. State on the volume ------------------------------------------------------------------------------
code=$(curl -sS -o "$WORK/halt.json" -w '%{http_code}' --max-time 5 -X POST -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"reason":"run-image-checks","durationSeconds":60}' \
  "http://127.0.0.1:$HOST_PORT/v1/markets/BTC-USD/halt")
[ "$code" = 200 ] || fail "POST /v1/markets/BTC-USD/halt answered $code: $(cat "$WORK/halt.json")"
STATE=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["storage"]["path"])' "$WORK/config.json")
MOUNT=$(pod volume inspect --format '{{.Mountpoint}}' "$VOLUME")
[ -s "$MOUNT/$(basename "$STATE")" ] || { ls -la "$MOUNT" >&2; fail "no SQLite file $(basename "$STATE") on the volume after a halt"; }
owner=$(stat -c %u:%g "$MOUNT/$(basename "$STATE")")
[ "$owner" = "$WANT_UID:$WANT_GID" ] || fail "$STATE is owned by $owner, expected $WANT_UID:$WANT_GID"
note "state: halt 200; volume holds $(cd "$MOUNT" && ls | tr '\n' ' ')($(basename "$STATE") $(stat -c %s "$MOUNT/$(basename "$STATE")") bytes, owner $owner)"
json_lines=$(pod logs "$NAME" 2>/dev/null | grep -c '^{' || true)
[ "$json_lines" -gt 0 ] || fail "no JSON log line on the container's stdout"

# --- 6. SIGTERM ----------------------------------------------------------------------------------------
STOP_TIMEOUT=20
start=$(date +%s.%N)
pod stop --time "$STOP_TIMEOUT" "$NAME" > "$WORK/stop.log" 2>&1 || { cat "$WORK/stop.log" >&2; fail "podman stop failed"; }
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
rc=$(pod inspect --format '{{.State.ExitCode}}' "$NAME")
[ "$rc" = 0 ] || { pod logs "$NAME" 2>&1 | tail -n 10 >&2; fail "exit code $rc after podman stop (SIGTERM), expected 0 (137 = killed after ${STOP_TIMEOUT} s)"; }
note "podman stop: exit code 0 after ${took} s; $json_lines JSON log lines"
echo "run-image-checks: all checks passed"
