import Testing
@testable import BreakwaterEngine

/// Replay's event lines: an event without a price says `"price":null` and carries the last
/// good price and its time apart (issue 17, point 14).
struct EventJSONTests {
    @Test func anEventWithoutAPriceCarriesTheLastGoodPriceApart() {
        let lost = EngineEvent(kind: .breakerTransition, market: "BTC-USD", from: "normal", to: "limit",
                               reasons: [.quorumLost], price: nil, lastGoodPrice: 100_000,
                               lastGoodPriceTime: 1_700_000_029, time: 1_700_000_039)
        #expect(EventJSON.line(lost) == #"{"type":"breaker.transition","market":"BTC-USD","from":"normal","to":"limit","#
            + #""reasons":["quorum_lost"],"price":null,"lastGoodPrice":100000.0,"lastGoodPriceTime":"2023-11-14T22:13:49.000Z","#
            + #""time":"2023-11-14T22:13:59.000Z"}"#)
        // Before the market's first price: both null.
        let waiting = EngineEvent(kind: .sourceStatus, market: "BTC-USD", source: "v0", from: "waiting", to: "stale",
                                  price: nil, time: 1_700_000_039)
        #expect(EventJSON.line(waiting).contains(#""price":null,"lastGoodPrice":null,"lastGoodPriceTime":null,"#))
        // With a price, the price alone (even if a last good price was passed).
        let normal = EngineEvent(kind: .breakerTransition, market: "BTC-USD", from: "limit", to: "normal",
                                 price: 99_000, lastGoodPrice: 100_000, lastGoodPriceTime: 1, time: 1_700_000_039)
        #expect(EventJSON.line(normal).contains(#""price":99000.0,"time":"#))
        #expect(!EventJSON.line(normal).contains("lastGood"))
    }
}
