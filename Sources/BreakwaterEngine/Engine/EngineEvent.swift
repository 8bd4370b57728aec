/// Something that changed in a market, emitted by the engine in time order.
public struct EngineEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The breaker's state or its reasons changed.
        case breakerTransition = "breaker.transition"
        /// A source's status changed (ok, stale, outlier, error, waiting, disabled).
        case sourceStatus = "source.status"
        /// The median bid-ask spread crossed `breaker.maxSpread` upward (`to` = "wide") or back.
        case spread = "market.spread"
        /// An operator halted, resumed, or enabled/disabled a source.
        case operatorAction = "operator.action"
    }

    public var kind: Kind
    public var market: String
    /// Source id for source events.
    public var source: String?
    /// Previous state (breaker state, source status, "normal"/"wide" for spread).
    public var from: String
    public var to: String
    public var fromReasons: [ReasonCode]
    public var reasons: [ReasonCode]
    /// Aggregate price at the time, if the market had one.
    public var price: Double?
    /// Only while `price` is nil (an event into or within a no-price state): the last price the
    /// market had and its time (the oldest contributing quote's), nil before its first price.
    /// Both are nil when `price` is set, so no consumer takes them for a current price.
    public var lastGoodPrice: Double?
    public var lastGoodPriceTime: EpochSeconds?
    public var time: EpochSeconds
    /// Free text (an operator's reason, a feed error).
    public var message: String?

    public init(
        kind: Kind,
        market: String,
        source: String? = nil,
        from: String,
        to: String,
        fromReasons: [ReasonCode] = [],
        reasons: [ReasonCode] = [],
        price: Double?,
        lastGoodPrice: Double? = nil,
        lastGoodPriceTime: EpochSeconds? = nil,
        time: EpochSeconds,
        message: String? = nil
    ) {
        self.kind = kind
        self.market = market
        self.source = source
        self.from = from
        self.to = to
        self.fromReasons = fromReasons
        self.reasons = reasons
        self.price = price
        self.lastGoodPrice = price == nil ? lastGoodPrice : nil
        self.lastGoodPriceTime = price == nil ? lastGoodPriceTime : nil
        self.time = time
        self.message = message
    }
}
