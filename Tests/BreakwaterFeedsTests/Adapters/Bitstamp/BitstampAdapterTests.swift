import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// Bitstamp `GET /api/v2/ticker/{pair}/`; fixtures beside this file.
struct BitstampAdapterTests {
    @Test func bitstamp() throws {
        let q = try decode(.bitstamp, [try fixture("ticker.json")], symbol: "btcusd")
        #expect(q == FeedQuote(price: 37000.5, bid: 37000.1, ask: 37001.0, time: 1_643_640_186))
        #expect(decodeError(.bitstamp, [try fixture("error-invalid-pair.json")])?.kind == .venueError)
    }
}
