/// The outcome of one shock in one market under one impact model.
public struct CascadeResult: Sendable, Equatable, Codable {
    public var market: String
    public var shock: Shock
    public var impact: ImpactModel
    /// Price after the last round, quote per base unit (>= 0).
    public var finalPrice: Double
    /// Rounds that liquidated someone (0 when the shock liquidates nobody).
    public var rounds: Int
    /// Positions (or buckets) liquidated.
    public var liquidatedPositions: Int
    /// Liquidated notional, quote currency, valued at the reference price (q P_ref summed).
    public var liquidatedNotional: Double
    /// Notional (at the reference price) of the liquidated positions that filled beyond their
    /// bankruptcy price: the part auto-deleveraging would have to close.
    public var underwaterNotional: Double
    /// Sum over liquidated positions of max(0, q (P_bk - fill)) (shorts mirrored), quote currency.
    public var badDebt: Double

    public init(
        market: String,
        shock: Shock,
        impact: ImpactModel,
        finalPrice: Double,
        rounds: Int,
        liquidatedPositions: Int,
        liquidatedNotional: Double,
        underwaterNotional: Double,
        badDebt: Double
    ) {
        self.market = market
        self.shock = shock
        self.impact = impact
        self.finalPrice = finalPrice
        self.rounds = rounds
        self.liquidatedPositions = liquidatedPositions
        self.liquidatedNotional = liquidatedNotional
        self.underwaterNotional = underwaterNotional
        self.badDebt = badDebt
    }
}
