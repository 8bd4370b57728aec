import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Binance: `GET /api/v3/ticker/price?symbol=BTCUSDT` -> `{"symbol":"BTCUSDT","price":".."}` then
/// `GET /api/v3/ticker/bookTicker?symbol=..` -> `{symbol,bidPrice,bidQty,askPrice,askQty}`. No timestamp.
/// Binance answers 451 to some regions (reported as geo-blocked by the fetcher).
enum BinanceAdapter: FeedAdapter {
    static let defaultBase = "https://api.binance.com"
    static let venue = "Binance"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        let sym = urlEncode(try s.requireSymbol())
        let base = s.base(defaultBase)
        return [
            .get("\(base)/api/v3/ticker/price?symbol=\(sym)"), .get("\(base)/api/v3/ticker/bookTicker?symbol=\(sym)"),
        ]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let price = try object(Adapters.body(bodies, 0, venue: venue))
        let book = try object(Adapters.body(bodies, 1, venue: venue))
        let symbol = try source.requireSymbol()
        try InstrumentCheck.expect(price["symbol"], "symbol", equals: symbol, venue: venue)
        try InstrumentCheck.expect(book["symbol"], "bookTicker symbol", equals: symbol, venue: venue)
        return FeedQuote(
            price: try JSONReading.price(price["price"], "price", venue: venue),
            bid: try JSONReading.price(book["bidPrice"], "bidPrice", venue: venue),
            ask: try JSONReading.price(book["askPrice"], "askPrice", venue: venue)
        )
    }

    /// Parses one body; Binance errors look like `{"code":-1121,"msg":"Invalid symbol."}`.
    static func object(_ bytes: [UInt8]) throws -> [String: JSONValue] {
        let o = try JSONReading.object(JSONReading.parse(bytes, venue: venue), "body", venue: venue)
        if case let .number(code)? = o["code"], case let .string(msg)? = o["msg"] {
            throw FeedError.venue("\(venue) error \(Int(code)): \(JSONReading.venueText(msg))")
        }
        return o
    }
}
