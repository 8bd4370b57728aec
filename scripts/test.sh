#!/usr/bin/env bash
# The README's test command: installs system packages, builds, runs every test and every docs example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Style: the toolchain's swift-format with .swift-format (swift-nio's rules, 120 columns).
swift format lint --strict --recursive --parallel Sources Tests Benchmarks Package.swift
# Every import declared in Package.swift (SwiftPM's check misses modules a declared product brings).
python3 scripts/check-imports.py
# A warning in our code fails this build (Package.swift: treatAllWarnings); dependencies may warn.
swift build --build-tests --explicit-target-dependency-import-check=error
swift test --skip-build 2>&1 | tee .build/test-output.txt
# Every example in README.md and docs/ still runs (needs the debug binary built above).
bash scripts/check-docs.sh
# The status page in headless Chromium with 1 and 1,000 markets (screenshots in .build/status-page/).
bash scripts/status-page-check.sh || [ $? -eq 77 ]  # 77: skipped (no chromium), said so
