import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// Bybit `GET /v5/market/tickers?category=spot&symbol=`; fixtures beside this file.
struct BybitAdapterTests {
    @Test func bybit() throws {
        let q = try decode(.bybit, [try fixture("tickers.json")], symbol: "BTCUSDT")
        #expect(q == FeedQuote(price: 64000, bid: 63999, ask: 64001, time: 1_750_000_000.5))
        let e = decodeError(.bybit, [try fixture("error-symbol.json")])
        #expect(e?.kind == .venueError && e?.message.contains("10001") == true)
        #expect(decodeError(.bybit, [#"{"retCode":0,"retMsg":"OK","result":{"list":[]},"time":1}"#])?.kind == .badBody)
    }
}
