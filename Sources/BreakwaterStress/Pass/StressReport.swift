/// The shock in one direction that empties the insurance fund, for one market alone.
public struct DepletionShock: Sendable, Equatable, Codable {
    public var direction: ShockDirection
    public var impact: ImpactModel
    /// Fraction (bisection to the pass's tolerance); nil when no move below 100 % does it.
    public var shock: Double?

    public init(direction: ShockDirection, impact: ImpactModel, shock: Double?) {
        self.direction = direction
        self.impact = impact
        self.shock = shock
    }
}

/// One market's part of a stress pass.
public struct MarketStressReport: Sendable, Equatable, Codable {
    public var market: String
    public var referencePrice: Double
    /// Maintenance margin used, fraction.
    public var maintenance: Double
    /// Volatility per day used, fraction.
    public var sigmaDay: Double
    public var dayMove999: Double
    public var liquidity: MarketLiquidity
    public var positions: Int
    /// Open notional at the reference price, each side, quote currency.
    public var longNotional: Double
    public var shortNotional: Double
    public var map: LiquidationMap
    /// For each shock, each direction (down first), each impact model.
    public var cascades: [CascadeResult]
    /// Each direction, each impact model.
    public var depletion: [DepletionShock]
}

/// A full stress pass over every market: maps, cascades, depletion shocks, critical markets.
public struct StressReport: Sendable, Equatable, Codable {
    /// The snapshot's time, unix seconds.
    public var asOf: Double
    public var insuranceFund: Double
    public var markets: [MarketStressReport]
    /// The ranking of origins, one list per impact model (in the settings' order).
    public var critical: [[CriticalMarket]]
    /// Whether a beta matrix was given (when not, each market moves alone).
    public var betasGiven: Bool
}
