public import BreakwaterConfig
public import BreakwaterEngine
import BreakwaterWire

/// Whether one alert condition holds after an engine event. Pure: no clock, no storage.
///
/// Severities: `breaker.halted` and `market.quorum_lost` are critical (trading stopped or no trustworthy price,
/// liquidations paused); `breaker.limit`, `market.divergence`, `market.spread_wide` and `source.degraded` are
/// warnings (restricted but still priced); `margin.changed` and `test` are info.
public struct AlertCondition: Sendable, Equatable {
    public var type: String
    public var market: String
    public var source: String?
    public var active: Bool
    /// False while a market warms up: an active condition may keep an alert firing but not open one.
    public var mayOpen: Bool = true
    public var severity: AlertSeverity
    public var summary: String
    public var details: AlertDetails

    public var fingerprint: String { AlertType.fingerprint(market: market, type: type, source: source) }

    public init(
        type: String,
        market: String,
        source: String? = nil,
        active: Bool,
        mayOpen: Bool = true,
        severity: AlertSeverity,
        summary: String,
        details: AlertDetails
    ) {
        self.type = type
        self.market = market
        self.source = source
        self.active = active
        self.mayOpen = mayOpen
        self.severity = severity
        self.summary = summary
        self.details = details
    }
}

public enum AlertRules {
    /// The conditions an event speaks about; `snapshot` (the market after the event) adds reference, band, actions.
    public static func conditions(for e: EngineEvent, snapshot: MarketSnapshot?) -> [AlertCondition] {
        switch e.kind {
        case .breakerTransition: return breaker(e, snapshot)
        case .sourceStatus: return source(e, snapshot).map { [$0] } ?? []
        case .spread: return [spread(e, snapshot)]
        case .operatorAction: return []
        }
    }

    static func details(_ e: EngineEvent, _ s: MarketSnapshot?) -> AlertDetails {
        var d = AlertDetails()
        d.state = s?.state.rawValue ?? (e.kind == .breakerTransition ? e.to : nil)
        d.fromState = e.kind == .breakerTransition ? e.from : nil
        d.reasons = (e.kind == .breakerTransition ? e.reasons : s?.reasons ?? []).map(\.rawValue)
        d.price = e.price ?? s?.price
        if d.price == nil {
            d.lastGoodPrice = e.lastGoodPrice ?? s?.lastGoodPrice
            d.lastGoodPriceTime = (e.lastGoodPriceTime ?? s?.lastGoodPriceTime).map { RFC3339.format($0) }
        }
        d.reference = s?.reference
        d.lower = s?.lower
        d.upper = s?.upper
        d.trading = s?.actions.trading.rawValue
        d.liquidations = s?.actions.liquidations.rawValue
        d.sources = s?.sources.map {
            AlertDetails.SourceInfo(
                id: $0.id,
                status: $0.status.rawValue,
                price: $0.price,
                deviation: $0.deviation,
                error: $0.error
            )
        }
        d.medianSpread = s?.medianSpread
        d.until = s?.until.map { RFC3339.format($0) }
        d.message = e.message
        return d
    }

    /// "at price 100", or without one "no price (last good 100 at <RFC 3339>)".
    static func priceText(_ d: AlertDetails) -> String {
        if let p = d.price { return "at price \(fmt(p))" }
        guard let last = d.lastGoodPrice else { return "no price" }
        return "no price (last good \(fmt(last))\(d.lastGoodPriceTime.map { " at \($0)" } ?? ""))"
    }

    static func fmt(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        let scaled = (v * 10000).rounded() / 10000
        return scaled == scaled.rounded() && abs(scaled) < 1e15 ? String(Int64(scaled)) : String(scaled)
    }

    /// `text` cut to 200 characters for a one-line summary (the details keep all of it).
    static func clip(_ text: String) -> String { text.count <= 200 ? text : String(text.prefix(199)) + "…" }

    static func actions(_ s: MarketSnapshot?) -> String {
        guard let s else { return "" }
        return "; trading \(s.actions.trading.rawValue), liquidations \(s.actions.liquidations.rawValue)"
    }

    static func breaker(_ e: EngineEvent, _ s: MarketSnapshot?) -> [AlertCondition] {
        let m = e.market
        let d = details(e, s)
        let reasons = Set(e.reasons)
        let warming = reasons.contains(.warming)
        let reasonText = e.reasons.map(\.rawValue).joined(separator: ",")
        let halted = e.to == BreakerState.halted.rawValue
        let limit = e.to == BreakerState.limit.rawValue && reasons.contains(.priceBand)
        let quorum =
            s.map { "\($0.freshSources) of \($0.sources.count) sources fresh, need \($0.minSources)" }
            ?? "too few fresh sources"
        let band = "band \(fmt(s?.lower))-\(fmt(s?.upper)) around reference \(fmt(s?.reference))"
        var haltDetails = d
        // An automatic halt ends by itself at `until`; resuming early is for a move confirmed real.
        let ends = s?.until.map { " until \(RFC3339.format($0)) (ends by itself)" } ?? ""
        var haltSummary =
            "\(m) HALTED (\(reasonText)) \(priceText(d))\(ends)\(actions(s)); check the venues; "
            + "POST /v1/markets/\(m)/resume ends it early once the move is confirmed real"
        if reasons.contains(.manual), let h = s?.manual {
            // An operator's halt: who, why and until when, not advice meant for automatic halts.
            let until = h.until.map { "until \(RFC3339.format($0))" } ?? "until resumed"
            haltSummary =
                "\(m) HALTED by \(h.by) (\(reasonText)): \"\(clip(h.reason))\" \(until)\(actions(s)); "
                + "resume with POST /v1/markets/\(m)/resume"
            haltDetails.message = "manual halt by \(h.by): \(h.reason); \(until)"
        }
        return [
            AlertCondition(
                type: AlertType.halted,
                market: m,
                active: halted,
                severity: .critical,
                summary: haltSummary,
                details: haltDetails
            ),
            AlertCondition(
                type: AlertType.limit,
                market: m,
                active: limit,
                severity: .warning,
                summary: "\(m) in LIMIT: price \(fmt(e.price)) outside \(band)"
                    + (s?.haltsAt.map { ", halts at \(RFC3339.format($0)) if still outside" } ?? "")
                    + "\(actions(s)); confirm the move on venues",
                details: d
            ),
            AlertCondition(
                type: AlertType.quorumLost,
                market: m,
                active: reasons.contains(.quorumLost),
                mayOpen: !warming,
                severity: .critical,
                summary: "\(m) QUORUM LOST: \(quorum), \(priceText(d))\(actions(s)); check the source feeds",
                details: d
            ),
            AlertCondition(
                type: AlertType.divergence,
                market: m,
                active: reasons.contains(.divergence),
                mayOpen: !warming,
                severity: .warning,
                summary: "\(m) sources DIVERGE: aggregate untrusted\(actions(s)); compare sources in "
                    + "/v1/markets/\(m)",
                details: d
            ),
        ]
    }

    static func source(_ e: EngineEvent, _ s: MarketSnapshot?) -> AlertCondition? {
        guard let src = e.source, let status = SourceStatus(rawValue: e.to) else { return nil }
        let active: Bool
        switch status {
        case .stale, .error, .outlier: active = true
        case .ok, .disabled: active = false
        case .waiting: return nil
        }
        var d = details(e, s)
        d.sourceStatus = e.to
        let fresh = s.map { ", \($0.usedSources) of \($0.sources.count) sources in the aggregate" } ?? ""
        var why = e.message.map { ": \(clip($0))" } ?? ""
        if why.isEmpty, let info = s?.sources.first(where: { $0.id == src }) {
            // The number that makes the status: how far out of line, or how old.
            if status == .outlier, let dev = info.deviation {
                why = ": \(dev > 0 ? "+" : "")\(fmt(dev * 100))% from the median of the fresh quotes"
            } else if status == .stale, let age = info.ageSeconds {
                why = ": last quote \(fmt(age)) s old (max age \(fmt(s?.maxAgeSeconds)) s)"
            }
        }
        return AlertCondition(
            type: AlertType.sourceDegraded,
            market: e.market,
            source: src,
            active: active,
            severity: .warning,
            summary: "\(e.market) source \(src) is \(e.to.uppercased())\(why)\(fresh); check its feed",
            details: d
        )
    }

    static func spread(_ e: EngineEvent, _ s: MarketSnapshot?) -> AlertCondition {
        AlertCondition(
            type: AlertType.spreadWide,
            market: e.market,
            active: e.to == "wide",
            severity: .warning,
            summary: "\(e.market) median spread WIDE (\(fmt(s?.medianSpread))): thin liquidity"
                + "\(actions(s)); check venue order books",
            details: details(e, s)
        )
    }

    /// A `margin.changed` notification when `current` moved more than `step` (relative fraction) from `last`.
    public static func marginChange(_ s: MarketSnapshot, last: Double?, step: Double) -> AlertCondition? {
        let current = s.maintenanceMargin
        guard let last, last > 0, current.isFinite, abs(current - last) / last > step else { return nil }
        var d = AlertDetails()
        d.state = s.state.rawValue
        d.reasons = s.reasons.map(\.rawValue)
        d.price = s.price
        d.maintenanceMargin = current
        d.previousMargin = last
        let pct = { (v: Double) in fmt(v * 100) + "%" }
        let rel = (current - last) / last * 100
        return AlertCondition(
            type: AlertType.marginChanged,
            market: s.id,
            active: true,
            severity: .info,
            summary: "\(s.id) maintenance margin \(pct(last)) -> \(pct(current)) of notional "
                + "(\(rel > 0 ? "+" : "")\(fmt(rel))% relative); update the protocol's margin parameter",
            details: d
        )
    }

    /// Whether a stored firing alert still holds given a fresh snapshot (used for alerts re-attached at start-up,
    /// whose clearing the restarted engine never reports). Nil when the snapshot cannot tell (warming).
    public static func stillActive(_ a: Alert, in s: MarketSnapshot) -> Bool? {
        let reasons = Set(s.reasons)
        if reasons.contains(.warming) { return nil }
        switch a.type {
        case AlertType.halted: return s.state == .halted
        case AlertType.limit: return s.state == .limit && reasons.contains(.priceBand)
        case AlertType.quorumLost: return reasons.contains(.quorumLost)
        case AlertType.divergence: return reasons.contains(.divergence)
        case AlertType.spreadWide: return s.spreadWide
        case AlertType.sourceDegraded:
            guard let src = s.sources.first(where: { $0.id == a.source }) else { return false }
            // Still `waiting` once warming is over: nothing since the restart, so still down.
            return [.stale, .error, .outlier, .waiting].contains(src.status)
        default: return nil
        }
    }
}
