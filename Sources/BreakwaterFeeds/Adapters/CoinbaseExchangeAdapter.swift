import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Coinbase Exchange ticker: `GET /products/{symbol}/ticker` ->
/// `{"ask":"..","bid":"..","price":"..","time":"2026-06-19T16:43:33.016274911Z",...}`. Needs a User-Agent.
enum CoinbaseExchangeAdapter: FeedAdapter {
    static let defaultBase = "https://api.exchange.coinbase.com"
    static let venue = "Coinbase Exchange"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [.get("\(s.base(defaultBase))/products/\(urlEncode(try s.requireSymbol()))/ticker")]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let o = try JSONReading.object(
            JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue),
            "body",
            venue: venue
        )
        if o["price"] == nil, case let .string(m)? = o["message"] {
            throw FeedError.venue("\(venue) error: \(JSONReading.venueText(m))")
        }
        return FeedQuote(
            price: try JSONReading.price(o["price"], "price", venue: venue),
            bid: try JSONReading.price(o["bid"], "bid", venue: venue),
            ask: try JSONReading.price(o["ask"], "ask", venue: venue),
            time: try o["time"].map { try JSONReading.timestamp($0, "time", venue: venue) }
        )
    }
}
