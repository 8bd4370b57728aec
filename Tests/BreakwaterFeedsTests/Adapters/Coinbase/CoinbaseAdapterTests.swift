import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// Coinbase `GET /v2/prices/{pair}/spot`; fixtures beside this file.
struct CoinbaseAdapterTests {
    @Test func coinbase() throws {
        let q = try decode(.coinbase, [try fixture("spot-price.json")])
        #expect(q == FeedQuote(price: 1020.25))
        #expect(decodeError(.coinbase, [try fixture("error-not-found.json")])?.kind == .venueError)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"0","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"-3","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"NaN","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"1e15","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"abc","currency":"USD"}}"#])?.kind == .badBody)
        #expect(
            decodeError(.coinbase, [#"{"data":{"currency":"USD"}}"#])?.message.contains("data.amount is missing")
                == true
        )
    }
}
