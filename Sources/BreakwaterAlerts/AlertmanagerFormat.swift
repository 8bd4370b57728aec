import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Prometheus Alertmanager API v2: `POST {url}/api/v2/alerts` with an array of alerts. A firing alert is re-posted
/// every `resendSeconds` with `endsAt` four intervals ahead; a resolved one is posted with `endsAt` = the time it cleared.
enum AlertmanagerFormat {
    struct Item: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String
        var generatorURL: String?
    }

    /// How many resend intervals ahead a firing alert's `endsAt` is set.
    static let endsAhead = 4.0

    static func render(_ n: Notice, resendSeconds: Double, generatorURL: String?) -> [UInt8] {
        let a = n.alert
        var labels = [
            "alertname": a.type, "market": a.market, "severity": a.severity.rawValue,
            "service": "breakwater",
        ]
        if let s = a.source { labels["source"] = s }
        let ends = n.kind == .resolved ? (a.endsAt ?? n.time) : n.time + endsAhead * resendSeconds
        let item = Item(
            labels: labels,
            annotations: ["summary": a.summary, "fingerprint": a.fingerprint, "alert_id": a.id],
            startsAt: RFC3339.format(a.startsAt),
            endsAt: RFC3339.format(ends),
            generatorURL: generatorURL.map { "\($0)/v1/alerts/\(a.id)" }
        )
        return WireJSON.encode([item])
    }

    /// The endpoint for a configured base URL.
    static func endpoint(_ base: String) -> String {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        return b.hasSuffix("/api/v2/alerts") ? b : b + "/api/v2/alerts"
    }
}
