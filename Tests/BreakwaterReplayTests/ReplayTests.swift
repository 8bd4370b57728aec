import BreakwaterEngine
import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterReplay

struct ReplayTests {
    static let market = MarketParameters(
        id: "BTC-USD",
        sources: (0..<3).map { SourceParameters(id: "v\($0)", kind: "push") },
        aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02),
        margin: .init(horizonSeconds: 600),
        breaker: .init()
    )

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
        guard case let .failure(e) = PriceRow.parse(Substring("1,BTC-USD,v0," + String(repeating: "x", count: 100_000)))
        else {
            Issue.record("a non-number price was accepted")
            return
        }
        #expect(e.message.count < 120, "\(e.message.prefix(200))")
    }

    /// The lines of `text` fed in chunks of `chunkSize` bytes.
    static func split(_ text: String, chunkSize: Int, maxLineBytes: Int = 1 << 20) -> [LineSplitter.Line] {
        let bytes = Array(text.utf8)
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        var lines: [LineSplitter.Line] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            bytes[start..<end].withUnsafeBufferPointer { splitter.feed($0) { lines.append($0) } }
            start = end
        }
        splitter.finish { lines.append($0) }
        return lines
    }

    @Test func linesSplitOnLFCRLFAndCRAcrossChunks() {
        let text = "\u{FEFF}timestamp,market\r\n1,a\r\n\n2,b\n3,c\r4,d\r\r\n5,e"
        for chunkSize in [1, 2, 3, 7, text.utf8.count] {
            #expect(
                Self.split(text, chunkSize: chunkSize)
                    == ["timestamp,market", "1,a", "", "2,b", "3,c", "4,d", "", "5,e"].map { .text($0) },
                "chunks of \(chunkSize)"
            )
        }
    }

    /// A line past the cap is reported by its length and not kept (memory stays flat).
    @Test func anOverlongLineIsSkippedByLength() {
        let text = "1,a\n" + String(repeating: "x", count: 5_000) + "\n2,b\n" + String(repeating: "y", count: 3_000)
        for chunkSize in [1, 100, 4_096, text.utf8.count] {
            #expect(
                Self.split(text, chunkSize: chunkSize, maxLineBytes: 1_000)
                    == [.text("1,a"), .tooLong(bytes: 5_000), .text("2,b"), .tooLong(bytes: 3_000)],
                "chunks of \(chunkSize)"
            )
        }
    }

    @Test func fieldsFollowCSVQuotingAndNumbersAreDecimal() throws {
        // A quoted comma stays in its field (and then is not a number).
        guard case let .failure(e) = PriceRow.parse(#"1700000000,BTC-USD,v0,"65,000.00""#) else {
            Issue.record("65,000.00 read as a price")
            return
        }
        #expect(e.message == #"price "65,000.00" is not a decimal number"#)
        let quoted = try PriceRow.parse(#" "1700000000" , "BTC ""USD""" ,v0, 6.4e4 "#).get()
        #expect(quoted.market == #"BTC "USD""# && quoted.price == 64_000)
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse(#"1,"BTC-USD,v0,1"#).get() }
        // Hex, a NUL, words other than NaN/inf are not numbers; NaN and inf go on to the engine.
        for bad in ["0x10", "0x1p4", "0X1.FCp15", "65000\u{0}", "1e", "--1", ".", "1.2.3", "١٢"] {
            #expect(throws: PriceRow.RowError.self, "\(bad)") {
                try PriceRow.parse(Substring("1700000000,BTC-USD,v0,\(bad)")).get()
            }
        }
        #expect(try PriceRow.parse("1700000000,BTC-USD,v0,NaN").get().price.isNaN)
        // Out of a Double's range is refused by the one number grammar, not read as infinity or 0.
        for (text, why) in [("1e400", "too large"), ("-1e400", "too large"), ("1e-400", "too small")] {
            guard case let .failure(e) = PriceRow.parse(Substring("1700000000,BTC-USD,v0,\(text)")) else {
                Issue.record("\(text) was read")
                continue
            }
            #expect(
                e.message == "price \"\(text)\" is \(why)"
                    + (why == "too large" ? " (beyond a 64-bit float)" : " (it would round to 0)")
            )
        }
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse("0x6553F100,BTC-USD,v0,1").get() }
        // Times outside 1970 ... 9999 are broken rows (-1e17 made the tick loop spin: a tick no
        // longer added to a clock that large).
        for t in ["-1e17", "-1", "1e15", "253402300800"] {
            #expect(throws: PriceRow.RowError.self, "\(t)") { try PriceRow.parse(Substring("\(t),BTC-USD,v0,1")).get() }
        }
        // A control character in a field is escaped in the message.
        guard case let .failure(e2) = PriceRow.parse("1700000000,BTC-USD,v0,\u{1b}[31m") else { return }
        #expect(!e2.message.unicodeScalars.contains { $0.value == 0x1B } && e2.message.contains("\\u{1b}"))
    }

    /// Fields are split on the comma byte: a comma followed by a combining mark (one Swift
    /// Character, which the split by characters did not see as a comma) still ends its field,
    /// and spaces around fields are trimmed by bytes (a tab, a CR, a space; not a no-break space).
    @Test func fieldsSplitOnTheCommaByte() throws {
        let row = try PriceRow.parse("1700000000,BTC-USD,\u{301}v0,100").get()
        #expect(row.source == "\u{301}v0" && row.price == 100)
        let spaced = try PriceRow.parse("\t1700000000 ,\u{a0}BTC-USD, v0\r, 100 ").get()
        #expect(spaced.market == "\u{a0}BTC-USD" && spaced.source == "v0" && spaced.price == 100)
    }

    /// `1,000` unquoted is one price cut in two by a thousands separator, not price 1 with
    /// confidence 000; nor is `65,500` 65 with a confidence of 500, or `105,100` 105 with 100.
    @Test func aPriceCutByAThousandsSeparatorIsABadRow() throws {
        for row in ["1,000", "65,500", "65,050.5", "105,100", "105,100.5"] {
            guard case let .failure(e) = PriceRow.parse(Substring("1700000000,BTC-USD,v0,\(row)")) else {
                Issue.record("\(row) was read as a price and a confidence")
                continue
            }
            #expect(
                e.message.contains("thousands separator")
                    && e.message.contains("(\(row.replacingOccurrences(of: ",", with: "")))"),
                "\(e.message)"
            )
        }
        // Prices and confidences as people write them are read.
        for (row, confidence) in [
            ("65000,0.5", 0.5), ("65000,0", 0), ("100,0.5", 0.5), ("0.5,001", 1), ("105.5,100", 100),
            ("1050,100", 100), ("105,10.5", 10.5), ("1e3,100", 100), ("5,0500", 500),
        ] {
            #expect(
                try PriceRow.parse(Substring("1700000000,BTC-USD,v0,\(row)")).get().confidence == confidence,
                "\(row)"
            )
        }
        // Quoted fields are taken as written; so is a confidence placed before the price.
        #expect(try PriceRow.parse(#"1700000000,BTC-USD,v0,"100","100""#).get().confidence == 100)
        let reversed = try #require(try Columns.header("timestamp,market,source,confidence,price")?.get())
        #expect(try PriceRow.parse("1700000000,BTC-USD,v0,000,100", columns: reversed).get().price == 100)
    }

    @Test func aHeaderSetsTheColumnOrder() throws {
        let c = try #require(try Columns.header("price, source,market,timestamp")?.get())
        let row = try PriceRow.parse("100.5,v0,BTC-USD,1700000000", columns: c).get()
        #expect(row.price == 100.5 && row.market == "BTC-USD" && row.time == 1_700_000_000 && row.confidence == nil)
        // A line naming columns is a header even when its first field is not a known name: its
        // unknown names are refused (it was read as a bad data row, and the replay went on).
        guard case let .failure(e)? = Columns.header("time,mkt,src,px") else {
            Issue.record("time,mkt,src,px is a header")
            return
        }
        #expect(e.message.contains("unknown column \"time\""), "\(e.message)")
        guard case .failure? = Columns.header("ts,market,source,price") else {
            Issue.record("ts,market,source,price is a header with an unknown first column")
            return
        }
        #expect(Columns.header("2023-11-14T22:13:20Z,BTC-USD,v0,1") == nil)
        #expect(Columns.header("1700000000,BTC-USD,v0,1") == nil)
        // With confidence as the last column, rows may leave it off.
        let five = try #require(try Columns.header("timestamp,market,source,price,confidence")?.get())
        #expect(try PriceRow.parse("1700000000,BTC-USD,v0,100", columns: five).get().confidence == nil)
        #expect(try PriceRow.parse("1700000000,BTC-USD,v0,100,0.5", columns: five).get().confidence == 0.5)
        #expect(throws: PriceRow.RowError.self) { try PriceRow.parse("1700000000,BTC-USD,v0", columns: five).get() }
        guard case .failure? = Columns.header("timestamp,market,source,prize") else {
            Issue.record("a misspelt column was accepted")
            return
        }
    }

    @Test func aRowFromTheFutureIsRefusedWithoutMovingTheClock() throws {
        var runner = try ReplayRunner(
            markets: [Self.market],
            tickSeconds: 0.25,
            clockSkewSeconds: 5,
            notAfter: 1_700_000_100
        ) { _ in }
        var n = 0
        func feed(_ line: String) {
            n += 1
            runner.feed(line: Substring(line), lineNumber: n)
        }
        for s in 0..<60 {
            for v in 0..<3 { feed("\(1_700_000_000 + s),BTC-USD,v\(v),100") }
            if s == 30 {
                feed("2033-11-14T00:00:00Z,BTC-USD,v0,100")
                feed("1e19,BTC-USD,v1,100")
                feed("1e300,BTC-USD,v1,100")
            }
        }
        runner.finish()
        let m = runner.summary.markets[0]
        // The RFC 3339 one is from the future; 1e19 and 1e300 are past year 9999: broken rows.
        #expect(m.rejected["time_in_future"] == 1)
        #expect(runner.summary.badRows == 2)
        #expect(m.quotes == 180 && m.rejected.count == 1)
        #expect(runner.engine.clock == 1_700_000_059)
        #expect(m.trips.isEmpty, "\(m.trips)")
    }

    /// One row stamped a day ahead among ordered rows is refused (`time_in_future`, its line)
    /// and moves nothing: the rows after it go back in time (issue 17, point 12: the next 897
    /// good rows were refused as `too_old`).
    @Test func aSingleMisStampedRowIsRefusedAndMovesNothing() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        var lines = ["timestamp,market,source,price"]
        let t0 = 1_700_000_000
        for s in 0..<300 {
            for v in 0..<3 {
                lines.append("\(t0 + s),BTC-USD,v\(v),100")
                if s == 1 && v == 0 { lines.append("\(t0 + s + 86_400),BTC-USD,v1,100") }
            }
        }
        for (i, line) in lines.enumerated() { runner.feed(line: Substring(line), lineNumber: i + 1) }
        runner.finish()
        let s = runner.summary
        let m = s.markets[0]
        #expect(m.quotes == 900)
        #expect(m.rejected == ["time_in_future": 1])
        #expect(s.refusedRowSamples.map(\.line) == [6])
        #expect(s.refusedRowSamples.first?.message.contains("the rows after it go back in time") == true)
        #expect(s.lastTime == Double(t0 + 299) && runner.engine.clock == Double(t0 + 299))
        #expect(!events.contains { $0.reasons.contains(.quorumLost) })
    }

    /// A jump that every later row follows is a real gap, whatever its length: its rows apply.
    @Test func aJumpTheLaterRowsFollowIsAGap() throws {
        var events: [EngineEvent] = []
        var runner = try ReplayRunner(markets: [Self.market], tickSeconds: 0.25, clockSkewSeconds: 5) {
            events.append($0)
        }
        var n = 0
        let t0 = 1_700_000_000
        for s in Array(0..<100) + Array(86_400..<86_500) {
            for v in 0..<3 {
                n += 1
                runner.feed(line: Substring("\(t0 + s),BTC-USD,v\(v),100"), lineNumber: n)
            }
        }
        // The last row of the input jumps again: nothing after it goes back, so it applies too.
        runner.feed(line: Substring("\(t0 + 2 * 86_400),BTC-USD,v0,100"), lineNumber: n + 1)
        runner.finish()
        let m = runner.summary.markets[0]
        #expect(m.quotes == 601 && m.rejected.isEmpty, "\(m.rejected)")
        #expect(runner.engine.clock == Double(t0 + 2 * 86_400))
        // The gap was crossed: quorum lost 10 s after the last rows before it.
        #expect(events.contains { $0.reasons.contains(.quorumLost) && $0.time == Double(t0 + 109) })
    }

    /// The tick schedule cannot spin: at a clock so large that a tick no longer adds, it stops.
    @Test(.timeLimit(.minutes(1)))
    func theTickScheduleEndsAtAbsurdTimes() throws {
        var engine = try RiskEngine(markets: [Self.market], start: -1e17)
        var schedule = TickSchedule(tickSeconds: 0.25)
        schedule.catchUp(&engine, to: -1e17)
        schedule.catchUp(&engine, to: -1e17 + 1e5)
        schedule.catchUp(&engine, to: -1e17 + 2e5, quietFrom: -1e17 + 1.5e5)
        #expect(engine.clock == -1e17 + 2e5)
    }
}
