import BreakwaterEngine
import BreakwaterWire
import Testing

@testable import BreakwaterReplay

/// The per-side backtest in a replay: long and short columns, skipped windows, zone events.
struct ReplayBacktestTests {
    /// 10 s windows on a 10 s grid; the 1 % floor is the margin (the volatility asks far less).
    static let market = MarketParameters(
        id: "BTC-USD",
        sources: (0..<3).map { SourceParameters(id: "v\($0)", kind: "push") },
        aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02),
        margin: .init(sampleSeconds: 10, horizonSeconds: 10),
        breaker: .init()
    )

    /// 261 grid times, 10 s apart: a 1.5 % fall at every 50th (five long exceptions in 250
    /// windows), no rows for 40 s after the 120th (a skipped window).
    static var rows: [String] {
        var price = 100.0
        var out: [String] = []
        for k in 0...260 {
            if k > 0 && k % 50 == 0 { price *= 0.985 }
            if k > 120 && k <= 124 { continue }
            for v in 0..<3 { out.append("\(1_700_000_000 + 10 * k),BTC-USD,v\(v),\(price)") }
        }
        return out
    }

    func replay(_ lines: [String]) throws -> (ReplaySummary, [EventDocument]) {
        var events: [EventDocument] = []
        var runner = try ReplayRunner(
            markets: [Self.market],
            tickSeconds: 0.25,
            clockSkewSeconds: 5,
            onEvent: { events.append(EventDocument($0)) },
            onZoneChange: { events.append(EventDocument($0, window: $1, market: $2)) }
        )
        for (i, line) in lines.enumerated() { runner.feed(line: Substring(line), lineNumber: i + 1) }
        runner.finish()
        return (runner.summary, events)
    }

    @Test func longAndShortAreCountedApart() throws {
        let (s, _) = try replay(Self.rows)
        let b = s.markets[0].backtest
        #expect(b.skipped == 1)
        #expect(b.record(.long, .maintenance).exceptions == 5)
        #expect(b.record(.short, .maintenance).exceptions == 0)
        #expect(b.record(.long, .initial).exceptions == 0)  // 1.5 % against 2 % initial
        let text = s.render()
        #expect(text.contains("backtest BTC-USD: \(b.windows) windows of 10 s, 1 skipped, coverage 99.00%"), "\(text)")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.split(separator: " ") == ["long", "short", "long", "short"] }, "\(text)")
        let exceptions = try #require(lines.first { $0.hasPrefix("  exceptions  ") })
        #expect(exceptions.split(separator: " ") == ["exceptions", "5", "0", "0", "0"], "\(exceptions)")
        let zone = try #require(lines.first { $0.hasPrefix("  Basel zone, last 250") })
        #expect(zone.split(separator: " ").suffix(4) == ["yellow", "green", "green", "green"], "\(zone)")
        let kupiec = try #require(lines.first { $0.hasPrefix("  Kupiec p ") })
        #expect(!kupiec.contains("0.00000"), "\(kupiec)")
    }

    /// The long side turning yellow is written with the engine events, with its side and figures.
    @Test func zoneChangesAreWrittenAsModelEvents() throws {
        let (_, events) = try replay(Self.rows)
        let model = events.filter { $0.type == "model.zone" }
        // Four falls in fewer than 250 windows already read yellow for a while (the span is short).
        #expect(model.allSatisfy { $0.side == "long" } && !model.isEmpty)
        let e = try #require(model.last)
        #expect(e.side == "long" && e.from == "green" && e.to == "yellow" && e.market == "BTC-USD")
        #expect(e.line.contains("\"side\":\"long\""), "\(e.line)")
        #expect(
            e.message?.contains("5 exceptions in the last 244 windows (expected 2.44)") == true,
            "\(e.message ?? "")"
        )
        // In time order with the engine events.
        #expect(events.map(\.time) == events.map(\.time).sorted())
    }

    /// Each side is judged against its own margin: at a log-move quantile x = 0.1 a long's
    /// margin is 1 - exp(-0.1) = 9.52 % and a short's exp(0.1) - 1 = 10.52 %, so a 10 % fall is
    /// a long exception (against the larger margin for both sides it would not be one).
    @Test func eachSideIsJudgedAgainstItsOwnMargin() throws {
        let sigma = 0.1 / Quantile.normal(0.99)  // over one 10 s step, held by a 10-year half-life
        let market = MarketParameters(
            id: "SPX",
            sources: [SourceParameters(id: "close", kind: "push")],
            aggregation: .init(minSources: 1, maxAgeSeconds: 30, maxDeviation: nil),
            margin: .init(
                halfLifeSeconds: 3650 * 86_400,
                sampleSeconds: 10,
                horizonSeconds: 10,
                distribution: .normal,
                initialVolatility: sigma * (secondsPerYear / 10).squareRoot(),
                maintenanceFloor: 0
            ),
            breaker: .init(band: 0.99, velocity: .init(move: 10, windowSeconds: 1, haltSeconds: 1), recoverySeconds: 0)
        )
        var runner = try ReplayRunner(markets: [market], tickSeconds: 0.25, clockSkewSeconds: 5) { _ in }
        for k in 0...40 {
            let line = "\(1_700_000_000 + 10 * k),SPX,close,\(k < 21 ? 100.0 : 90.0)"
            runner.feed(line: Substring(line), lineNumber: k + 1)
        }
        runner.finish()
        let m = runner.engine.markets[0].margin
        #expect(abs(m.longMaintenance - 0.0952) < 0.0001 && abs(m.shortMaintenance - 0.1052) < 0.0001)
        let b = runner.summary.markets[0].backtest
        #expect(b.windows >= 30)
        #expect(b.record(.long, .maintenance).exceptions == 1)
        #expect(b.record(.short, .maintenance).exceptions == 0)
    }
}
