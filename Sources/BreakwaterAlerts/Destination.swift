public import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// One configured alert destination: its filters and how it renders a notice.
public struct Destination: Sendable, Equatable {
    public var config: WebhookConfig
    /// Alertmanager `generatorURL` base (the service's public URL), if known.
    public var generatorURL: String?

    public init(_ config: WebhookConfig, generatorURL: String? = nil) {
        self.config = config
        self.generatorURL = generatorURL
    }

    public var id: String { config.id }

    /// Whether `alert` passes this destination's market, type and minimum-severity filters.
    /// `test` alerts go to every destination.
    public func accepts(_ alert: Alert) -> Bool {
        if alert.type == AlertType.test { return true }
        if let ms = config.markets, !ms.contains(alert.market) { return false }
        if let ts = config.types, !ts.contains(alert.type) { return false }
        return alert.severity >= config.minSeverity
    }

    /// Seconds between notices while an alert keeps firing: `resendSeconds` for Alertmanager, else `repeatSeconds`.
    public func repeatSeconds(default repeatSeconds: Double) -> Double {
        config.format == .alertmanager ? config.resendSeconds : repeatSeconds
    }

    /// The body stored in the outbox (byte-identical on every attempt).
    func render(_ n: Notice) -> [UInt8] {
        switch config.format {
        case .standard: StandardWebhook.render(n)
        case .alertmanager:
            AlertmanagerFormat.render(n, resendSeconds: config.resendSeconds, generatorURL: generatorURL)
        case .slack: SlackFormat.render(n)
        case .pagerduty: PagerDutyFormat.render(n)
        }
    }

    /// Problems with the secrets this destination needs from `environment` (empty when fine).
    public func problems(environment: [String: String]) -> [String] {
        var out: [String] = []
        if config.url.isEmpty {
            out.append("alerts.webhooks \(id): URL variable \(config.urlEnv ?? "(urlEnv)") is not set")
        }
        if config.format == .standard {
            if let name = config.secretEnv, let s = EnvironmentSecret.value(name, in: environment) {
                if (try? StandardWebhook.key(fromSecret: s)) == nil {
                    out.append("alerts.webhooks \(id): \(name) is not a whsec_ base64 secret")
                }
            } else {
                out.append("alerts.webhooks \(id): secret variable \(config.secretEnv ?? "(secretEnv)") is not set")
            }
        }
        if config.format == .pagerduty, EnvironmentSecret.value(config.routingKeyEnv, in: environment) == nil {
            out.append(
                "alerts.webhooks \(id): routing key variable \(config.routingKeyEnv ?? "(routingKeyEnv)") is not set"
            )
        }
        return out
    }
}
