/// How liquidation selling moves the price: the fraction of price lost (down) or added (up)
/// when cumulative notional V (quote currency, valued at the reference price) has traded.
public enum ImpactModel: String, Sendable, CaseIterable, Codable {
    /// Y * sigma_day * sqrt(V / ADV) (the square-root law; Donier and Bonart on BTC).
    case squareRoot = "sqrt"
    /// 0.01 * V / D1: the book within 1 % of mid, spread evenly.
    case linear

    /// The impact as a fraction of price (>= 0, unbounded; the cascade floors prices at 0).
    /// - Parameters: notional V in quote currency; sigmaDay a fraction per day.
    public func impact(notional: Double, sigmaDay: Double, liquidity: MarketLiquidity) -> Double {
        switch self {
        case .squareRoot: liquidity.impactY * sigmaDay * (notional / liquidity.dailyVolume).squareRoot()
        case .linear: 0.01 * notional / liquidity.depth1Pct
        }
    }
}
