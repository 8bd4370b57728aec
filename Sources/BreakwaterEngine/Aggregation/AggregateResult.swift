/// The outcome of one aggregation of a market's fresh quotes.
public struct AggregateResult: Sendable, Equatable {
    /// The aggregate price, present only when the oracle is healthy.
    @PackedOptional public var price: Double?
    /// Confidence half-width in price units, with `price`.
    @PackedOptional public var confidence: Double?
    /// Time of the oldest contributing quote.
    @PackedOptional public var priceTime: EpochSeconds?
    /// Median relative bid-ask spread of fresh sources that give one.
    @PackedOptional public var medianSpread: Double?
    // Counts stored in 32 bits (a market has at most 64 sources), the small field last: the
    // result takes 41 bytes of the market's hot state instead of 81.
    private var fresh: Int32
    private var used: Int32
    public var health: OracleHealth
    /// Fresh quotes considered (enabled sources, not stale).
    public var freshSources: Int {
        get { Int(fresh) }
        set { fresh = Int32(clamping: newValue) }
    }
    /// Quotes that entered the aggregate after outlier exclusion.
    public var usedSources: Int {
        get { Int(used) }
        set { used = Int32(clamping: newValue) }
    }

    public init(
        price: Double?,
        confidence: Double?,
        priceTime: EpochSeconds?,
        health: OracleHealth,
        freshSources: Int,
        usedSources: Int,
        medianSpread: Double?
    ) {
        self.price = price
        self.confidence = confidence
        self.priceTime = priceTime
        self.medianSpread = medianSpread
        self.fresh = Int32(clamping: freshSources)
        self.used = Int32(clamping: usedSources)
        self.health = health
    }

    public static let empty = AggregateResult(
        price: nil,
        confidence: nil,
        priceTime: nil,
        health: .quorumLost,
        freshSources: 0,
        usedSources: 0,
        medianSpread: nil
    )
}
