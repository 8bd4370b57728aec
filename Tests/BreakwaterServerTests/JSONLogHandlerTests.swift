import BreakwaterWire
import Foundation
import Logging
import Testing

@testable import breakwater

/// JSON log lines: one object, every value kept, a metadata key cannot overwrite the message.
struct JSONLogHandlerTests {
    @Test func aLineIsOneObjectAndCollidingMetadataIsKept() throws {
        let fields = JSONLogHandler.fields(
            time: 1_700_000_039,
            level: "notice",
            logger: "breakwater",
            message: "operator action",
            metadata: ["actor": "alice\n\"x\"", "message": "forged", "market": "BTC-USD"]
        )
        let line = String(decoding: WireJSON.encode(fields), as: UTF8.self)
        #expect(
            line == #"{"actor":"alice\n\"x\"","level":"notice","logger":"breakwater","market":"BTC-USD","#
                + #""message":"operator action","metadata.message":"forged","time":"2023-11-14T22:13:59.000Z"}"#
        )
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        #expect(parsed?["message"] == "operator action" && parsed?["metadata.message"] == "forged")
    }
}
