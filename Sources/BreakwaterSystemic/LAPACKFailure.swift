/// LAPACK refused or could not finish a computation: `routine` returned `info` (negative: the
/// argument at position -info was wrong; positive: the algorithm did not converge, or the
/// matrix is not positive definite for a Cholesky factorization).
public struct LAPACKFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let routine: String
    public let info: Int32

    public var description: String {
        info < 0 ? "\(routine): argument \(-info) is invalid" : "\(routine) failed (info \(info))"
    }
}
