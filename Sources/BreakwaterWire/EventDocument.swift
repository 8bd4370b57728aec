/// An engine event as one JSON object (replay output; times RFC 3339 UTC). `source` and
/// `message` are left out when absent. An event without a price has `"price":null` and
/// `lastGoodPrice` and `lastGoodPriceTime` (null before the market's first price); an event
/// with a price has neither. `side` (`long`/`short`) only for events about one side of a market.
public struct EventDocument: Encodable, Sendable, Equatable {
    public var type: String
    public var market: String
    public var source: String?
    public var from: String
    public var to: String
    public var reasons: [String]
    public var price: Double?
    public var lastGoodPrice: Double?
    /// Epoch seconds.
    public var lastGoodPriceTime: Double?
    /// Epoch seconds.
    public var time: Double
    public var message: String?
    public var side: String?

    public init(
        type: String,
        market: String,
        source: String?,
        from: String,
        to: String,
        reasons: [String],
        price: Double?,
        lastGoodPrice: Double?,
        lastGoodPriceTime: Double?,
        time: Double,
        message: String?,
        side: String? = nil
    ) {
        self.type = type
        self.market = market
        self.source = source
        self.from = from
        self.to = to
        self.reasons = reasons
        self.price = price
        self.lastGoodPrice = lastGoodPrice
        self.lastGoodPriceTime = lastGoodPriceTime
        self.time = time
        self.message = message
        self.side = side
    }

    enum CodingKeys: String, CodingKey {
        case type, market, source, from, to, reasons, price, lastGoodPrice, lastGoodPriceTime, time, message, side
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(market, forKey: .market)
        try c.encodeIfPresent(source, forKey: .source)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(reasons, forKey: .reasons)
        try c.encodeNumber(price, forKey: .price)
        if price == nil || price?.isFinite == false {
            try c.encodeNumber(lastGoodPrice, forKey: .lastGoodPrice)
            try c.encodeTime(lastGoodPriceTime, forKey: .lastGoodPriceTime)
        }
        try c.encodeTime(time, forKey: .time)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encodeIfPresent(side, forKey: .side)
    }

    /// The event as one line of JSON, without the line break.
    public var line: String { WireJSON.string(self) }
}
