import Testing

@testable import BreakwaterWire

/// Replay's event lines: an event without a price says `"price":null` and carries the last
/// good price and its time apart (issue 17, point 14).
struct EventDocumentTests {
    func event(
        price: Double?,
        lastGoodPrice: Double?,
        lastGoodPriceTime: Double?,
        source: String? = nil,
        message: String? = nil
    ) -> EventDocument {
        EventDocument(
            type: "breaker.transition",
            market: "BTC-USD",
            source: source,
            from: "normal",
            to: "limit",
            reasons: ["quorum_lost"],
            price: price,
            lastGoodPrice: lastGoodPrice,
            lastGoodPriceTime: lastGoodPriceTime,
            time: 1_700_000_039,
            message: message
        )
    }

    @Test func anEventWithoutAPriceCarriesTheLastGoodPriceApart() {
        #expect(
            event(price: nil, lastGoodPrice: 100_000, lastGoodPriceTime: 1_700_000_029).line
                == #"{"from":"normal","lastGoodPrice":100000,"lastGoodPriceTime":"2023-11-14T22:13:49.000Z","market":"BTC-USD","#
                + #""price":null,"reasons":["quorum_lost"],"time":"2023-11-14T22:13:59.000Z","to":"limit","type":"breaker.transition"}"#
        )
        // Before the market's first price: both null.
        #expect(
            event(price: nil, lastGoodPrice: nil, lastGoodPriceTime: nil).line
                .contains(#""lastGoodPrice":null,"lastGoodPriceTime":null,"market":"BTC-USD","price":null,"#)
        )
        // With a price, the price alone (even if a last good price was passed).
        let normal = event(price: 99_000.5, lastGoodPrice: 100_000, lastGoodPriceTime: 1).line
        #expect(normal.contains(#""price":99000.5,"reasons""#))
        #expect(!normal.contains("lastGood"))
    }

    @Test func sourceAndMessageAreLeftOutWhenAbsentAndEscapedWhenPresent() {
        #expect(!event(price: 1, lastGoodPrice: nil, lastGoodPriceTime: nil).line.contains("source"))
        let line = event(price: 1, lastGoodPrice: nil, lastGoodPriceTime: nil, source: "v0", message: "a \"b\"\n\u{1}/")
            .line
        #expect(line.contains(#""message":"a \"b\"\n\u0001/""#), "\(line)")
        #expect(line.contains(#""source":"v0""#))
    }

    /// Prices print as Swift prints a Double, without a trailing `.0`; a non-finite one is null.
    @Test func numbersKeepTheirDigits() {
        for (value, text) in [
            (0.1, "0.1"), (1e-7, "1e-07"), (123456789.123, "123456789.123"), (1e15, "1000000000000000"),
            (1e16, "1e+16"), (100_000, "100000"), (.infinity, "null"), (.nan, "null"),
        ] {
            #expect(
                event(price: value, lastGoodPrice: nil, lastGoodPriceTime: nil).line.contains(#""price":\#(text),"#),
                "\(value)"
            )
        }
    }
}
