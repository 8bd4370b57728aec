import CLapacke

/// The squared Mahalanobis distance `x' S^-1 x` through a Cholesky factorization of `S`
/// (LAPACK `dpotrf`, then `dpotrs`), never through an inverse of our own.
public enum Mahalanobis {
    /// `x' S^-1 x` for the symmetric positive definite `n` x `n` matrix `covariance` (only its
    /// upper triangle is read). Throws ``LAPACKFailure`` (`dpotrf`, info > 0) when `covariance`
    /// is not positive definite (singular: fewer effective samples than markets, or a market
    /// that is a combination of others).
    public static func squaredDistance(_ x: [Double], covariance: [Double]) throws(LAPACKFailure) -> Double {
        let n = x.count
        precondition(covariance.count == n * n, "a \(n) x \(n) matrix has \(n * n) entries")
        guard n > 0 else { return 0 }
        var factor = covariance
        let order = Int32(n)
        let upper = CChar(UInt8(ascii: "U"))
        let factored = LAPACKE_dpotrf(LAPACK_COL_MAJOR, upper, order, &factor, order)
        guard factored == 0 else { throw LAPACKFailure(routine: "dpotrf", info: factored) }
        var solution = x
        let solved = LAPACKE_dpotrs(LAPACK_COL_MAJOR, upper, order, 1, &factor, order, &solution, order)
        guard solved == 0 else { throw LAPACKFailure(routine: "dpotrs", info: solved) }
        var d = 0.0
        for i in 0..<n { d += x[i] * solution[i] }
        return d
    }
}
