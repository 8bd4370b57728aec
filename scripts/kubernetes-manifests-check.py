#!/usr/bin/env python3
"""Cross-checks one Kubernetes variant under Deploy/ (scripts/deploy-checks.sh runs it on
Deploy/kubernetes and Deploy/kubernetes-replicas, after kubernetes-validate of the same files).

The variant follows from the ConfigMap's storage.kind:
  sqlite    the keeper with Breakwater as its sidecar: one replica, Recreate, the state directory
            /var/lib/breakwater on the PersistentVolumeClaim, config = Deploy/container-config.json;
  postgres  Breakwater as a service on one PostgreSQL database: 3 replicas, no volume for state,
            config = Deploy/container-config.json apart from storage, the database URL in the Secret.
Both: kustomization.yaml lists every manifest of the directory; every variable the config names
(adminTokenEnv, urlEnv, secretEnv, ...) comes from the Secret the container reads (envFrom) or its
env; probes GET /healthz (liveness) and /readyz (readiness); read-only root, no privilege
escalation, non-root; requests and limits; the image set by kustomization.yaml; the Prometheus
scrape annotation; the Service selects the pods. With --check-config BINARY it also runs
`BINARY check-config` on the ConfigMap's config with the Secret's values as the environment.

usage: kubernetes-manifests-check.py DIR --list                   print the listed manifests' paths
       kubernetes-manifests-check.py DIR [--check-config BINARY]  the checks above; exit 1 on a problem
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import yaml

CONTAINER_CONFIG = "Deploy/container-config.json"
STATE_DIR = "/var/lib/breakwater"


def listed_manifests(directory):
    """The paths kustomization.yaml lists; exits when they are not exactly the directory's manifests."""
    listed = yaml.safe_load(open(os.path.join(directory, "kustomization.yaml")))["resources"]
    present = sorted(
        os.path.basename(p)
        for p in glob.glob(os.path.join(directory, "*.yaml"))
        if not p.endswith("kustomization.yaml")
    )
    if sorted(listed) != present:
        sys.exit(f"{directory}/kustomization.yaml resources {sorted(listed)} != manifests present {present}")
    return [os.path.join(directory, f) for f in listed]


def named_variables(node):
    """Every value of a key ending in "Env" (the environment variables a config names)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("Env") and isinstance(value, str):
                yield key, value
            else:
                yield from named_variables(value)
    elif isinstance(node, list):
        for item in node:
            yield from named_variables(item)


def check(directory, binary):
    docs = [d for f in listed_manifests(directory) for d in yaml.safe_load_all(open(f)) if d]
    by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    kustomization = yaml.safe_load(open(os.path.join(directory, "kustomization.yaml")))
    bad = []
    cm = by.get(("ConfigMap", "breakwater-config"))
    if not cm:
        return [f"{directory}: no ConfigMap breakwater-config"]
    config = json.loads(cm["data"]["config.json"])
    expected = json.load(open(CONTAINER_CONFIG))
    kind = config.get("storage", {}).get("kind", "sqlite")
    if kind == "postgres":
        rest, want = dict(config), dict(expected)
        rest.pop("storage"), want.pop("storage")
        if rest != want:
            bad.append(f"the ConfigMap's config.json differs from {CONTAINER_CONFIG} beyond storage: regenerate it")
    elif config != expected:
        bad.append(f"the ConfigMap's config.json differs from {CONTAINER_CONFIG}: regenerate it")
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    if len(deployments) != 1:
        return bad + [f"{directory}: expected one Deployment, found {len(deployments)}"]
    dep = deployments[0]
    spec = dep["spec"]["template"]["spec"]
    replicas = dep["spec"].get("replicas", 1)
    strategy = dep["spec"].get("strategy", {}).get("type", "RollingUpdate")
    if kind == "postgres" and replicas != 3:
        bad.append(f"Deployment {dep['metadata']['name']}: replicas {replicas}, expected 3 on PostgreSQL")
    if kind == "sqlite" and (replicas != 1 or strategy != "Recreate"):
        bad.append(f"Deployment {dep['metadata']['name']}: one SQLite file needs replicas 1 and Recreate")
    bw = [c for c in spec.get("initContainers", []) + spec["containers"] if c["name"] == "breakwater"]
    if len(bw) != 1:
        return bad + ["the Deployment has no single container named breakwater"]
    c = bw[0]
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    for m in c.get("volumeMounts", []):
        v = vols.get(m["name"])
        if v is None:
            bad.append(f"volumeMount {m['name']} has no volume")
        elif "configMap" in v and ("ConfigMap", v["configMap"]["name"]) not in by:
            bad.append(f"volume {m['name']}: no ConfigMap {v['configMap']['name']}")
        elif "persistentVolumeClaim" in v and (
            "PersistentVolumeClaim",
            v["persistentVolumeClaim"]["claimName"],
        ) not in by:
            bad.append(f"volume {m['name']}: no PersistentVolumeClaim {v['persistentVolumeClaim']['claimName']}")
    mounts = {m["mountPath"]: vols.get(m["name"], {}) for m in c.get("volumeMounts", [])}
    claims = [n for n, v in vols.items() if "persistentVolumeClaim" in v]
    if kind == "sqlite" and "persistentVolumeClaim" not in mounts.get(STATE_DIR, {}):
        bad.append(f"{STATE_DIR} is not on the PersistentVolumeClaim")
    if kind == "postgres" and claims:
        bad.append(f"volumes {claims}: the replicas keep their state in the database, not on a claim")
    secrets = []
    for e in c.get("envFrom", []):
        secret = by.get(("Secret", e["secretRef"]["name"]))
        if secret is None:
            bad.append(f"envFrom: no Secret {e['secretRef']['name']}")
        else:
            secrets.append(secret)
    secret_env = {k: str(v) for s in secrets for k, v in s.get("stringData", {}).items()}
    container_env = {e["name"] for e in c.get("env", [])}
    for key, name in named_variables(config):
        if name not in secret_env and name not in container_env:
            bad.append(f"the config's {key} names {name}, which neither the Secret nor the container's env sets")
    if kind == "postgres":
        url = secret_env.get(config["storage"].get("urlEnv", ""), "")
        if not url.startswith("postgres://"):
            bad.append(f"the Secret's {config['storage'].get('urlEnv')} is not a postgres:// URL: {url!r}")
    sc = c.get("securityContext", {})
    if not sc.get("readOnlyRootFilesystem") or sc.get("allowPrivilegeEscalation") is not False:
        bad.append("breakwater securityContext must be read-only and without privilege escalation")
    if not (spec.get("securityContext", {}).get("runAsNonRoot") or sc.get("runAsNonRoot")):
        bad.append("runAsNonRoot is not set")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        if c.get(probe, {}).get("httpGet", {}).get("path") != path:
            bad.append(f"{probe} must GET {path}")
    r = c.get("resources", {})
    if not r.get("requests") or not r.get("limits"):
        bad.append("breakwater needs resource requests and limits")
    if c["image"] not in [i["name"] for i in kustomization.get("images", [])]:
        bad.append(f"image {c['image']} is not set by kustomization.yaml images")
    if dep["spec"]["template"]["metadata"].get("annotations", {}).get("prometheus.io/scrape") != "true":
        bad.append('pod template lacks prometheus.io/scrape: "true"')
    svc = by.get(("Service", "breakwater"))
    if not svc or svc["spec"]["selector"].items() - dep["spec"]["template"]["metadata"]["labels"].items():
        bad.append("Service breakwater does not select the Deployment's pods")
    if binary and not bad:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(config, f)
            f.flush()
            run = subprocess.run(
                [binary, "check-config", f.name],
                env={"PATH": os.environ.get("PATH", ""), **secret_env},
                capture_output=True,
                text=True,
            )
        if run.returncode != 0:
            bad.append(f"breakwater check-config of the ConfigMap's config with the Secret's values: {run.stdout}{run.stderr}")
        else:
            print(f"{directory}: breakwater check-config of the ConfigMap's config ({kind}) with the Secret's values: exit 0")
    if not bad:
        print(f"{directory}: {kind} variant, {replicas} replica(s), {strategy}, {len(docs)} manifests cross-checked")
    return bad


def main(argv):
    if len(argv) == 3 and argv[2] == "--list":
        print(" ".join(listed_manifests(argv[1])))
        return 0
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--check-config"):
        sys.exit(__doc__)
    bad = check(argv[1], argv[3] if len(argv) == 4 else None)
    for b in bad:
        print(f"  {argv[1]}: {b}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
