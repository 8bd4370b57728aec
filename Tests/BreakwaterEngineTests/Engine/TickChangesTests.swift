import Testing

@testable import BreakwaterEngine

/// `RiskEngine.takeTickChanges()` lists exactly the markets whose snapshot a tick changed
/// (`changed`), and apart from those exactly the ones whose band reference alone moved
/// (`referenceMoved`): checked against the snapshots themselves, tick after tick.
struct TickChangesTests {
    static let t0: EpochSeconds = 1_700_000_000
    static let tick = 0.25

    static func market(_ id: String, sampleSeconds: Double = 1) -> MarketParameters {
        MarketParameters(
            id: id,
            sources: (0..<3).map { SourceParameters(id: "s\($0)", kind: "push") },
            aggregation: .init(minSources: 2, maxAgeSeconds: 2, maxDeviation: 0.02),
            margin: .init(sampleSeconds: sampleSeconds),
            breaker: .init(limitSeconds: 1, haltSeconds: 2, recoverySeconds: 1)
        )
    }

    /// `s` without what a tick does not republish: the reference and its band.
    static func withoutReference(_ s: MarketSnapshot) -> MarketSnapshot {
        var s = s
        (s.reference, s.lower, s.upper) = (nil, nil, nil)
        return s
    }

    /// Four markets over 12 s of ticks: M0 quoted steadily at one price, M1 with a jump (a band
    /// limit, then a halt) and a pause (its sources go stale), M2 at two prices then no more (its
    /// reference drifts between the two until its sources go stale; its volatility is sampled
    /// every 10 s, so nothing else moves meanwhile), M3 never.
    @Test func listsExactlyTheMarketsWhoseSnapshotATickChanged() throws {
        let markets = [Self.market("M0"), Self.market("M1"), Self.market("M2", sampleSeconds: 10), Self.market("M3")]
        var engine = try RiskEngine(markets: markets, start: Self.t0)
        engine.notesTickChanges = true
        _ = engine.takeTickChanges()
        var t = Self.t0
        var seen = (changed: 0, referenceMoved: 0, quiet: 0)
        var staleAt: [EpochSeconds] = []
        for step in 1...48 {
            let previous = t
            t = Self.t0 + Double(step) * Self.tick
            let q = t - 0.125  // quotes between ticks
            for j in 0..<3 { engine.ingest(Quote(market: 0, source: j, price: 100, time: q), at: q) }
            if step < 20 || step > 36 {
                let p = step < 10 ? 100.0 : 112.0
                for j in 0..<3 {
                    engine.ingest(Quote(market: 1, source: j, price: p + Double(j) * 0.25, time: q), at: q)
                }
            }
            if step == 2 || step == 6 {
                for j in 0..<3 {
                    engine.ingest(Quote(market: 2, source: j, price: step == 2 ? 50 : 50.5, time: q), at: q)
                }
            }
            // What the board holds: each market as last snapshotted, read at the new tick.
            let before = engine.markets.indices.map { engine.snapshot(market: $0, at: previous).at(t) }
            _ = engine.takeTickChanges()
            engine.advance(to: t)
            let changes = engine.takeTickChanges()
            var changed: [Int] = []
            var referenceMoved: [Int] = []
            for i in engine.markets.indices {
                let after = engine.snapshot(market: i, at: t)
                if Self.withoutReference(after) != Self.withoutReference(before[i]) {
                    changed.append(i)
                } else if after.reference?.bitPattern != before[i].reference?.bitPattern {
                    referenceMoved.append(i)
                }
            }
            #expect(changes.changed.sorted() == changed, "tick \(step)")
            #expect(changes.referenceMoved.sorted() == referenceMoved, "tick \(step)")
            if changes.isEmpty { seen.quiet += 1 }
            seen.changed += changed.count
            seen.referenceMoved += referenceMoved.count
            for e in engine.drainEvents() where e.kind == .sourceStatus && e.to == "stale" {
                staleAt.append(e.time)
                #expect(
                    changes.changed.contains(engine.marketIndex[e.market]!),
                    "a market whose source went stale is listed at that tick"
                )
            }
        }
        // The scenario covers all three cases, and staleness falling due at a tick.
        #expect(seen.changed > 0 && seen.referenceMoved > 0 && seen.quiet > 0, "\(seen)")
        #expect(!staleAt.isEmpty)
    }

    @Test func aMarketChangedTwiceIsListedOnceAndTakingEmptiesTheList() throws {
        var engine = try RiskEngine(markets: [Self.market("M0")], start: Self.t0)
        engine.notesTickChanges = true
        _ = engine.takeTickChanges()
        for j in 0..<3 { engine.ingest(Quote(market: 0, source: j, price: 100, time: Self.t0), at: Self.t0) }
        // Warming ends at t0 + 2, the quotes go stale at t0 + 2: two changes, one entry.
        engine.advance(to: Self.t0 + 2)
        engine.advance(to: Self.t0 + 2.5)
        #expect(engine.takeTickChanges() == TickChanges(changed: [0], referenceMoved: []))
        #expect(engine.takeTickChanges().isEmpty)
    }

    @Test func notesNothingUnlessAsked() throws {
        var engine = try RiskEngine(markets: [Self.market("M0")], start: Self.t0)
        for j in 0..<3 { engine.ingest(Quote(market: 0, source: j, price: 100, time: Self.t0), at: Self.t0) }
        engine.advance(to: Self.t0 + 2.5)
        #expect(engine.takeTickChanges().isEmpty)
    }
}
