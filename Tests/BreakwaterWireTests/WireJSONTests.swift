import Foundation
import Testing

@testable import BreakwaterWire

/// The one JSON writer's fixed settings.
struct WireJSONTests {
    struct Sample: Encodable {
        var zeta = 1
        var alpha = "a/b"
        var price: Double?
        var at: Double?

        enum CodingKeys: String, CodingKey { case zeta, alpha, price, at }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(zeta, forKey: .zeta)
            try c.encode(alpha, forKey: .alpha)
            try c.encodeNumber(price, forKey: .price)
            try c.encodeTime(at, forKey: .at)
        }
    }

    @Test func keysSortedSlashesKeptNullsWritten() {
        #expect(WireJSON.string(Sample(price: nil, at: nil)) == #"{"alpha":"a/b","at":null,"price":null,"zeta":1}"#)
        #expect(
            WireJSON.string(Sample(price: .nan, at: .infinity)) == #"{"alpha":"a/b","at":null,"price":null,"zeta":1}"#
        )
        #expect(
            WireJSON.string(Sample(price: 97_012.5, at: 0))
                == #"{"alpha":"a/b","at":"1970-01-01T00:00:00.000Z","price":97012.5,"zeta":1}"#
        )
    }

    @Test func whatTheStrictReaderReadsIsWrittenBackWhole() throws {
        let text = #"{"b":[1,2.5,-1e-07,null,true,"x\"\n"],"a":{"c":{}}}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(WireJSON.string(value) == #"{"a":{"c":{}},"b":[1,2.5,-1e-07,null,true,"x\"\n"]}"#)
    }
}
