import Testing

@testable import BreakwaterEngine

/// The median method's aggregate against a plain reference (stdlib sorts, no scratch, no
/// shortcuts): the engine's fast paths (nothing excluded, default confidences read off the
/// sorted prices) must give bit-for-bit what the rule says.
struct MedianAggregateTests {
    /// The rule of `../shared/domain.md`, written the obvious way. Inputs are the fresh quotes.
    static func reference(
        prices: [Double],
        confidences: [Double?],
        spreads: [Double?],
        rules: AggregationParameters
    )
        -> (price: Double?, confidence: Double?, used: Int, health: OracleHealth)
    {
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            let n = s.count
            return n % 2 == 1 ? s[n / 2] : s[n / 2 - 1] / 2 + s[n / 2] / 2
        }
        let n = prices.count
        let confs = (0..<n).map { i -> Double in
            if let c = confidences[i], c > 0 { return c }
            if let sp = spreads[i], sp * prices[i] / 2 > 0 { return sp * prices[i] / 2 }
            return rules.defaultConfidence * prices[i]
        }
        let med = median(prices)
        let deviations = prices.map { abs($0 - med) / med }
        var keep = Array(repeating: true, count: n)
        if let maxDeviation = rules.maxDeviation {
            let agree = deviations.filter { $0 <= maxDeviation }.count
            if agree * 2 > n {
                keep = deviations.map { $0 <= maxDeviation }
            } else if (prices.max()! - prices.min()!) / med > maxDeviation {
                return (nil, nil, n, .divergence)
            }
        }
        let used = (0..<n).filter { keep[$0] }
        guard used.count >= rules.minSources else { return (nil, nil, used.count, .quorumLost) }
        let price = median(used.map { prices[$0] })
        let mad = median(used.map { abs(prices[$0] - price) })
        return (price, max(mad, median(used.map { confs[$0] })), used.count, .ok)
    }

    @Test(arguments: 1...8)
    func matchesTheReference(sourceCount: Int) {
        let rules = AggregationParameters(
            minSources: 1,
            maxAgeSeconds: 1_000,
            maxDeviation: 0.02,
            defaultConfidence: 0.0007
        )
        let market = MarketParameters(
            id: "M",
            sources: (0..<sourceCount).map { SourceParameters(id: "s\($0)", kind: "push") },
            aggregation: rules
        )
        var rng = SplitMix(seed: UInt64(sourceCount))
        for round in 0..<400 {
            var engine = try! RiskEngine(markets: [market], start: 0)
            var prices: [Double] = []
            var confidences: [Double?] = []
            var spreads: [Double?] = []
            for j in 0..<sourceCount {
                // Mostly close together (ties included), now and then an outlier; confidences
                // and spreads only in some rounds, so both the default and the mixed path run.
                var p = 100 + Double(rng.next() % 64) / 100
                if rng.next() % 9 == 0 { p *= rng.next() % 2 == 0 ? 1.1 : 0.9 }
                let c: Double? = round % 3 == 0 && rng.next() % 2 == 0 ? Double(rng.next() % 50) / 100 : nil
                let sp: Double? = round % 5 == 0 && rng.next() % 2 == 0 ? Double(rng.next() % 20) / 10_000 : nil
                prices.append(p)
                confidences.append(c)
                spreads.append(sp)
                #expect(
                    engine.ingest(Quote(market: 0, source: j, price: p, confidence: c, spread: sp, time: 1), at: 1)
                        == nil
                )
            }
            let expected = Self.reference(prices: prices, confidences: confidences, spreads: spreads, rules: rules)
            let s = engine.snapshot(market: 0)
            #expect(s.health == expected.health, "round \(round): \(prices)")
            #expect(s.usedSources == expected.used, "round \(round): \(prices)")
            #expect(s.price == expected.price, "round \(round): \(prices)")
            #expect(s.confidence == expected.confidence, "round \(round): \(prices) \(confidences) \(spreads)")
        }
    }
}
