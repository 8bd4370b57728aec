/// A market's configuration, shared by reference: read on snapshots and events, and per quote
/// only for its normalized sources' normalizing markets (the rest of the per-quote path uses
/// the shared `MarketRules` and the components' own copies).
final class MarketSetup: Sendable {
    let parameters: MarketParameters
    init(_ parameters: MarketParameters) { self.parameters = parameters }
}

/// Everything the engine tracks for one market except its sources (which live in the
/// engine's flat source arrays), and the evaluation that updates it.
///
/// `evaluate` runs the pipeline: aggregation -> volatility -> margin -> breaker, and
/// appends an event for every transition. The struct holds no per-market heap storage on
/// the hot path but the velocity window, so one market's state is one contiguous block.
public struct MarketState: Sendable {
    // Declared hot-first: what every quote reads and writes comes first (with the velocity
    // queues' headers), then the reference window (its scalars, then its 60 buckets of which
    // a quote touches one), then the velocity queues' entries (a quote touches their ends),
    // then what only snapshots read.
    public internal(set) var aggregate: AggregateResult = .empty
    /// Index of this market's `MarketRules` in the engine's shared table (declared here, it
    /// fills the aggregate's tail padding).
    let rulesIndex: Int32
    @PackedOptional public internal(set) var lastGoodPrice: Double? = nil
    @PackedOptional public internal(set) var lastGoodPriceTime: EpochSeconds? = nil
    public internal(set) var volatility: VolatilityEstimator
    public internal(set) var margin: DynamicMargin
    public internal(set) var breaker: CircuitBreaker
    /// Current breaker state, reasons and since-time, as of the last evaluation.
    public internal(set) var state: BreakerState = .limit
    var reasonMask: UInt8 = 32
    public internal(set) var spreadWide = false
    let hasNormalizedSources: Bool
    var velocity: PriceVelocity
    public internal(set) var reference: TimeWeightedMean
    var velocityEntries = PriceVelocity.Entries()
    /// The band's reference when the market last lost its price (the time-weighted mean up to
    /// then, else the last good price): a price back after an outage longer than the reference
    /// window is judged against it, not against itself, and its arrival marks the velocity
    /// window's carry-over. Set only by a loss this engine saw (not by a restored last good
    /// price); cleared when a halt's end re-anchors on a price. Read only while the window is empty.
    @PackedOptional public internal(set) var referenceAtPriceLoss: Double? = nil
    /// The operator's halt, while one is set (the breaker keeps only its end time).
    public internal(set) var manualHalt: ManualHalt?
    public internal(set) var reasons: [ReasonCode] = [.warming]
    /// When the current breaker state began.
    public internal(set) var since: EpochSeconds
    let setup: MarketSetup
    public var parameters: MarketParameters { setup.parameters }

    init(parameters: MarketParameters, start: EpochSeconds, rulesIndex: Int32) {
        self.rulesIndex = rulesIndex
        hasNormalizedSources = parameters.sources.contains { $0.normalizeBy != nil }
        let m = parameters.margin
        volatility = VolatilityEstimator(
            sampleSeconds: m.sampleSeconds,
            halfLifeSeconds: m.halfLifeSeconds,
            initialVolatility: m.initialVolatility
        )
        margin = DynamicMargin(
            parameters: m,
            initialVolatilityOverHorizon: volatility.volatility(overSeconds: m.horizonSeconds)
        )
        breaker = CircuitBreaker(
            parameters: parameters.breaker,
            warmingUntil: start + parameters.aggregation.maxAgeSeconds
        )
        reference = TimeWeightedMean(windowSeconds: parameters.breaker.referenceWindowSeconds)
        velocity = PriceVelocity(windowSeconds: parameters.breaker.velocity.windowSeconds)
        since = start
        setup = MarketSetup(parameters)
    }

    /// The band's reference price: frozen while in limit, else the time-weighted mean.
    /// After an outage that emptied the window, the reference from before it (`referenceAtPriceLoss`).
    /// (Inlined: called on a market in place, an out-of-line call copies the whole state first.)
    @inline(__always)
    public var referencePrice: Double? {
        breaker.frozenReference ?? reference.mean ?? referenceAtPriceLoss ?? aggregate.price
    }

    // MARK: - Evaluation

    /// Re-evaluates the market at `t` over its `sources`; appends transitions to `events`.
    /// `tail` is the market's quantiles (cold: touched at volatility samples only).
    mutating func evaluate(
        at t: EpochSeconds,
        sources: MarketSources,
        normalizers: Slots<Double>?,
        rules marketRules: MarketRules,
        tail: inout TailQuantiles,
        events: inout [EngineEvent]
    ) {
        let rules = marketRules.aggregation
        var changed: UInt64 = 0
        let hadPrice = aggregate.price != nil
        let previousGoodPrice = lastGoodPrice
        aggregate = rules.aggregate(at: t, sources: sources, normalizers: normalizers, changed: &changed)
        if changed != 0 {
            Self.recordSourceChanges(
                changed,
                sources: sources,
                parameters: parameters,
                price: aggregate.price,
                lastGood: (lastGoodPrice, lastGoodPriceTime),
                at: t,
                events: &events
            )
        }
        let price = aggregate.price
        if let p = price {
            lastGoodPrice = p
            lastGoodPriceTime = aggregate.priceTime
        }
        if breaker.expireTimers(at: t) { manualHalt = nil }
        breaker.observeHealth(aggregate.health, at: t)
        if breaker.needsReanchor {
            if let p = price {
                reference.reset(price: p, at: t)
                referenceAtPriceLoss = nil
            } else {
                // A halt that ended while the market has no price: the window restarts empty and
                // the first price back is judged against the reference from before the loss.
                reference.reset(price: nil, at: t)
            }
            velocity.clear()
            breaker.needsReanchor = false
        }
        reference.observe(price: breaker.limitSince == nil ? price : nil, at: t)
        if price == nil && hadPrice { referenceAtPriceLoss = reference.mean ?? previousGoodPrice }
        if let p = price {
            if let z = volatility.sample(price: p, at: t) {
                // Targets move with volatility, which moves at samples only.
                tail.record(z)
                margin.retarget(
                    quantiles: tail.sides,
                    sigmaOverHorizon: volatility.volatility(overSeconds: marketRules.horizonSeconds)
                )
            }
            if !breaker.automaticHaltActive && !breaker.manuallyHalted {
                if !hadPrice, referenceAtPriceLoss != nil, let last = previousGoodPrice {
                    // The first price back after a loss: the move across the gap counts.
                    velocity.carryAcrossOutage(lastPrice: last, at: t, entries: &velocityEntries)
                }
                breaker.observeVelocity(move: velocity.record(price: p, at: t, entries: &velocityEntries), at: t)
            }
            if !breaker.automaticHaltActive && !breaker.manuallyHalted {
                breaker.observeBand(
                    price: p,
                    reference: breaker.frozenReference ?? reference.mean ?? referenceAtPriceLoss ?? p,
                    at: t
                )
            }
        } else {
            volatility.observeNoPrice()
        }
        let newState = breaker.state(at: t)
        margin.update(at: t, holdDecrease: newState != .normal)
        if !rules.maxSpread.isNaN, let spread = aggregate.medianSpread {
            let wide = spread > rules.maxSpread
            if wide != spreadWide {
                spreadWide = wide
                events.append(
                    EngineEvent(
                        kind: .spread,
                        market: parameters.id,
                        from: wide ? "normal" : "wide",
                        to: wide ? "wide" : "normal",
                        price: price,
                        lastGoodPrice: lastGoodPrice,
                        lastGoodPriceTime: lastGoodPriceTime,
                        time: t,
                        message: "median spread \(spread)"
                    )
                )
            }
        }
        recordTransition(to: newState, at: t, events: &events)
    }

    /// Emits a source status event for every bit set in `changed`.
    /// `lastGood` is the market's last good price and its time before this evaluation (carried
    /// when `price` is nil).
    private static func recordSourceChanges(
        _ changed: UInt64,
        sources: MarketSources,
        parameters p: MarketParameters,
        price: Double?,
        lastGood: (price: Double?, time: EpochSeconds?),
        at t: EpochSeconds,
        events: inout [EngineEvent]
    ) {
        for j in 0..<min(sources.count, 64) where changed & (1 << UInt64(j)) != 0 {
            let s = sources[j]
            events.append(
                EngineEvent(
                    kind: .sourceStatus,
                    market: p.id,
                    source: p.sources[j].id,
                    from: s.previousStatus.rawValue,
                    to: s.status.rawValue,
                    price: price,
                    lastGoodPrice: lastGood.price,
                    lastGoodPriceTime: lastGood.time,
                    time: t,
                    message: sources.error(j)
                )
            )
        }
    }

    /// Emits a transition event when the state or its reasons changed.
    @inline(__always)
    mutating func recordTransition(to newState: BreakerState, at t: EpochSeconds, events: inout [EngineEvent]) {
        let mask = breaker.reasonMask(at: t)
        guard newState != state || mask != reasonMask else { return }
        recordChange(to: newState, mask: mask, at: t, events: &events)
    }

    /// The event and new state of `recordTransition`, out of line (most evaluations change nothing).
    @inline(never)
    private mutating func recordChange(
        to newState: BreakerState,
        mask: UInt8,
        at t: EpochSeconds,
        events: inout [EngineEvent]
    ) {
        reasonMask = mask
        let newReasons = breaker.reasons(at: t)
        events.append(
            EngineEvent(
                kind: .breakerTransition,
                market: parameters.id,
                from: state.rawValue,
                to: newState.rawValue,
                fromReasons: reasons,
                reasons: newReasons,
                price: aggregate.price,
                lastGoodPrice: lastGoodPrice,
                lastGoodPriceTime: lastGoodPriceTime,
                time: t
            )
        )
        if newState != state { since = t }
        state = newState
        reasons = newReasons
    }
}
