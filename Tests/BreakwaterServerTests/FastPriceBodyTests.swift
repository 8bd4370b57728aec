import BreakwaterConfig
import BreakwaterWire
import Foundation
import NIOCore
import Testing

@testable import BreakwaterServer

/// The fast reader and the general one agree on every body the fast one accepts, and the
/// fast one declines (returns nil) anything unusual.
struct FastPriceBodyTests {
    func general(_ text: String) -> (String, [PushQuote], [(Int, String)])? {
        guard let v = try? JSONValue.parse(Data(text.utf8)), let r = try? RequestBodies.prices(v) else { return nil }
        return (r.source, r.quotes.map(\.1), r.rejected)
    }

    @Test(arguments: [
        #"{"source":"a","prices":[{"market":"BTC-USD","price":64000.5,"timestamp":1700000000}]}"#,
        #" { "prices" : [ ] , "source" : "a" } "#,
        #"{"source":"a","prices":[{"market":"X","price":1e3,"timestamp":"2023-11-14T22:13:20Z","confidence":0.5},{"timestamp":1.5,"price":-2,"market":"Y","confidence":null}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":0.001,"timestamp":1700000000.25}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":-0,"timestamp":0.0e0},{"market":"X","price":1E+2,"timestamp":1e-2}]}"#,
    ])
    func agreesWithTheGeneralReader(_ body: String) throws {
        let fast = try #require(FastPriceBody.parse(ByteBuffer(string: body)))
        let slow = try #require(general(body))
        #expect(fast.source == slow.0)
        #expect(slow.2.isEmpty)
        #expect(fast.quotes.count == slow.1.count)
        for (a, b) in zip(fast.quotes, slow.1) {
            #expect(a.market == b.market && a.price == b.price && a.time == b.time && a.confidence == b.confidence)
        }
    }

    @Test(arguments: [
        #"{"source":"a","prices":[{"market":"X","price":"1","timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":NaN,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":01,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":.5,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":1,"timestamp":1,"extra":1}]}"#,
        #"{"source":"a\"b","prices":[]}"#,
        #"{"source":"a","prices":[]} trailing"#,
        #"{"source":"a","prices":[{"market":"X","price":1,"timestamp":1}"#,
        #"{"source":"","prices":[]}"#,
        #"{"source":"a","prices":[],"source":"b"}"#,
        #"{"source":"a","prices":[{"market":"X","price":1e400,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":1.,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":-.5,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":1.e5,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":-01,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":1e-400,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":1e,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":+1,"timestamp":1}]}"#,
        #"{"source":"a","prices":[{"market":"X","price":1,"timestamp":+1e9}]}"#,
        #"{"source":"é","prices":[]}"#,
        "",
    ])
    func declinesAnythingUnusual(_ body: String) {
        #expect(FastPriceBody.parse(ByteBuffer(string: body)) == nil)
    }
}
