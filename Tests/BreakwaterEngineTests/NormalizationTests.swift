import Testing
@testable import BreakwaterEngine

/// Sources quoted in another market's currency convert through that market's aggregate.
struct NormalizationTests {
    func engine() -> RiskEngine {
        let usdt = MarketParameters(id: "USDT-USD", sources: (0..<3).map { SourceParameters(id: "u\($0)", kind: "push") },
                                    aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02))
        let btc = MarketParameters(id: "BTC-USD",
                                   sources: [SourceParameters(id: "usd0", kind: "push"), SourceParameters(id: "usd1", kind: "push"),
                                             SourceParameters(id: "usdt", kind: "push", normalizeBy: 0)],
                                   aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02))
        return try! RiskEngine(markets: [usdt, btc], start: 0)
    }

    /// USDT-USD quoted at `usdt` by its three sources, BTC-USD at 100 by both USD venues and at
    /// `btcInUSDT` by the USDT venue; returns BTC-USD's snapshot.
    func btcSnapshot(usdt: Double, btcInUSDT: Double) -> MarketSnapshot {
        var e = engine()
        for j in 0..<3 { e.ingest(Quote(market: 0, source: j, price: usdt, time: 1), at: 1) }
        for (j, p) in [100, 100, btcInUSDT].enumerated() { e.ingest(Quote(market: 1, source: j, price: p, time: 1), at: 1) }
        e.advance(to: 1)
        return e.snapshot(market: 1)
    }

    @Test func usdtQuoteConvertsThroughTheStablecoinMarket() {
        let s = btcSnapshot(usdt: 0.99, btcInUSDT: 101)
        #expect(s.sources[2].status == .ok)
        let converted: Double = 101 * 0.99
        let expected: Double = (converted - 100) / 100 // signed: below the median
        let deviation: Double = s.sources[2].deviation ?? .nan
        #expect(abs(deviation - expected) < 1e-12)
    }

    @Test func aConversionErrorEndsWhenTheNormalizerHasAPriceAgain() {
        var e = engine()
        for (j, p) in [100.0, 100, 101].enumerated() { e.ingest(Quote(market: 1, source: j, price: p, time: 1), at: 1) }
        e.advance(to: 1)
        #expect(e.snapshot(market: 1).sources[2].status == .error)
        #expect(e.snapshot(market: 1).sources[2].error == "normalizing market has no price")
        // USDT-USD gets its quotes; the USDT venue's own quote is unchanged and now converts.
        for j in 0..<3 { e.ingest(Quote(market: 0, source: j, price: 1, time: 2), at: 2) }
        e.advance(to: 2)
        let s = e.snapshot(market: 1).sources[2]
        #expect(s.status == .ok && s.error == nil)
        let recovered = e.drainEvents().last { $0.kind == .sourceStatus && $0.source == "usdt" }
        #expect(recovered?.to == "ok" && recovered?.message == nil)
    }

    @Test func aConversionOutOfAnyPlausibleRangeIsAnErrorNotAPrice() {
        // Each factor is accepted (<= 1e15); their product, 1e20, is no price.
        let s = btcSnapshot(usdt: 1e10, btcInUSDT: 1e10)
        #expect(s.sources[2].status == .error)
        #expect(s.sources[2].error == "normalized price is outside 1e-12 ... 1e15")
        #expect(s.price == 100)
    }
}
