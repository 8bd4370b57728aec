import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// Kraken `GET /0/public/Ticker?pair=`; fixtures beside this file.
struct KrakenAdapterTests {
    @Test func kraken() throws {
        let q = try decode(.kraken, [try fixture("ticker.json")], symbol: "XBTUSD")
        #expect(q == FeedQuote(price: 64587.4, bid: 64587.4, ask: 64587.5))
        let e = decodeError(.kraken, [try fixture("error-unknown-pair.json")], symbol: "XBTUSD")
        #expect(e?.kind == .venueError && e?.message.contains("EQuery:Unknown asset pair") == true)
        #expect(decodeError(.kraken, [#"{"error":[],"result":{}}"#])?.kind == .badBody)
        #expect(
            decodeError(.kraken, [#"{"error":[],"result":{"A":{"c":["1"],"a":["1"],"b":["1"]},"B":{}}}"#])?.kind
                == .badBody
        )
        #expect(decodeError(.kraken, [#"{"result":{}}"#])?.kind == .badBody)
    }
}
