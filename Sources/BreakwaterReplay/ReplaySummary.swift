public import BreakwaterEngine
import BreakwaterWire

/// Per-market results of a replay.
public struct MarketReplaySummary: Sendable {
    public var market: String
    public var quotes = 0
    public var rejected: [String: Int] = [:]
    /// Entries into limit or halted, counted per reason code present at entry.
    public var trips: [String: Int] = [:]
    public var secondsHalted = 0.0
    public var minMaintenance = Double.infinity
    public var maxMaintenance = -Double.infinity
    public var backtest: MarginBacktest
    var haltedSince: EpochSeconds?
}

/// The whole replay's results.
public struct ReplaySummary: Sendable {
    public var rows = 0
    public var badRows = 0
    /// First bad rows with their line numbers (at most `badRowSamples`).
    public var badRowSamples: [(line: Int, message: String)] = []
    /// Rows the engine refused (counted per market and reason), and the first of them.
    public var refusedRows = 0
    public var refusedRowSamples: [(line: Int, message: String)] = []
    public var events = 0
    public var markets: [MarketReplaySummary] = []
    public var firstTime: EpochSeconds?
    public var lastTime: EpochSeconds?

    /// A fixed-width table for the terminal.
    public func render() -> String {
        var out: [String] = []
        let span = (firstTime.map { RFC3339.format($0) } ?? "-") + " .. " + (lastTime.map { RFC3339.format($0) } ?? "-")
        out.append(
            "rows \(rows), bad rows \(badRows), refused by the engine \(refusedRows), events \(events), time \(span)"
        )
        for (line, message) in badRowSamples { out.append("  line \(line): \(message)") }
        if badRows > badRowSamples.count { out.append("  ... \(badRows - badRowSamples.count) more bad rows") }
        // In line order: a row from the future is refused at once, the rows of an instant when it is complete.
        for (line, message) in refusedRowSamples.sorted(by: { $0.line < $1.line }) {
            out.append("  line \(line): refused, \(message)")
        }
        if refusedRows > refusedRowSamples.count {
            out.append("  ... \(refusedRows - refusedRowSamples.count) more refused rows (per reason in the table)")
        }
        out.append("")
        let header = [
            "market", "quotes", "rejected", "trips", "halted", "margin min..max", "backtest (exc maint/init of n)",
            "kupiec p", "zone",
        ]
        var rows: [[String]] = [header]
        for m in markets {
            let rejected =
                m.rejected.isEmpty
                ? "0" : m.rejected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let trips =
                m.trips.isEmpty
                ? "0" : m.trips.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let margin = m.minMaintenance.isFinite ? "\(pct(m.minMaintenance))..\(pct(m.maxMaintenance))" : "-"
            let b = m.backtest
            rows.append([
                m.market, String(m.quotes), rejected, trips, duration(m.secondsHalted), margin,
                "\(b.maintenanceExceptions)/\(b.initialExceptions) of \(b.observations)",
                b.kupiecPValue.map { $0 > 0 && $0 < 0.0001 ? "<0.0001" : format4($0) } ?? "-", b.trafficLight ?? "-",
            ])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        for r in rows {
            out.append(
                r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "
                )
            )
        }
        out.append("")
        out.append(
            "margin = published maintenance (fraction of notional as %); backtest counts non-overlapping horizon windows whose move exceeded maintenance/initial margin"
        )
        return out.joined(separator: "\n")
    }

    func pct(_ f: Double) -> String { format4(f * 100) + "%" }
    func format4(_ d: Double) -> String { String((d * 10_000).rounded() / 10_000) }
    func duration(_ s: Double) -> String {
        s < 120 ? "\(Int(s)) s" : s < 7200 ? "\(Int(s / 60)) min" : "\(format4(s / 3600)) h"
    }
}

extension String {
    func padding(toLength n: Int, withPad pad: String, startingAt: Int) -> String {
        count >= n ? self : self + String(repeating: pad, count: n - count)
    }
}
