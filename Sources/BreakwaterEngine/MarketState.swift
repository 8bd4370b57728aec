/// Everything the engine tracks for one market, and the evaluation that updates it.
///
/// `evaluate(at:)` runs the pipeline: aggregation -> volatility -> margin -> breaker, and
/// appends an event for every transition.
public struct MarketState: Sendable {
    public let parameters: MarketParameters
    public internal(set) var sources: [SourceState]
    public internal(set) var aggregate: AggregateResult = .empty
    public internal(set) var lastGoodPrice: Double?
    public internal(set) var lastGoodPriceTime: EpochSeconds?
    public internal(set) var volatility: VolatilityEstimator
    public internal(set) var margin: DynamicMargin
    public internal(set) var breaker: CircuitBreaker
    public internal(set) var reference: TimeWeightedMean
    var velocity: PriceVelocity
    /// Current breaker state, reasons and since-time, as of the last evaluation.
    public internal(set) var state: BreakerState = .limit
    public internal(set) var reasons: [ReasonCode] = [.warming]
    var reasonMask: UInt8 = 32
    public internal(set) var since: EpochSeconds
    public internal(set) var spreadWide = false
    public internal(set) var evaluatedAt: EpochSeconds
    /// Normalizing market's price per source (nil when the source is not normalized or it has none).
    var normalizerPrices: [Double?]
    let hasNormalizedSources: Bool

    init(parameters: MarketParameters, start: EpochSeconds) {
        self.parameters = parameters
        sources = parameters.sources.map(SourceState.init(parameters:))
        normalizerPrices = Array(repeating: nil, count: parameters.sources.count)
        hasNormalizedSources = parameters.sources.contains { $0.normalizeBy != nil }
        let m = parameters.margin
        volatility = VolatilityEstimator(sampleSeconds: m.sampleSeconds, halfLifeSeconds: m.halfLifeSeconds,
                                         initialVolatility: m.initialVolatility)
        margin = DynamicMargin(parameters: m, initialVolatilityOverHorizon: volatility.volatility(overSeconds: m.horizonSeconds))
        breaker = CircuitBreaker(parameters: parameters.breaker, warmingUntil: start + parameters.aggregation.maxAgeSeconds)
        reference = TimeWeightedMean(windowSeconds: parameters.breaker.referenceWindowSeconds)
        velocity = PriceVelocity(windowSeconds: parameters.breaker.velocity.windowSeconds)
        since = start
        evaluatedAt = start
    }

    /// The band's reference price: frozen while in limit, else the time-weighted mean.
    public var referencePrice: Double? { breaker.frozenReference ?? reference.mean ?? aggregate.price }

    // MARK: - Evaluation

    /// Re-evaluates the market at `t`; appends transitions to `events`.
    mutating func evaluate(at t: EpochSeconds, events: inout [EngineEvent]) {
        evaluatedAt = max(evaluatedAt, t)
        var changed: UInt64 = 0
        aggregate = aggregate(at: t, changed: &changed)
        if changed != 0 {
            for j in sources.indices where j < 64 && changed & (1 << UInt64(j)) != 0 {
                events.append(EngineEvent(kind: .sourceStatus, market: parameters.id, source: parameters.sources[j].id,
                                          from: sources[j].previousStatus.rawValue, to: sources[j].status.rawValue,
                                          price: aggregate.price, time: t, message: sources[j].lastError))
            }
        }
        let price = aggregate.price
        if let p = price {
            lastGoodPrice = p
            lastGoodPriceTime = aggregate.priceTime
        }
        breaker.expireTimers(at: t)
        breaker.observeHealth(aggregate.health, at: t)
        if breaker.needsReanchor, let p = price {
            reference.reset(price: p, at: t)
            velocity.clear()
            breaker.needsReanchor = false
        }
        reference.observe(price: breaker.limitSince == nil ? price : nil, at: t)
        if let p = price {
            volatility.observe(price: p, at: t)
            if !breaker.automaticHaltActive && breaker.manual == nil {
                breaker.observeVelocity(move: velocity.record(price: p, at: t), at: t)
            }
            if !breaker.automaticHaltActive && breaker.manual == nil {
                breaker.observeBand(price: p, reference: breaker.frozenReference ?? reference.mean ?? p, at: t)
            }
        }
        margin.update(sigmaOverHorizon: volatility.volatility(overSeconds: parameters.margin.horizonSeconds),
                      at: t, holdDecrease: !breaker.allowsMarginDecrease(at: t))
        if let maxSpread = parameters.breaker.maxSpread, let spread = aggregate.medianSpread {
            let wide = spread > maxSpread
            if wide != spreadWide {
                spreadWide = wide
                events.append(EngineEvent(kind: .spread, market: parameters.id, from: wide ? "normal" : "wide",
                                          to: wide ? "wide" : "normal", price: price, time: t,
                                          message: "median spread \(spread)"))
            }
        }
        recordTransition(at: t, events: &events)
    }

    /// Emits a transition event when the state or its reasons changed.
    mutating func recordTransition(at t: EpochSeconds, events: inout [EngineEvent]) {
        let newState = breaker.state(at: t)
        let mask = breaker.reasonMask(at: t)
        guard newState != state || mask != reasonMask else { return }
        reasonMask = mask
        let newReasons = breaker.reasons(at: t)
        events.append(EngineEvent(kind: .breakerTransition, market: parameters.id, from: state.rawValue,
                                  to: newState.rawValue, fromReasons: reasons, reasons: newReasons,
                                  price: aggregate.price ?? lastGoodPrice, time: t))
        if newState != state { since = t }
        state = newState
        reasons = newReasons
    }
}
