import BreakwaterConfig
import Foundation
import Testing

@testable import BreakwaterFeeds

/// Pyth Hermes `GET /v2/updates/price/latest?ids[]=..&parsed=true`; fixtures beside this file.
struct PythAdapterTests {
    static let ethID = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"

    @Test func pyth() throws {
        let body = try fixture("latest-price.json")
        let q = try decode(.pyth, [body], symbol: Self.ethID)
        #expect(abs(q.price - 1841.36023127) < 1e-9)
        #expect(abs(try #require(q.confidence) - 1.77166324) < 1e-9)
        #expect(q.time == 1_692_110_601)
        // Id matching ignores case and the 0x prefix.
        #expect(
            try decode(.pyth, [body], symbol: Self.ethID.uppercased().replacingOccurrences(of: "0X", with: "")).price
                == q.price
        )
        #expect(
            decodeError(.pyth, [#"{"parsed":[]}"#], symbol: Self.ethID)?.message.contains("not in the response") == true
        )
        let negative = body.replacingOccurrences(of: #""price":"184136023127""#, with: #""price":"-184136023127""#)
        #expect(decodeError(.pyth, [negative], symbol: Self.ethID)?.kind == .badPrice)
        let badExpo = body.replacingOccurrences(
            of: #""expo":-8,"publish_time":1692110601"#,
            with: #""expo":-800,"publish_time":1692110601"#
        )
        #expect(decodeError(.pyth, [badExpo], symbol: Self.ethID)?.kind == .badBody)
    }

    @Test func pythBatchFailsOnlyTheMissingId() throws {
        let body = #"{"parsed":[{"id":"aa","price":{"price":"100","conf":"1","expo":0,"publish_time":5}}]}"#
        let r = try PythAdapter.decodeBatch(Array(body.utf8), ids: ["0xAA", "0xbb"])
        #expect(try r["aa"]?.get() == FeedQuote(price: 100, confidence: 1, time: 5))
        #expect(throws: FeedError.self) { try r["bb"]?.get() }
    }
}
