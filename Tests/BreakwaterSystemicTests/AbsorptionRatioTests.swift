import Testing

@testable import BreakwaterSystemic

/// The absorption ratio: the frds vector (domain-systemic.md section 2), k and the shift.
@Suite struct AbsorptionRatioTests {
    /// The sample covariance (numpy's `np.cov`: rows are variables, mean removed, n - 1).
    func sampleCovariance(_ rows: [[Double]]) -> [Double] {
        let n = rows.count
        let t = Double(rows[0].count)
        let means = rows.map { $0.reduce(0, +) / t }
        var s = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                s[i * n + j] = zip(rows[i], rows[j]).reduce(0) { $0 + ($1.0 - means[i]) * ($1.1 - means[j]) } / (t - 1)
            }
        }
        return s
    }

    @Test func theFrdsVector() throws {
        let returns = [
            [0.015, 0.031, 0.007, 0.034, 0.014, 0.011],
            [0.012, 0.063, 0.027, 0.023, 0.073, 0.055],
            [0.072, 0.043, 0.097, 0.078, 0.036, 0.083],
        ]
        let ratio = try #require(try AbsorptionRatio.of(covariance: sampleCovariance(returns), n: 3))
        #expect(abs(ratio - 0.7746543307660252) < 1e-12)
    }

    @Test func kIsAFifthRoundedHalfUpAndAtLeastOne() {
        #expect(AbsorptionRatio.eigenvectorCount(markets: 1) == 1)
        #expect(AbsorptionRatio.eigenvectorCount(markets: 2) == 1)
        #expect(AbsorptionRatio.eigenvectorCount(markets: 7) == 1)  // 1.4
        #expect(AbsorptionRatio.eigenvectorCount(markets: 8) == 2)  // 1.6
        #expect(AbsorptionRatio.eigenvectorCount(markets: 10) == 2)
        #expect(AbsorptionRatio.eigenvectorCount(markets: 13) == 3)  // 2.6
        #expect(AbsorptionRatio.eigenvectorCount(markets: 100) == 20)
    }

    @Test func aRankDeficientMatrixGivesOneNeverMore() throws {
        // Ten markets driven by two return vectors (rank 2, k 2): every eigenvalue counted.
        let n = 10
        let a = (0..<n).map { 0.3 + 0.01 * 2 * Double($0) }
        let b = (0..<n).map { 1.1 - 0.07 * Double($0 * $0 % 7) }
        var s = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { s[i * n + j] = a[i] * a[j] + b[i] * b[j] } }
        let ratio = try #require(try AbsorptionRatio.of(covariance: s, n: n))
        #expect(ratio <= 1)
        #expect(abs(ratio - 1) < 1e-12)
    }

    @Test func aMatrixWithNoVarianceHasNoRatio() throws {
        #expect(try AbsorptionRatio.of(covariance: [0, 0, 0, 0], n: 2) == nil)
    }

    @Test func theShiftIsInStandardDeviationsOfTheLongWindow() {
        // Long window 1...10 (mean 5.5, sample sd 3.0277), short window the last 2 (9.5).
        let history = (1...10).map(Double.init)
        let shift = AbsorptionRatio.shift(history, short: 2, long: 10)
        #expect(abs((shift ?? 0) - 4 / 3.0276503540974917) < 1e-12)
        #expect(AbsorptionRatio.shift(history, short: 2, long: 11) == nil)  // not enough yet
        #expect(AbsorptionRatio.shift(Array(repeating: 0.5, count: 10), short: 2, long: 10) == nil)  // no spread
    }
}
