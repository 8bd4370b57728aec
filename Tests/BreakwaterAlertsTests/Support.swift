import BreakwaterAlerts
import BreakwaterStore
import Foundation
import MetricsTestKit

@testable import BreakwaterConfig
@testable import BreakwaterEngine

let testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
let testEnv = ["HOOK_SECRET": testSecret, "PD_KEY": "pd-routing-key"]

/// A fresh database path in a new temporary directory.
func tempDBPath() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-alerts-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("breakwater.sqlite").path
}

func hook(
    _ id: String,
    url: String,
    format: WebhookFormat = .standard,
    timeoutMs: Int = 1000,
    types: [String]? = nil,
    minSeverity: AlertSeverity = .info,
    resendSeconds: Double = 60
) -> WebhookConfig {
    var w = WebhookConfig(id: id, url: url, format: format)
    if format == .standard { w.secretEnv = "HOOK_SECRET" }
    if format == .pagerduty { w.routingKeyEnv = "PD_KEY" }
    w.timeoutMs = timeoutMs
    w.types = types
    w.minSeverity = minSeverity
    w.resendSeconds = resendSeconds
    return w
}

func alertsConfig(
    _ hooks: [WebhookConfig],
    repeatSeconds: Double = 3600,
    maxAttempts: Int = 8,
    marginStep: Double = 0.1
) -> AlertsConfig {
    var a = AlertsConfig()
    a.webhooks = hooks
    a.repeatIntervalSeconds = repeatSeconds
    a.maxAttempts = maxAttempts
    a.marginStep = marginStep
    return a
}

/// Fast retry schedule for tests: 50 ms, 100 ms, 200 ms... without jitter.
let fastPolicy = RetryPolicy(delays: [0.05, 0.1, 0.2, 0.2], maxAttempts: 8, jitter: 0)

func transition(
    _ market: String = "BTC-USD",
    from: BreakerState,
    to: BreakerState,
    reasons: [ReasonCode],
    at t: Double,
    price: Double = 60000
) -> EngineEvent {
    EngineEvent(
        kind: .breakerTransition,
        market: market,
        from: from.rawValue,
        to: to.rawValue,
        reasons: reasons,
        price: price,
        time: t
    )
}

func sourceEvent(
    _ source: String,
    from: SourceStatus,
    to: SourceStatus,
    at t: Double,
    market: String = "BTC-USD"
) -> EngineEvent {
    EngineEvent(
        kind: .sourceStatus,
        market: market,
        source: source,
        from: from.rawValue,
        to: to.rawValue,
        price: 60000,
        time: t,
        message: to == .ok ? nil : "HTTP 503 from venue"
    )
}

/// A priced, open market `market` at `t` whose maintenance margin is `margin` (fraction).
func snapshot(
    _ market: String = "BTC-USD",
    margin: Double,
    state: BreakerState = .normal,
    reasons: [ReasonCode] = [],
    at t: Double
) -> MarketSnapshot {
    MarketSnapshot(
        id: market,
        asOf: t,
        price: 60000,
        confidence: 10,
        priceTime: t,
        lastGoodPrice: 60000,
        lastGoodPriceTime: t,
        health: .ok,
        freshSources: 3,
        usedSources: 3,
        minSources: 2,
        maxAgeSeconds: 10,
        medianSpread: 0.0002,
        spreadWide: false,
        sources: [],
        volatilityPerStep: 0.001,
        volatilityAnnualized: 0.6,
        initialMargin: margin * 2,
        maintenanceMargin: margin,
        longMaintenanceMargin: margin,
        shortMaintenanceMargin: margin,
        longInitialMargin: margin * 2,
        shortInitialMargin: margin * 2,
        targetMaintenance: margin,
        targetInitial: margin * 2,
        marginAtRiseBound: false,
        state: state,
        reasons: reasons,
        since: t,
        until: nil,
        reference: 60000,
        lower: 57000,
        upper: 63000,
        actions: MarketActions(trading: .open, liquidations: .enabled),
        manual: nil,
        bandHaltUntil: nil,
        velocityHaltUntil: nil
    )
}

/// `breakwater_alert_deliveries_total{destination, result}` as recorded in `metrics` (0 before
/// the first outcome: the worker makes every destination's counters at start-up).
func deliveries(_ metrics: TestMetrics, _ destination: String, _ result: String) -> Int64 {
    (try? metrics.expectCounter(
        "breakwater_alert_deliveries_total",
        [("destination", destination), ("result", result)]
    ))?.totalValue ?? 0
}
