import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// A custom JSON endpoint read with JSON pointers (RFC 6901); fixture beside this file.
struct JSONPointerAdapterTests {
    @Test func jsonPointers() throws {
        let body = try fixture("nested.json")
        let q = try decode(.json, [body]) {
            $0.pricePointer = "/data/rates/0/px"
            $0.timestampPointer = "/data/rates/0/t"
            $0.confidencePointer = "/data/rates/0/c"
        }
        #expect(q == FeedQuote(price: 101.5, confidence: 0.25, time: 1_750_000_000.123))
        #expect(try decode(.json, [body]) { $0.pricePointer = "/data/a~1b/m~0n" }.price == 7)
        #expect(try decode(.json, ["42"]) { $0.pricePointer = "" }.price == 42)
        #expect(decodeError(.json, [body], configure: { $0.pricePointer = "/data/rates/1/px" })?.kind == .badBody)
        #expect(
            decodeError(.json, [body], configure: { $0.pricePointer = "/data/nope" })?.message.contains("nope") == true
        )
        #expect(decodeError(.json, [#"{"p":-1}"#], configure: { $0.pricePointer = "/p" })?.kind == .badPrice)
        #expect(
            decodeError(
                .json,
                [#"{"p":1,"c":-1}"#],
                configure: {
                    $0.pricePointer = "/p"
                    $0.confidencePointer = "/c"
                }
            )?.kind == .badPrice
        )
    }
}
