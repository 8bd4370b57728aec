#if canImport(FoundationEssentials)
import BreakwaterWire
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the `alerts` block: destinations and notification settings.
enum AlertsReader {
    static let keys = ["webhooks", "marginStep", "repeatIntervalSeconds", "maxAttempts", "sourceDegradedForSeconds"]
    static let webhookKeys = [
        "id", "url", "urlEnv", "format", "secretEnv", "routingKeyEnv", "markets", "types", "minSeverity",
        "timeoutMs", "resendSeconds",
    ]
    /// Alert types a destination may filter on.
    public static let alertTypes = [
        "breaker.limit", "breaker.halted", "market.quorum_lost", "market.divergence",
        "market.spread_wide", "source.degraded", "margin.changed", "system.correlation_regime", "test",
    ]

    static func read(
        _ value: JSONValue?,
        marketIDs: Set<String>,
        environment: [String: String],
        sink: IssueSink
    ) -> AlertsConfig {
        var a = AlertsConfig()
        guard var r = ObjectReader(value, path: "alerts", sink: sink) else { return a }
        if let v = r.number("marginStep", 0...10, exclusiveLower: true) { a.marginStep = v }
        if let v = r.number("repeatIntervalSeconds", 1...(30 * 86_400)) { a.repeatIntervalSeconds = v }
        if let v = r.integer("maxAttempts", 1...100) { a.maxAttempts = v }
        if let v = r.number("sourceDegradedForSeconds", 0...86_400) { a.sourceDegradedForSeconds = v }
        var ids: Set<String> = []
        for (i, v) in (r.array("webhooks") ?? []).enumerated() {
            let path = "alerts.webhooks[\(i)]"
            guard var w = ObjectReader(v, path: path, sink: sink, required: true) else { continue }
            let id = w.string("id", required: true).flatMap {
                ConfigLoader.identifier($0, path: w.child("id"), sink: sink) ? $0 : nil
            }
            let url = webhookURL(&w, environment: environment, sink: sink)
            let format = w.choice("format", as: WebhookFormat.self, required: true)
            var hook = WebhookConfig(id: id ?? "", url: url ?? "", format: format ?? .standard)
            if case let .string(name)? = w.object["urlEnv"] { hook.urlEnv = name }
            if let s = w.string("secretEnv") {
                hook.secretEnv = ConfigLoader.envName(s, path: w.child("secretEnv"), sink: sink)
            }
            if let s = w.string("routingKeyEnv") {
                hook.routingKeyEnv = ConfigLoader.envName(s, path: w.child("routingKeyEnv"), sink: sink)
            }
            if let ms = w.strings("markets") {
                for m in ms where !marketIDs.contains(m) { sink.add(w.child("markets"), "unknown market \"\(m)\"") }
                hook.markets = ms
            }
            if let ts = w.strings("types") {
                for t in ts where !alertTypes.contains(t) {
                    sink.add(
                        w.child("types"),
                        "unknown alert type \"\(t)\" (expected one of \(alertTypes.joined(separator: ", ")))"
                    )
                }
                hook.types = ts
            }
            if let s = w.choice("minSeverity", as: AlertSeverity.self) { hook.minSeverity = s }
            if let t = w.integer("timeoutMs", 100...120_000) { hook.timeoutMs = t }
            if let t = w.number("resendSeconds", 1...86_400) { hook.resendSeconds = t }
            w.finish(expected: webhookKeys)
            if let id, !ids.insert(id).inserted { sink.add(w.child("id"), "duplicate webhook id \"\(id)\"") }
            if format == .standard && hook.secretEnv == nil && !w.has("secretEnv") {
                sink.add(
                    w.child("secretEnv"),
                    "missing (standard webhooks are signed; name the variable holding whsec_...)"
                )
            }
            if let format, format != .standard && w.has("secretEnv") {
                sink.add(w.child("secretEnv"), "only standard webhooks are signed (this one is \(format.rawValue))")
            }
            if let format, format != .pagerduty && w.has("routingKeyEnv") {
                sink.add(
                    w.child("routingKeyEnv"),
                    "only pagerduty destinations take a routing key (this one is \(format.rawValue))"
                )
            }
            if format == .pagerduty && hook.routingKeyEnv == nil && !w.has("routingKeyEnv") {
                sink.add(w.child("routingKeyEnv"), "missing (PagerDuty needs the variable holding the routing key)")
            }
            if id != nil && url != nil && format != nil { a.webhooks.append(hook) }
        }
        r.finish(expected: keys)
        return a
    }

    /// The webhook's `url`, or the URL in the variable `urlEnv` names (Slack's webhook URLs
    /// are secrets, so they are refused in the file).
    static func webhookURL(_ w: inout ObjectReader, environment: [String: String], sink: IssueSink) -> String? {
        switch (w.string("url"), w.string("urlEnv")) {
        case (nil, nil):
            if !w.has("url") && !w.has("urlEnv") {
                sink.add(w.child("url"), "missing (expected url, or urlEnv naming the variable that holds it)")
            }
            return nil
        case (_?, _?):
            sink.add(w.child("urlEnv"), "give url or urlEnv, not both")
            return nil
        case let (url?, nil):
            guard let url = ConfigLoader.httpURL(url, path: w.child("url"), sink: sink) else { return nil }
            // Any spelling of the host: `HOOKS.SLACK.COM.` (absolute, upper case) is the same one.
            if var host = URL(string: url)?.host?.lowercased() {
                while host.hasSuffix(".") { host.removeLast() }
                guard host != "hooks.slack.com" else {
                    sink.add(
                        w.child("url"),
                        "a Slack webhook URL is a secret: put it in an environment variable and name that with urlEnv"
                    )
                    return nil
                }
            }
            return url
        case let (nil, name?):
            return ConfigLoader.secretURL(name, path: w.child("urlEnv"), environment: environment, sink: sink)
        }
    }
}
