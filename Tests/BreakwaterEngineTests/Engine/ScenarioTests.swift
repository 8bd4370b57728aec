import Foundation
import Testing

@testable import BreakwaterEngine

/// End-to-end scenarios through the pure engine, in simulated time.
struct ScenarioTests {
    @Test func warmsUpThenOpens() {
        var h = EngineHarness()
        #expect(h.snapshot.reasons == [.warming])
        #expect(h.snapshot.actions == MarketActions(trading: .reduceOnly, liquidations: .paused))
        // A quorum in is not the end of warming: every source gets its max age (10 s) first.
        h.run(3) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.price == 100)
        #expect(h.snapshot.state == .limit && h.snapshot.reasons == [.warming])
        #expect(h.snapshot.actions == MarketActions(trading: .reduceOnly, liquidations: .paused))
        h.run(8) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.state == .normal)
        #expect(h.snapshot.actions == MarketActions(trading: .open, liquidations: .enabled))
        #expect(h.snapshot.price == 100)
    }

    @Test func flashCrashHaltsOnVelocityThenResumesOnTime() throws {
        var h = EngineHarness()
        h.run(400) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.state == .normal)
        let crashAt = h.time
        h.run(3) { _ in EngineHarness.all(5, 88) }
        #expect(h.snapshot.state == .halted)
        #expect(h.snapshot.reasons.contains(.velocity))
        #expect(h.snapshot.actions == MarketActions(trading: .halted, liquidations: .staged))
        let until = try #require(h.snapshot.until)
        #expect(until == crashAt + 60)
        // Price recovers; the halt lasts its full time, then the reference re-anchors.
        h.run(56) { _ in EngineHarness.all(5, 99) }
        #expect(h.snapshot.state == .halted)
        h.run(10) { _ in EngineHarness.all(5, 99) }
        #expect(h.snapshot.state == .normal)
        #expect(abs((h.snapshot.reference ?? 0) - 99) < 1e-9)
        let halts = h.transitions.filter { $0.to == "halted" && $0.from != "halted" }
        #expect(halts.count == 1)
    }

    @Test func repricingThatStaysHaltsOnceAndDoesNotLoop() {
        // Drift up 0.07 %/s: too slow for velocity (4.3 %/min < 5 %), fast enough to leave the band.
        var h = EngineHarness()
        h.run(400) { _ in EngineHarness.all(5, 100) }
        var price = 100.0
        h.run(400) { _ in
            price = min(price * 1.0007, 125)
            return EngineHarness.all(5, price)
        }
        // Then the new level stays for a long time.
        h.run(900) { _ in EngineHarness.all(5, 125) }
        let limits = h.transitions.filter { $0.to == "limit" && $0.reasons.contains(.priceBand) }
        let halts = h.transitions.filter { $0.to == "halted" && $0.from != "halted" }
        #expect(!h.transitions.contains { $0.reasons.contains(.velocity) })
        #expect(limits.count >= 1)
        #expect(halts.count <= 2, "a repricing must not loop limit -> halt -> limit: \(halts.count) halts")
        #expect(h.snapshot.state == .normal)
        #expect(h.snapshot.price == 125)
    }

    @Test func limitClearsWhenBackInsideBand() {
        var h = EngineHarness(breaker: .init(band: 0.05, limitSeconds: 15, velocity: .init(move: 0.5)))
        h.run(400) { _ in EngineHarness.all(5, 100) }
        h.run(5) { _ in EngineHarness.all(5, 106) }
        #expect(h.snapshot.state == .limit)
        #expect(h.snapshot.reasons == [.priceBand])
        #expect(h.snapshot.actions == MarketActions(trading: .reduceOnly, liquidations: .enabled))
        // A keeper sees when the limit turns into a halt if the price stays out.
        #expect(h.snapshot.haltsAt == h.snapshot.since + 15)
        h.run(5) { _ in EngineHarness.all(5, 101) }
        #expect(h.snapshot.state == .normal)
        #expect(h.snapshot.haltsAt == nil)
        // Outside for longer than limitSeconds: halted.
        h.run(20) { _ in EngineHarness.all(5, 94) }
        #expect(h.snapshot.state == .halted)
        #expect(h.snapshot.reasons == [.priceBand])
    }

    @Test func frozenVenueGoesStaleWithoutTrippingTheMarket() {
        var h = EngineHarness()
        h.run(30) { _ in EngineHarness.all(5, 100) }
        h.run(30) { _ in [nil, 100, 100, 100, 100] }
        #expect(h.snapshot.sources[0].status == .stale)
        #expect(h.snapshot.state == .normal)
        #expect(h.events.contains { $0.kind == .sourceStatus && $0.source == "s0" && $0.to == "stale" })
    }

    @Test func oneManipulatedVenueIsExcludedAndNothingHalts() {
        var h = EngineHarness()
        h.run(60) { _ in EngineHarness.all(5, 100) }
        h.run(120) { _ in [130, 100, 100.1, 99.9, 100] }
        #expect(h.snapshot.sources[0].status == .outlier)
        #expect(h.snapshot.state == .normal)
        #expect(h.snapshot.price == 100)
        #expect(!h.transitions.contains { $0.to == "halted" })
    }

    @Test func twoCampsAreDivergence() {
        var h = EngineHarness(sources: 4)
        h.run(30) { _ in EngineHarness.all(4, 100) }
        h.run(10) { _ in [100, 100, 110, 110] }
        #expect(h.snapshot.health == .divergence)
        #expect(h.snapshot.reasons == [.divergence])
        #expect(h.snapshot.price == nil)
        #expect(h.snapshot.lastGoodPrice == 100)
        #expect(h.snapshot.actions == MarketActions(trading: .reduceOnly, liquidations: .paused))
    }

    @Test func quorumLostAndRestoredAfterRecovery() {
        var h = EngineHarness(breaker: .init(recoverySeconds: 30))
        h.run(30) { _ in EngineHarness.all(5, 100) }
        h.run(20) { _ in [100, 100, nil, nil, nil] }
        #expect(h.snapshot.health == .quorumLost)
        #expect(h.snapshot.reasons == [.quorumLost])
        h.run(29) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.reasons == [.quorumLost], "no resume before recoverySeconds")
        h.run(3) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.state == .normal)
    }

    @Test func flappingOracleRestartsTheRecoveryTimer() {
        var h = EngineHarness(breaker: .init(recoverySeconds: 30))
        h.run(30) { _ in EngineHarness.all(5, 100) }
        h.run(15) { _ in [100, 100, nil, nil, nil] }
        for _ in 0..<3 {
            h.run(20) { _ in EngineHarness.all(5, 100) }
            h.run(12) { _ in [100, 100, nil, nil, nil] }
        }
        #expect(h.snapshot.reasons.contains(.quorumLost))
        #expect(!h.transitions.dropFirst().contains { $0.to == "normal" })
    }

    @Test func feedOutageLosesQuorumOnTimeWithoutQuotes() throws {
        var h = EngineHarness()
        h.run(30) { _ in EngineHarness.all(5, 100) }
        let last = h.time - 1
        h.run(15) { _ in [Double?](repeating: nil, count: 5) }
        let lost = try #require(h.transitions.first { $0.reasons.contains(.quorumLost) })
        // maxAge is 10 s and fresh means younger than that: untrusted at the tick at last + 10.
        #expect(lost.time == last + 10)
        // No price: the last good one travels apart (issue 17, point 14), not as the price.
        #expect(lost.price == nil && lost.lastGoodPrice == 100 && lost.lastGoodPriceTime == last)
        #expect(h.snapshot.lastGoodPrice == 100)
    }

    @Test func manualHaltExpiresOnTimeAndResumeIsRefusedWhileUntrusted() {
        var h = EngineHarness()
        h.run(30) { _ in EngineHarness.all(5, 100) }
        h.engine.halt(market: 0, reason: "exploit suspected", by: "ops", durationSeconds: 20, at: h.time)
        #expect(h.snapshot.state == .halted)
        #expect(h.snapshot.actions == MarketActions(trading: .halted, liquidations: .paused))
        h.run(19) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.state == .halted)
        h.run(2) { _ in EngineHarness.all(5, 100) }
        #expect(h.snapshot.state == .normal)
        h.engine.halt(market: 0, reason: "x", by: "ops", durationSeconds: nil, at: h.time)
        h.run(20) { _ in [100, nil, nil, nil, nil] }
        if case .oracleUntrusted = h.engine.resume(market: 0, by: "ops", at: h.time) {
        } else {
            Issue.record("resume must be refused while the oracle is untrusted")
        }
        h.run(40) { _ in EngineHarness.all(5, 100) }
        #expect(h.engine.resume(market: 0, by: "ops", at: h.time) == nil)
        h.step(EngineHarness.all(5, 100))
        #expect(h.snapshot.state == .normal)
    }

    /// A halt restored at a restart is halted since it began, not since the restart, and the
    /// restart is no transition.
    @Test func aRestoredHaltKeepsItsSinceTime() {
        var h = EngineHarness()
        let start = h.time
        h.engine.restore(
            market: 0,
            manual: ManualHalt(reason: "drill", by: "ops", since: start - 100, until: nil),
            bandHaltUntil: start + 30,
            velocityHaltUntil: nil,
            maintenance: nil,
            at: start
        )
        h.step(EngineHarness.all(5, 100))
        #expect(h.snapshot.state == .halted && h.snapshot.since == start - 100, "\(h.snapshot.since - start)")
        #expect(h.snapshot.reasons.contains(.manual) && h.snapshot.reasons.contains(.priceBand))
        #expect(h.transitions.isEmpty, "\(h.transitions.map { "\($0.from) -> \($0.to)" })")
        // A band halt alone: since its start (until - haltSeconds).
        var g = EngineHarness()
        g.engine.restore(
            market: 0,
            manual: nil,
            bandHaltUntil: start + 30,
            velocityHaltUntil: nil,
            maintenance: nil,
            at: start
        )
        g.step(EngineHarness.all(5, 100))
        #expect(g.snapshot.since == start + 30 - BreakerParameters().haltSeconds)
    }

    /// Warming counts as an untrusted oracle for resume too (a halt restored at a restart
    /// was resumable in the warm-up, while `oracle.trusted` said false).
    @Test func resumeIsRefusedWhileWarming() {
        var h = EngineHarness()  // max age 10 s: warming until start + 10
        h.engine.halt(market: 0, reason: "restored", by: "ops", durationSeconds: nil, at: h.time)
        h.run(5) { _ in EngineHarness.all(5, 100) }
        guard case let .warming(until) = h.engine.resume(market: 0, by: "ops", at: h.time) else {
            Issue.record("resume must be refused while warming")
            return
        }
        #expect(until == 1_700_000_010)
        h.run(6) { _ in EngineHarness.all(5, 100) }
        #expect(h.engine.resume(market: 0, by: "ops", at: h.time) == nil)
    }

    @Test func aManualHaltOverALimitEndsInTheNewReferenceNotABandHalt() {
        // The price leaves the band (limit), an operator halts for 60 s; when that halt ends the
        // reference re-anchors at the new price and the old limit does not become a band halt.
        var h = EngineHarness(breaker: .init(band: 0.05, limitSeconds: 15, velocity: .init(move: 0.9)))
        h.run(400) { _ in EngineHarness.all(5, 100) }
        h.run(2) { _ in EngineHarness.all(5, 110) }
        #expect(h.snapshot.state == .limit && h.snapshot.reasons == [.priceBand])
        h.engine.halt(market: 0, reason: "checking the move", by: "ops", durationSeconds: 60, at: h.time)
        h.run(61) { _ in EngineHarness.all(5, 110) }
        #expect(h.snapshot.state == .normal, "\(h.snapshot.reasons)")
        h.run(30) { _ in EngineHarness.all(5, 110) }
        #expect(h.snapshot.state == .normal, "\(h.snapshot.reasons)")
    }

    @Test func marginRisesWithVolatilityUnderItsBoundAndHoldsInLimit() {
        var h = EngineHarness(
            margin: .init(
                halfLifeSeconds: 300,
                sampleSeconds: 10,
                horizonSeconds: 3600,
                initialVolatility: 0.3,
                maxIncreasePerHour: 0.5,
                maxDecreasePerHour: 0.2
            ),
            breaker: .init(band: 0.5, velocity: .init(move: 0.9))
        )
        h.run(60) { _ in EngineHarness.all(5, 100) }
        let before = h.snapshot.maintenanceMargin
        var flip = false
        h.run(600) { _ in
            flip.toggle()
            return EngineHarness.all(5, flip ? 103 : 97)
        }
        let after = h.snapshot.maintenanceMargin
        #expect(after > before)
        #expect(after <= before * pow(1.5, 600.0 / 3600) * 1.000001)
        #expect(h.snapshot.targetMaintenance > after)
    }

    @Test func pythMethodInTheEngineMatchesThePythFunction() throws {
        var h = EngineHarness(
            sources: 3,
            aggregation: .init(method: .pyth, minSources: 3, maxAgeSeconds: 10, maxDeviation: nil)
        )
        let t = h.time
        for (j, (p, c)) in [(10000.0, 10.0), (10020, 10), (11000, 10)].enumerated() {
            _ = h.engine.ingest(Quote(market: 0, source: j, price: p, confidence: c, time: t), at: t)
        }
        h.step([nil, nil, nil])
        // Pyth vector 8: (10000,10) (10020,10) (11000,10) -> 10020, 970.
        #expect(h.snapshot.price == 10020)
        #expect(h.snapshot.confidence == 970)
        // A source without confidence uses defaultConfidence x price.
        let expected = try #require(
            Aggregation.pyth(prices: [10000, 10020, 11000], confidences: [10, 10, 11000 * 0.0005])
        )
        _ = h.engine.ingest(Quote(market: 0, source: 2, price: 11000, time: h.time), at: h.time)
        h.step([nil, nil, nil])
        #expect(h.snapshot.price == expected.price)
        #expect(h.snapshot.confidence == expected.confidence)
    }
}
