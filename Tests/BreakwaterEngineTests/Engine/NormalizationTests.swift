import Testing

@testable import BreakwaterEngine

/// Sources quoted in another market's currency convert through that market's aggregate.
struct NormalizationTests {
    func engine() -> RiskEngine {
        let usdt = MarketParameters(
            id: "USDT-USD",
            sources: (0..<3).map { SourceParameters(id: "u\($0)", kind: "push") },
            aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02)
        )
        let btc = MarketParameters(
            id: "BTC-USD",
            sources: [
                SourceParameters(id: "usd0", kind: "push"), SourceParameters(id: "usd1", kind: "push"),
                SourceParameters(id: "usdt", kind: "push", normalizeBy: 0),
            ],
            aggregation: .init(minSources: 2, maxAgeSeconds: 10, maxDeviation: 0.02)
        )
        return try! RiskEngine(markets: [usdt, btc], start: 0)
    }

    /// USDT-USD quoted at `usdt` by its three sources, BTC-USD at 100 by both USD venues and at
    /// `btcInUSDT` by the USDT venue; returns BTC-USD's snapshot.
    func btcSnapshot(usdt: Double, btcInUSDT: Double) -> MarketSnapshot {
        var e = engine()
        for j in 0..<3 { e.ingest(Quote(market: 0, source: j, price: usdt, time: 1), at: 1) }
        for (j, p) in [100, 100, btcInUSDT].enumerated() {
            e.ingest(Quote(market: 1, source: j, price: p, time: 1), at: 1)
        }
        e.advance(to: 1)
        return e.snapshot(market: 1)
    }

    @Test func usdtQuoteConvertsThroughTheStablecoinMarket() {
        let s = btcSnapshot(usdt: 0.99, btcInUSDT: 101)
        #expect(s.sources[2].status == .ok)
        let converted: Double = 101 * 0.99
        let expected: Double = (converted - 100) / 100  // signed: below the median
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

    /// A market converting through another warms while that one does, along a chain too
    /// (issue 17, point 13: BTC-USD left warming at +30 s while USDT-USD warmed until +60 s).
    @Test func aMarketWarmsWhileAMarketItConvertsThroughWarms() {
        func market(_ id: String, maxAge: Double, normalizeBy: Int?) -> MarketParameters {
            MarketParameters(
                id: id,
                sources: [
                    SourceParameters(id: "a", kind: "push"), SourceParameters(id: "b", kind: "push"),
                    SourceParameters(id: "c", kind: "push", normalizeBy: normalizeBy),
                ],
                aggregation: .init(minSources: 2, maxAgeSeconds: maxAge, maxDeviation: 0.02)
            )
        }
        // ETH-USD converts through BTC-USD, which converts through USDT-USD.
        let markets = [
            market("USDT-USD", maxAge: 60, normalizeBy: nil), market("BTC-USD", maxAge: 30, normalizeBy: 0),
            market("ETH-USD", maxAge: 10, normalizeBy: 1),
        ]
        var e = try! RiskEngine(markets: markets, start: 0)
        let prices: [Double] = [1, 100, 10]
        let third: [Double] = [1, 100, 0.1]
        func run(_ seconds: ClosedRange<Int>) {
            for t in seconds {
                for (i, p) in prices.enumerated() {
                    for j in 0..<2 { e.ingest(Quote(market: i, source: j, price: p, time: Double(t)), at: Double(t)) }
                    e.ingest(Quote(market: i, source: 2, price: third[i], time: Double(t)), at: Double(t))
                }
                e.advance(to: Double(t))
            }
        }
        run(0...45)
        for i in 0..<3 {
            let s = e.snapshot(market: i)
            #expect(
                s.reasons == [.warming] && s.until == 60,
                "\(s.id): \(s.reasons) until \(String(describing: s.until))"
            )
        }
        run(46...60)
        for i in 0..<3 { #expect(e.snapshot(market: i).state == .normal, "\(markets[i].id)") }
    }
}
