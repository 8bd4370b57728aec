#!/usr/bin/env bash
# Checks the container image as far as it can be checked without a Docker engine:
#   1. the Dockerfile's runtime stage: Debian release = this machine's, non-root numeric USER,
#      EXPOSE = BREAKWATER_PORT, the config it copies to $BREAKWATER_CONFIG exists and is valid;
#   2. builds the release binary exactly as the build stage does and checks that every shared
#      library `ldd` lists comes from a package the runtime stage installs (or their dependencies,
#      or the base image), and that the runtime stage installs nothing unexplained;
#   3. starts the binary with the runtime stage's ENV and entrypoint (only host, port, state dir and
#      the feeds' base URLs moved to 127.0.0.1/temp), waits for /readyz, runs the HEALTHCHECK
#      command, checks JSON logs, the state file and the metric names the Prometheus rules and the
#      Grafana dashboard use, then SIGTERM and expects exit 0;
#   4. reports the binary size (built and stripped, as the image ships it).
# Exits non-zero with "check-image: FAIL: ..." on the first failure. Needs: swift, python3, curl,
# ldd, dpkg, apt-cache, strip (all on a Debian machine with Swift; scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
ROOT=$(pwd)
fail() { echo "check-image: FAIL: $*" >&2; exit 1; }
note() { echo "check-image: $*"; }
for tool in swift python3 curl ldd dpkg apt-cache strip; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done

WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. The Dockerfile's runtime stage -------------------------------------------------------------
# Prints shell assignments (shlex-quoted) describing the last stage.
python3 - Dockerfile > "$WORK/stage.sh" <<'PY' || fail "cannot parse the Dockerfile"
import re, shlex, sys, json
text = open(sys.argv[1]).read()
text = re.sub(r"\\\n", " ", text)                       # join continuation lines
lines = [l.strip() for l in text.split("\n") if l.strip() and not l.strip().startswith("#")]
args, stages = {}, []
for l in lines:
    word, _, rest = l.partition(" ")
    word = word.upper()
    if word == "ARG" and not stages:
        k, _, v = rest.partition("=")
        args[k.strip()] = v.strip()
    elif word == "FROM":
        image = rest.split()[0]
        image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), image)
        stages.append({"from": image, "lines": []})
    elif stages:
        stages[-1]["lines"].append((word, rest.strip()))
if len(stages) < 2:
    sys.exit("expected a multi-stage Dockerfile")
build, run = stages[0], stages[-1]
def apt_installs(rest):
    found = []
    for part in re.split(r"&&|;", rest):
        t = shlex.split(part)
        if len(t) > 1 and t[0] == "apt-get" and "install" in t:
            found += [x for x in t[t.index("install") + 1:] if not x.startswith("-")]
    return found
build_pkgs = [p for word, rest in build["lines"] if word == "RUN" for p in apt_installs(rest)]
pkgs, env, user, expose, health, entry, cmd, copies, from_build = [], {}, "", [], [], [], [], [], []
for word, rest in run["lines"]:
    if word == "RUN":
        pkgs += apt_installs(rest)
    elif word == "ENV":
        for kv in shlex.split(rest):
            k, _, v = kv.partition("=")
            env[k] = v
    elif word == "USER":
        user = rest
    elif word == "EXPOSE":
        expose += rest.split()
    elif word == "HEALTHCHECK":
        m = re.search(r"CMD\s+(\[.*\])", rest)
        health = json.loads(m.group(1)) if m else []
    elif word == "ENTRYPOINT":
        entry = json.loads(rest)
    elif word == "CMD":
        cmd = json.loads(rest)
    elif word == "COPY" and "--from" not in rest:
        t = shlex.split(rest)
        copies.append((t[-2], t[-1]))
    elif word == "COPY" and "--from=build" in rest:
        t = shlex.split(rest)
        from_build.append((t[-2], t[-1]))
ca_dest = next((d for s, d in from_build if s.endswith("/ca-certificates.crt")), "")
config_src = next((s for s, d in copies if d == env.get("BREAKWATER_CONFIG")), "")
out = {"BUILD_FROM": build["from"], "RUNTIME_FROM": run["from"], "RUNTIME_PKGS": " ".join(pkgs),
       "BUILD_PKGS": " ".join(build_pkgs), "CA_BUNDLE_DEST": ca_dest,
       "IMAGE_USER": user, "IMAGE_EXPOSE": " ".join(expose), "IMAGE_CONFIG_SRC": config_src,
       "HEALTH_CMD": " ".join(shlex.quote(x) for x in health),
       "ENTRY_CMD": " ".join(shlex.quote(x) for x in entry + cmd),
       "IMAGE_ENV": " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())}
for k, v in out.items():
    print(f"{k}={shlex.quote(v)}")
PY
# shellcheck disable=SC1091
source "$WORK/stage.sh"
note "runtime stage: FROM $RUNTIME_FROM, packages: ${RUNTIME_PKGS:-none}, USER $IMAGE_USER, EXPOSE $IMAGE_EXPOSE"
note "runtime ENV: $IMAGE_ENV"

. /etc/os-release
case "$RUNTIME_FROM" in *"$VERSION_CODENAME"*) ;; *) fail "runtime stage $RUNTIME_FROM is not Debian $VERSION_CODENAME like this machine: the ldd check below would compare the wrong release";; esac
case "$BUILD_FROM" in *"$VERSION_CODENAME"*) ;; *) fail "build stage $BUILD_FROM is not $VERSION_CODENAME: it must match the runtime stage's release";; esac
[ -n "$RUNTIME_PKGS" ] || fail "the runtime stage installs no packages (GRDB needs libsqlite3-0)"
case "$IMAGE_USER" in ""|0|0:*|root|root:*) fail "the runtime stage must set a non-root USER";; esac
[[ "$IMAGE_USER" =~ ^[0-9]+(:[0-9]+)?$ ]] || fail "USER $IMAGE_USER is not numeric (Kubernetes runAsNonRoot cannot verify a name)"
[ -n "$HEALTH_CMD" ] || fail "the runtime stage has no HEALTHCHECK CMD [...]"
[ -n "$IMAGE_CONFIG_SRC" ] || fail "no COPY puts a config at \$BREAKWATER_CONFIG"
[ -f "$IMAGE_CONFIG_SRC" ] || fail "$IMAGE_CONFIG_SRC (copied to \$BREAKWATER_CONFIG) does not exist"
IMAGE_PORT=$(printf '%s\n' $IMAGE_ENV | sed -n 's/^BREAKWATER_PORT=//p')
IMAGE_HOST=$(printf '%s\n' $IMAGE_ENV | sed -n 's/^BREAKWATER_HOST=//p')
[ "$IMAGE_HOST" = "0.0.0.0" ] || fail "the image must set BREAKWATER_HOST=0.0.0.0 (probes and Prometheus come from outside the container), got '$IMAGE_HOST'"
[ -n "$IMAGE_PORT" ] && [[ " $IMAGE_EXPOSE " == *" $IMAGE_PORT "* ]] || fail "EXPOSE ($IMAGE_EXPOSE) does not include BREAKWATER_PORT ($IMAGE_PORT)"
printf '%s\n' $IMAGE_ENV | grep -qx 'BREAKWATER_LOG_FORMAT=json' || fail "the image must set BREAKWATER_LOG_FORMAT=json"
# The trust store for the HTTPS feeds and webhooks: the runtime stage copies the build stage's CA
# bundle (from its ca-certificates package) to the first file swift-nio-ssl's BoringSSL looks for on
# Linux (rootCAFileSearchPaths in NIOSSL/LinuxCABundle.swift; read from the checkout when present).
[ -n "$CA_BUNDLE_DEST" ] || fail "the runtime stage copies no ca-certificates.crt from the build stage: HTTPS feeds could not verify any certificate"
[[ " $BUILD_PKGS " == *" ca-certificates "* ]] || fail "the build stage does not install ca-certificates, whose bundle the runtime stage copies"
CA_SEARCH=/etc/ssl/certs/ca-certificates.crt
NIOSSL_CA=$(find .build/checkouts/swift-nio-ssl/Sources/NIOSSL -name LinuxCABundle.swift 2>/dev/null | head -n 1)
if [ -n "$NIOSSL_CA" ]; then
  CA_SEARCH=$(sed -n '/rootCAFileSearchPaths = \[/,/\]/s/^ *"\([^"]*\)".*/\1/p' "$NIOSSL_CA")
fi
printf '%s\n' $CA_SEARCH | grep -qx "$CA_BUNDLE_DEST" \
  || fail "the CA bundle is copied to $CA_BUNDLE_DEST, where swift-nio-ssl does not look (it reads: $(echo $CA_SEARCH))"
note "CA bundle: build stage's ca-certificates.crt copied to $CA_BUNDLE_DEST (swift-nio-ssl reads: $(echo $CA_SEARCH))"

# The container config is config.json with only the storage path moved under /var/lib/breakwater.
python3 - "$IMAGE_CONFIG_SRC" config.json <<'PY' || fail "$IMAGE_CONFIG_SRC drifted from config.json"
import json, sys
image, shipped = (json.load(open(p)) for p in sys.argv[1:])
path = image.get("storage", {}).get("path", "")
if not path.startswith("/var/lib/breakwater/"):
    sys.exit(f"storage.path {path!r} is not under /var/lib/breakwater (the image's state volume)")
image["storage"].pop("path"); shipped.get("storage", {}).pop("path", None)
if image != shipped:
    sys.exit("it differs from config.json beyond storage.path: regenerate it (see Deploy/README.md)")
PY

# --- 2. Build as the build stage does and compare ldd with the runtime packages ---------------------
note "building: swift build -c release --static-swift-stdlib --product breakwater"
swift build -c release --static-swift-stdlib --product breakwater 2>&1 | tail -n 3
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/breakwater"
[ -x "$BIN" ] || fail "no binary at $BIN"
"$BIN" --version >/dev/null || fail "$BIN --version failed"

ldd "$BIN" > "$WORK/ldd.txt" 2>&1 || fail "ldd failed: $(cat "$WORK/ldd.txt")"
if grep -q "not found" "$WORK/ldd.txt"; then fail "unresolved libraries: $(grep 'not found' "$WORK/ldd.txt")"; fi
SIZE_FILE="$WORK/sizes.txt" python3 - "$WORK/ldd.txt" "$RUNTIME_PKGS" <<'PY' || fail "the runtime stage's packages do not cover the binary's libraries (see above)"
import os, re, subprocess, sys
ldd = open(sys.argv[1]).read().splitlines()
runtime = sys.argv[2].split()
# Packages installed in the runtime stage for a reason other than a linked library.
# (The CA bundle is not a package here: the Dockerfile copies the build stage's file, checked above.)
NON_LIBRARY = {"tzdata": "time zone data"}

def depends_closure(seeds):
    """Seeds plus their Depends/PreDepends, first alternative of each group (what apt installs)."""
    seen, todo = set(), list(seeds)
    while todo:
        batch = sorted(set(todo) - seen)
        todo = []
        if not batch:
            break
        seen |= set(batch)
        out = subprocess.run(["apt-cache", "depends", "--no-recommends", "--no-suggests", "--no-conflicts",
                              "--no-breaks", "--no-replaces", "--no-enhances"] + batch,
                             capture_output=True, text=True).stdout
        in_group = False
        for line in out.splitlines():
            m = re.match(r"^\s*(\|)?(Depends|PreDepends):\s*(\S+)", line)
            if not m:
                in_group = False
                continue
            alt, name = m.group(1), m.group(3)
            if not in_group and not name.startswith("<"):
                todo.append(name.split(":")[0])
            in_group = alt == "|"
    return seen

def essential():
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Essential}\n"], capture_output=True, text=True).stdout
    return [l.split()[0] for l in out.splitlines() if l.endswith(" yes")]

# debian:*-slim is a minbase debootstrap: the Essential packages, apt, and their dependencies.
base = depends_closure(essential() + ["apt"])
unknown = [p for p in runtime if subprocess.run(["apt-cache", "show", p], capture_output=True).returncode != 0]
if unknown:
    sys.exit(f"runtime packages unknown to apt: {unknown}")
provided = {p: "runtime stage" for p in runtime}
for p in base:
    provided.setdefault(p, "base image")
for p in depends_closure(runtime):
    provided.setdefault(p, "dependency of the runtime packages")

def owner(path):
    candidates = [path, os.path.realpath(path)]
    for c in list(candidates):
        if c.startswith("/usr/lib/"): candidates.append(c[4:])
        elif c.startswith("/lib"): candidates.append("/usr" + c)
    for c in candidates:
        r = subprocess.run(["dpkg", "-S", c], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":")[0].strip()
    return None

bad, needed = [], set()
print(f"{'library':34} {'package':16} provided by")
for line in ldd:
    line = line.strip()
    if not line or "linux-vdso" in line:
        continue
    m = re.match(r"(\S+)\s+=>\s+(\S+)", line) or re.match(r"(\S+)\s+\(", line)
    if not m:
        bad.append(f"cannot parse ldd line: {line}")
        continue
    name, path = m.group(1), m.group(m.lastindex)
    pkg = owner(path)
    if pkg is None:
        bad.append(f"{name} ({path}) belongs to no Debian package")
        continue
    needed.add(pkg)
    where = provided.get(pkg)
    print(f"{name:34} {pkg:16} {where or 'MISSING'}")
    if where is None:
        bad.append(f"{name} comes from {pkg}, which the runtime stage does not install")
# Every runtime package must be needed by a library (directly or as a dependency) or explained.
for p in runtime:
    if p in NON_LIBRARY:
        print(f"{'(not a library)':34} {p:16} {NON_LIBRARY[p]}")
        continue
    if p not in needed and not (depends_closure([p]) & needed - base):
        bad.append(f"runtime stage installs {p}, but no library of the binary comes from it: remove it "
                   "or explain it in NON_LIBRARY in scripts/check-image.sh")
# Size estimate: Installed-Size of the base image's packages and of what the runtime stage adds.
def installed_kib(pkgs):
    out = subprocess.run(["apt-cache", "show", "--no-all-versions"] + sorted(pkgs), capture_output=True, text=True).stdout
    return sum(int(v) for v in re.findall(r"^Installed-Size: (\d+)", out, re.M))
added = set(provided) - base
with open(os.environ["SIZE_FILE"], "w") as f:
    f.write(f"{installed_kib(base)} {installed_kib(added)} {' '.join(sorted(added))}\n")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
note "ldd: every library is provided by the runtime stage or debian base image"

SIZE=$(stat -c %s "$BIN")
strip -o "$WORK/breakwater.stripped" "$BIN"
STRIPPED=$(stat -c %s "$WORK/breakwater.stripped")
"$WORK/breakwater.stripped" --version >/dev/null || fail "the stripped binary does not run"

# --- 3. Run it with the image's environment ----------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DEAD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/state" "$WORK/cwd"
# The image's config with the state file in a temp dir and every feed pointed at a closed port on
# 127.0.0.1, so this check never calls out (no network here; none wanted in CI).
python3 scripts/offline-config.py "$IMAGE_CONFIG_SRC" "$WORK/config.json" "$DEAD_PORT" "$WORK/state/breakwater.sqlite" \
  || fail "cannot write the offline config"
"$WORK/breakwater.stripped" check-config "$IMAGE_CONFIG_SRC" >/dev/null || fail "breakwater check-config $IMAGE_CONFIG_SRC failed"

TOKEN="check-image-token-$RANDOM$RANDOM"
# The binary as the image ships it, found on PATH like in the image (/usr/local/bin).
mkdir -p "$WORK/bin" && cp "$WORK/breakwater.stripped" "$WORK/bin/breakwater"
RUN_ENV=(env -i "PATH=$WORK/bin:/usr/bin:/bin" "HOME=$WORK/cwd")
for kv in $IMAGE_ENV; do RUN_ENV+=("$kv"); done
RUN_ENV+=("BREAKWATER_CONFIG=$WORK/config.json" "BREAKWATER_HOST=127.0.0.1" "BREAKWATER_PORT=$PORT"
          "BREAKWATER_ADMIN_TOKEN=$TOKEN")
# The image's ENTRYPOINT + CMD ("breakwater serve").
eval "ENTRY=( $ENTRY_CMD )"
[ "${ENTRY[0]}" = "breakwater" ] || fail "ENTRYPOINT is not breakwater: ${ENTRY[*]}"
note "starting '${ENTRY[*]}' on 127.0.0.1:$PORT (state in $WORK/state)"
(cd "$WORK/cwd" && exec "${RUN_ENV[@]}" "${ENTRY[@]}") > "$WORK/stdout.log" 2> "$WORK/stderr.log" &
PID=$!

ready=""
for _ in $(seq 1 100); do
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/stdout.log" "$WORK/stderr.log" >&2; fail "breakwater exited before becoming ready"; }
  if curl -fsS --max-time 1 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { tail -n 20 "$WORK/stdout.log" "$WORK/stderr.log" >&2; fail "/readyz did not answer 200 within 20 s"; }
note "ready: /readyz answered 200"
curl -fsS --max-time 2 "http://127.0.0.1:$PORT/healthz" | grep -q '"ok"' || fail "/healthz did not answer ok"

# The image's HEALTHCHECK command, with the image's environment (port from BREAKWATER_PORT) ...
eval "HC=( $HEALTH_CMD )"
(cd "$WORK/cwd" && "${RUN_ENV[@]}" "${HC[@]}") > "$WORK/hc.log" 2>&1 || { cat "$WORK/hc.log" >&2; fail "HEALTHCHECK '${HC[*]}' exited non-zero"; }
note "HEALTHCHECK '${HC[*]}': exit 0 ($(head -n 1 "$WORK/hc.log"))"
# ... the explicit form, and against a closed port it must fail.
"$WORK/bin/breakwater" healthcheck --port "$PORT" > "$WORK/hc.log" 2>&1 || { cat "$WORK/hc.log" >&2; fail "breakwater healthcheck --port $PORT exited non-zero"; }
note "breakwater healthcheck --port $PORT: exit 0"
if "$WORK/bin/breakwater" healthcheck --port "$DEAD_PORT" --timeout 1 >/dev/null 2>&1; then
  fail "breakwater healthcheck against a closed port exited 0: it cannot detect a dead service"
fi

# An admin call with the token from the environment; the halt lands in the state file.
code=$(curl -sS -o "$WORK/halt.json" -w '%{http_code}' --max-time 3 -X POST -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"reason":"check-image","durationSeconds":60}' \
  "http://127.0.0.1:$PORT/v1/markets/BTC-USD/halt")
[ "$code" = 200 ] || fail "POST /v1/markets/BTC-USD/halt with the admin token answered $code: $(cat "$WORK/halt.json")"
[ -s "$WORK/state/breakwater.sqlite" ] || fail "no SQLite state at the configured storage.path"

# Metric names used by the rules and the dashboard exist (or are announced by the alert delivery work).
curl -fsS --max-time 3 "http://127.0.0.1:$PORT/metrics" > "$WORK/metrics.txt" || fail "GET /metrics failed"
python3 - "$WORK/metrics.txt" Deploy/prometheus/breakwater.rules.yml Deploy/grafana/dashboards/breakwater.json <<'PY' || fail "the rules or the dashboard use metrics Breakwater does not expose"
import re, sys
exposed = set(re.findall(r"^# TYPE (\S+)", open(sys.argv[1]).read(), re.M))
exposed |= {n + s for n in list(exposed) for s in ("_bucket", "_count", "_sum")}
# Every family is announced (HELP/TYPE) from start-up, so nothing is exempt.
lazy = set()
bad = []
for path in sys.argv[2:]:
    for name in sorted(set(re.findall(r"\b((?:breakwater|hb|http_server)_[a-z0-9_]+)\b", open(path).read()))):
        if name in exposed:
            continue
        if name in lazy:
            print(f"check-image: note: {name} ({path}) is not exposed yet (registered on first use)")
            continue
        bad.append(f"{path}: {name} is not in /metrics")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
note "metrics: every name in the rules and the dashboard is exposed or announced"

# Logs: JSON objects on stdout.
python3 - "$WORK/stdout.log" <<'PY' || fail "no JSON log line on stdout with BREAKWATER_LOG_FORMAT=json"
import json, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.strip()]
good = [l for l in lines if l.startswith("{") and isinstance(json.loads(l), dict)]
other = [l for l in lines if l not in good]
print(f"check-image: logs: {len(good)} JSON lines on stdout" + (f", {len(other)} plain lines (e.g. {other[0]!r})" if other else ""))
sys.exit(0 if good else 1)
PY
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")

# --- SIGTERM: graceful exit 0 within 10 s --------------------------------------------------------------
kill -TERM "$PID"
rc=""
for _ in $(seq 1 50); do
  if ! kill -0 "$PID" 2>/dev/null; then set +e; wait "$PID"; rc=$?; set -e; break; fi
  sleep 0.2
done
[ -n "$rc" ] || fail "breakwater did not exit within 10 s of SIGTERM"
PID=""
[ "$rc" = 0 ] || { tail -n 20 "$WORK/stdout.log" "$WORK/stderr.log" >&2; fail "breakwater exited $rc after SIGTERM, expected 0"; }
note "SIGTERM: exited 0"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
read -r BASE_KIB ADDED_KIB ADDED_PKGS < "$WORK/sizes.txt"
GZ=$(gzip -6 -c "$WORK/breakwater.stripped" | wc -c)
# debian:bookworm-slim is ~75 MB uncompressed (~28 MB compressed) on amd64; the Installed-Size sum of
# its packages computed above is an upper bound (the slim image drops docs, man pages and locales).
note "image size estimate (uncompressed): debian:bookworm-slim ~75 MB (package sum, an upper bound: $((BASE_KIB / 1024)) MiB) + runtime packages $((ADDED_KIB / 1024)) MiB ($ADDED_PKGS) + binary $(mib "$STRIPPED") = ~$(( 75 + (ADDED_KIB * 1024 + STRIPPED) / 1000000 )) MB; compressed ~$(( 28 + 4 + GZ / 1000000 )) MB (binary gzips to $(mib "$GZ"))"
note "binary: $(mib "$SIZE") as built, $(mib "$STRIPPED") stripped (the image ships the stripped one); RSS after start $((RSS_KB / 1024)) MiB"
echo "check-image: all checks passed"
