import BreakwaterEngine
import BreakwaterFeeds

/// Encodes snapshots into the API's JSON shapes. Times are RFC 3339 UTC, fractions are fractions.
enum SnapshotJSON {
    static func time(_ t: EpochSeconds?) -> String { t.map { EventJSON.quote(Timestamps.formatRFC3339($0)) } ?? "null" }
    static func num(_ d: Double?) -> String { d.map(EventJSON.number) ?? "null" }
    static func str(_ s: String?) -> String { s.map(EventJSON.quote) ?? "null" }

    /// One market, as served by `GET /v1/markets/{id}`.
    static func market(_ s: MarketSnapshot, validUntil: EpochSeconds, feeds: [String: FeedStatistics]) -> String {
        let sources = s.sources.map { src -> String in
            let f = feeds[src.id]
            return "{\"id\":\(str(src.id)),\"kind\":\(str(src.kind)),\"status\":\(str(src.status.rawValue)),"
                + "\"price\":\(num(src.price)),\"confidence\":\(num(src.confidence)),\"spread\":\(num(src.spread)),"
                + "\"priceTime\":\(time(src.quoteTime)),\"ageMs\":\(num(src.ageSeconds.map { ($0 * 1000).rounded() })),"
                + "\"deviation\":\(num(src.deviation)),\"error\":\(str(src.error ?? f.flatMap { $0.consecutiveFailures > 0 ? $0.lastError : nil })),"
                + "\"accepted\":\(src.accepted),\"rejected\":\(src.rejected),\"lastRejected\":\(str(src.lastRejected)),"
                + "\"latencyMs\":\(num(f?.lastLatencySeconds.map { ($0 * 1000 * 10).rounded() / 10 })),"
                + "\"consecutiveFailures\":\(f.map { String($0.consecutiveFailures) } ?? "null"),"
                + "\"polls\":\(f.map { "{\"successes\":\($0.successes),\"failures\":\($0.failures)}" } ?? "null")}"
        }
        let manual = s.manual.map { m in
            "{\"reason\":\(str(m.reason)),\"by\":\(str(m.by)),\"since\":\(time(m.since)),\"until\":\(time(m.until))}"
        } ?? "null"
        return "{\"id\":\(str(s.id)),\"asOf\":\(time(s.asOf)),\"validUntil\":\(time(validUntil)),"
            + "\"price\":\(num(s.price)),\"confidence\":\(num(s.confidence)),\"priceTime\":\(time(s.priceTime)),"
            + "\"lastGoodPrice\":\(num(s.lastGoodPrice)),\"lastGoodPriceTime\":\(time(s.lastGoodPriceTime)),"
            + "\"oracle\":{\"health\":\(str(s.health.rawValue)),\"trusted\":\(!s.reasons.contains { $0 == .quorumLost || $0 == .divergence || $0 == .warming }),\"freshSources\":\(s.freshSources),\"usedSources\":\(s.usedSources),"
            + "\"minSources\":\(s.minSources),\"maxAgeMs\":\(num(s.maxAgeSeconds * 1000)),\"medianSpread\":\(num(s.medianSpread)),"
            + "\"spreadWide\":\(s.spreadWide)},"
            + "\"sources\":[\(sources.joined(separator: ","))],"
            + "\"volatility\":{\"perStep\":\(num(s.volatilityPerStep)),\"annualized\":\(num(s.volatilityAnnualized))},"
            + "\"margin\":{\"initial\":\(num(s.initialMargin)),\"maintenance\":\(num(s.maintenanceMargin)),"
            + "\"target\":\(num(s.targetMaintenance)),\"targetInitial\":\(num(s.targetInitial)),\"atRiseBound\":\(s.marginAtRiseBound)},"
            + "\"breaker\":{\"state\":\(str(s.state.rawValue)),\"reasons\":[\(s.reasons.map { str($0.rawValue) }.joined(separator: ","))],"
            + "\"since\":\(time(s.since)),\"until\":\(time(s.until)),\"haltsAt\":\(time(s.haltsAt)),\"reference\":\(num(s.reference)),"
            + "\"lower\":\(num(s.lower)),\"upper\":\(num(s.upper)),\"manual\":\(manual)},"
            + "\"actions\":{\"trading\":\(str(s.actions.trading.rawValue)),\"liquidations\":\(str(s.actions.liquidations.rawValue))}}"
    }

    /// Overall status: critical when any market is halted or untrusted, degraded when any is
    /// in limit or has sources that are not ok, else ok.
    static func overallStatus(_ markets: [MarketSnapshot]) -> String {
        if markets.contains(where: { $0.state == .halted || $0.health != .ok }) { return "critical" }
        if markets.contains(where: { $0.state != .normal || $0.sources.contains { $0.status != .ok } }) { return "degraded" }
        return "ok"
    }

    /// `GET /v1/health`.
    static func health(_ markets: [MarketSnapshot], asOf: EpochSeconds) -> String {
        let lines = markets.map { m in
            let age = m.priceTime.map { (asOf - $0) * 1000 } ?? m.lastGoodPriceTime.map { (asOf - $0) * 1000 }
            return "{\"id\":\(str(m.id)),\"state\":\(str(m.state.rawValue)),\"reasons\":[\(m.reasons.map { str($0.rawValue) }.joined(separator: ","))],"
                + "\"priceAgeMs\":\(num(age.map { $0.rounded() })),\"freshSources\":\(m.freshSources),\"usedSources\":\(m.usedSources),"
                + "\"quorum\":\(m.minSources),\"trading\":\(str(m.actions.trading.rawValue)),\"liquidations\":\(str(m.actions.liquidations.rawValue))}"
        }
        return "{\"status\":\(str(overallStatus(markets))),\"asOf\":\(time(asOf)),\"markets\":[\(lines.joined(separator: ","))]}"
    }
}
