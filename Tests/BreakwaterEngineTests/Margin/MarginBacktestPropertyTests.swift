import Foundation
import Testing

@testable import BreakwaterEngine

/// A series drawn from the margin model itself, run through the engine's real volatility and
/// margin code, must pass its own backtest on both sides: green, Kupiec p > 0.05. (The old
/// backtest counted |move| against the one-sided margin and showed such a series red.)
struct MarginBacktestPropertyTests {
    /// SplitMix64: a fixed seed gives the same series on every machine.
    struct SeededGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform on (0, 1).
        mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }
        /// Standard normal (Box-Muller).
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        /// Student-t with integer `nu` degrees of freedom scaled to unit variance.
        mutating func unitStudentT(nu: Int) -> Double {
            var chi2 = 0.0
            for _ in 0..<nu { chi2 += pow(normal(), 2) }
            return normal() / (chi2 / Double(nu)).squareRoot() * (Double(nu - 2) / Double(nu)).squareRoot()
        }
    }

    /// `windows` one-step windows of a random walk whose log returns are sigma x `draw()`,
    /// quoted on the grid into a one-source market whose margin model assumes exactly that.
    static func backtest(
        distribution: TailDistribution,
        nu: Double,
        windows: Int,
        seed: UInt64,
        draw: (inout SeededGenerator) -> Double
    ) throws -> MarginBacktest {
        let step = 60.0
        let sigma = 0.005  // per step
        let market = MarketParameters(
            id: "SIM-USD",
            sources: [SourceParameters(id: "sim", kind: "push")],
            aggregation: AggregationParameters(minSources: 1, maxAgeSeconds: 120, maxDeviation: nil),
            margin: MarginParameters(
                // About 2,900 steps of effective memory: the estimate has settled within a few % of sigma.
                halfLifeSeconds: 1000 * step,
                sampleSeconds: step,
                horizonSeconds: step,
                coverage: 0.99,
                distribution: distribution,
                tailDegreesOfFreedom: nu,
                initialVolatility: sigma * (secondsPerYear / step).squareRoot(),
                maintenanceFloor: 1e-9,
                maintenanceRatio: 1,
                maxIncreasePerHour: 1000,
                maxDecreasePerHour: 0.999
            ),
            breaker: BreakerParameters(band: 0.9, velocity: VelocityParameters(move: 0.9))
        )
        var engine = try RiskEngine(markets: [market], start: 0)
        var backtest = MarginBacktest(market: market)
        var rng = SeededGenerator(state: seed)
        var price = 100.0
        for k in 0...windows {
            let t = Double(k) * step
            if k > 0 { price *= exp(sigma * draw(&rng)) }
            _ = engine.ingest(Quote(market: 0, source: 0, price: price, time: t), at: t)
            engine.advance(to: t)
            let m = engine.markets[0]
            let margins = PublishedMargins(
                longMaintenance: m.margin.maintenance,
                longInitial: m.margin.initial,
                shortMaintenance: m.margin.maintenance,
                shortInitial: m.margin.initial
            )
            _ = backtest.observe(price: m.aggregate.price, margins: margins, at: t)
        }
        return backtest
    }

    static func expectCalibrated(_ b: MarginBacktest, _ label: String) {
        #expect(b.windows >= 2000 && b.skipped == 0, "\(label)")
        for side in MarginSide.allCases {
            let f = b.report[side, .maintenance].wholeHistory
            #expect(f.kupiecP > 0.05, "\(label) \(side): \(f.exceptions) in \(f.windows), Kupiec p \(f.kupiecP)")
            #expect(f.zone == .green, "\(label) \(side): \(f.exceptions) in \(f.windows)")
            #expect(b.report[side, .initial].wholeHistory == f, "\(label): initial is maintenance here")
        }
    }

    @Test func normalSeriesPassesItsNormalModel() throws {
        let b = try Self.backtest(distribution: .normal, nu: 4, windows: 3000, seed: 20_261_206) { $0.normal() }
        Self.expectCalibrated(b, "normal")
    }

    @Test func studentTSeriesPassesItsStudentTModel() throws {
        let b = try Self.backtest(distribution: .studentT, nu: 4, windows: 3000, seed: 20_261_206) {
            $0.unitStudentT(nu: 4)
        }
        Self.expectCalibrated(b, "student-t(4)")
    }

    /// The test can fail: the same normal series judged by a model that assumes half its
    /// volatility is red on both sides.
    @Test func aModelThatAssumesTooLittleIsRed() throws {
        let b = try Self.backtest(distribution: .normal, nu: 4, windows: 2000, seed: 20_261_206) { 2 * $0.normal() }
        for side in MarginSide.allCases {
            let f = b.report[side, .maintenance].wholeHistory
            #expect(f.zone == .red && f.kupiecP < 0.0001, "\(side): \(f.exceptions) in \(f.windows)")
        }
    }
}
