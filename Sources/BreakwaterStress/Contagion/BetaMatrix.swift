/// How a move in one market carries to another: a move s in A implies beta_BA * s in B
/// (beta_BA = rho_AB sigma_B / sigma_A, from the correlation view). Absent pairs are 0; a
/// market's beta to itself is 1.
public struct BetaMatrix: Sendable, Equatable {
    private var values: [String: [String: Double]]

    /// No co-movement: every market moves alone.
    public static let none = BetaMatrix()

    public init() { values = [:] }

    /// `betas[B][A]` is beta_BA: the move of B per unit move of A.
    public init(_ betas: [String: [String: Double]]) { values = betas }

    /// beta_BA: 1 when B is A, 0 when not given.
    public func beta(of b: String, to a: String) -> Double {
        if a == b { return 1 }
        return values[b]?[a] ?? 0
    }

    public mutating func set(_ beta: Double, of b: String, to a: String) {
        values[b, default: [:]][a] = beta
    }

    /// Whether any pair was given.
    public var isEmpty: Bool { values.values.allSatisfy(\.isEmpty) }
}
