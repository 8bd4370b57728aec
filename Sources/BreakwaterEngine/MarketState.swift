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

    // MARK: - Aggregation

    mutating func aggregate(at t: EpochSeconds, scratch s: inout AggregationScratch) -> AggregateResult {
        let agg = parameters.aggregation
        s.clear()
        for j in sources.indices {
            guard sources[j].enabled else { sources[j].status = .disabled; sources[j].deviation = nil; continue }
            guard let raw = sources[j].price, let qt = sources[j].quoteTime else {
                sources[j].status = sources[j].lastError == nil ? .waiting : .error
                continue
            }
            if t - qt > agg.maxAgeSeconds {
                sources[j].status = sources[j].lastError == nil ? .stale : .error
                sources[j].deviation = nil
                continue
            }
            var factor = 1.0
            if sources[j].normalized {
                guard let n = normalizerPrices[j] else {
                    sources[j].status = .error
                    sources[j].lastError = "normalizing market has no price"
                    continue
                }
                factor = n
            }
            let p = raw * factor
            var c = (sources[j].confidence ?? 0) * factor
            if !(c > 0) { c = sources[j].spread.map { $0 * p / 2 } ?? 0 }
            if !(c > 0) { c = agg.defaultConfidence * p }
            s.prices.append(p)
            s.confidences.append(c)
            s.times.append(qt)
            s.sourceIndex.append(j)
            if let sp = sources[j].spread { s.spreads.append(sp) }
            sources[j].status = .ok
        }
        let n = s.prices.count
        var result = AggregateResult(price: nil, confidence: nil, priceTime: nil, health: .ok,
                                     freshSources: n, usedSources: 0,
                                     medianSpread: Aggregation.median(sorting: &s.spreads))
        if n == 0 {
            result.health = .quorumLost
            return result
        }
        // Outlier pre-filter and divergence.
        s.sorted.removeAll(keepingCapacity: true)
        s.sorted.append(contentsOf: s.prices)
        Aggregation.sortSmall(&s.sorted)
        let med = Aggregation.medianOfSorted(s.sorted)
        var excludeBeyond = Double.infinity
        if let maxDev = agg.maxDeviation {
            var agree = 0
            for i in 0..<n {
                let dev = abs(s.prices[i] - med) / med
                sources[s.sourceIndex[i]].deviation = dev
                if dev <= maxDev { agree += 1 }
            }
            if agree * 2 > n {
                excludeBeyond = maxDev
            } else {
                let spread = (s.sorted[n - 1] - s.sorted[0]) / med
                if spread > (parameters.breaker.maxDivergence ?? maxDev) { result.health = .divergence }
            }
        } else {
            for i in 0..<n { sources[s.sourceIndex[i]].deviation = abs(s.prices[i] - med) / med }
        }
        // Compact the remaining quotes to the front.
        var used = 0
        var oldest = Double.infinity
        for i in 0..<n {
            let j = s.sourceIndex[i]
            if let dev = sources[j].deviation, dev > excludeBeyond {
                sources[j].status = .outlier
                continue
            }
            s.prices[used] = s.prices[i]
            s.confidences[used] = s.confidences[i]
            oldest = min(oldest, s.times[i])
            used += 1
        }
        s.prices.removeLast(n - used)
        s.confidences.removeLast(n - used)
        result.usedSources = used
        guard result.health == .ok else { return result }
        guard used >= agg.minSources, used > 0 else {
            result.health = .quorumLost
            return result
        }
        switch agg.method {
        case .median:
            s.sorted.removeAll(keepingCapacity: true)
            s.sorted.append(contentsOf: s.prices)
            Aggregation.sortSmall(&s.sorted)
            let price = Aggregation.medianOfSorted(s.sorted)
            // Confidence: the larger of the median source confidence and the median absolute deviation.
            for i in 0..<used { s.sorted[i] = abs(s.prices[i] - price) }
            Aggregation.sortSmall(&s.sorted)
            let mad = Aggregation.medianOfSorted(s.sorted)
            let medianConfidence = Aggregation.median(sorting: &s.confidences) ?? 0
            result.price = price
            result.confidence = max(mad, medianConfidence)
        case .pyth:
            guard let (price, conf) = Aggregation.pyth(prices: s.prices, confidences: s.confidences, votes: &s.votes),
                  price > 0, price.isFinite else {
                result.health = .quorumLost
                return result
            }
            result.price = price
            result.confidence = conf
        }
        result.priceTime = oldest
        return result
    }

    // MARK: - Evaluation

    /// Re-evaluates the market at `t`; appends transitions to `events`.
    mutating func evaluate(at t: EpochSeconds, scratch: inout AggregationScratch, events: inout [EngineEvent]) {
        scratch.statuses.removeAll(keepingCapacity: true)
        for j in sources.indices { scratch.statuses.append(sources[j].status) }
        evaluatedAt = max(evaluatedAt, t)
        aggregate = aggregate(at: t, scratch: &scratch)
        for j in sources.indices where sources[j].status != scratch.statuses[j] {
            events.append(EngineEvent(kind: .sourceStatus, market: parameters.id, source: sources[j].parameters.id,
                                      from: scratch.statuses[j].rawValue, to: sources[j].status.rawValue,
                                      price: aggregate.price, time: t, message: sources[j].lastError))
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
