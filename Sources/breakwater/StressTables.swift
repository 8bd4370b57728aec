import BreakwaterStress
import BreakwaterWire
import Foundation

/// The text `breakwater stress` prints: a header saying where each figure came from, per
/// market the open interest, the liquidation map, the cascades and the depletion shocks, then
/// the critical-markets ranking and, with --origin, each contagion scenario with its ADL.
struct StressTables {
    let report: StressReport
    let inputs: StressInputs
    let refusals: [PositionRefusal]
    let path: String
    private(set) var text = ""

    init(report: StressReport, inputs: StressInputs, refusals: [PositionRefusal], path: String) {
        self.report = report
        self.inputs = inputs
        self.refusals = refusals
        self.path = path
    }

    /// Refusals listed in full up to this many; the count is always given.
    static let refusalsShown = 20

    private mutating func line(_ s: String = "") { text += s + "\n" }

    mutating func header() {
        let positions = report.markets.reduce(0) { $0 + $1.positions }
        line(
            "positions \(path): as of \(RFC3339.format(report.asOf)), insurance fund \(Self.money(report.insuranceFund))"
        )
        line(
            "  \(positions) positions stressed in \(report.markets.count) market(s); \(refusals.count) item(s) refused"
        )
        for r in refusals.prefix(Self.refusalsShown) { line("  refused \(r.path): \(r.reason)") }
        if refusals.count > Self.refusalsShown { line("  ... and \(refusals.count - Self.refusalsShown) more") }
        for (market, reason) in inputs.leftOut { line("  left out \(market): \(reason)") }
        line("  betas: none given offline, so each market moves alone (beta 0 to every other market)")
        line("  m = the config's margin floor; sigma_day = initialVolatility / sqrt(365); impact both ways:")
        line("  sqrt = Y x sigma_day x sqrt(V / ADV), linear = 1 % x V / depth1Pct")
    }

    mutating func market(_ m: MarketStressReport) {
        let source = inputs.markets.first { $0.stress.id == m.market }
        line()
        line("market \(m.market)")
        line(
            "  price \(Self.number(m.referencePrice)) (\(source?.priceSource ?? "?")), m \(Self.percent(m.maintenance)),"
                + " sigma_day \(Self.percent(m.sigmaDay)), one-day 99.9 % move \(Self.percent(m.dayMove999))"
        )
        line(
            "  liquidity (\(source?.liquiditySource ?? "?")): ADV \(Self.money(m.liquidity.dailyVolume)),"
                + " depth 1 % \(Self.money(m.liquidity.depth1Pct)), Y \(Self.number(m.liquidity.impactY))"
        )
        line(
            "  open: \(m.positions) positions, longs \(Self.money(m.longNotional)), shorts \(Self.money(m.shortNotional))"
                + " (at the price); already liquidatable: longs \(Self.money(m.map.longsAtReference)),"
                + " shorts \(Self.money(m.map.shortsAtReference))"
        )
        line("  liquidation map: notional liquidatable once the price has moved (cumulative)")
        line("    move     longs (down)    shorts (up)")
        for (d, u) in zip(m.map.down, m.map.up) {
            line(
                "    " + Self.pad(Self.percent(d.move, digits: 0), 5) + Self.pad(Self.money(d.cumulative), 16)
                    + Self.pad(Self.money(u.cumulative), 15)
            )
        }
        line("  cascades")
        line(
            "    shock  way   impact    final price  rounds  liquidated        notional        bad debt        ADL need"
        )
        for c in m.cascades {
            let need = max(0, c.badDebt - report.insuranceFund)
            line(
                "    " + Self.pad(Self.percent(c.shock.size, digits: 0), 5) + "  "
                    + Self.left(c.shock.direction.rawValue, 4)
                    + "  " + Self.left(c.impact.rawValue, 6) + Self.pad(Self.number(c.finalPrice), 15)
                    + Self.pad("\(c.rounds)", 8) + Self.pad("\(c.liquidatedPositions)", 12)
                    + Self.pad(Self.money(c.liquidatedNotional), 16) + Self.pad(Self.money(c.badDebt), 16)
                    + Self.pad(Self.money(need), 16)
            )
        }
        let depletion = m.depletion.map { d in
            "\(d.direction.rawValue) \(d.impact.rawValue) \(d.shock.map(Self.depletion) ?? "none below 100 %")"
        }
        line("  the fund empties (this market alone) at: " + depletion.joined(separator: "; "))
    }

    mutating func critical() {
        for ranking in report.critical {
            guard let model = ranking.first?.impact else { continue }
            line()
            line("critical markets (\(model.rawValue) impact): the smallest move of the origin that empties the fund")
            line("  rank  origin            way    shock      one-day 99.9 %   shock / 99.9 % move")
            for (i, c) in ranking.enumerated() {
                line(
                    "  " + Self.pad("\(i + 1)", 4) + "  " + Self.left(c.origin, 16) + "  "
                        + Self.left(c.direction?.rawValue ?? "-", 5)
                        + Self.pad(c.shock.map(Self.depletion) ?? "none", 9)
                        + Self.pad(Self.percent(c.dayMove999), 17)
                        + Self.pad(c.ratio.map { Self.number($0) } ?? "-", 22)
                )
            }
        }
    }

    mutating func scenario(_ r: ScenarioResult, origin: String) {
        guard let shock = r.scenario.shocks[origin] else { return }
        line()
        line(
            "scenario: \(origin) \(shock.direction.rawValue) \(Self.percent(shock.size, digits: 0)), \(r.scenario.impact.rawValue) impact:"
                + " bad debt \(Self.money(r.badDebt)) against the fund's \(Self.money(r.insuranceFund)),"
                + " shortfall \(Self.money(r.shortfall))"
        )
        guard r.shortfall > 0 else { return }
        line(
            "  ADL need: from longs \(Self.money(r.adlNeed.longs)) (close \(Self.money(r.adlNeed.longsNotional))),"
                + " from shorts \(Self.money(r.adlNeed.shorts)) (close \(Self.money(r.adlNeed.shortsNotional)))"
        )
        if r.adlQueue.isEmpty {
            line("  ADL queue: no position of the deleveraged side names an account")
            return
        }
        line("  ADL queue (BitMEX ranking at the final price): market, account, side, score, notional given up")
        for e in r.adlQueue {
            line(
                "    \(e.market)  \(PrintableText.escaped(e.account, limit: 40))  \(e.side.rawValue)  \(Self.number(e.score))"
                    + "  \(Self.money(e.notional))"
            )
        }
        let closed = r.adlQueue.reduce(0) { $0 + $1.notional }
        let needed = r.adlNeed.longsNotional + r.adlNeed.shortsNotional
        if closed < needed * (1 - 1e-12) {
            line(
                "  the queue above closes \(Self.money(closed)) of the \(Self.money(needed)) to close; the rest falls on"
                    + " positions without an account, or beyond the top \(StressBook.defaultADLTop) of each market, or"
                    + " on no one"
            )
        }
    }

    // MARK: - Figures

    static func money(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e9 { return "$" + fixed(v / 1e9, 3) + "B" }
        if a >= 1e6 { return "$" + fixed(v / 1e6, 3) + "M" }
        if a >= 1e3 { return "$" + fixed(v / 1e3, 3) + "K" }
        return "$" + fixed(v, 2)
    }

    static func percent(_ v: Double, digits: Int = 2) -> String { fixed(v * 100, digits) + " %" }

    /// A depletion shock; 0 means the bad debt at the reference price already exceeds the fund.
    static func depletion(_ s: Double) -> String { s == 0 ? "0 (already)" : percent(s, digits: 4) }

    /// Six significant digits; whole numbers from 100,000 up (prices of BTC in dollars).
    static func number(_ v: Double) -> String {
        abs(v) >= 1e5 ? String(format: "%.0f", v) : String(format: "%.6g", v)
    }

    static func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
    }

    static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
