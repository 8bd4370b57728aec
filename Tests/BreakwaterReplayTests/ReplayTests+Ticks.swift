import BreakwaterEngine
import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterReplay

/// The replay clock: ticks from the first row, timeouts between rows, gaps, halts across gaps.
extension ReplayTests {
    @Test func ticksRunFromTheFirstRow() throws {
        // Rows at the start only, then nothing until 100 s later: quorum is lost at max age
        // (10 s) after the first rows (fresh means younger than max age), on the tick
        // cadence, not when the next row arrives.
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        for v in 0..<3 { runner.feed(line: Substring("1000,BTC-USD,v\(v),100"), lineNumber: v + 1) }
        runner.feed(line: "1100,BTC-USD,v0,100", lineNumber: 4)
        runner.finish()  // a jump of max age or more is held until the next row or the end
        let lost = try #require(events.first { $0.reasons.contains(.quorumLost) })
        #expect(lost.time == 1010)
    }

    @Test func flashCrashReplayTripsAndReportsBadRowsWithLineNumbers() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        var lines = ["timestamp,market,source,price"]
        let t0 = 1_700_000_000
        for s in 0..<1800 {
            let price = s >= 900 && s < 905 ? 85.0 : (s >= 905 ? 99.0 : 100.0)
            for v in 0..<3 { lines.append("\(t0 + s),BTC-USD,v\(v),\(price)") }
            if s == 10 { lines.append("\(t0 + s),BTC-USD,v0,NaN") }
            if s == 11 { lines.append("garbage line") }
            if s == 12 { lines.append("\(t0 + s),ETH-USD,v0,1") }
        }
        for (i, line) in lines.enumerated() { runner.feed(line: Substring(line), lineNumber: i + 1) }
        runner.finish()
        let s = runner.summary
        #expect(s.badRows == 2)
        #expect(s.badRowSamples.map(\.line) == [39, 43])
        let m = s.markets[0]
        #expect(m.rejected["price_not_finite"] == 1)
        #expect(m.quotes == 5400)
        #expect(m.trips["velocity"] == 1)
        #expect(m.secondsHalted >= 59 && m.secondsHalted <= 61)
        #expect(m.backtest.windows == 2)
        #expect(events.contains { $0.kind == .breakerTransition && $0.to == "halted" })
        let transition = try #require(events.first { $0.kind == .breakerTransition })
        let line = EventDocument(transition).line
        #expect(
            line.contains("\"market\":\"BTC-USD\"") && line.hasSuffix(",\"type\":\"breaker.transition\"}"),
            "\(line)"
        )
        #expect(s.render().contains("velocity=1"))
    }

    /// The rows stamped t are applied before the tick at t: a source quoting exactly every
    /// max age stays fresh (the tick at t saw the quotes of t - maxAge, exactly max age old, and
    /// lost the quorum every cycle once fresh came to mean younger than max age).
    @Test func rowsOfAnInstantComeBeforeItsTick() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        var line = 0
        for s in stride(from: 0, through: 100, by: 10) {
            for v in 0..<3 {
                line += 1
                runner.feed(line: Substring("\(1000 + s),BTC-USD,v\(v),100"), lineNumber: line)
            }
        }
        runner.finish()
        #expect(!events.contains { $0.reasons.contains(.quorumLost) }, "\(events.map { "\($0.time) \($0.to)" })")
        #expect(events.contains { $0.kind == .breakerTransition && $0.to == "normal" && $0.time == 1010 })
    }

    @Test func timeoutsFireBetweenRowsOnTheTickCadence() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        for s in 0..<20 {
            for v in 0..<3 { runner.feed(line: Substring("\(1000 + s),BTC-USD,v\(v),100"), lineNumber: 1 + s * 3 + v) }
        }
        // Nothing for 60 s, then one row: quorum is lost at 1019 + 10 s, not at the next row.
        runner.feed(line: "1080,BTC-USD,v0,100", lineNumber: 100)
        runner.finish()  // a jump of max age or more is held until the next row or the end
        let lost = try #require(events.first { $0.reasons.contains(.quorumLost) })
        #expect(lost.time == 1029)
    }

    /// A gap of any length leaves event times on the tick of their cause, as a short one
    /// does (long gaps were crossed in coarse steps: a 100-day gap stamped events minutes late).
    @Test(arguments: [3_600.0, 86_400.0, 8_640_000.0, 315_360_000.0])
    func aLongGapKeepsEventTimesExact(gap: Double) throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        let t0 = 1_400_000_000.0
        for v in 0..<3 { runner.feed(line: Substring("\(Int(t0)),BTC-USD,v\(v),100"), lineNumber: v + 1) }
        runner.feed(line: Substring("\(Int(t0 + gap)),BTC-USD,v0,100"), lineNumber: 4)
        // A jump is held until a row stamped otherwise, or the end, shows it is a real gap.
        #expect(runner.engine.clock < t0 + gap)
        runner.finish()
        let lost = try #require(events.first { $0.reasons.contains(.quorumLost) })
        #expect(lost.time == t0 + 10, "gap \(gap) s: quorum lost at t0 + \(lost.time - t0)")
        #expect(runner.engine.clock == t0 + gap)
    }

    /// On a cadence that is not a binary fraction (100 ms), ticks are placed from the cadence's
    /// start, not added up: after months of daily rows the sources still go stale exactly max
    /// age after each day's rows (0.1 s added up drifted, and events came a millisecond or a whole
    /// tick late, differently whether a gap was stepped or jumped).
    @Test func aCadenceOfTenthsDoesNotDrift() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.1, clockSkewSeconds: 5) {
            events.append($0)
        }
        let t0 = 1_000_000_000
        let days = 120
        var n = 0
        for d in 0..<days {
            for v in 0..<3 {
                n += 1
                runner.feed(line: Substring("\(t0 + d * 86_400),BTC-USD,v\(v),100"), lineNumber: n)
            }
        }
        runner.finish()
        // Each day's three sources go stale, but the last day's (the clock stops at its rows).
        let stale = events.filter { $0.kind == .sourceStatus && $0.to == "stale" }
        #expect(stale.count == 3 * (days - 1))
        for e in stale {
            let day = ((e.time - Double(t0)) / 86_400).rounded(.down)
            #expect(
                e.time == Double(t0) + day * 86_400 + 10,
                "day \(day): stale at \(e.time - Double(t0) - day * 86_400) s"
            )
        }
    }

    @Test func aHaltBeforeALongGapLastsItsTime() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        let t0 = 1_700_000_000
        var n = 0
        for s in 0..<605 {
            for v in 0..<3 {
                n += 1
                runner.feed(line: Substring("\(t0 + s),BTC-USD,v\(v),\(s < 600 ? 100.0 : 85.0)"), lineNumber: n)
            }
        }
        runner.feed(line: Substring("\(t0 + 100 * 86_400),BTC-USD,v0,85"), lineNumber: n + 1)
        runner.finish()
        let m = runner.summary.markets[0]
        #expect(m.trips["velocity"] == 1)
        let halted = try #require(events.first { $0.to == "halted" })
        let ended = try #require(events.first { $0.from == "halted" && $0.to != "halted" })
        let haltSeconds = Self.market.breaker.velocity.haltSeconds
        #expect(ended.time - halted.time >= haltSeconds && ended.time - halted.time <= haltSeconds + 0.25)
        #expect(m.secondsHalted >= haltSeconds && m.secondsHalted <= haltSeconds + 0.25, "\(m.secondsHalted) s halted")
    }

    @Test func rowsTheEngineRefusesAreListedWithTheirLines() throws {
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) { _ in }
        let lines = [
            "timestamp,market,source,price", "1000,BTC-USD,v0,100", "1000,BTC-USD,v1,-5", "1001,BTC-USD,v2,NaN",
            "999,BTC-USD,v0,100",
        ]
        for (i, line) in lines.enumerated() { runner.feed(line: Substring(line), lineNumber: i + 1) }
        runner.finish()
        let s = runner.summary
        #expect(s.refusedRows == 3)
        #expect(s.refusedRowSamples.map(\.line) == [3, 4, 5])
        #expect(s.refusedRowSamples.first?.message.hasPrefix("BTC-USD: price_not_positive") == true)
        #expect(s.render().contains("line 5: refused, BTC-USD: out_of_order"))
    }

    /// Rows of one instant are applied together: every source moving 1.5 % in the same second
    /// is a move of the market, not one source out of line (which, with a quorum of all three,
    /// lost the quorum at every such second).
    @Test func rowsOfOneInstantAreAppliedTogether() throws {
        let market = MarketParameters(
            id: "BTC-USD",
            sources: (0..<3).map { SourceParameters(id: "v\($0)", kind: "push") },
            aggregation: .init(minSources: 3, maxAgeSeconds: 10, maxDeviation: 0.01),
            margin: .init(horizonSeconds: 600),
            breaker: .init()
        )
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [market], tickSeconds: 0.25, clockSkewSeconds: 5) { events.append($0) }
        var n = 0
        var price = 100.0
        for s in 0..<300 {
            if s % 60 == 30 { price *= 1.015 }
            for v in 0..<3 {
                n += 1
                runner.feed(line: Substring("\(1_700_000_000 + s),BTC-USD,v\(v),\(price)"), lineNumber: n)
            }
        }
        runner.finish()
        #expect(runner.summary.markets[0].quotes == 900)
        #expect(
            !events.contains { $0.reasons.contains(.quorumLost) || $0.to == "outlier" },
            "\(events.map { "\($0.kind) \($0.from)->\($0.to) \($0.reasons)" })"
        )
        #expect(runner.summary.markets[0].trips.isEmpty)
    }
}
