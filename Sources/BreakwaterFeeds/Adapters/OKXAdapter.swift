import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// OKX: `GET /api/v5/market/ticker?instId=BTC-USDT` ->
/// `{"code":"0","msg":"","data":[{"instId":..,"last":..,"askPx":..,"bidPx":..,"ts":"<ms>"}]}`.
/// `code` other than "0" is a failure. `ts` is epoch milliseconds.
enum OKXAdapter: FeedAdapter {
    static let defaultBase = "https://www.okx.com"
    static let venue = "OKX"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [.get("\(s.base(defaultBase))/api/v5/market/ticker?instId=\(urlEncode(try s.requireSymbol()))")]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let root = try JSONReading.object(
            JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue),
            "body",
            venue: venue
        )
        let code = try JSONReading.string(root["code"], "code", venue: venue)
        if code != "0" {
            let msg = root["msg"].map { if case let .string(s) = $0 { s } else { "" } } ?? ""
            throw FeedError.venue("\(venue) error code \(code)\(msg.isEmpty ? "" : ": \(JSONReading.venueText(msg))")")
        }
        let data = try JSONReading.array(root["data"], "data", venue: venue)
        let t = try JSONReading.object(data.first, "data[0]", venue: venue)
        try InstrumentCheck.expect(t["instId"], "data[0].instId", equals: try source.requireSymbol(), venue: venue)
        return FeedQuote(
            price: try JSONReading.price(t["last"], "data[0].last", venue: venue),
            bid: try JSONReading.price(t["bidPx"], "data[0].bidPx", venue: venue),
            ask: try JSONReading.price(t["askPx"], "data[0].askPx", venue: venue),
            time: try t["ts"].map { try JSONReading.timestamp($0, "data[0].ts", venue: venue) }
        )
    }
}
