import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// The alert as receivers see it (the `data` of a standard webhook, PagerDuty's `custom_details`).
/// Times are RFC 3339 UTC strings.
struct AlertPayload: Encodable {
    var id: String
    var fingerprint: String
    var type: String
    /// `firing` or `resolved`.
    var status: String
    /// `firing`, `reminder` or `resolved`.
    var notice: String
    var severity: String
    var summary: String
    var market: String
    var source: String?
    var startsAt: String
    var endsAt: String?
    var details: AlertDetails

    init(_ n: Notice) {
        let a = n.alert
        id = a.id
        fingerprint = a.fingerprint
        type = a.type
        status = n.kind == .resolved ? "resolved" : "firing"
        notice = n.kind.rawValue
        severity = a.severity.rawValue
        summary = n.kind == .resolved ? "RESOLVED: \(a.summary)" : a.summary
        market = a.market
        source = a.source
        startsAt = RFC3339.format(a.startsAt)
        endsAt = n.kind == .resolved ? RFC3339.format(a.endsAt ?? n.time) : nil
        details = a.details
    }
}
