import Foundation
import Testing

@testable import BreakwaterEngine

/// A replica adopts the margins per side and the last good price of the replica that publishes
/// for all (`RiskEngine.adoptShared`).
struct SharedStateTests {
    @Test func theAdoptedMarginsAreEachSidesAndTheOwnMarginContinuesFromThemUnderItsBound() {
        var h = EngineHarness(margin: .init(maintenanceFloor: 0.001, maxIncreasePerHour: 1, maxDecreasePerHour: 0.5))
        h.run(20) { _ in EngineHarness.all(5, 100) }
        var adopted = h.engine.adoptShared(market: 0, maintenance: (0.03, 0.04), lastGoodPrice: nil, at: h.time)
        #expect(adopted)
        #expect(h.snapshot.longMaintenanceMargin == 0.03 && h.snapshot.shortMaintenanceMargin == 0.04)
        #expect(h.snapshot.maintenanceMargin == 0.04)
        #expect(!h.engine.hasEvents, "adopting is no event")
        // The same figures again change nothing.
        adopted = h.engine.adoptShared(market: 0, maintenance: (0.03, 0.04), lastGoodPrice: nil, at: h.time)
        #expect(!adopted)
        // Its own target is far lower: ten seconds on, each side fell no more than the bound allows.
        h.run(10) { _ in EngineHarness.all(5, 100) }
        let lowest = pow(0.5, 10.0 / 3600)
        #expect(h.snapshot.longMaintenanceMargin >= 0.03 * lowest - 1e-12 && h.snapshot.longMaintenanceMargin < 0.03)
        #expect(h.snapshot.shortMaintenanceMargin >= 0.04 * lowest - 1e-12)
    }

    @Test func aStoredLastGoodPriceIsTakenOnlyWhenNewerThanTheMarketsOwn() throws {
        var h = EngineHarness()
        h.run(20) { _ in EngineHarness.all(5, 100) }
        h.run(15) { _ in [nil, nil, nil, nil, nil] }  // quorum lost (max age 10 s)
        let own = h.snapshot
        #expect(own.price == nil && own.lastGoodPrice == 100)
        let ownTime = try #require(own.lastGoodPriceTime)
        // Older than its own: kept its own.
        var adopted = h.engine.adoptShared(market: 0, maintenance: nil, lastGoodPrice: (90, ownTime - 1), at: h.time)
        #expect(!adopted)
        #expect(h.snapshot.lastGoodPrice == 100)
        // Not a price, or from beyond the clock skew: refused.
        adopted = h.engine.adoptShared(market: 0, maintenance: nil, lastGoodPrice: (-1, ownTime + 1), at: h.time)
        #expect(!adopted)
        adopted = h.engine.adoptShared(market: 0, maintenance: nil, lastGoodPrice: (101, h.time + 60), at: h.time)
        #expect(!adopted)
        // Newer: taken with its time.
        adopted = h.engine.adoptShared(market: 0, maintenance: nil, lastGoodPrice: (101, ownTime + 5), at: h.time)
        #expect(adopted)
        #expect(h.snapshot.lastGoodPrice == 101 && h.snapshot.lastGoodPriceTime == ownTime + 5)
    }

    /// A restart restores each side to its own stored figure.
    @Test func aRestoreSetsEachSide() {
        var h = EngineHarness()
        h.engine.restore(
            market: 0,
            manual: nil,
            bandHaltUntil: nil,
            velocityHaltUntil: nil,
            maintenance: (0.05, 0.06),
            at: h.time
        )
        #expect(h.snapshot.longMaintenanceMargin == 0.05 && h.snapshot.shortMaintenanceMargin == 0.06)
    }
}

extension SharedStateTests {
    /// A resume through another replica ends the velocity halt begun before it, and not one
    /// begun after it.
    @Test func aSharedResumeEndsOnlyTheHaltsBegunByThen() throws {
        var h = EngineHarness()
        h.run(20) { _ in EngineHarness.all(5, 100) }
        h.run(1) { _ in EngineHarness.all(5, 70) }
        #expect(h.snapshot.state == .halted && h.snapshot.reasons.contains(.velocity))
        let began = h.time - 1  // the step quoted at the time before the clock moved on
        // A resume stored before the halt began ends nothing.
        var ended = h.engine.applySharedResume(market: 0, resumedAt: began - 5, at: h.time)
        #expect(!ended)
        #expect(h.snapshot.state == .halted)
        // One after it ends it, with an operator event; again: nothing more.
        ended = h.engine.applySharedResume(market: 0, resumedAt: began + 0.5, at: h.time + 1)
        #expect(ended)
        #expect(h.snapshot.state != .halted)
        #expect(h.engine.drainEvents().contains { $0.kind == .operatorAction })
        ended = h.engine.applySharedResume(market: 0, resumedAt: began + 0.5, at: h.time + 1)
        #expect(!ended)
    }
}
