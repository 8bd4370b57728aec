import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Bitstamp: `GET /api/v2/ticker/{btcusd}/` -> `{"timestamp":"1643640186","last":"..","bid":"..","ask":"..",...}`.
/// `timestamp` is epoch seconds.
enum BitstampAdapter: FeedAdapter {
    static let defaultBase = "https://www.bitstamp.net"
    static let venue = "Bitstamp"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [.get("\(s.base(defaultBase))/api/v2/ticker/\(urlEncode(try s.requireSymbol().lowercased()))/")]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let o = try JSONReading.object(
            JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue),
            "body",
            venue: venue
        )
        if case .string("error")? = o["status"] {
            let reason = o["reason"].map { if case let .string(s) = $0 { s } else { $0.typeName } } ?? "unspecified"
            throw FeedError.venue("\(venue) error: \(JSONReading.venueText(reason))")
        }
        return FeedQuote(
            price: try JSONReading.price(o["last"], "last", venue: venue),
            bid: try JSONReading.price(o["bid"], "bid", venue: venue),
            ask: try JSONReading.price(o["ask"], "ask", venue: venue),
            time: try o["timestamp"].map { try JSONReading.timestamp($0, "timestamp", venue: venue) }
        )
    }
}
