#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The statistics a margin backtest is judged by (domain-systemic.md section 1): Kupiec's
/// unconditional coverage, Christoffersen's independence, their sum, and the binomial CDF behind
/// the Basel zones. `p` is the exception probability the margin promises (1 - coverage).
/// Convention: 0 x ln 0 = 0.
public enum CoverageTests {
    /// Kupiec's LR_uc for `exceptions` in `windows` at probability `p` (~ chi2(1)); 0 with no window.
    public static func kupiecLR(exceptions x: Int, windows t: Int, p: Double) -> Double {
        guard t > 0 else { return 0 }
        let n = Double(t - x)
        let k = Double(x)
        let observed = k / Double(t)
        let lr = -2 * (xlog(n, 1 - p) + xlog(k, p) - xlog(n, 1 - observed) - xlog(k, observed))
        return max(0, lr)
    }

    /// Christoffersen's LR_ind on the transition counts of a hit sequence (~ chi2(1)).
    public static func independenceLR(_ n: HitTransitions) -> Double {
        let (n00, n01, n10, n11) = (Double(n.n00), Double(n.n01), Double(n.n10), Double(n.n11))
        let total = n00 + n01 + n10 + n11
        guard total > 0 else { return 0 }
        let pi = (n01 + n11) / total
        let pi01 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0
        let pi11 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0
        let restricted = xlog(n00 + n10, 1 - pi) + xlog(n01 + n11, pi)
        let unrestricted = xlog(n00, 1 - pi01) + xlog(n01, pi01) + xlog(n10, 1 - pi11) + xlog(n11, pi11)
        return max(0, -2 * (restricted - unrestricted))
    }

    /// P(X > x) for X ~ chi2 with one degree of freedom.
    public static func chiSquared1Survival(_ x: Double) -> Double { erfc((max(0, x) / 2).squareRoot()) }

    /// P(X > x) for X ~ chi2 with two degrees of freedom.
    public static func chiSquared2Survival(_ x: Double) -> Double { exp(-max(0, x) / 2) }

    /// P(X <= x) for X ~ Binomial(n, p), summed in log space (exact for the counts a backtest has).
    public static func binomialCDF(_ x: Int, n: Int, p: Double) -> Double {
        guard x >= 0 else { return 0 }
        guard x < n else { return 1 }
        let lnN: Double = lgamma(Double(n + 1))
        var total = 0.0
        for k in 0...x {
            let lnChoose: Double = lnN - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
            total += exp(lnChoose + Double(k) * log(p) + Double(n - k) * log1p(-p))
        }
        return min(1, total)
    }

    /// count x ln(probability), 0 when the count is 0.
    static func xlog(_ count: Double, _ probability: Double) -> Double {
        count == 0 ? 0 : count * log(probability)
    }
}
