import Testing

@testable import BreakwaterEngine

/// A price that comes back after an outage is judged against what the market last trusted:
/// the band's reference and the velocity window do not restart at the first price back, however
/// long the outage (issue 17, point 11: 100,000, 400 s without a quote, then 80,000 went to
/// `normal` 30 s later with no trip).
struct OutageTests {
    /// Three sources at 100,000 for 400 s (normal), then `outage` seconds without a quote.
    static func afterOutage(_ outage: Int, breaker: BreakerParameters) -> EngineHarness {
        var h = EngineHarness(sources: 3, breaker: breaker)
        h.run(400) { _ in EngineHarness.all(3, 100_000) }
        #expect(h.snapshot.state == .normal)
        h.run(outage) { _ in [nil, nil, nil] }
        #expect(h.snapshot.price == nil && h.snapshot.reasons == [.quorumLost])
        h.events.removeAll()
        return h
    }

    @Test func aGapLongerThanTheReferenceWindowTripsTheBand() throws {
        // Velocity out of the way (50 %): the band (8 % around the 300 s mean) must catch it.
        var h = Self.afterOutage(400, breaker: .init(velocity: .init(move: 0.5)))
        // While the market has no price, the band it will judge the next one by is still there.
        #expect(h.snapshot.reference == 100_000)
        let back = h.time
        h.run(60) { _ in EngineHarness.all(3, 80_000) }
        let limit = try #require(h.transitions.first)
        #expect(limit.time == back && limit.to == "limit" && limit.reasons == [.priceBand, .quorumLost])
        #expect(h.transitions.contains { $0.to == "halted" && $0.reasons.contains(.priceBand) && $0.time == back + 15 })
        #expect(!h.transitions.contains { $0.to == "normal" }, "\(h.transitions.map { "\($0.time - back) \($0.to)" })")
        #expect(h.snapshot.state == .halted)
    }

    @Test func theVelocityRuleSeesTheMoveAcrossTheGap() throws {
        // Band out of the way (50 %): the velocity rule (5 % in 60 s) must catch the -20 %.
        var h = Self.afterOutage(400, breaker: .init(band: 0.5))
        let back = h.time
        h.run(5) { _ in EngineHarness.all(3, 80_000) }
        let halt = try #require(h.transitions.first { $0.to == "halted" })
        #expect(halt.time == back && halt.reasons.contains(.velocity))
    }

    @Test func aPriceBackAtItsOldLevelTripsNothing() {
        var h = Self.afterOutage(400, breaker: .init())
        let back = h.time
        h.run(60) { _ in EngineHarness.all(3, 101_000) }
        #expect(!h.transitions.contains { $0.reasons.contains(.priceBand) || $0.reasons.contains(.velocity) })
        // Trusted again after recoverySeconds (30 s) of health.
        #expect(h.transitions.last?.to == "normal" && h.transitions.last?.time == back + 30)
        // The window restarted from the prices back: the old reference no longer applies.
        #expect(h.snapshot.reference == 101_000)
    }

    @Test func aHaltThatEndsDuringTheOutageStillJudgesThePriceBack() throws {
        // A velocity halt (-10 %, 60 s) that ends while the oracle is out: the re-anchoring at
        // its end must not take the first price back, unchecked, as the new reference.
        var h = EngineHarness(sources: 3, breaker: .init(band: 0.5))
        h.run(400) { _ in EngineHarness.all(3, 100_000) }
        h.run(10) { _ in EngineHarness.all(3, 90_000) }
        #expect(h.snapshot.state == .halted)
        h.run(400) { _ in [nil, nil, nil] }
        #expect(h.snapshot.state == .limit)
        h.events.removeAll()
        let back = h.time
        h.run(5) { _ in EngineHarness.all(3, 72_000) }
        let halt = try #require(h.transitions.first { $0.to == "halted" })
        #expect(halt.time == back && halt.reasons.contains(.velocity))
    }
}
