/// The positions of one market as a snapshot gives them.
public struct MarketBook: Sendable, Equatable {
    public var market: String
    public var positions: [Position]
    /// Liquidity given with the snapshot (it wins over the config's), when given.
    public var liquidity: MarketLiquidity?
    /// Mark price given with the snapshot, quote per base unit, when given (the live service
    /// uses its own aggregate price instead).
    public var mark: Double?

    public init(market: String, positions: [Position], liquidity: MarketLiquidity? = nil, mark: Double? = nil) {
        self.market = market
        self.positions = positions
        self.liquidity = liquidity
        self.mark = mark
    }
}

/// A protocol's open positions at one time, and its insurance fund.
///
/// A market's book replaces that market's previous book; markets not named keep theirs.
public struct PositionSnapshot: Sendable, Equatable {
    /// When the positions were taken, unix seconds.
    public var asOf: Double
    /// Insurance fund balance, quote currency, >= 0.
    public var insuranceFund: Double
    /// One book per market, each market at most once.
    public var markets: [MarketBook]

    public init(asOf: Double, insuranceFund: Double, markets: [MarketBook]) {
        self.asOf = asOf
        self.insuranceFund = insuranceFund
        self.markets = markets
    }

    /// Number of positions over all markets.
    public var positionCount: Int { markets.reduce(0) { $0 + $1.positions.count } }
}
