/// The absorption ratio (Kritzman, Li, Page and Rigobon 2011): the share of the total variance
/// that the `k` largest eigenvalues of the covariance matrix explain, k = round-half-up(0.2 N)
/// and at least 1. A fraction in (0, 1]; near 1, a few factors drive every market (fragile).
public enum AbsorptionRatio {
    /// The number of eigenvalues counted for `n` markets: round-half-up(0.2 n), at least 1.
    public static func eigenvectorCount(markets n: Int) -> Int {
        max(1, Int((0.2 * Double(n) + 0.5).rounded(.down)))
    }

    /// The ratio of the `n` x `n` covariance matrix `covariance`, in (0, 1]; nil when its trace
    /// is not positive (no variance at all). Eigenvalues from LAPACK (``SymmetricEigenvalues``).
    /// With fewer effective samples than k, the matrix's rank is at most k and the ratio is 1:
    /// it says nothing until the history is longer than a fifth of the markets.
    public static func of(covariance: [Double], n: Int) throws(LAPACKFailure) -> Double? {
        var trace = 0.0
        for i in 0..<n { trace += covariance[i * n + i] }
        guard trace > 0, trace.isFinite else { return nil }
        let values = try SymmetricEigenvalues.of(covariance, n: n)  // ascending
        let k = eigenvectorCount(markets: n)
        // At most 1 (the k largest of non-negative eigenvalues): a rank-deficient matrix (fewer
        // samples than markets) reaches 1 and rounding can land a few ulps above it.
        return min(1, values.suffix(k).reduce(0, +) / trace)
    }

    /// The shift of the ratio, in standard deviations: (mean of the last `short` values - mean
    /// of the last `long`) / sample standard deviation of the last `long`. `history` is oldest
    /// first; nil until it holds `long` values, or when they do not vary.
    public static func shift(_ history: some Collection<Double>, short: Int, long: Int) -> Double? {
        guard short >= 1, long >= 2, history.count >= long else { return nil }
        let window = Array(history.suffix(long))
        let mean = window.reduce(0, +) / Double(long)
        let variance = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(long - 1)
        let sd = variance.squareRoot()
        guard sd > 1e-12 * max(1, abs(mean)) else { return nil }
        let recent = window.suffix(short)
        let recentMean = recent.reduce(0, +) / Double(recent.count)
        return (recentMean - mean) / sd
    }
}
