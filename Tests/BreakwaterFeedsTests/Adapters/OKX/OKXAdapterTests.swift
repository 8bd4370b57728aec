import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// OKX `GET /api/v5/market/ticker?instId=`; fixtures beside this file.
struct OKXAdapterTests {
    @Test func okx() throws {
        let q = try decode(.okx, [try fixture("ticker.json")], symbol: "BTC-USDT")
        #expect(q == FeedQuote(price: 64000.5, bid: 64000.4, ask: 64000.6, time: 1_750_000_000.123))
        let e = decodeError(.okx, [try fixture("error-instrument.json")])
        #expect(e?.kind == .venueError && e?.message.contains("51001") == true)
        #expect(decodeError(.okx, [#"{"code":"0","msg":"","data":[]}"#])?.kind == .badBody)
        #expect(decodeError(.okx, [#"{"code":0,"data":[]}"#])?.kind == .badBody)
    }
}
