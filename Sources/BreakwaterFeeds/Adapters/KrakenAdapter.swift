import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Kraken ticker: `GET /0/public/Ticker?pair=XBTUSD` ->
/// `{"error":[],"result":{"XXBTZUSD":{"a":[ask,..],"b":[bid,..],"c":[last,..]}}}`.
/// The result key is Kraken's own pair name: the single key of `result` is taken. No timestamp.
enum KrakenAdapter: FeedAdapter {
    static let defaultBase = "https://api.kraken.com"
    static let venue = "Kraken"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [.get("\(s.base(defaultBase))/0/public/Ticker?pair=\(urlEncode(try s.requireSymbol()))")]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let root = try JSONReading.object(
            JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue),
            "body",
            venue: venue
        )
        let errors = try JSONReading.array(root["error"], "error", venue: venue)
        if !errors.isEmpty {
            let text = errors.map { if case let .string(s) = $0 { s } else { $0.typeName } }
            throw FeedError.venue("\(venue) error: \(JSONReading.venueText(text.joined(separator: "; ")))")
        }
        let result = try JSONReading.object(root["result"], "result", venue: venue)
        guard result.count == 1, let (pair, value) = result.first else {
            throw FeedError.badBody("\(venue): expected exactly one pair in result, got \(result.count)")
        }
        let asked = try source.requireSymbol()
        guard InstrumentCheck.krakenMatches(key: pair, pair: asked) else {
            throw FeedError.venue("\(venue) answered for pair \"\(String(pair.prefix(40)))\", not \(asked) as asked")
        }
        let t = try JSONReading.object(value, "result.\(pair)", venue: venue)
        func first(_ key: String) throws -> Double {
            let a = try JSONReading.array(t[key], "result.\(pair).\(key)", venue: venue)
            return try JSONReading.price(a.first, "result.\(pair).\(key)[0]", venue: venue)
        }
        return FeedQuote(price: try first("c"), bid: try first("b"), ask: try first("a"))
    }
}
