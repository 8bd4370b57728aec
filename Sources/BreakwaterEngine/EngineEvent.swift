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
    public var time: EpochSeconds
    /// Free text (an operator's reason, a feed error).
    public var message: String?

    public init(kind: Kind, market: String, source: String? = nil, from: String, to: String,
                fromReasons: [ReasonCode] = [], reasons: [ReasonCode] = [], price: Double?,
                time: EpochSeconds, message: String? = nil) {
        self.kind = kind
        self.market = market
        self.source = source
        self.from = from
        self.to = to
        self.fromReasons = fromReasons
        self.reasons = reasons
        self.price = price
        self.time = time
        self.message = message
    }
}
