@testable import BreakwaterConfig
import BreakwaterAlerts
import BreakwaterEngine
import BreakwaterStore
import Foundation
import MetricsTestKit

let testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
let testEnv = ["HOOK_SECRET": testSecret, "PD_KEY": "pd-routing-key"]

/// A fresh database path in a new temporary directory.
func tempDBPath() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-alerts-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("breakwater.sqlite").path
}

func hook(_ id: String, url: String, format: WebhookFormat = .standard, timeoutMs: Int = 1000,
          types: [String]? = nil, minSeverity: AlertSeverity = .info, resendSeconds: Double = 60) -> WebhookConfig {
    var w = WebhookConfig(id: id, url: url, format: format)
    if format == .standard { w.secretEnv = "HOOK_SECRET" }
    if format == .pagerduty { w.routingKeyEnv = "PD_KEY" }
    w.timeoutMs = timeoutMs
    w.types = types
    w.minSeverity = minSeverity
    w.resendSeconds = resendSeconds
    return w
}

func alertsConfig(_ hooks: [WebhookConfig], repeatSeconds: Double = 3600, maxAttempts: Int = 8,
                  marginStep: Double = 0.1) -> AlertsConfig {
    var a = AlertsConfig()
    a.webhooks = hooks
    a.repeatIntervalSeconds = repeatSeconds
    a.maxAttempts = maxAttempts
    a.marginStep = marginStep
    return a
}

/// Fast retry schedule for tests: 50 ms, 100 ms, 200 ms... without jitter.
let fastPolicy = RetryPolicy(delays: [0.05, 0.1, 0.2, 0.2], maxAttempts: 8, jitter: 0)

func transition(_ market: String = "BTC-USD", from: BreakerState, to: BreakerState, reasons: [ReasonCode],
                at t: Double, price: Double = 60000) -> EngineEvent {
    EngineEvent(kind: .breakerTransition, market: market, from: from.rawValue, to: to.rawValue, reasons: reasons,
                price: price, time: t)
}

func sourceEvent(_ source: String, from: SourceStatus, to: SourceStatus, at t: Double,
                 market: String = "BTC-USD") -> EngineEvent {
    EngineEvent(kind: .sourceStatus, market: market, source: source, from: from.rawValue, to: to.rawValue,
                price: 60000, time: t, message: to == .ok ? nil : "HTTP 503 from venue")
}

/// `breakwater_alert_deliveries_total{destination, result}` as recorded in `metrics` (0 before
/// the first outcome: the worker makes every destination's counters at start-up).
func deliveries(_ metrics: TestMetrics, _ destination: String, _ result: String) -> Int64 {
    (try? metrics.expectCounter("breakwater_alert_deliveries_total", [("destination", destination), ("result", result)]))?.totalValue ?? 0
}
