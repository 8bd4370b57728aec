import Testing

@testable import BreakwaterEngine

/// Every vector of domain-systemic.md section 1 (checked with scipy there).
struct CoverageTestsTests {
    func hits(at windows: Set<Int>, of t: Int) -> HitRecord {
        var r = HitRecord()
        for w in 1...t { r.record(windows.contains(w)) }
        return r
    }

    @Test func kupiecVectors() {
        let five = BacktestFigures(windows: 224, exceptions: 5, transitions: HitTransitions(), p: 0.01)
        #expect(abs(five.kupiecLR - 2.5441) < 5e-5)
        #expect(abs(five.kupiecP - 0.1107) < 5e-5)
        let seven = BacktestFigures(windows: 224, exceptions: 7, transitions: HitTransitions(), p: 0.01)
        #expect(abs(seven.kupiecLR - 6.5350) < 5e-5)
        #expect(abs(seven.kupiecP - 0.0106) < 5e-5)
        // 0 x ln 0 = 0: no exception at all is a finite LR (too few), the expected count gives 0.
        #expect(
            abs(CoverageTests.kupiecLR(exceptions: 0, windows: 250, p: 0.01) - (-2 * 250 * log1pMinus(0.01))) < 1e-9
        )
        #expect(CoverageTests.kupiecLR(exceptions: 10, windows: 1000, p: 0.01) < 1e-12)
    }

    @Test func christoffersenSpreadHits() {
        let f = hits(at: [10, 50, 100, 150, 200], of: 250).wholeHistory(p: 0.01)
        let n = hits(at: [10, 50, 100, 150, 200], of: 250).transitions
        #expect(n == HitTransitions(n00: 239, n01: 5, n10: 5, n11: 0))
        #expect(abs(f.kupiecLR - 1.9568) < 5e-5)
        #expect(abs(f.kupiecP - 0.1619) < 5e-5)
        #expect(abs(f.independenceLR - 0.2049) < 5e-5)
        #expect(abs(f.independenceP - 0.6508) < 5e-5)
        #expect(abs(f.conditionalLR - 2.1617) < 5e-5)
        #expect(abs(f.conditionalP - 0.3393) < 5e-5)
    }

    @Test func christoffersenClusteredHits() {
        let r = hits(at: Set(246...250), of: 250)
        #expect(r.transitions == HitTransitions(n00: 244, n01: 1, n10: 0, n11: 4))
        let f = r.wholeHistory(p: 0.01)
        #expect(abs(f.independenceLR - 35.9806) < 5e-5)
        #expect(abs(f.conditionalLR - 37.9374) < 5e-5)
        #expect(abs(f.conditionalP - 5.8e-9) < 0.05e-9)
        // The same five hits spread out are not clustered: only the order differs.
        #expect(
            f.exceptions == 5 && f.kupiecLR == hits(at: [1, 60, 120, 180, 240], of: 250).wholeHistory(p: 0.01).kupiecLR
        )
    }

    @Test func binomialCDFAndBaselZones() {
        for (x, f) in [(4, 0.89219), (5, 0.95882), (9, 0.99975), (10, 0.99995)] {
            #expect(abs(CoverageTests.binomialCDF(x, n: 250, p: 0.01) - f) < 5e-6, "F(\(x))")
        }
        for x in 0...4 { #expect(BaselZone.of(exceptions: x, windows: 250, p: 0.01) == .green) }
        for x in 5...9 { #expect(BaselZone.of(exceptions: x, windows: 250, p: 0.01) == .yellow) }
        for x in 10...20 { #expect(BaselZone.of(exceptions: x, windows: 250, p: 0.01) == .red) }
    }

    /// Below the windows the rule needs, one exception would read red by saturation (F(1) = 1
    /// in one window): unrated. From there no exception is green and one is yellow.
    @Test func fewWindowsAreUnrated() {
        #expect(BaselZone.minimumWindows(p: 0.01) == 6)
        for n in 1...5 { #expect(BaselZone.of(exceptions: 1, windows: n, p: 0.01) == nil) }
        #expect(BaselZone.of(exceptions: 0, windows: 6, p: 0.01) == .green)
        #expect(BaselZone.of(exceptions: 1, windows: 6, p: 0.01) == .yellow)
        #expect(BaselZone.of(exceptions: 3, windows: 6, p: 0.01) == .red)
    }

    @Test func chiSquaredCriticalValues() {
        #expect(abs(CoverageTests.chiSquared1Survival(3.841) - 0.05) < 1e-4)
        #expect(abs(CoverageTests.chiSquared1Survival(6.635) - 0.01) < 1e-4)
        #expect(abs(CoverageTests.chiSquared2Survival(5.991) - 0.05) < 1e-4)
        #expect(abs(CoverageTests.chiSquared2Survival(9.210) - 0.01) < 1e-4)
    }

    /// The last 250 hits are kept as bits: older ones drop out of the count and the transitions.
    @Test func recentHitsKeepTheLast250() {
        var r = HitRecord()
        for w in 1...1000 { r.record(w <= 10 || w > 995) }
        #expect(r.windows == 1000 && r.exceptions == 15)
        let recent = r.last250(p: 0.01)
        #expect(recent.windows == 250 && recent.exceptions == 5)
        #expect(HitTransitions(hits: r.recent.hits) == HitTransitions(n00: 244, n01: 1, n10: 0, n11: 4))
        #expect(MemoryLayout<RecentHits>.size <= 64)
    }
}

private func log1pMinus(_ p: Double) -> Double { CoverageTests.xlog(1, 1 - p) }
