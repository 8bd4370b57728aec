import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// PagerDuty Events v2: trigger/resolve with `dedup_key` = fingerprint (fingerprint/alert id for one-shot notifications). The routing key is a secret, so it is not
/// stored in the outbox: the stored body omits it and ``withRoutingKey(_:key:)`` adds it at send time.
enum PagerDutyFormat {
    struct Payload: Encodable {
        var summary: String
        var source: String
        var severity: String
        var timestamp: String
        var component: String?
        var `class`: String
        var custom_details: AlertPayload
    }

    struct Body: Encodable {
        var event_action: String
        var dedup_key: String
        var payload: Payload
    }

    static func render(_ n: Notice) -> [UInt8] {
        let a = n.alert
        let p = Payload(
            summary: String(a.summary.prefix(1024)),
            source: "breakwater/\(a.market)",
            severity: a.severity.rawValue,
            timestamp: RFC3339.format(n.time),
            component: a.source,
            class: a.type,
            custom_details: AlertPayload(n)
        )
        // One-shot notifications (test, margin.changed) each get their own incident, closed at once.
        let key = a.isNotification ? "\(a.fingerprint)/\(a.id)" : a.fingerprint
        return WireJSON.encode(
            Body(
                event_action: n.kind == .resolved ? "resolve" : "trigger",
                dedup_key: key,
                payload: p
            )
        )
    }

    /// The stored body with `"routing_key":"<key>"` added, written again by `WireJSON` (every
    /// other member kept as stored). A stored body that is not a JSON object is sent unchanged.
    static func withRoutingKey(_ body: [UInt8], key: String) -> [UInt8] {
        guard case var .object(members)? = try? JSONValue.parse(Data(body)) else { return body }
        members["routing_key"] = .string(key)
        return WireJSON.encode(JSONValue.object(members))
    }
}
