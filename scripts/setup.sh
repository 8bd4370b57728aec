#!/usr/bin/env bash
# Installs the system packages Breakwater builds and tests with (Debian). Idempotent.
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=()
# liblapacke-dev: LAPACK's C interface (the CLapacke system-library target, eigenvalues of the
# cross-market view).
for p in libcurl4-openssl-dev zlib1g-dev libsqlite3-dev liblapacke-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
# curl and jq: the docs' examples use them, and scripts/check-docs.sh runs those examples.
for p in curl jq; do command -v "$p" >/dev/null 2>&1 || need+=("$p"); done
# A real Alertmanager for the alert delivery tests (skipped with a message when absent).
command -v prometheus-alertmanager >/dev/null 2>&1 || [ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
# promtool (Debian package prometheus) for the /metrics exposition test (skipped with a message when absent).
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# A real PostgreSQL for the store tests on the postgres backend and the replica test: they
# initdb into a temporary directory and pg_ctl start it on a free port (no service is started).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Headless Chromium for the status page check in a real browser (scripts/status-page-check.sh).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# numpy for the python3 on PATH (it may not be Debian's): the reference figures of the LAPACK
# tests (Tests/BreakwaterSystemicTests/eigenvalues.py). pip first; Debian's package otherwise.
python3 -c 'import numpy' >/dev/null 2>&1 || python3 -m pip install -q numpy >/dev/null 2>&1 || need+=(python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "swift 6.2 or later is required (https://www.swift.org/install/linux/)"; exit 1; }
