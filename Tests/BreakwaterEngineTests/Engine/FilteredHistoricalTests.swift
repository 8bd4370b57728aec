import Foundation
import Testing

@testable import BreakwaterEngine

/// Filtered historical simulation through the engine: the standardized returns of the
/// market's own samples set each side's margin.
struct FilteredHistoricalTests {
    /// The volatility sample returns r / sigma before the sample (x sqrt(g) over a gap).
    @Test func theSampleIsTheStandardizedReturn() {
        var v = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5)
        #expect(v.sample(price: 100, at: 0) == nil)  // the base
        let s0 = v.volatilityPerStep
        let z1 = v.sample(price: 101, at: 10)
        #expect(abs((z1 ?? .nan) - log(1.01) / s0) < 1e-12)
        let s1 = v.volatilityPerStep
        let z2 = v.sample(price: 99, at: 40)  // 3 steps
        #expect(abs((z2 ?? .nan) - log(99.0 / 101) / (s1 * 3.0.squareRoot())) < 1e-12)
        #expect(v.sample(price: 99, at: 45) == nil)  // same step
    }

    /// A series whose falls are rare and large and whose rises are small and frequent: once
    /// the history is long enough, the long side's margin is above the short side's, and
    /// both follow the empirical quantiles of the engine's own standardized returns.
    @Test func skewedReturnsGiveEachSideItsOwnMargin() throws {
        let margin = MarginParameters(
            halfLifeSeconds: 600,
            sampleSeconds: 10,
            horizonSeconds: 10,
            coverage: 0.95,
            distribution: .filteredHistorical,
            historySamples: 200,
            minHistorySamples: 40,
            maintenanceFloor: 0,
            maxIncreasePerHour: 1000,
            maxDecreasePerHour: 0.999_999
        )
        var h = EngineHarness(
            sources: 1,
            aggregation: .init(minSources: 1, maxAgeSeconds: 30, maxDeviation: nil),
            margin: margin,
            breaker: .init(band: 0.99, velocity: .init(move: 10, windowSeconds: 1, haltSeconds: 1), recoverySeconds: 0),
            start: 0
        )
        var reference = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.6)
        var zs: [Double] = []
        var price = 100.0
        for k in 0..<300 {
            // 9 rises of 0.05 % and one fall of 0.6 % in every 10 steps.
            if k > 0 { price *= k % 10 == 0 ? 0.994 : 1.0005 }
            if let z = reference.sample(price: price, at: Double(k * 10)) { zs.append(z) }
            h.step([price], seconds: 10)
            if k == 30 {
                // Fewer than 40 samples so far: the Student-t, the same for both sides' quantile.
                let q = Quantile.marginQuantile(coverage: 0.95, distribution: .studentT, nu: 4)
                #expect(!h.engine.tails[0].usesHistory && h.engine.tails[0].sides == (q, q))
            }
        }
        var window = ReturnHistory(capacity: 200)
        for z in zs { window.append(z) }
        let empirical = try #require(window.sideQuantiles(coverage: 0.95))
        // Shorts' small rises put their empirical quantile under the normal one, which then counts.
        #expect(empirical.short < Quantile.normal(0.95) && empirical.long > Quantile.normal(0.95))
        let expected = (long: empirical.long, short: Quantile.normal(0.95))
        let m = h.market.margin
        let sides = h.engine.tails[0].sides
        #expect(abs(sides.long - expected.long) < 1e-9 && abs(sides.short - expected.short) < 1e-9)
        #expect(sides.long > sides.short && m.longMaintenance > m.shortMaintenance)
        let target = DynamicMargin.targets(
            quantiles: sides,
            sigma: h.market.volatility.volatility(overSeconds: 10),
            floor: 0
        )
        #expect(m.longMaintenance == target.long && m.shortMaintenance == target.short)
        let s = h.snapshot
        #expect(s.longMaintenanceMargin == m.longMaintenance && s.shortMaintenanceMargin == m.shortMaintenance)
        #expect(s.maintenanceMargin == max(s.longMaintenanceMargin, s.shortMaintenanceMargin))
        #expect(s.longInitialMargin == m.longMaintenance / margin.maintenanceRatio)
        #expect(h.engine.tails[0].history.count == 200)
    }

    /// A market with a parametric model keeps no history.
    @Test func parametricMarketsKeepNoHistory() {
        var h = EngineHarness(sources: 1, aggregation: .init(minSources: 1, maxAgeSeconds: 30, maxDeviation: nil))
        for k in 0..<50 { h.step([100 + Double(k % 3)], seconds: 10) }
        #expect(h.engine.tails[0].history.capacity == 0 && h.engine.tails[0].history.count == 0)
    }
}
