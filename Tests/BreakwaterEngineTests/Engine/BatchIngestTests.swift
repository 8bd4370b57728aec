import Testing

@testable import BreakwaterEngine

/// A batch gives exactly what the same quotes one call at a time give: refusals, events and
/// every market's snapshot.
struct BatchIngestTests {
    @Test func batchEqualsOneAtATime() {
        let markets = (0..<20).map { i in
            MarketParameters(
                id: "M\(i)",
                sources: (0..<4).map { SourceParameters(id: "s\($0)", kind: "push") },
                aggregation: .init(minSources: 2, maxAgeSeconds: 5, maxDeviation: 0.02),
                breaker: .init(
                    band: 0.03,
                    referenceWindowSeconds: 60,
                    limitSeconds: 3,
                    haltSeconds: 10,
                    velocity: .init(move: 0.04, windowSeconds: 20, haltSeconds: 10)
                )
            )
        }
        var single = try! RiskEngine(markets: markets, start: 0)
        var batched = try! RiskEngine(markets: markets, start: 0)
        var rng = SplitMix(seed: 3)
        var t = 0.0
        for round in 0..<400 {
            t += 0.5
            var batch: [Quote] = []
            for _ in 0..<30 {
                let m = Int(rng.next() % 22)  // 20 and 21 are unknown markets
                let jump = round % 97 == 50 ? 0.9 : 1.0
                let price = rng.next() % 40 == 0 ? -1 : 100 * jump * (1 + (Double(rng.next() % 200) - 100) / 10_000)
                let time = t - Double(rng.next() % 3000) / 1000
                batch.append(Quote(market: m, source: Int(rng.next() % 5), price: price, time: time))
            }
            let expected = batch.enumerated().compactMap { i, q in single.ingest(q, at: t).map { (i, $0) } }
            let refused = batched.ingest(batch, at: t)
            #expect(refused.map(\.index) == expected.map(\.0))
            #expect(refused.map(\.reason) == expected.map(\.1))
            if round % 10 == 0 {
                single.advance(to: t)
                batched.advance(to: t)
            }
            #expect(single.drainEvents() == batched.drainEvents())
        }
        #expect(single.snapshots() == batched.snapshots())
    }

    @Test func anEmptyBatchLeavesTheClock() {
        var e = try! RiskEngine(
            markets: [MarketParameters(id: "M", sources: [SourceParameters(id: "s", kind: "push")])],
            start: 1000
        )
        #expect(e.ingest([Quote](), at: 2000).isEmpty)
        #expect(e.clock == 1000)
    }
}
