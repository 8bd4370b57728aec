import Testing
import BreakwaterEngine
@testable import BreakwaterReplay

struct ReplayTests {
    static let market = MarketParameters(
        id: "BTC-USD", sources: (0..<3).map { SourceParameters(id: "v\($0)", kind: "push") },
        aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02),
        margin: .init(horizonSeconds: 600), breaker: .init())

    @Test func rowsParseInBothTimestampFormats() throws {
        let a = try PriceRow.parse("2023-11-14T22:13:20Z,BTC-USD,v0,100.5").get()
        let b = try PriceRow.parse("1700000000,BTC-USD,v0,100.5,0.25").get()
        #expect(a.time == 1_700_000_000 && b.time == a.time)
        #expect(b.confidence == 0.25)
        let c = try PriceRow.parse("2023-11-14T23:13:20.5+01:00, BTC-USD , v0 , 1").get()
        #expect(c.time == 1_700_000_000.5)
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse("yesterday,BTC-USD,v0,1").get() }
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse("1,BTC-USD,v0").get() }
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse("1,BTC-USD,v0,abc").get() }
        // Days that do not exist are refused, not rolled into the next month.
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse("2023-02-30T00:00:00Z,BTC-USD,v0,1").get() }
        #expect((try? PriceRow.parse("2024-02-29T00:00:00Z,BTC-USD,v0,1").get()) != nil)
        // Fields a CSV writer quoted read as themselves; a huge field is cut in the message.
        let quoted = try PriceRow.parse(#""1700000000","BTC-USD","v0","100.5""#).get()
        #expect(quoted.market == "BTC-USD" && quoted.price == 100.5)
        guard case let .failure(e) = PriceRow.parse(Substring("1,BTC-USD,v0," + String(repeating: "x", count: 100_000))) else {
            Issue.record("a non-number price was accepted")
            return
        }
        #expect(e.message.count < 120, "\(e.message.prefix(200))")
    }

    @Test func linesSplitOnLFAndCRLFAcrossChunks() {
        let text = Array("\u{FEFF}timestamp,market\r\n1,a\r\n\n2,b\n3,c".utf8)
        for chunkSize in [1, 2, 3, 7, text.count] {
            var splitter = LineSplitter(), lines: [String] = []
            var start = 0
            while start < text.count {
                let end = min(text.count, start + chunkSize)
                text[start..<end].withUnsafeBufferPointer { splitter.feed($0) { lines.append(String($0)) } }
                start = end
            }
            splitter.finish { lines.append(String($0)) }
            #expect(lines == ["timestamp,market", "1,a", "", "2,b", "3,c"], "chunks of \(chunkSize)")
        }
    }

    @Test func aRowFromTheFutureIsRefusedWithoutMovingTheClock() throws {
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5,
                                      notAfter: 1_700_000_100) { _ in }
        var n = 0
        func feed(_ line: String) { n += 1; runner.feed(line: Substring(line), lineNumber: n) }
        for s in 0..<60 {
            for v in 0..<3 { feed("\(1_700_000_000 + s),BTC-USD,v\(v),100") }
            if s == 30 { feed("2033-11-14T00:00:00Z,BTC-USD,v0,100"); feed("1e19,BTC-USD,v1,100"); feed("1e300,BTC-USD,v1,100") }
        }
        runner.finish()
        let m = runner.summary.markets[0]
        #expect(m.rejected["time_in_future"] == 3)
        #expect(m.quotes == 180 && m.rejected.count == 1)
        #expect(runner.engine.clock == 1_700_000_059)
        #expect(m.trips.isEmpty, "\(m.trips)")
    }

    @Test func ticksRunFromTheFirstRow() throws {
        // Rows at the start only, then nothing until 100 s later: quorum is lost at max age
        // (10 s) after the first rows, on the tick cadence, not when the next row arrives.
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) { events.append($0) }
        for v in 0..<3 { runner.feed(line: Substring("1000,BTC-USD,v\(v),100"), lineNumber: v + 1) }
        runner.feed(line: "1100,BTC-USD,v0,100", lineNumber: 4)
        let lost = try #require(events.first { $0.reasons.contains(.quorumLost) })
        #expect(lost.time > 1010 && lost.time <= 1010.25)
    }

    @Test func flashCrashReplayTripsAndReportsBadRowsWithLineNumbers() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) { events.append($0) }
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
        #expect(m.backtest.observations == 2)
        #expect(events.contains { $0.kind == .breakerTransition && $0.to == "halted" })
        let transition = try #require(events.first { $0.kind == .breakerTransition })
        #expect(EventJSON.line(transition).hasPrefix("{\"type\":\"breaker.transition\",\"market\":\"BTC-USD\""))
        #expect(s.render().contains("velocity=1"))
    }

    @Test func timeoutsFireBetweenRowsOnTheTickCadence() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) { events.append($0) }
        for s in 0..<20 { for v in 0..<3 { runner.feed(line: Substring("\(1000 + s),BTC-USD,v\(v),100"), lineNumber: 1 + s * 3 + v) } }
        // Nothing for 60 s, then one row: quorum is lost at 1019 + 10 s, not at the next row.
        runner.feed(line: "1080,BTC-USD,v0,100", lineNumber: 100)
        let lost = try #require(events.first { $0.reasons.contains(.quorumLost) })
        #expect(lost.time > 1029 && lost.time <= 1029.25)
    }
}
