import BreakwaterEngine
import BreakwaterWire
import Testing

@testable import BreakwaterReplay

/// What a risk analyst reads on stdout after a replay: the markets of the input, the trips with
/// their times, why a backtest is empty, plain column names, percentages at a readable precision.
struct ReplaySummaryTests {
    static let eth = MarketParameters(
        id: "ETH-USD",
        sources: (0..<3).map { SourceParameters(id: "v\($0)", kind: "push") },
        aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02),
        margin: .init(horizonSeconds: 600),
        breaker: .init()
    )

    /// Replays `lines` (numbered from 1) through BTC-USD and ETH-USD; returns the summary and the events.
    func replay(_ lines: [String]) throws -> (ReplaySummary, [EngineEvent]) {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [ReplayTests.market, Self.eth], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        for (i, line) in lines.enumerated() { runner.feed(line: Substring(line), lineNumber: i + 1) }
        runner.finish()
        return (runner.summary, events)
    }

    /// 30 minutes of BTC-USD from three sources, a 15 % crash at second 900 (a velocity halt).
    static let crash: [String] = (0..<1800).flatMap { s in
        let price = s >= 900 && s < 905 ? 85.0 : (s >= 905 ? 99.0 : 100.0)
        return (0..<3).map { "\(1_700_000_000 + s),BTC-USD,v\($0),\(price)" }
    }

    @Test func onlyTheMarketsOfTheInputAreListed() throws {
        let (s, _) = try replay(Self.crash)
        let text = s.render()
        let tableRows = text.split(separator: "\n").filter { $0.hasPrefix("BTC-USD") || $0.hasPrefix("ETH-USD") }
        #expect(tableRows.count == 1 && tableRows[0].hasPrefix("BTC-USD"), "\(text)")
        #expect(text.contains("configured but without rows in the input (not shown): ETH-USD"), "\(text)")
        #expect(!text.contains("quorum_lost"), "a market with no rows reads as no finding: \(text)")
    }

    @Test func tripsAreListedWithTheirTimes() throws {
        let (s, events) = try replay(Self.crash)
        let halt = try #require(events.first { $0.kind == .breakerTransition && $0.to == "halted" })
        #expect(s.tripCount == 1)
        #expect(
            s.tripSamples == [
                ReplayTrip(time: halt.time, market: "BTC-USD", from: "normal", to: "halted", reasons: ["velocity"])
            ]
        )
        let text = s.render()
        #expect(
            text.contains("trips (1):\n  \(RFC3339.format(halt.time))  BTC-USD  normal -> halted  velocity"),
            "\(text)"
        )
    }

    @Test func anEmptyBacktestSaysWhy() throws {
        let rows = (0..<10).flatMap { s in (0..<3).map { "\(1_700_000_000 + s),BTC-USD,v\($0),100" } }
        let (s, _) = try replay(rows)
        #expect(s.markets[0].backtest.windows == 0)
        let text = s.render()
        #expect(
            text.contains(
                "backtest BTC-USD: no window, the input spans 9 s, shorter than the margin horizon of 10 min"
            ),
            "\(text)"
        )
        for column in ["backtest windows", "skipped"] {
            #expect(text.contains(column), "\(column): \(text)")
        }
    }

    @Test func aFullBacktestHasNoExcuse() throws {
        let (s, _) = try replay(Self.crash)
        #expect(s.markets[0].backtest.windows == 2)
        #expect(!s.render().contains("no window"))
    }

    @Test func percentagesAtAReadablePrecision() throws {
        let s = ReplaySummary()
        #expect(s.pct(0.0123456) == "1.23%")
        #expect(s.pct(0.01) == "1.00%")
        #expect(s.pct(0.25) == "25.00%")
        #expect(s.pct(0.005) == "0.500%")
        #expect(s.pct(0.000123) == "0.0123%")
        #expect(s.pct(0) == "0.00%")
        #expect(s.fixed(0.049999, decimals: 4) == "0.0500")
        #expect(s.fixed(-0.00001, decimals: 2) == "0.00")
        #expect(s.fixed(-2.5, decimals: 1) == "-2.5")
        // Durations in the unit that reads: 20 years of daily rows were "175296.0 h".
        #expect(s.duration(90) == "90 s" && s.duration(3600) == "60 min" && s.duration(36_000) == "10.0 h")
        #expect(s.duration(3 * 86400) == "3.0 d" && s.duration(175_296 * 3600) == "7304 d")
        let (crash, _) = try replay(Self.crash)
        let row = try #require(crash.render().split(separator: "\n").first { $0.hasPrefix("BTC-USD") })
        #expect(row.contains("1.00%.."), "\(row)")
        #expect(!row.contains("0000"), "no long decimals: \(row)")
        #expect(!crash.render().split(separator: "\n").contains { $0.hasSuffix(" ") }, "no trailing spaces")
    }
}
