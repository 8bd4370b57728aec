/// What the stress engine needs to know of one market besides its positions.
///
/// Invariants: price > 0, 0 <= maintenance < 1, sigmaDay >= 0, dayMove999 > 0.
public struct StressMarket: Sendable, Equatable {
    public var id: String
    /// Reference (mark) price P_ref, quote per base unit; notional is valued at it.
    public var price: Double
    /// Published maintenance margin m, fraction of notional.
    public var maintenance: Double
    /// Volatility per day, fraction (for the square-root impact).
    public var sigmaDay: Double
    public var liquidity: MarketLiquidity
    /// The one-day 99.9 % move, fraction (q_0.999 x sigma_day), to compare critical shocks with.
    public var dayMove999: Double

    public init(
        id: String,
        price: Double,
        maintenance: Double,
        sigmaDay: Double,
        liquidity: MarketLiquidity,
        dayMove999: Double
    ) {
        self.id = id
        self.price = price
        self.maintenance = maintenance
        self.sigmaDay = sigmaDay
        self.liquidity = liquidity
        self.dayMove999 = dayMove999
    }
}
