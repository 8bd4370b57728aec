import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterWire

/// One market as `GET /v1/markets/{id}` serves it (docs/openapi.json, `Market`). Every key is
/// written, null when it has no value; times are RFC 3339 UTC, ages and latencies milliseconds,
/// margins, deviations and volatilities fractions.
struct MarketDocument: Encodable {
    let snapshot: MarketSnapshot
    /// Epoch seconds.
    let validUntil: EpochSeconds
    /// Poll statistics of the market's polled sources, by source id.
    let feeds: [String: FeedStatistics]
    /// The margin model's backtest (`model`, null before the monitor has one).
    var model: BacktestReport? = nil

    /// The encoded body.
    static func bytes(
        _ s: MarketSnapshot,
        validUntil: EpochSeconds,
        feeds: [String: FeedStatistics],
        model: BacktestReport? = nil
    ) -> [UInt8] {
        WireJSON.encode(MarketDocument(snapshot: s, validUntil: validUntil, feeds: feeds, model: model))
    }

    enum Key: String, CodingKey {
        case id, asOf, validUntil, price, confidence, priceTime, lastGoodPrice, lastGoodPriceTime, oracle, sources
        case volatility, margin, breaker, actions, model
        // oracle
        case health, trusted, freshSources, usedSources, minSources, maxAgeMs, medianSpread, spreadWide
        // volatility
        case perStep, annualized
        // margin
        case initial, maintenance, target, targetInitial, atRiseBound, long, short
        // breaker
        case state, reasons, since, until, haltsAt, reference, lower, upper, manual
        // manual
        case reason, by
        // actions
        case trading, liquidations
    }

    func encode(to encoder: any Encoder) throws {
        let s = snapshot
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(s.id, forKey: .id)
        try c.encodeTime(s.asOf, forKey: .asOf)
        try c.encodeTime(validUntil, forKey: .validUntil)
        try c.encodeNumber(s.price, forKey: .price)
        try c.encodeNumber(s.confidence, forKey: .confidence)
        try c.encodeTime(s.priceTime, forKey: .priceTime)
        try c.encodeNumber(s.lastGoodPrice, forKey: .lastGoodPrice)
        try c.encodeTime(s.lastGoodPriceTime, forKey: .lastGoodPriceTime)
        var oracle = c.nestedContainer(keyedBy: Key.self, forKey: .oracle)
        try oracle.encode(s.health.rawValue, forKey: .health)
        try oracle.encode(
            !s.reasons.contains { $0 == .quorumLost || $0 == .divergence || $0 == .warming },
            forKey: .trusted
        )
        try oracle.encode(s.freshSources, forKey: .freshSources)
        try oracle.encode(s.usedSources, forKey: .usedSources)
        try oracle.encode(s.minSources, forKey: .minSources)
        try oracle.encodeNumber(s.maxAgeSeconds * 1000, forKey: .maxAgeMs)
        try oracle.encodeNumber(s.medianSpread, forKey: .medianSpread)
        try oracle.encode(s.spreadWide, forKey: .spreadWide)
        try c.encode(s.sources.map { SourceDocument(source: $0, feed: feeds[$0.id]) }, forKey: .sources)
        var volatility = c.nestedContainer(keyedBy: Key.self, forKey: .volatility)
        try volatility.encodeNumber(s.volatilityPerStep, forKey: .perStep)
        try volatility.encodeNumber(s.volatilityAnnualized, forKey: .annualized)
        var margin = c.nestedContainer(keyedBy: Key.self, forKey: .margin)
        try margin.encodeNumber(s.initialMargin, forKey: .initial)
        try margin.encodeNumber(s.maintenanceMargin, forKey: .maintenance)
        try margin.encodeNumber(s.targetMaintenance, forKey: .target)
        try margin.encodeNumber(s.targetInitial, forKey: .targetInitial)
        try margin.encode(s.marginAtRiseBound, forKey: .atRiseBound)
        var long = margin.nestedContainer(keyedBy: Key.self, forKey: .long)
        try long.encodeNumber(s.longMaintenanceMargin, forKey: .maintenance)
        try long.encodeNumber(s.longInitialMargin, forKey: .initial)
        var short = margin.nestedContainer(keyedBy: Key.self, forKey: .short)
        try short.encodeNumber(s.shortMaintenanceMargin, forKey: .maintenance)
        try short.encodeNumber(s.shortInitialMargin, forKey: .initial)
        var breaker = c.nestedContainer(keyedBy: Key.self, forKey: .breaker)
        try breaker.encode(s.state.rawValue, forKey: .state)
        try breaker.encode(s.reasons.map(\.rawValue), forKey: .reasons)
        try breaker.encodeTime(s.since, forKey: .since)
        try breaker.encodeTime(s.until, forKey: .until)
        try breaker.encodeTime(s.haltsAt, forKey: .haltsAt)
        try breaker.encodeNumber(s.reference, forKey: .reference)
        try breaker.encodeNumber(s.lower, forKey: .lower)
        try breaker.encodeNumber(s.upper, forKey: .upper)
        if let m = s.manual {
            var manual = breaker.nestedContainer(keyedBy: Key.self, forKey: .manual)
            try manual.encode(m.reason, forKey: .reason)
            try manual.encode(m.by, forKey: .by)
            try manual.encodeTime(m.since, forKey: .since)
            try manual.encodeTime(m.until, forKey: .until)
        } else {
            try breaker.encodeNil(forKey: .manual)
        }
        var actions = c.nestedContainer(keyedBy: Key.self, forKey: .actions)
        try actions.encode(s.actions.trading.rawValue, forKey: .trading)
        try actions.encode(s.actions.liquidations.rawValue, forKey: .liquidations)
        if let model {
            try c.encode(ModelDocument(report: model), forKey: .model)
        } else {
            try c.encodeNil(forKey: .model)
        }
    }
}

/// One source of a market document. `error` is the source's current failure only (a poll
/// failure while `consecutiveFailures` > 0); poll fields are null for push sources.
struct SourceDocument: Encodable {
    let source: MarketSnapshot.Source
    let feed: FeedStatistics?

    enum Key: String, CodingKey {
        case id, kind, status, price, confidence, spread, priceTime, ageMs, deviation, error, accepted, rejected
        case lastRejected, latencyMs, consecutiveFailures, polls, successes, failures
    }

    func encode(to encoder: any Encoder) throws {
        let src = source
        let f = feed
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(src.id, forKey: .id)
        try c.encode(src.kind, forKey: .kind)
        try c.encode(src.status.rawValue, forKey: .status)
        try c.encodeNumber(src.price, forKey: .price)
        try c.encodeNumber(src.confidence, forKey: .confidence)
        try c.encodeNumber(src.spread, forKey: .spread)
        try c.encodeTime(src.quoteTime, forKey: .priceTime)
        try c.encodeNumber(src.ageSeconds.map { ($0 * 1000).rounded() }, forKey: .ageMs)
        try c.encodeNumber(src.deviation, forKey: .deviation)
        try c.encodeNullable(src.error ?? f.flatMap { $0.consecutiveFailures > 0 ? $0.lastError : nil }, forKey: .error)
        try c.encode(src.accepted, forKey: .accepted)
        try c.encode(src.rejected, forKey: .rejected)
        try c.encodeNullable(src.lastRejected, forKey: .lastRejected)
        try c.encodeNumber(f?.lastLatencySeconds.map { ($0 * 1000 * 10).rounded() / 10 }, forKey: .latencyMs)
        if let f {
            try c.encode(f.consecutiveFailures, forKey: .consecutiveFailures)
            var polls = c.nestedContainer(keyedBy: Key.self, forKey: .polls)
            try polls.encode(f.successes, forKey: .successes)
            try polls.encode(f.failures, forKey: .failures)
        } else {
            try c.encodeNil(forKey: .consecutiveFailures)
            try c.encodeNil(forKey: .polls)
        }
    }
}
