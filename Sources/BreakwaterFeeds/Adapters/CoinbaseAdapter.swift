import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Coinbase spot price: `GET /v2/prices/{symbol}/spot` -> `{"data":{"amount":"1020.25","currency":"USD"}}`. No timestamp.
enum CoinbaseAdapter: FeedAdapter {
    static let defaultBase = "https://api.coinbase.com"
    static let venue = "Coinbase"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [.get("\(s.base(defaultBase))/v2/prices/\(urlEncode(try s.requireSymbol()))/spot")]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let root = try JSONReading.object(
            JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue),
            "body",
            venue: venue
        )
        if case let .array(errors)? = root["errors"], !errors.isEmpty {
            let text = errors.compactMap { e -> String? in
                if case let .object(o) = e, case let .string(m)? = o["message"] { m } else { nil }
            }
            throw FeedError.venue(
                "\(venue) error: \(text.isEmpty ? "unspecified" : JSONReading.venueText(text.joined(separator: "; ")))"
            )
        }
        let data = try JSONReading.object(root["data"], "data", venue: venue)
        let parts = try source.requireSymbol().split(separator: "-").map(String.init)
        if parts.count == 2 {
            try InstrumentCheck.expect(data["base"], "data.base", equals: parts[0], venue: venue)
            try InstrumentCheck.expect(data["currency"], "data.currency", equals: parts[1], venue: venue)
        }
        return FeedQuote(price: try JSONReading.price(data["amount"], "data.amount", venue: venue))
    }
}
