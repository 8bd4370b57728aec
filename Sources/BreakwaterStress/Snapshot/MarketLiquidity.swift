/// How deep a market is, for the price impact of liquidations.
///
/// Invariants: every figure finite and > 0.
public struct MarketLiquidity: Sendable, Equatable, Codable {
    /// Average daily traded volume (ADV), quote currency per day.
    public var dailyVolume: Double
    /// Depth within 1 % of mid (D1), quote currency.
    public var depth1Pct: Double
    /// Square-root law coefficient (Y), dimensionless (about 0.5 to 1).
    public var impactY: Double

    public init(dailyVolume: Double, depth1Pct: Double, impactY: Double) {
        self.dailyVolume = dailyVolume
        self.depth1Pct = depth1Pct
        self.impactY = impactY
    }
}
