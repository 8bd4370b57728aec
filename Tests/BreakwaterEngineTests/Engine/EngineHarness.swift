@testable import BreakwaterEngine

/// Drives a one-market engine second by second, as `serve` and `replay` do.
struct EngineHarness {
    var engine: RiskEngine
    var events: [EngineEvent] = []
    var time: EpochSeconds

    init(
        sources: Int = 5,
        aggregation: AggregationParameters = .init(minSources: 3, maxAgeSeconds: 10, maxDeviation: 0.02),
        margin: MarginParameters = .init(),
        breaker: BreakerParameters = .init(),
        start: EpochSeconds = 1_700_000_000
    ) {
        let params = MarketParameters(
            id: "BTC-USD",
            sources: (0..<sources).map { SourceParameters(id: "s\($0)", kind: "push") },
            aggregation: aggregation,
            margin: margin,
            breaker: breaker
        )
        engine = try! RiskEngine(markets: [params], start: start)
        time = start
    }

    var market: MarketState { engine.markets[0] }
    var snapshot: MarketSnapshot { engine.snapshot(market: 0) }

    /// Each source with a non-nil price quotes it at the current time, then the clock ticks.
    mutating func step(_ prices: [Double?], seconds: Double = 1) {
        for (j, p) in prices.enumerated() {
            if let p { _ = engine.ingest(Quote(market: 0, source: j, price: p, time: time), at: time) }
        }
        engine.advance(to: time)
        events += engine.drainEvents()
        time += seconds
    }

    /// Runs `seconds` steps of one second with prices from `prices(t)` (t relative to the call).
    mutating func run(_ seconds: Int, _ prices: (Int) -> [Double?]) {
        for s in 0..<seconds { step(prices(s)) }
    }

    /// Breaker transitions only.
    var transitions: [EngineEvent] { events.filter { $0.kind == .breakerTransition } }

    static func all(_ n: Int, _ p: Double) -> [Double?] { Array(repeating: p, count: n) }
}
