import BreakwaterConfig
import Foundation
import Testing

@testable import BreakwaterFeeds

/// Coinbase Exchange `GET /products/{pair}/ticker`; fixtures beside this file.
struct CoinbaseExchangeAdapterTests {
    @Test func coinbaseExchange() throws {
        let body = try fixture("ticker.json")
        let q = try decode(.coinbaseExchange, [body])
        #expect(q.price == 63212.97 && q.bid == 63212.97 && q.ask == 63212.98)
        let t = try #require(q.time)
        #expect(abs(t - 1_781_887_413.016274911) < 1e-5)
        #expect(decodeError(.coinbaseExchange, [try fixture("error-not-found.json")])?.kind == .venueError)
        #expect(
            decodeError(.coinbaseExchange, [body.replacingOccurrences(of: "2026-06-19T", with: "yesterday ")])?.kind
                == .badBody
        )
    }
}
