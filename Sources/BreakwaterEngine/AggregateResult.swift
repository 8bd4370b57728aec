/// The outcome of one aggregation of a market's fresh quotes.
public struct AggregateResult: Sendable, Equatable {
    /// The aggregate price, present only when the oracle is healthy.
    public var price: Double?
    /// Confidence half-width in price units, with `price`.
    public var confidence: Double?
    /// Time of the oldest contributing quote.
    public var priceTime: EpochSeconds?
    public var health: OracleHealth
    /// Fresh quotes considered (enabled sources, not stale).
    public var freshSources: Int
    /// Quotes that entered the aggregate after outlier exclusion.
    public var usedSources: Int
    /// Median relative bid-ask spread of fresh sources that give one.
    public var medianSpread: Double?

    public static let empty = AggregateResult(price: nil, confidence: nil, priceTime: nil, health: .quorumLost,
                                              freshSources: 0, usedSources: 0, medianSpread: nil)
}

/// Reusable buffers so that aggregation does not allocate per update.
struct AggregationScratch {
    var prices: [Double] = []
    var confidences: [Double] = []
    var times: [Double] = []
    var sourceIndex: [Int] = []
    var sorted: [Double] = []
    var votes: [Double] = []
    var spreads: [Double] = []
    var statuses: [SourceStatus] = []

    init() {
        prices.reserveCapacity(64); confidences.reserveCapacity(64); times.reserveCapacity(64)
        sourceIndex.reserveCapacity(64); sorted.reserveCapacity(64); votes.reserveCapacity(192)
        spreads.reserveCapacity(64); statuses.reserveCapacity(64)
    }

    mutating func clear() {
        prices.removeAll(keepingCapacity: true); confidences.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true); sourceIndex.removeAll(keepingCapacity: true)
        spreads.removeAll(keepingCapacity: true)
    }
}
