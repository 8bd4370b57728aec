#!/usr/bin/env python3
"""Reference figures from numpy for BreakwaterSystemicTests: reads a JSON list of cases
{"n": N, "matrix": [row-major N*N], "x": [N] or absent} on standard input and prints, per case,
{"eigenvalues": numpy.linalg.eigvalsh (ascending), "distance": x' inv(S) x or null} as JSON,
every number with 17 significant digits."""
import json, sys
import numpy as np

out = []
for case in json.load(sys.stdin):
    n = case["n"]
    m = np.array(case["matrix"], dtype=float).reshape(n, n)
    result = {"eigenvalues": [float(v) for v in np.linalg.eigvalsh(m)], "distance": None}
    if case.get("x") is not None:
        x = np.array(case["x"], dtype=float)
        result["distance"] = float(x @ np.linalg.solve(m, x))
    out.append(result)
json.dump(out, sys.stdout)
