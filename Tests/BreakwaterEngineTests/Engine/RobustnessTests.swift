import Testing

@testable import BreakwaterEngine

/// The engine never crashes: bad quotes are refused with a reason.
struct RobustnessTests {
    @Test func badQuotesAreRejectedWithReasons() {
        var h = EngineHarness()
        let t = h.time
        func ingest(_ p: Double, _ time: Double, conf: Double? = nil, source: Int = 0) -> String? {
            h.engine.ingest(Quote(market: 0, source: source, price: p, confidence: conf, time: time), at: t)?.code
        }
        #expect(ingest(.nan, t) == "price_not_finite")
        #expect(ingest(.infinity, t) == "price_not_finite")
        #expect(ingest(0, t) == "price_not_positive")
        #expect(ingest(-5, t) == "price_not_positive")
        #expect(ingest(1.7e308, t) == "price_out_of_range")
        #expect(ingest(.leastNonzeroMagnitude, t) == "price_out_of_range")
        #expect(ingest(100, .nan) == "time_not_finite")
        #expect(ingest(100, t + 3600) == "time_in_future")
        #expect(ingest(100, t - 3600) == "too_old")
        #expect(ingest(100, t, conf: -1) == "confidence_invalid")
        #expect(ingest(100, t, conf: .nan) == "confidence_invalid")
        #expect(h.engine.snapshot(market: 0).sources[0].lastRejected == "confidence_invalid")
        #expect(ingest(100, t) == nil)
        #expect(ingest(100, t - 1) == "out_of_order")
        // The source shows why its last quote was refused (a count alone does not say).
        #expect(h.engine.snapshot(market: 0).sources[0].lastRejected == "out_of_order")
        #expect(h.engine.snapshot(market: 0).sources[1].lastRejected == nil)
        #expect(h.engine.ingest(Quote(market: 7, source: 0, price: 1, time: t), at: t) == .unknownMarket)
        #expect(h.engine.ingest(Quote(market: 0, source: 9, price: 1, time: t), at: t) == .unknownSource)
    }

    /// Fresh means younger than max age: a quote exactly `maxAgeSeconds` old is refused on
    /// arrival, and a stored one is stale from that instant.
    @Test func aQuoteExactlyMaxAgeOldIsNotFresh() {
        var h = EngineHarness(sources: 3, aggregation: .init(minSources: 3, maxAgeSeconds: 10, maxDeviation: 0.02))
        let t = h.time
        #expect(h.engine.ingest(Quote(market: 0, source: 0, price: 100, time: t - 10), at: t)?.code == "too_old")
        #expect(h.engine.ingest(Quote(market: 0, source: 0, price: 100, time: t - 9.5), at: t) == nil)
        for j in 1..<3 { _ = h.engine.ingest(Quote(market: 0, source: j, price: 100, time: t), at: t) }
        h.engine.advance(to: t + 0.49)
        #expect(h.engine.snapshot(market: 0).sources[0].status == .ok)
        h.engine.advance(to: t + 0.5)
        #expect(h.engine.snapshot(market: 0).sources[0].status == .stale)
    }

    /// In a market aggregated by `pyth`, a confidence of 0 is invalid (Pyth's rule): it is
    /// refused, not replaced by the default confidence. Elsewhere 0 is an exact price.
    @Test func aZeroConfidenceIsInvalidWherePythAggregates() {
        var pyth = EngineHarness(sources: 3, aggregation: .init(method: .pyth, minSources: 2, maxAgeSeconds: 10))
        let t = pyth.time
        #expect(
            pyth.engine.ingest(Quote(market: 0, source: 0, price: 100, confidence: 0, time: t), at: t)?.code
                == "confidence_invalid"
        )
        #expect(pyth.engine.ingest(Quote(market: 0, source: 0, price: 100, confidence: 1e-9, time: t), at: t) == nil)
        var median = EngineHarness(sources: 3)
        #expect(median.engine.ingest(Quote(market: 0, source: 0, price: 100, confidence: 0, time: t), at: t) == nil)
    }

    @Test func everyRejectionHasItsPlaceInTheCodeTable() {
        let all: [QuoteRejection] = [
            .unknownMarket, .unknownSource, .sourceDisabled, .priceNotFinite, .priceNotPositive,
            .priceOutOfRange, .confidenceInvalid, .spreadInvalid, .timeNotFinite,
            .timeInFuture(aheadSeconds: 1), .tooOld(ageSeconds: 1), .outOfOrder,
        ]
        #expect(all.map(\.code) == QuoteRejection.codes)
        #expect(all.map { QuoteRejection.codes[Int($0.codeIndex)] } == all.map(\.code))
    }

    @Test func randomInputNeverCrashesAndAggregateStaysWithinRemainingQuotes() {
        var rng = SplitMix(seed: 42)
        var h = EngineHarness(aggregation: .init(minSources: 1, maxAgeSeconds: 5, maxDeviation: 0.05))
        let specials: [Double] = [.nan, .infinity, -.infinity, 0, -1, 1e308, 1e-308, .greatestFiniteMagnitude]
        for i in 0..<20_000 {
            let source = Int(rng.next() % 5)
            let price =
                rng.next() % 10 == 0
                ? specials[Int(rng.next() % UInt64(specials.count))] : 100 + Double(rng.next() % 1000) / 100
            let skew = Double(Int(rng.next() % 20)) - 10
            let time = rng.next() % 50 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : h.time + skew
            _ = h.engine.ingest(Quote(market: 0, source: source, price: price, time: time), at: h.time)
            if i % 5 == 0 {
                h.engine.advance(to: h.time)
                h.time += 1
            }
            let s = h.snapshot
            if let p = s.price {
                let used = s.sources.filter { $0.status == .ok }.compactMap(\.price)
                #expect(p >= used.min()! - 1e-9 && p <= used.max()! + 1e-9)
                #expect(s.maintenanceMargin >= 0.01)
            }
        }
    }
}

/// Deterministic pseudo-random numbers for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
