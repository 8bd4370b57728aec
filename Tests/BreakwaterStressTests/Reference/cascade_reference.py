"""An independent reference for the stress engine, written from domain-systemic.md section 3
with plain loops: every round looks at every position, no sorting, no prefix sums.

Reads JSON books on stdin: [{"price", "m", "sigmaDay", "adv", "y", "d1", "fund",
"positions": [[side, q, E, C], ...], "shock", "depletion": bool}] and prints, for each book,
{"cascades": [[finalPrice, rounds, liquidated, notional, badDebt] for down sqrt, down linear,
up sqrt, up linear], "mapDown": [cumulative at 1..30 %], "mapUp": [...],
"depletion": [down sqrt, down linear, up sqrt, up linear] or null}.
"""

import json
import math
import sys


def liquidation_price(side, q, e, c, m):
    if side == "long":
        return (q * e - c) / (q * (1 - m))
    return (q * e + c) / (q * (1 + m))


def bankruptcy_price(side, q, e, c):
    return e - c / q if side == "long" else e + c / q


def impact(model, v, book):
    if model == "sqrt":
        return book["y"] * book["sigmaDay"] * math.sqrt(v / book["adv"])
    return 0.01 * v / book["d1"]


def cascade(book, direction, s, model):
    p_ref, m = book["price"], book["m"]
    losing = "long" if direction == "down" else "short"
    p0 = max(0.0, p_ref * (1 - s)) if direction == "down" else p_ref * (1 + s)
    price = p0
    done = [False] * len(book["positions"])
    volume = 0.0
    rounds = 0
    count = 0
    bad_debt = 0.0
    while True:
        joining = []
        for i, (side, q, e, c) in enumerate(book["positions"]):
            if side != losing or done[i]:
                continue
            liq = liquidation_price(side, q, e, c, m)
            if (direction == "down" and price <= liq) or (direction == "up" and price >= liq):
                joining.append(i)
        if not joining:
            break
        rounds += 1
        for i in joining:
            done[i] = True
            volume += book["positions"][i][1] * p_ref
            count += 1
        k = impact(model, volume, book)
        fill = max(0.0, p0 * (1 - k)) if direction == "down" else p0 * (1 + k)
        for i in joining:
            side, q, e, c = book["positions"][i]
            bk = bankruptcy_price(side, q, e, c)
            bad_debt += max(0.0, q * (bk - fill)) if side == "long" else max(0.0, q * (fill - bk))
        price = fill
    return [price, rounds, count, volume, bad_debt]


def liquidatable(book, direction, move):
    p_ref, m = book["price"], book["m"]
    price = p_ref * (1 - move) if direction == "down" else p_ref * (1 + move)
    total = 0.0
    for side, q, e, c in book["positions"]:
        liq = liquidation_price(side, q, e, c, m)
        if direction == "down" and side == "long" and liq >= price:
            total += q * p_ref
        if direction == "up" and side == "short" and liq <= price:
            total += q * p_ref
    return total


def depletion(book, direction, model):
    """The smallest s in [0, 1) whose bad debt exceeds the fund, by bisection to 1e-6 as the
    domain text defines it (0 when s = 0 already does, None when s = 1 does not)."""
    fund = book["fund"]

    def breaks(s):
        return cascade(book, direction, s, model)[4] > fund

    if breaks(0.0):
        return 0.0
    if not breaks(1.0):
        return None
    lo, hi = 0.0, 1.0
    while hi - lo > 1e-6:
        mid = (lo + hi) / 2
        if breaks(mid):
            hi = mid
        else:
            lo = mid
    return hi


def main():
    books = json.load(sys.stdin)
    out = []
    for book in books:
        s = book["shock"]
        result = {
            "cascades": [
                cascade(book, d, s, model) for d in ("down", "up") for model in ("sqrt", "linear")
            ],
            "mapDown": [liquidatable(book, "down", k / 100) for k in range(1, 31)],
            "mapUp": [liquidatable(book, "up", k / 100) for k in range(1, 31)],
            "depletion": None,
        }
        if book["depletion"]:
            result["depletion"] = [
                depletion(book, d, model) for d in ("down", "up") for model in ("sqrt", "linear")
            ]
        out.append(result)
    json.dump(out, sys.stdout)


main()
