import BreakwaterAlerts
import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterStore
import BreakwaterWire
import Prometheus

/// Prometheus text exposition: the per-market and per-source gauges and the outbox sizes,
/// rendered at scrape time from the board and the store, then everything in `registry` (what is
/// recorded through swift-metrics, `BreakwaterMetricsFactory`: HTTP requests, alert deliveries,
/// feed polls; and the process metrics, read now).
public struct MetricsRenderer: Sendable {
    let registry: PrometheusCollectorRegistry
    let process: ProcessMetrics
    let version: String
    let alerting: Alerting?

    func render(_ p: SnapshotBoard.Published) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double?)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, v) in samples { if let v, v.isFinite { out += "\(name){\(labels)} \(v)\n" } }
        }
        func l(_ pairs: (String, String)...) -> String {
            pairs.map { "\($0.0)=\"\(TextEscaping.prometheusLabel($0.1))\"" }.joined(separator: ",")
        }
        let ms = p.markets
        family("breakwater_build_info", "gauge", "Build information.", [(l(("version", version)), 1)])
        family(
            "breakwater_market_price",
            "gauge",
            "Aggregate price (absent while untrusted).",
            ms.map { (l(("market", $0.id)), $0.price) }
        )
        family(
            "breakwater_market_confidence",
            "gauge",
            "Aggregate confidence half-width, price units.",
            ms.map { (l(("market", $0.id)), $0.confidence) }
        )
        family(
            "breakwater_market_price_age_seconds",
            "gauge",
            "Age of the aggregate price (oldest contributing quote).",
            ms.map { (l(("market", $0.id)), $0.priceTime.map { p.asOf - $0 }) }
        )
        family(
            "breakwater_market_volatility_annualized",
            "gauge",
            "EWMA volatility, annualized fraction.",
            ms.map { (l(("market", $0.id)), $0.volatilityAnnualized) }
        )
        family(
            "breakwater_market_margin",
            "gauge",
            "Margin as a fraction of notional.",
            ms.flatMap { m in
                [
                    (l(("market", m.id), ("kind", "initial")), m.initialMargin),
                    (l(("market", m.id), ("kind", "maintenance")), m.maintenanceMargin),
                    (l(("market", m.id), ("kind", "target")), m.targetMaintenance),
                ]
            }
        )
        family(
            "breakwater_market_margin_at_rise_bound",
            "gauge",
            "1 while the published margin is held back by its rise bound.",
            ms.map { (l(("market", $0.id)), $0.marginAtRiseBound ? 1 : 0) }
        )
        family(
            "breakwater_market_breaker_state",
            "gauge",
            "1 for the current breaker state.",
            ms.flatMap { m in
                BreakerState.allCases.map { (l(("market", m.id), ("state", $0.rawValue)), m.state == $0 ? 1 : 0) }
            }
        )
        family(
            "breakwater_market_oracle_healthy",
            "gauge",
            "1 while the oracle is healthy.",
            ms.map { (l(("market", $0.id)), $0.health == .ok ? 1 : 0) }
        )
        family(
            "breakwater_market_fresh_sources",
            "gauge",
            "Fresh sources.",
            ms.map { (l(("market", $0.id)), Double($0.freshSources)) }
        )
        family(
            "breakwater_market_quorum",
            "gauge",
            "Sources required.",
            ms.map { (l(("market", $0.id)), Double($0.minSources)) }
        )
        family(
            "breakwater_market_median_spread",
            "gauge",
            "Median relative bid-ask spread of fresh sources.",
            ms.map { (l(("market", $0.id)), $0.medianSpread) }
        )
        Self.modelFamilies(p, family: family, labels: l)
        let sources = ms.flatMap { m in m.sources.map { (m.id, $0) } }
        family(
            "breakwater_source_up",
            "gauge",
            "1 when the source is ok (fresh and used).",
            sources.map { (l(("market", $0.0), ("source", $0.1.id), ("kind", $0.1.kind)), $0.1.status == .ok ? 1 : 0) }
        )
        family(
            "breakwater_source_status",
            "gauge",
            "1 for the source's current status.",
            sources.flatMap { m, s in
                SourceStatus.allCases.map {
                    (l(("market", m), ("source", s.id), ("status", $0.rawValue)), s.status == $0 ? 1 : 0)
                }
            }
        )
        family(
            "breakwater_source_age_seconds",
            "gauge",
            "Age of the source's last quote.",
            sources.map { (l(("market", $0.0), ("source", $0.1.id)), $0.1.ageSeconds) }
        )
        family(
            "breakwater_source_quotes_accepted_total",
            "counter",
            "Quotes accepted from the source.",
            sources.map { (l(("market", $0.0), ("source", $0.1.id)), Double($0.1.accepted)) }
        )
        family(
            "breakwater_source_quotes_rejected_total",
            "counter",
            "Quotes refused from the source.",
            sources.map { (l(("market", $0.0), ("source", $0.1.id)), Double($0.1.rejected)) }
        )
        if let alerting {
            let outbox = alerting.store.outboxCounts()
            family(
                "breakwater_alert_outbox_pending",
                "gauge",
                "Notifications waiting for delivery.",
                outbox.sorted { $0.key < $1.key }.map { (l(("destination", $0.key)), Double($0.value[.pending] ?? 0)) }
            )
            family(
                "breakwater_alert_outbox_failed",
                "gauge",
                "Notifications that failed for good.",
                outbox.sorted { $0.key < $1.key }.map { (l(("destination", $0.key)), Double($0.value[.failed] ?? 0)) }
            )
            let store = alerting.store
            family(
                "breakwater_alert_lease_held",
                "gauge",
                "1 when this replica turns events into alerts (the alert lease; always 1 with SQLite).",
                [(l(("replica", store.replica)), alerting.lease.isHeld ? 1 : 0)]
            )
            family(
                "breakwater_storage_write_seconds",
                "gauge",
                "How long the last write to the database took.",
                [(l(("kind", store.isShared ? "postgres" : "sqlite")), store.lastWriteDuration)]
            )
            let claims = store.deliveryClaims
            family(
                "breakwater_alert_delivery_claims_total",
                "counter",
                "Notifications claimed for sending: granted, or refused because another replica was sending it.",
                [
                    (l(("result", "granted")), Double(claims.granted)),
                    (l(("result", "refused")), Double(claims.refused)),
                ]
            )
        }
        process.update()
        let recorded = registry.emitToString()
        out += recorded
        // Families nothing has recorded yet are still declared (as the hand-written text always did).
        for (name, family) in BreakwaterMetricsFactory.families.sorted(by: { $0.key < $1.key })
        where !recorded.contains("# TYPE \(name) ") {
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.type)\n"
        }
        return out
    }
}
