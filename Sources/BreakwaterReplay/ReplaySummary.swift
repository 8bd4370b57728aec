public import BreakwaterEngine
import BreakwaterWire

/// Per-market results of a replay.
public struct MarketReplaySummary: Sendable {
    public var market: String
    public var quotes = 0
    public var rejected: [String: Int] = [:]
    /// Entries into limit or halted, counted per reason code present at entry (from the market's first row).
    public var trips: [String: Int] = [:]
    public var secondsHalted = 0.0
    public var minMaintenance = Double.infinity
    public var maxMaintenance = -Double.infinity
    public var backtest: MarginBacktest
    var haltedSince: EpochSeconds?

    /// Whether the input had a row for this market (accepted or refused by the engine).
    public var inInput: Bool { quotes > 0 || !rejected.isEmpty }
}

/// A breaker trip: a market entering limit or halted, or gaining a reason there.
public struct ReplayTrip: Sendable, Equatable {
    public var time: EpochSeconds
    public var market: String
    public var from: String
    public var to: String
    /// The reasons the trip added (codes such as `price_band`).
    public var reasons: [String]
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
    /// Every trip counted in `trips`, the first `tripSampleLimit` of them with their times.
    public var tripCount = 0
    public var tripSamples: [ReplayTrip] = []
    public var tripSampleLimit = 100
    public var markets: [MarketReplaySummary] = []
    public var firstTime: EpochSeconds?
    public var lastTime: EpochSeconds?

    /// A fixed-width table for the terminal: the markets the input has rows for, their trips
    /// with times, and why a backtest has no window.
    public func render() -> String {
        var out: [String] = []
        let span = (firstTime.map { RFC3339.format($0) } ?? "-") + " .. " + (lastTime.map { RFC3339.format($0) } ?? "-")
        let length = firstTime.flatMap { f in lastTime.map { " (\(duration($0 - f)))" } } ?? ""
        out.append(
            "rows \(rows), bad rows \(badRows), refused by the engine \(refusedRows), events \(events), time \(span)\(length)"
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
        let shown = markets.filter(\.inInput)
        out.append(contentsOf: table(shown))
        let absent = markets.filter { !$0.inInput }.map(\.market)
        if !absent.isEmpty {
            out.append("configured but without rows in the input (not shown): \(absent.joined(separator: ", "))")
        }
        out.append("")
        out.append(contentsOf: tripLines())
        for m in shown {
            out.append(contentsOf: m.backtest.windows == 0 ? [] : backtestLines(m))
        }
        for m in shown where m.backtest.windows == 0 {
            out.append("backtest \(m.market): no window, \(emptyBacktestReason(m.backtest))")
        }
        out.append(
            "margin: published maintenance margin, % of notional. backtest windows: non-overlapping spans of the"
        )
        out.append("margin horizon compared; skipped: windows without a trusted price within the max age of their end.")
        out.append(
            "backtest: a long's exception is a fall, a short's a rise, of more than that side's margin published at"
        )
        out.append(
            "the window's start. Kupiec p: how likely that many exceptions are if the margin covers as configured"
        )
        out.append(
            "(low: too many, or too few); LR_ind: whether exceptions cluster; LR_cc: both (above 9.21: rejected at"
        )
        out.append("99 %); Basel zone: green, yellow or red by the count (unrated below the few windows it needs).")
        return out.joined(separator: "\n")
    }

    /// The per-market table, one row per market, columns padded.
    func table(_ shown: [MarketReplaySummary]) -> [String] {
        let header = [
            "market", "quotes", "rejected", "trips", "halted", "margin min..max", "backtest windows", "skipped",
        ]
        var rows: [[String]] = [header]
        for m in shown {
            let rejected =
                m.rejected.isEmpty
                ? "0" : m.rejected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let trips =
                m.trips.isEmpty
                ? "0" : m.trips.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let margin = m.minMaintenance.isFinite ? "\(pct(m.minMaintenance))..\(pct(m.maxMaintenance))" : "-"
            let b = m.backtest
            rows.append([
                m.market, String(m.quotes), rejected, trips, duration(m.secondsHalted), margin, String(b.windows),
                String(b.skipped),
            ])
        }
        return padded(rows)
    }

    /// Rows of cells as lines, each column padded to its widest cell (the last left as is).
    func padded(_ rows: [[String]]) -> [String] {
        let widths = (rows.first ?? []).indices.map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { r in
            let line = r.enumerated().map { i, cell in
                i == r.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed())
        }
    }

    /// The trips with their times, oldest first (at most `tripSampleLimit`).
    func tripLines() -> [String] {
        guard tripCount > 0 else { return ["trips: none"] }
        var out = ["trips (\(tripCount)):"]
        for t in tripSamples {
            out.append(
                "  \(RFC3339.format(t.time))  \(t.market)  \(t.from) -> \(t.to)  \(t.reasons.joined(separator: " "))"
            )
        }
        if tripCount > tripSamples.count { out.append("  ... \(tripCount - tripSamples.count) more trips") }
        out.append("")
        return out
    }

    /// Why a backtest has no window: the input is shorter than the horizon, or no price held
    /// for a whole horizon.
    func emptyBacktestReason(_ b: MarginBacktest) -> String {
        let spanned = firstTime.flatMap { f in lastTime.map { $0 - f } } ?? 0
        let horizon = duration(b.horizonSeconds)
        return spanned < b.horizonSeconds
            ? "the input spans \(duration(spanned)), shorter than the margin horizon of \(horizon)"
            : "no price lasted through a whole margin horizon of \(horizon)"
    }

    /// A fraction as a percentage: 2 decimals from 1 %, 3 significant digits below.
    func pct(_ f: Double) -> String {
        var decimals = 2
        var v = abs(f * 100)
        while v > 0, v < 1, decimals < 8 {
            v *= 10
            decimals += 1
        }
        return fixed(f * 100, decimals: decimals) + "%"
    }

    /// Seconds as s, min, h (1 decimal) or days (whole from 10).
    func duration(_ s: Double) -> String {
        if s < 120 { return "\(Int(s)) s" }
        if s < 7200 { return "\(Int(s / 60)) min" }
        if s < 172_800 { return fixed(s / 3600, decimals: 1) + " h" }
        return fixed(s / 86400, decimals: s < 864_000 ? 1 : 0) + " d"
    }

    /// `v` rounded to `decimals` places, written with exactly that many (no exponent).
    func fixed(_ v: Double, decimals: Int) -> String { FixedDecimal.text(v, decimals: decimals) }
}

extension String {
    func padding(toLength n: Int, withPad pad: String, startingAt: Int) -> String {
        count >= n ? self : self + String(repeating: pad, count: n - count)
    }
}
