import Foundation
import Testing

@testable import BreakwaterSystemic

/// The correlation regime: who is in the view and why not, the EWMA covariance, correlation,
/// average correlation, betas, the shift and the state; never NaN.
@Suite struct CorrelationRegimeTests {
    func parameters(minSamples: Int = 3, short: Int = 3, long: Int = 10) -> SystemicParameters {
        var p = SystemicParameters()
        p.sampleSeconds = 60
        p.halfLifeSeconds = 600
        p.minSamples = minSamples
        p.shortWindow = short
        p.longWindow = long
        return p
    }

    /// Every number of `view` is finite.
    func allFinite(_ view: SystemView) -> Bool {
        (view.correlation + view.covariance).allSatisfy(\.isFinite)
            && [view.averageCorrelation, view.absorptionRatio, view.absorptionShift, view.turbulence]
                .allSatisfy { $0?.isFinite ?? true }
    }

    @Test func aConstantPriceStaysOutWithAReasonAndNothingIsNaN() throws {
        var regime = CorrelationRegime(markets: ["A", "B", "FLAT"], parameters: parameters())
        var g = SplitMix64(state: 1)
        var (a, b) = (100.0, 50.0)
        var last: SystemView?
        for step in 0..<20 {
            a *= exp(0.01 * g.normal())
            b *= exp(0.01 * g.normal())
            last = try regime.update(at: Double(step) * 60, prices: [a, b, 1.0])
            #expect(last.map(allFinite) ?? false)
        }
        let view = try #require(last)
        #expect(view.markets == ["A", "B"])
        #expect(view.excluded.map(\.market) == ["FLAT"])
        #expect(view.excluded.map(\.reason) == [.constantPrice])
        #expect(view.correlation.count == 4)
    }

    @Test func marketsWithoutAPriceOrAReturnOrEnoughReturnsAreOutForThatUpdate() throws {
        var regime = CorrelationRegime(markets: ["A", "B", "C"], parameters: parameters(minSamples: 3))
        let first = try #require(try regime.update(at: 0, prices: [100, 200, nil]))
        #expect(first.markets.isEmpty)
        #expect(first.excluded.map(\.reason) == [.noReturn, .noReturn, .noPrice])
        let second = try #require(try regime.update(at: 60, prices: [101, 199, 50]))
        #expect(
            second.excluded.map(\.reason) == [
                .warmingUp(returns: 1, needed: 3), .warmingUp(returns: 1, needed: 3), .noReturn,
            ]
        )
        _ = try regime.update(at: 120, prices: [100, 201, 51])
        let fourth = try #require(try regime.update(at: 180, prices: [102, 198, nil]))
        #expect(fourth.markets == ["A", "B"])
        #expect(fourth.excluded.map(\.reason) == [.noPrice])
        #expect(fourth.averageCorrelation != nil)
        #expect(fourth.state != .insufficient)
        // The same grid slot again: ignored.
        #expect(try regime.update(at: 200, prices: [103, 197, 52]) == nil)
        // A skipped slot: prices taken, no returns (an outage must not stretch a return).
        let gap = try #require(try regime.update(at: 300, prices: [103, 197, 52]))
        #expect(gap.markets.isEmpty)
        #expect(gap.excluded.map(\.reason) == [.noReturn, .noReturn, .noReturn])
        #expect(gap.state == .insufficient)
    }

    @Test func theCovarianceIsTheWeightedEWMAOfReturnProducts() throws {
        // Returns +1 %, -2 %, +3 %: S = sum w_k r_k^2 / sum w_k with w = (1-l) l^age.
        var regime = CorrelationRegime(markets: ["A", "B"], parameters: parameters(minSamples: 3))
        let r = [0.01, -0.02, 0.03]
        var a = 100.0
        var view: SystemView?
        _ = try regime.update(at: 0, prices: [a, a])
        for (k, x) in r.enumerated() {
            a *= exp(x)
            // B moves twice as much as A: beta 2, correlation 1.
            view = try regime.update(at: Double(k + 1) * 60, prices: [a, 100 * exp(2 * r[0...k].reduce(0, +))])
        }
        let v = try #require(view)
        let l = pow(2, -60.0 / 600)
        let weights = [l * l, l, 1.0]
        let expected = zip(weights, r).reduce(0) { $0 + $1.0 * $1.1 * $1.1 } / weights.reduce(0, +)
        #expect(abs(v.covariance[0] - expected) < 1e-15)
        #expect(abs(v.covariance[3] - 4 * expected) < 1e-14)
        #expect(abs(v.correlation[1] - 1) < 1e-12)
        #expect(abs(v.beta(of: 1, given: 0) - 2) < 1e-9)
        #expect(abs(v.beta(of: 0, given: 1) - 0.5) < 1e-9)
        #expect(abs(v.volatility(0) - expected.squareRoot()) < 1e-15)
        #expect(v.state == .fragile)  // correlation 1 >= 0.8
    }

    @Test func independentMarketsAreCalmAndACommonShockTurnsTheRegimeFragile() throws {
        let ids = (0..<10).map { "M\($0)" }
        var regime = CorrelationRegime(markets: ids, parameters: parameters(minSamples: 5, short: 5, long: 60))
        var g = SplitMix64(state: 7)
        var prices = [Double](repeating: 100, count: ids.count)
        var t = 0.0
        func step(common: Double) throws -> SystemView {
            let shock = g.normal()
            for i in prices.indices { prices[i] *= exp(0.01 * (common * shock + (1 - common) * g.normal())) }
            t += 60
            return try #require(try regime.update(at: t, prices: prices))
        }
        var calm: SystemView?
        for _ in 0..<200 { calm = try step(common: 0) }
        let c = try #require(calm)
        #expect(c.markets.count == 10)
        #expect(c.state == .calm)
        #expect(abs(c.averageCorrelation ?? 1) < 0.3)
        #expect(c.absorptionShift != nil)
        #expect(c.turbulence.map { $0 > 0 } ?? false)
        #expect(c.eigenvalueCount == 2)
        // Exactly symmetric, ones on the diagonal.
        for i in 0..<10 {
            #expect(c.correlation[i * 10 + i] == 1)
            for j in 0..<10 { #expect(c.correlation[i * 10 + j] == c.correlation[j * 10 + i]) }
        }
        var stressed: SystemView?
        for _ in 0..<10 { stressed = try step(common: 0.9) }
        let s = try #require(stressed)
        #expect(s.state == .fragile)
        #expect((s.absorptionShift ?? 0) >= 1)
        #expect((s.absorptionRatio ?? 0) > (c.absorptionRatio ?? 1))
    }

    @Test func turbulenceIsMissingWithAReasonWhenTheCovarianceIsSingular() throws {
        // Two markets that always move together: the previous covariance has rank 1.
        var regime = CorrelationRegime(markets: ["A", "B"], parameters: parameters(minSamples: 2))
        var view: SystemView?
        var p = 100.0
        for k in 0..<6 {
            p *= k % 2 == 0 ? 1.01 : 0.995
            view = try regime.update(at: Double(k) * 60, prices: [p, p])
        }
        let v = try #require(view)
        #expect(v.turbulence == nil)
        #expect(v.turbulenceNote?.contains("singular") == true)
        #expect(allFinite(v))
    }

    @Test func lambdaComesFromTheHalfLife() {
        var p = SystemicParameters()
        p.sampleSeconds = 60
        p.halfLifeSeconds = 3600
        #expect(abs(pow(p.lambda, 60) - 0.5) < 1e-12)
    }
}
