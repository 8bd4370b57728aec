import Foundation
import Testing

@testable import BreakwaterEngine

struct VolatilityAndMarginTests {
    /// domain.md: s = 2 %/day and a log return of -5 % give 2.293 %; prices 100 -> 95 give 2.311 %.
    @Test func riskMetricsExample() {
        let day = 86_400.0
        let halfLife = day * log(0.5) / log(0.94)
        let seed = 0.02 * (365.0).squareRoot()  // annualized so that one daily step has sigma 2 %
        var v = VolatilityEstimator(sampleSeconds: day, halfLifeSeconds: halfLife, initialVolatility: seed)
        #expect(abs(v.lambda - 0.94) < 1e-12)
        #expect(abs(v.volatilityPerStep - 0.02) < 1e-12)
        v.observe(price: 100, at: 0)
        v.observe(price: 100 * exp(-0.05), at: day)
        #expect(abs(v.volatilityPerStep - 0.02293) < 0.00001)
        var w = VolatilityEstimator(sampleSeconds: day, halfLifeSeconds: halfLife, initialVolatility: seed)
        w.observe(price: 100, at: 0)
        w.observe(price: 95, at: day)
        #expect(abs(w.volatilityPerStep - 0.02311) < 0.00001)
    }

    @Test func burstsWithinOneStepCountOnce() {
        var a = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5)
        var b = a
        a.observe(price: 100, at: 0)
        b.observe(price: 100, at: 0)
        for i in 0..<50 { b.observe(price: 100 + Double(i % 7), at: 10 + Double(i) * 0.1) }
        b.observe(price: 101, at: 20)
        a.observe(price: 100, at: 10)  // first price in step 1 is the sample
        a.observe(price: 101, at: 20)
        #expect(a.variancePerStep == b.variancePerStep)
        // Two samples: a zero return, then 1 %.
        let lambda = pow(2, -10.0 / 600)
        let s0 = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5).variancePerStep
        let r = log(1.01)
        #expect(abs(a.variancePerStep - (lambda * lambda * s0 + (1 - lambda) * r * r)) < 1e-18)
    }

    /// A price that comes back mid-step after a gap is not the sample of a step whose start
    /// had no price: the next grid time samples it, and the return is spread over the whole
    /// gap, wherever in the step the quotes fall (the audit's case: off-grid quotes made a
    /// 2-step gap count as 1 step and then a zero return, about 9 % less volatility).
    @Test func aPriceBackMidStepIsSampledAtTheNextGridTime() {
        let lambda = pow(2, -10.0 / 600)
        var v = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5)
        let s0 = v.variancePerStep
        v.observe(price: 100, at: 5)  // base, step 0
        v.observe(price: 100, at: 10)  // step 1: zero return
        v.observeNoPrice()  // stale from 12 ...
        let v25 = v.observe(price: 105, at: 25)
        #expect(!v25)  // ... back at 25: step 2's start (20) had no price
        let v28 = v.observe(price: 105, at: 28)
        #expect(!v28)
        let v30 = v.observe(price: 105, at: 30)
        #expect(v30)  // step 3: the 5 % return over steps 2 and 3
        let r = log(1.05)
        let s1 = lambda * s0
        #expect(abs(v.variancePerStep - (lambda * lambda * s1 + (1 - lambda * lambda) * r * r / 2)) < 1e-18)

        // Without the gap, the first price in step 2 is its sample.
        var w = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5)
        w.observe(price: 100, at: 5)
        w.observe(price: 100, at: 10)
        let w25 = w.observe(price: 105, at: 25)
        #expect(w25)
        #expect(abs(w.variancePerStep - (lambda * s1 + (1 - lambda) * r * r)) < 1e-18)
        // A price back exactly at a step's start samples that step.
        var x = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5)
        x.observe(price: 100, at: 5)
        x.observeNoPrice()
        let x20 = x.observe(price: 105, at: 20)
        #expect(x20)
    }

    @Test func gapSpreadsItsReturnOverTheSteps() {
        let lambda = pow(2, -10.0 / 600)
        var v = VolatilityEstimator(sampleSeconds: 10, halfLifeSeconds: 600, initialVolatility: 0.5)
        let s0 = v.variancePerStep
        v.observe(price: 100, at: 0)
        v.observe(price: 110, at: 100)  // 10 steps
        let r = log(1.1)
        let expected = pow(lambda, 10) * s0 + (1 - pow(lambda, 10)) * r * r / 10
        #expect(abs(v.variancePerStep - expected) < 1e-18)
        // Neither one giant step nor zeros.
        let giant = lambda * s0 + (1 - lambda) * r * r
        let zeros = pow(lambda, 10) * s0 + (1 - lambda) * r * r * lambda  // not what we do
        #expect(v.variancePerStep != giant)
        #expect(v.variancePerStep != zeros)
    }

    @Test func quantiles() {
        #expect(abs(Quantile.normal(0.99) - 2.326348) < 1e-6)
        #expect(abs(Quantile.normal(0.5)) < 1e-12)
        #expect(abs(Quantile.normal(0.001) + 3.090232) < 1e-6)
        #expect(abs(Quantile.studentT(0.99, nu: 4) - 3.746947) < 1e-5)
        // domain.md: nu = 4 at 99 %, scaled to unit variance: 2.65.
        #expect(abs(Quantile.marginQuantile(coverage: 0.99, distribution: .studentT, nu: 4) - 2.6495) < 1e-3)
    }

    /// domain.md: sigma 2.293 %/day gives a log move of 5.33 % over one day and 1.09 % over one
    /// hour at z 2.326; as price moves, the larger side (shorts, a rise) is exp(x) - 1: 5.48 %
    /// and 1.09 % (PerSideMarginTests has both sides).
    @Test func marginFromVolatility() {
        let p = MarginParameters(horizonSeconds: 86_400, coverage: 0.99, distribution: .normal, maintenanceFloor: 0.001)
        let m = DynamicMargin(parameters: p, initialVolatilityOverHorizon: 0.02293)
        #expect(abs(m.target - 0.0548) < 0.0001)
        let q = Quantile.normal(0.99)
        let hour = DynamicMargin.targets(quantiles: (q, q), sigma: 0.02293 * (1.0 / 24).squareRoot(), floor: 0.001)
        #expect(abs(hour.short - 0.0109) < 0.0001)
        #expect(abs(m.initial - m.maintenance / 0.5) < 1e-15)
    }

    @Test("margin >= floor and monotone in sigma", arguments: [0.0, 1e-6, 0.001, 0.01, 0.05, 0.2, 1, 5])
    func marginFloorAndMonotone(sigma: Double) {
        let q = TailQuantiles(parameters: MarginParameters(maintenanceFloor: 0.02)).sides
        let t = DynamicMargin.targets(quantiles: q, sigma: sigma, floor: 0.02)
        let more = DynamicMargin.targets(quantiles: q, sigma: sigma * 1.1 + 1e-9, floor: 0.02)
        #expect(t.long >= 0.02 && t.short >= 0.02)
        #expect(more.long >= t.long && more.short >= t.short)
    }

    @Test func riseAndFallBoundsHold() {
        let p = MarginParameters(maintenanceFloor: 0.01, maxIncreasePerHour: 0.5, maxDecreasePerHour: 0.2)
        var m = DynamicMargin(parameters: p, initialVolatilityOverHorizon: 0.01)
        let q = TailQuantiles(parameters: p).sides
        m.update(at: 0, holdDecrease: false)
        let start = m.maintenance
        var previous = start
        m.retarget(quantiles: q, sigmaOverHorizon: 0.2)
        for second in stride(from: 60.0, through: 3600, by: 60) {
            m.update(at: second, holdDecrease: false)
            #expect(m.maintenance <= previous * pow(1.5, 60.0 / 3600) * (1 + 1e-12))
            previous = m.maintenance
        }
        #expect(abs(m.maintenance - start * 1.5) < 1e-9)
        #expect(m.atRiseBound)
        // Held while in limit: never decreases.
        let high = m.maintenance
        m.retarget(quantiles: q, sigmaOverHorizon: 0.0001)
        m.update(at: 7200, holdDecrease: true)
        #expect(m.maintenance == high)
        m.update(at: 10_800, holdDecrease: false)
        #expect(abs(m.maintenance - high * 0.8) < 1e-9)
    }
}
