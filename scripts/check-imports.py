#!/usr/bin/env python3
"""Every module a target imports is declared in Package.swift: its own dependencies (targets or
products), or the toolchain's (Foundation, Testing, ...). SwiftPM's
--explicit-target-dependency-import-check lets through a product's module that another declared
product brings along (UnixSignals through ServiceLifecycle); this catches those too.
Usage: python3 scripts/check-imports.py  (exit 1 and the undeclared imports when there are any)"""
import glob, json, os, re, subprocess, sys

os.chdir(os.path.join(os.path.dirname(__file__), ".."))
pkg = json.loads(subprocess.run(["swift", "package", "dump-package"], capture_output=True, text=True, check=True).stdout)
toolchain = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch",
             "Synchronization", "Testing", "XCTest", "_Concurrency", "CoreFoundation", "os"}
problems = []
for t in pkg["targets"]:
    declared = {t["name"]} | {v[0] for d in t["dependencies"] for v in d.values()}
    root = t.get("path") or ("Tests/" if t["type"] == "test" else "Sources/") + t["name"]
    for f in sorted(glob.glob(root + "/**/*.swift", recursive=True)):
        for n, line in enumerate(open(f, encoding="utf-8"), 1):
            m = re.match(r"^(?:@\w+\s+)*(?:public |internal |package )?import (\w+)", line)
            if m and m.group(1) not in toolchain and m.group(1) not in declared:
                problems.append(f"{f}:{n}: imports {m.group(1)}, not declared for target {t['name']} in Package.swift")
print("\n".join(problems) if problems else "check-imports: every import is declared")
sys.exit(1 if problems else 0)
