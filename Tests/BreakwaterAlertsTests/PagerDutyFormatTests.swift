import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterAlerts

/// The routing key is added at send time to the stored body, by the one JSON writer.
struct PagerDutyFormatTests {
    @Test func theRoutingKeyIsAddedAndEveryStoredMemberKept() throws {
        let stored = WireJSON.encode(
            JSONValue.object([
                "dedup_key": .string("BTC-USD/breaker.halted"), "event_action": .string("trigger"),
                "payload": .object([
                    "summary": .string("a \"quoted\" / summary"),
                    "custom_details": .object(["price": .number(100_000.5), "lastGoodPrice": .null]),
                ]),
            ])
        )
        let sent = PagerDutyFormat.withRoutingKey(stored, key: "key\"with\\quotes")
        guard case var .object(members) = try JSONValue.parse(Data(sent)) else {
            Issue.record("not an object")
            return
        }
        #expect(members.removeValue(forKey: "routing_key") == .string("key\"with\\quotes"))
        #expect(JSONValue.object(members) == (try JSONValue.parse(Data(stored))))
        #expect(String(decoding: sent, as: UTF8.self).contains(#""price":100000.5"#))
    }

    @Test func aBodyThatIsNotAnObjectIsSentUnchanged() {
        for body in [Array("[1]".utf8), Array("not json".utf8), []] {
            #expect(PagerDutyFormat.withRoutingKey(body, key: "k") == body)
        }
    }
}
