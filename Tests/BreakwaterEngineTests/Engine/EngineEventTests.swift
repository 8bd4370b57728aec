import Testing

@testable import BreakwaterEngine

/// Events into a no-price state say so: `price` is nil and the last good price travels apart,
/// with its time (issue 17, point 14: `normal -> limit [quorum_lost]` carried the last price as
/// if it were current, while the source events of the same instant said null).
struct EngineEventTests {
    @Test func eventsWithoutAPriceCarryTheLastGoodPriceApart() throws {
        var h = EngineHarness(sources: 3)
        h.run(30) { _ in EngineHarness.all(3, 100) }
        let lastQuoteTime = h.time - 1
        h.run(15) { _ in [nil, nil, nil] }
        let lost = try #require(h.transitions.first { $0.reasons.contains(.quorumLost) })
        #expect(lost.from == "normal" && lost.to == "limit")
        #expect(lost.price == nil)
        #expect(lost.lastGoodPrice == 100 && lost.lastGoodPriceTime == lastQuoteTime)
        let stale = h.events.filter { $0.kind == .sourceStatus && $0.to == "stale" }
        #expect(stale.count == 3)
        #expect(
            stale.allSatisfy { $0.price == nil && $0.lastGoodPrice == 100 && $0.lastGoodPriceTime == lastQuoteTime }
        )
        #expect(stale.allSatisfy { $0.time == lost.time })
        // With a price, the price alone.
        let normal = try #require(h.transitions.first { $0.to == "normal" })
        #expect(normal.price == 100 && normal.lastGoodPrice == nil && normal.lastGoodPriceTime == nil)
    }

    @Test func anOperatorActionWithoutAPriceCarriesTheLastGoodPrice() throws {
        var h = EngineHarness(sources: 3)
        h.run(30) { _ in EngineHarness.all(3, 100) }
        h.run(15) { _ in [nil, nil, nil] }
        h.engine.setSource(market: 0, source: 0, enabled: false, by: "ops", at: h.time)
        let action = try #require(h.engine.drainEvents().first { $0.kind == .operatorAction })
        #expect(action.price == nil && action.lastGoodPrice == 100)
    }
}
