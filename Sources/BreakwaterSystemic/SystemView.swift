public import BreakwaterEngine

/// Why a market is not in one update's view.
public enum ExclusionReason: Sendable, Equatable, CustomStringConvertible {
    /// No trusted price at this sample.
    case noPrice
    /// A price now but none at the previous sample: no return to use yet.
    case noReturn
    /// Fewer returns than `systemic.minSamples` so far.
    case warmingUp(returns: Int, needed: Int)
    /// Its price has not moved (zero variance): it has no correlation with anything.
    case constantPrice

    /// A short machine-readable code.
    public var code: String {
        switch self {
        case .noPrice: "no_price"
        case .noReturn: "no_return"
        case .warmingUp: "warming_up"
        case .constantPrice: "constant_price"
        }
    }

    public var description: String {
        switch self {
        case .noPrice: "no trusted price at this sample"
        case .noReturn: "no trusted price at the previous sample, so no return yet"
        case let .warmingUp(returns, needed): "\(returns) of the \(needed) returns needed (systemic.minSamples)"
        case .constantPrice: "constant price: zero variance, no correlation is defined"
        }
    }
}

/// The state of the correlation regime.
public enum RegimeState: String, Sendable, Equatable, CaseIterable {
    /// Fewer than two markets in the view: no correlation to judge.
    case insufficient
    /// The shift is below `shiftSigma` and the average correlation below `maxAverageCorrelation`.
    case calm
    /// The shift has reached `shiftSigma` or the average correlation `maxAverageCorrelation`.
    case fragile
}

/// One update of the cross-market view. Every number is finite or nil, never NaN.
public struct SystemView: Sendable, Equatable {
    /// The grid time of the sample, epoch seconds.
    public var time: EpochSeconds
    /// The markets in the view, in configuration order.
    public var markets: [String]
    /// The other markets and why each is out, in configuration order.
    public var excluded: [(market: String, reason: ExclusionReason)]
    /// The correlation matrix of `markets`, row-major (N x N), each entry in [-1, 1].
    public var correlation: [Double]
    /// The covariance of the log returns per sample, row-major (N x N).
    public var covariance: [Double]
    /// The average pairwise correlation; nil with fewer than two markets.
    public var averageCorrelation: Double?
    /// The absorption ratio, a fraction in (0, 1]; nil with fewer than two markets.
    public var absorptionRatio: Double?
    /// The eigenvalues the ratio counts: round-half-up(0.2 N), at least 1.
    public var eigenvalueCount: Int
    /// The ratio's shift, standard deviations; nil until `longWindow` ratios are known.
    public var absorptionShift: Double?
    /// Turbulence, (r - mu)' S^-1 (r - mu) with this sample's returns against the previous
    /// sample's covariance (dimensionless; about N on average); nil when that covariance is
    /// singular or with fewer than two markets.
    public var turbulence: Double?
    /// Why turbulence is nil, when it is.
    public var turbulenceNote: String?
    public var state: RegimeState
    /// Updates taken so far (this one included).
    public var updates: Int

    public static func == (a: SystemView, b: SystemView) -> Bool {
        a.time == b.time && a.markets == b.markets && a.excluded.map(\.market) == b.excluded.map(\.market)
            && a.excluded.map(\.reason) == b.excluded.map(\.reason) && a.correlation == b.correlation
            && a.covariance == b.covariance && a.averageCorrelation == b.averageCorrelation
            && a.absorptionRatio == b.absorptionRatio && a.absorptionShift == b.absorptionShift
            && a.turbulence == b.turbulence && a.state == b.state && a.updates == b.updates
    }

    /// The volatility of market `i` of the view per sample (standard deviation of its log return).
    public func volatility(_ i: Int) -> Double { covariance[i * markets.count + i].squareRoot() }

    /// The move in market `b` that a move `s` in market `a` implies under joint normality:
    /// beta_BA = rho_AB * sigma_B / sigma_A (indices into `markets`; dimensionless).
    public func beta(of b: Int, given a: Int) -> Double {
        let n = markets.count
        return covariance[a * n + b] / covariance[a * n + a]
    }
}
