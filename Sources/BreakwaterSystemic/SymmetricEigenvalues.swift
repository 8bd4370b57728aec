import CLapacke

/// Eigenvalues of a real symmetric matrix, from LAPACK's `dsyevr` (relatively robust
/// representations), never from a solver of our own.
public enum SymmetricEigenvalues {
    /// The eigenvalues of the symmetric `n` x `n` matrix `matrix` (row-major or column-major
    /// alike: only its upper triangle is read), in ascending order. Throws ``LAPACKFailure``
    /// when LAPACK does not converge; an empty matrix has no eigenvalues.
    public static func of(_ matrix: [Double], n: Int) throws(LAPACKFailure) -> [Double] {
        precondition(matrix.count == n * n, "a \(n) x \(n) matrix has \(n * n) entries")
        guard n > 0 else { return [] }
        var a = matrix  // dsyevr overwrites its input
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: 1)  // not referenced: eigenvalues only
        var support = [Int32](repeating: 0, count: 2 * n)
        var found: Int32 = 0
        let order = Int32(n)
        let info = LAPACKE_dsyevr(
            LAPACK_COL_MAJOR,
            CChar(UInt8(ascii: "N")),
            CChar(UInt8(ascii: "A")),
            CChar(UInt8(ascii: "U")),
            order,
            &a,
            order,
            0,
            0,
            0,
            0,
            LAPACKE_dlamch(CChar(UInt8(ascii: "S"))),  // the safe minimum: best relative accuracy
            &found,
            &w,
            &z,
            order,
            &support
        )
        guard info == 0 else { throw LAPACKFailure(routine: "dsyevr", info: info) }
        return Array(w.prefix(Int(found)))
    }
}
