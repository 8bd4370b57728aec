import Testing

@testable import BreakwaterEngine

/// Skipping the ticks of a dormant engine (`RiskEngine.dormantUntil`) changes nothing: the
/// events and the state are those of running every tick.
struct DormancyTests {
    static let tick = 0.25

    static func market(
        _ id: String,
        maxAgeSeconds: Double = 10,
        breaker: BreakerParameters = .init()
    ) -> MarketParameters {
        MarketParameters(
            id: id,
            sources: (0..<3).map { SourceParameters(id: "v\($0)", kind: "push") },
            aggregation: .init(minSources: 2, maxAgeSeconds: maxAgeSeconds, maxDeviation: 0.02),
            margin: .init(horizonSeconds: 600),
            breaker: breaker
        )
    }

    /// Replays `instants` (time, then per market its price for all three sources, nil for no
    /// quote) as `replay` does: the ticks before each instant, then its quotes. With `skipping`
    /// the schedule knows the quiet time (last quote plus every timer) and skips dormant
    /// ticks; without, every tick of every gap runs.
    static func run(
        _ markets: [MarketParameters],
        _ instants: [(EpochSeconds, [Double?])],
        skipping: Bool,
        halt: (market: Int, at: EpochSeconds, seconds: Double)? = nil
    ) throws -> (RiskEngine, [EngineEvent]) {
        var engine = try RiskEngine(markets: markets, start: instants[0].0)
        var schedule = TickSchedule(tickSeconds: tick, maxTicksPerGap: .max)
        schedule.start(at: instants[0].0)
        let quiet =
            markets.map { m in
                m.aggregation.maxAgeSeconds + m.breaker.limitSeconds + m.breaker.haltSeconds
                    + m.breaker.velocity.haltSeconds + m.breaker.recoverySeconds
            }.max()! + 2 * tick
        var events: [EngineEvent] = []
        var lastQuote = instants[0].0
        var halt = halt
        func catchUp(to t: EpochSeconds) {
            if let h = halt, h.at <= t {
                schedule.catchUp(&engine, to: h.at.nextDown, quietFrom: skipping ? lastQuote + quiet : nil)
                engine.halt(market: h.market, reason: "test", by: "test", durationSeconds: h.seconds, at: h.at)
                halt = nil
            }
            schedule.catchUp(&engine, to: t, quietFrom: skipping ? lastQuote + quiet : nil)
            events += engine.drainEvents()
        }
        for (t, prices) in instants {
            catchUp(to: t.nextDown)
            var quotes: [Quote] = []
            for (m, p) in prices.enumerated() {
                if let p { quotes += (0..<3).map { Quote(market: m, source: $0, price: p, time: t) } }
            }
            #expect(engine.ingestSimultaneous(quotes, at: t).isEmpty)
            lastQuote = t
            events += engine.drainEvents()
        }
        catchUp(to: instants.last!.0)
        return (engine, events)
    }

    static func expectSame(_ a: (RiskEngine, [EngineEvent]), _ b: (RiskEngine, [EngineEvent])) {
        #expect(
            a.1 == b.1,
            "skipped: \(a.1.map { "\($0.time) \($0.market) \($0.to)" }) every tick: \(b.1.map { "\($0.time) \($0.market) \($0.to)" })"
        )
        #expect(a.0.clock == b.0.clock)
        for i in a.0.markets.indices {
            let x = a.0.markets[i]
            let y = b.0.markets[i]
            #expect(x.margin == y.margin && x.volatility == y.volatility && x.breaker == y.breaker)
            #expect(x.reference.mean == y.reference.mean && x.state == y.state && x.reasons == y.reasons)
        }
    }

    /// Hourly prices of two markets for a day, with gaps that end in each timer: a velocity
    /// halt (a 20 % drop just before a gap), a band limit, a margin still rising at the gap (a
    /// volatile hour), a gap within warm-up, and an operator's halt with an end inside a gap.
    @Test func skippingDormantTicksGivesTheEventsOfEveryTick() throws {
        let t0 = 1_700_000_000.0
        // ETH-USD has no quote at the start: it warms until t0 + 20 s, while BTC-USD is stale
        // from t0 + 10 s (both dormant, waiting for the end of ETH-USD's warm-up).
        var instants: [(EpochSeconds, [Double?])] = [(t0, [100, nil])]
        var btc = 100.0
        var eth = 50.0
        for hour in 1...24 {
            let t = t0 + Double(hour) * 3_600
            // A minute of quotes each hour; some hours end in a drop, a band move or a swing.
            for s in 0..<60 {
                var b = btc
                var e = eth
                if hour % 5 == 0 && s >= 55 { b = btc * 0.8 }  // velocity halt, then the gap
                if hour % 7 == 0 && s >= 50 { e = eth * 1.09 }  // band halt, then the gap
                if hour % 3 == 0 { b = btc * ((s / 10) % 2 == 0 ? 1.01 : 0.99) }  // volatile: margin rising
                instants.append((t + Double(s), [b, s < 30 || hour % 2 == 0 ? e : nil]))
            }
            btc *= 1.002
            eth *= 0.999
        }
        // Ends off the cadence, within the gap: the first tick after it ends it.
        let halt = (market: 1, at: t0 + 10 * 3_600 + 65, seconds: 123.4)
        // ETH-USD's velocity rule out of the way (50 %), so that its 9 % move trips the band:
        // a limit, a band halt 15 s later (its quotes are fresh for 20 s), which ends in the gap.
        let markets = [
            Self.market("BTC-USD"),
            Self.market("ETH-USD", maxAgeSeconds: 20, breaker: .init(velocity: .init(move: 0.5))),
        ]
        let skipped = try Self.run(markets, instants, skipping: true, halt: halt)
        let everyTick = try Self.run(markets, instants, skipping: false, halt: halt)
        #expect(skipped.1.contains { $0.market == "BTC-USD" && $0.to == "halted" && $0.reasons.contains(.velocity) })
        #expect(skipped.1.contains { $0.market == "ETH-USD" && $0.to == "halted" && $0.reasons.contains(.priceBand) })
        #expect(
            skipped.1.contains { $0.reasons.contains(.manual) }
                && skipped.1.contains { $0.market == "ETH-USD" && $0.from == "halted" && $0.time == halt.at + 123.5 }
        )
        #expect(
            skipped.1.contains { $0.market == "ETH-USD" && $0.time == t0 + 20 && $0.fromReasons.contains(.warming) }
        )
        Self.expectSame(skipped, everyTick)
    }

    @Test func aMarketWithAFreshSourceIsNotDormant() throws {
        var engine = try RiskEngine(markets: [Self.market("BTC-USD")], start: 1_000)
        let quotes = (0..<3).map { Quote(market: 0, source: $0, price: 100, time: 1_000) }
        #expect(engine.ingestSimultaneous(quotes, at: 1_000).isEmpty)
        engine.advance(to: 1_005)
        #expect(engine.dormantUntil == nil)  // fresh until 1,010
        engine.advance(to: 1_010)
        // No fresh source, warm-up over (it ends at start + max age), margin at its target.
        #expect(engine.markets[0].margin.maintenance >= engine.markets[0].margin.target)
        #expect(engine.dormantUntil == .infinity)
        // An operator's halt is a timer: the engine wakes when it ends.
        engine.halt(market: 0, reason: "test", by: "test", durationSeconds: 60, at: 1_020)
        #expect(engine.dormantUntil == 1_080)
    }

    @Test func aMarginStillRisingIsNotDormant() throws {
        var engine = try RiskEngine(markets: [Self.market("BTC-USD")], start: 1_000)
        // A 40 % move between two samples: the margin's target leaps, and it rises at most
        // 100 %/h towards it.
        for (t, p) in [(1_000.0, 100.0), (1_010, 140)] {
            let quotes = (0..<3).map { Quote(market: 0, source: $0, price: p, time: t) }
            #expect(engine.ingestSimultaneous(quotes, at: t).isEmpty)
        }
        engine.advance(to: 1_020)  // no fresh source
        #expect(engine.markets[0].aggregate.freshSources == 0)
        #expect(engine.markets[0].margin.maintenance < engine.markets[0].margin.target)
        #expect(engine.dormantUntil == nil)
    }

    @Test func warmUpIsATimer() throws {
        var engine = try RiskEngine(markets: [Self.market("BTC-USD")], start: 1_000)
        engine.advance(to: 1_001)
        #expect(engine.dormantUntil == 1_010)  // no quote yet; warming until start + max age
    }
}
