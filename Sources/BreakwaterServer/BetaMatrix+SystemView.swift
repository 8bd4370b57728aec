public import BreakwaterStress
public import BreakwaterSystemic

extension BetaMatrix {
    /// The betas of the cross-market view: beta_BA = cov(A, B) / var(A) for every ordered pair
    /// of markets in the view (dimensionless). A market outside the view has beta 0 to and from
    /// every other; a pair whose beta is not finite is left out (0).
    public init(view: SystemView) {
        self.init()
        for (a, origin) in view.markets.enumerated() {
            for (b, moved) in view.markets.enumerated() where a != b {
                let beta = view.beta(of: b, given: a)
                if beta.isFinite { set(beta, of: moved, to: origin) }
            }
        }
    }
}
