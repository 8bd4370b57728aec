import Foundation
import Testing

@testable import BreakwaterEngine

struct PerSideMarginTests {
    /// A side's margin is the price move its log-return quantile implies: longs
    /// 1 - exp(-q sigma), shorts exp(q sigma) - 1. domain.md's 2.293 %/day at 99 % (q sigma
    /// = 5.334 %) gives longs 5.194 % and shorts 5.479 %; the published figure is the larger.
    @Test func eachSideFromItsQuantile() {
        let p = MarginParameters(horizonSeconds: 86_400, coverage: 0.99, distribution: .normal, maintenanceFloor: 0.001)
        let m = DynamicMargin(parameters: p, initialVolatilityOverHorizon: 0.02293)
        let qs = Quantile.normal(0.99) * 0.02293
        #expect(abs(m.longTarget - (1 - exp(-qs))) < 1e-12)
        #expect(abs(m.shortTarget - (exp(qs) - 1)) < 1e-12)
        #expect(abs(m.longMaintenance - 0.05194) < 0.00001)
        #expect(abs(m.shortMaintenance - 0.05479) < 0.00001)
        #expect(m.maintenance == m.shortMaintenance && m.target == m.shortTarget)
        #expect(abs(m.longInitial - m.longMaintenance / 0.5) < 1e-15)
        #expect(abs(m.initial - m.shortMaintenance / 0.5) < 1e-15)
    }

    /// Filtered historical: the history replaces the Student-t only from `minHistorySamples`,
    /// each side from its own tail; a parametric market keeps no history.
    @Test func historyTakesOverAtTheMinimumEachSideOnItsOwn() throws {
        let p = MarginParameters(
            coverage: 0.9,
            distribution: .filteredHistorical,
            historySamples: 10,
            minHistorySamples: 5
        )
        var tail = TailQuantiles(parameters: p)
        let t = Quantile.marginQuantile(coverage: 0.9, distribution: .studentT, nu: 4)
        for z in [-4.0, 0.5, 0.2, 1] { tail.record(z) }
        #expect(!tail.usesHistory && tail.sides.long == t && tail.sides.short == t)
        tail.record(0.1)  // 5 values: -4, 0.1, 0.2, 0.5, 1
        #expect(tail.usesHistory)
        #expect(abs(tail.sides.long - 2.36) < 1e-6)  // 0.1-quantile of z: -4 + 0.4 x 4.1 = -2.36
        // 0.9-quantile of z: 0.5 + 0.6 x 0.5 = 0.8, below the normal 0.9-quantile 1.2816: that.
        #expect(abs(try #require(tail.history.sideQuantiles(coverage: 0.9)).short - 0.8) < 1e-6)
        #expect(tail.sides.short == Quantile.normal(0.9))
        var m = DynamicMargin(parameters: MarginParameters(maintenanceFloor: 0), initialVolatilityOverHorizon: 0.01)
        m.retarget(quantiles: tail.sides, sigmaOverHorizon: 0.01)
        #expect(abs(m.longTarget - -expm1(-0.0236)) < 1e-9)
        #expect(abs(m.shortTarget - expm1(Quantile.normal(0.9) * 0.01)) < 1e-9)
        #expect(m.longTarget > m.shortTarget)

        // A flat history (every z 0) leaves each side at the normal quantile, not at 0.
        var flat = TailQuantiles(parameters: p)
        for _ in 0..<10 { flat.record(0) }
        #expect(flat.usesHistory && flat.sides == (Quantile.normal(0.9), Quantile.normal(0.9)))

        var normal = TailQuantiles(parameters: MarginParameters(distribution: .normal))
        normal.record(-4)
        #expect(normal.history.count == 0 && normal.sides.long == Quantile.normal(0.99))
    }

    /// The rise and fall bounds hold for each side on its own: a side whose target jumps is
    /// held at the bound while the other follows its own target down.
    @Test func boundsHoldPerSide() {
        let p = MarginParameters(maintenanceFloor: 0, maxIncreasePerHour: 0.5, maxDecreasePerHour: 0.2)
        var m = DynamicMargin(parameters: p, initialVolatilityOverHorizon: 0.01)
        m.update(at: 0, holdDecrease: false)
        let long0 = m.longMaintenance
        let short0 = m.shortMaintenance
        m.retarget(quantiles: (long: 30, short: 0.01), sigmaOverHorizon: 0.01)  // a huge down tail
        m.update(at: 3600, holdDecrease: false)
        #expect(abs(m.longMaintenance - long0 * 1.5) < 1e-12)  // held at +50 %/h
        #expect(m.atRiseBound)
        #expect(abs(m.shortMaintenance - short0 * 0.8) < 1e-12)  // falls, at most -20 %/h
        // Held while not normal: neither side falls.
        let (l, s) = (m.longMaintenance, m.shortMaintenance)
        m.retarget(quantiles: (long: 0.01, short: 0.01), sigmaOverHorizon: 0.01)
        m.update(at: 7200, holdDecrease: true)
        #expect(m.longMaintenance == l && m.shortMaintenance == s)
    }

    /// A restored figure (the larger side) applies to both sides.
    @Test func restoreSetsBothSides() {
        var m = DynamicMargin(parameters: MarginParameters(maintenanceFloor: 0.01), initialVolatilityOverHorizon: 0.01)
        m.restore(maintenance: 0.07, at: 10)
        #expect(m.longMaintenance == 0.07 && m.shortMaintenance == 0.07)
        m.restore(maintenance: 0.001, at: 10)
        #expect(m.longMaintenance == 0.01 && m.shortMaintenance == 0.01)
    }

    /// Each side restored to its own figure, never below the floor; a side given no usable
    /// figure keeps its own; the rate bounds apply from the restore's time.
    @Test func restorePerSide() {
        let p = MarginParameters(maintenanceFloor: 0.01, maxIncreasePerHour: 1, maxDecreasePerHour: 0.5)
        var m = DynamicMargin(parameters: p, initialVolatilityOverHorizon: 0.01)
        m.restore(long: 0.05, short: 0.08, at: 10)
        #expect(m.longMaintenance == 0.05 && m.shortMaintenance == 0.08 && m.maintenance == 0.08)
        m.restore(long: 0.001, short: .nan, at: 10)
        #expect(m.longMaintenance == 0.01 && m.shortMaintenance == 0.08)
        // Targets far below: an hour after the restore each side fell by half, not more.
        m.retarget(quantiles: (long: 0.01, short: 0.01), sigmaOverHorizon: 0.0001)
        m.update(at: 10 + 3600, holdDecrease: false)
        #expect(abs(m.shortMaintenance - 0.04) < 1e-12 && m.longMaintenance == 0.01)
    }
}
