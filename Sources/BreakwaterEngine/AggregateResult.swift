/// The outcome of one aggregation of a market's fresh quotes.
public struct AggregateResult: Sendable, Equatable {
    /// The aggregate price, present only when the oracle is healthy.
    @PackedOptional public var price: Double?
    /// Confidence half-width in price units, with `price`.
    @PackedOptional public var confidence: Double?
    /// Time of the oldest contributing quote.
    @PackedOptional public var priceTime: EpochSeconds?
    public var health: OracleHealth
    /// Fresh quotes considered (enabled sources, not stale).
    public var freshSources: Int
    /// Quotes that entered the aggregate after outlier exclusion.
    public var usedSources: Int
    /// Median relative bid-ask spread of fresh sources that give one.
    @PackedOptional public var medianSpread: Double?

    public static let empty = AggregateResult(price: nil, confidence: nil, priceTime: nil, health: .quorumLost,
                                              freshSources: 0, usedSources: 0, medianSpread: nil)
}

