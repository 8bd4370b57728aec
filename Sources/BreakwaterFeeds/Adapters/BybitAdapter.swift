import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Bybit: `GET /v5/market/tickers?category=spot&symbol=BTCUSDT` ->
/// `{"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":..,"bid1Price":..,"ask1Price":..,"lastPrice":..}]},"time":<ms>}`.
/// `retCode` other than 0 is a failure. `time` is epoch milliseconds. Bybit answers 403 to some regions.
enum BybitAdapter: FeedAdapter {
    static let defaultBase = "https://api.bybit.com"
    static let venue = "Bybit"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [.get("\(s.base(defaultBase))/v5/market/tickers?category=spot&symbol=\(urlEncode(try s.requireSymbol()))")]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let root = try JSONReading.object(
            JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue),
            "body",
            venue: venue
        )
        let code = try JSONReading.number(root["retCode"], "retCode", venue: venue)
        if code != 0 {
            let msg = root["retMsg"].map { if case let .string(s) = $0 { s } else { "" } } ?? ""
            throw FeedError.venue(
                "\(venue) retCode \(Int(code))\(msg.isEmpty ? "" : ": \(JSONReading.venueText(msg))")"
            )
        }
        let result = try JSONReading.object(root["result"], "result", venue: venue)
        let list = try JSONReading.array(result["list"], "result.list", venue: venue)
        let t = try JSONReading.object(list.first, "result.list[0]", venue: venue)
        try InstrumentCheck.expect(
            t["symbol"],
            "result.list[0].symbol",
            equals: try source.requireSymbol(),
            venue: venue
        )
        return FeedQuote(
            price: try JSONReading.price(t["lastPrice"], "result.list[0].lastPrice", venue: venue),
            bid: try JSONReading.price(t["bid1Price"], "result.list[0].bid1Price", venue: venue),
            ask: try JSONReading.price(t["ask1Price"], "result.list[0].ask1Price", venue: venue),
            time: try root["time"].map { try JSONReading.timestamp($0, "time", venue: venue) }
        )
    }
}
