/// Notional that becomes liquidatable as the price moves away from the reference, in 1 % steps.
public struct LiquidationMap: Sendable, Equatable, Codable {
    /// One step: the move from the reference price and what it makes liquidatable.
    public struct Step: Sendable, Equatable, Codable {
        /// Move from the reference price, fraction (0.01 ... 0.30).
        public var move: Double
        /// Notional (at the reference price) whose liquidation price lies in this step
        /// (between the previous step and this one), quote currency.
        public var notional: Double
        /// Notional liquidatable once the price has moved this far (this step and all before,
        /// and what is liquidatable at the reference price already), quote currency.
        public var cumulative: Double

        public init(move: Double, notional: Double, cumulative: Double) {
            self.move = move
            self.notional = notional
            self.cumulative = cumulative
        }
    }

    public var market: String
    public var referencePrice: Double
    /// Longs already at or past their liquidation price at the reference price.
    public var longsAtReference: Double
    /// Shorts already at or past their liquidation price at the reference price.
    public var shortsAtReference: Double
    /// Longs, as the price falls: `down[k].move == (k + 1) / 100`.
    public var down: [Step]
    /// Shorts, as the price rises.
    public var up: [Step]

    /// Steps in a map: 1 % to 30 %.
    public static let steps = 30

    public init(
        market: String,
        referencePrice: Double,
        longsAtReference: Double,
        shortsAtReference: Double,
        down: [Step],
        up: [Step]
    ) {
        self.market = market
        self.referencePrice = referencePrice
        self.longsAtReference = longsAtReference
        self.shortsAtReference = shortsAtReference
        self.down = down
        self.up = up
    }
}
