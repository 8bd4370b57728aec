import BreakwaterTestSupport
import Foundation
import Testing

@testable import BreakwaterSystemic

/// LAPACK through the system-library target gives numpy's figures: eigenvalues of random
/// symmetric matrices and Mahalanobis distances to 1e-9, the reference computed by
/// `eigenvalues.py` (numpy, installed by scripts/setup.sh) in a child process.
@Suite struct LAPACKAgainstNumpyTests {
    struct Case: Encodable {
        let n: Int
        let matrix: [Double]
        let x: [Double]?
    }
    struct Reference: Decodable {
        let eigenvalues: [Double]
        let distance: Double?
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("eigenvalues.py").path

    /// numpy's answers for `cases`; fails the test (never skips) when python3 or numpy is missing.
    func reference(_ cases: [Case]) async throws -> [Reference] {
        let input = String(decoding: try JSONEncoder().encode(cases), as: UTF8.self)
        let run = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script],
            input: .text(input)
        )
        try #require(run.status == 0, "python3 with numpy is needed (scripts/setup.sh): \(run.errors)")
        return try JSONDecoder().decode([Reference].self, from: Data(run.output.utf8))
    }

    /// A random symmetric matrix with entries in [-1, 1).
    func symmetric(_ n: Int, _ g: inout SplitMix64) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                let v = g.symmetric()
                m[i * n + j] = v
                m[j * n + i] = v
            }
        }
        return m
    }

    /// A random positive definite matrix A A' / k + I / 10 and a vector.
    func positiveDefinite(_ n: Int, _ g: inout SplitMix64) -> ([Double], [Double]) {
        let k = n + 3
        let a = (0..<(n * k)).map { _ in g.symmetric() }
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for c in 0..<k { s += a[i * k + c] * a[j * k + c] }
                m[i * n + j] = s / Double(k) + (i == j ? 0.1 : 0)
            }
        }
        return (m, (0..<n).map { _ in g.symmetric() })
    }

    @Test func eigenvaluesOfRandomSymmetricMatricesMatchNumpy() async throws {
        var g = SplitMix64(state: 20)
        let sizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 100]
        let cases = sizes.flatMap { n in (0..<3).map { _ in Case(n: n, matrix: symmetric(n, &g), x: nil) } }
        let expected = try await reference(cases)
        #expect(expected.count == cases.count)
        for (c, e) in zip(cases, expected) {
            let got = try SymmetricEigenvalues.of(c.matrix, n: c.n)
            #expect(got.count == c.n)
            let worst = zip(got, e.eigenvalues).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-9, "n \(c.n): largest difference \(worst)")
        }
    }

    @Test func mahalanobisDistancesMatchNumpy() async throws {
        var g = SplitMix64(state: 21)
        let cases = [1, 2, 4, 10, 40].map { n in
            let (m, x) = positiveDefinite(n, &g)
            return Case(n: n, matrix: m, x: x)
        }
        let expected = try await reference(cases)
        for (c, e) in zip(cases, expected) {
            let got = try Mahalanobis.squaredDistance(try #require(c.x), covariance: c.matrix)
            let want = try #require(e.distance)
            #expect(abs(got - want) <= 1e-9 * max(1, want), "n \(c.n): \(got) vs \(want)")
        }
    }

    @Test func aSingularCovarianceIsRefusedNotInverted() {
        // Two identical markets: rank 1.
        #expect(throws: LAPACKFailure.self) {
            try Mahalanobis.squaredDistance([0.1, 0.1], covariance: [1, 1, 1, 1])
        }
    }
}
