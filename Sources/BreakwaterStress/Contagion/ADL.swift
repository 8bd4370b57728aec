/// The auto-deleveraging need, by the side that is closed, quote currency.
public struct ADLNeed: Sendable, Equatable, Codable {
    /// Shortfall taken from profitable longs (left by liquidated shorts).
    public var longs: Double
    /// Shortfall taken from profitable shorts (left by liquidated longs).
    public var shorts: Double
    /// Notional (at the reference price) of profitable longs to close.
    public var longsNotional: Double
    /// Notional (at the reference price) of profitable shorts to close.
    public var shortsNotional: Double

    public init(longs: Double, shorts: Double, longsNotional: Double, shortsNotional: Double) {
        self.longs = longs
        self.shorts = shorts
        self.longsNotional = longsNotional
        self.shortsNotional = shortsNotional
    }

    public static let zero = ADLNeed(longs: 0, shorts: 0, longsNotional: 0, shortsNotional: 0)
}

/// One account in the ADL queue of a market and side.
public struct ADLQueueEntry: Sendable, Equatable, Codable {
    public var market: String
    public var account: String
    public var side: PositionSide
    /// BitMEX ranking: PnL% x effective leverage when PnL% > 0, else PnL% / effective leverage,
    /// at the cascade's final price. Higher goes first.
    public var score: Double
    /// Notional the account gives up, quote currency at the reference price.
    public var notional: Double

    public init(market: String, account: String, side: PositionSide, score: Double, notional: Double) {
        self.market = market
        self.account = account
        self.side = side
        self.score = score
        self.notional = notional
    }

    /// The BitMEX score of `position` at `mark`, or nil when it has no equity left (it is
    /// itself bankrupt at that price and cannot be deleveraged). Effective leverage =
    /// |mark value| / (mark value - bankrupt value).
    public static func score(of position: Position, at mark: Double) -> Double? {
        let sign: Double = position.side == .long ? 1 : -1
        let equityPerUnit = sign * (mark - position.bankruptcyPrice)
        guard mark > 0, equityPerUnit > 0 else { return nil }
        let pnl = sign * (mark - position.entry) / position.entry
        let leverage = mark / equityPerUnit
        return pnl > 0 ? pnl * leverage : pnl / leverage
    }
}
