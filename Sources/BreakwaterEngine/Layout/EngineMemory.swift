import BreakwaterPrefetch

/// The engine's per-market arrays as pointers, for the length of one piece of work (a
/// quote, a batch, a tick): ingestion and evaluation run on these, and batches use them to
/// prefetch the memory of the quotes ahead.
///
/// Valid only inside `RiskEngine.withMemory`; never stored.
struct EngineMemory {
    let markets: LineAlignedArray<MarketState>.Elements
    let ranges: LineAlignedArray<SourceRange>.ReadOnlyElements
    let sources: LineAlignedArray<SourceState>.Elements
    let errors: LineAlignedArray<String?>.Elements
    /// Per market: its quantiles and filtered-historical returns (cold).
    let tails: LineAlignedArray<TailQuantiles>.Elements
    /// The shared rules tables; market i's are `rules[markets[i].rulesIndex]`.
    let rules: LineAlignedArray<MarketRules>.ReadOnlyElements
    let layout: MarketLayout

    /// Market `i`'s entry in the shared rules table.
    @inline(__always)
    func rules(of i: Int) -> UnsafePointer<MarketRules> {
        rules.address(Int(markets[i].rulesIndex)).assumingMemoryBound(to: MarketRules.self)
    }

    /// Market `i`'s slice of the source arrays.
    func sources(of i: Int) -> MarketSources {
        let range = ranges[i]
        // Source states sit at their natural 64-byte stride (checked by LineAlignedArrayTests),
        // so the slice is an ordinary pointer.
        let states = sources.address(Int(range.first)).assumingMemoryBound(to: SourceState.self)
        return MarketSources(
            states: states,
            errors: errors.address(Int(range.first)).assumingMemoryBound(to: String?.self),
            count: Int(range.count)
        )
    }

    /// Validates `q` at `clock`, stores it, and re-evaluates its market. Returns why the
    /// quote was refused, or nil when it was accepted.
    func ingest(_ q: Quote, clock: EpochSeconds, skewSeconds: Double, events: inout [EngineEvent]) -> QuoteRejection? {
        if let reason = store(q, clock: clock, skewSeconds: skewSeconds) { return reason }
        evaluate(q.market, at: clock, events: &events)
        return nil
    }

    /// Validates `q` at `clock` and stores it, without re-evaluating its market. Returns why
    /// the quote was refused, or nil when it was stored.
    func store(_ q: Quote, clock: EpochSeconds, skewSeconds: Double) -> QuoteRejection? {
        guard q.market >= 0 && q.market < markets.count else { return .unknownMarket }
        let range = ranges[q.market]
        guard q.source >= 0 && q.source < Int(range.count) else { return .unknownSource }
        let k = Int(range.first) + q.source
        let aggregation = rules(of: q.market).pointee.aggregation
        if let reason = Self.check(
            q,
            source: sources[k],
            maxAgeSeconds: aggregation.maxAgeSeconds,
            confidenceMustBePositive: aggregation.method == .pyth,
            clock: clock,
            skewSeconds: skewSeconds
        ) {
            sources[k].rejectedCount &+= 1
            sources[k].lastRejection = reason.codeIndex &+ 1
            return reason
        }
        if sources[k].hasError { errors[k] = nil }
        sources[k].accept(q)
        return nil
    }

    /// Why `q` is refused, or nil. `confidenceMustBePositive` in a market aggregated by `pyth`,
    /// where a source with confidence 0 is invalid (Pyth's rule; left out, a confidence
    /// defaults to half the spread or `defaultConfidence` x price).
    static func check(
        _ q: Quote,
        source: SourceState,
        maxAgeSeconds: Double,
        confidenceMustBePositive: Bool,
        clock: EpochSeconds,
        skewSeconds: Double
    ) -> QuoteRejection? {
        guard source.enabled else { return .sourceDisabled }
        guard q.price.isFinite else { return .priceNotFinite }
        guard q.price > 0 else { return .priceNotPositive }
        guard Quote.plausiblePrices.contains(q.price) else { return .priceOutOfRange }
        if let c = q.confidence, !(c.isFinite && (confidenceMustBePositive ? c > 0 : c >= 0)) {
            return .confidenceInvalid
        }
        if let sp = q.spread, !(sp.isFinite && sp >= 0) { return .spreadInvalid }
        guard q.time.isFinite else { return .timeNotFinite }
        if q.time > clock + skewSeconds { return .timeInFuture(aheadSeconds: q.time - clock) }
        let age = clock - q.time
        if age >= maxAgeSeconds { return .tooOld(ageSeconds: age) }  // fresh means younger than max age
        if q.time < source.rawTime { return .outOfOrder }
        return nil
    }

    /// Re-evaluates market `i` at `clock` over its sources.
    func evaluate(_ i: Int, at clock: EpochSeconds, events: inout [EngineEvent]) {
        let src = sources(of: i)
        let marketRules = rules(of: i)
        guard markets[i].hasNormalizedSources else {
            markets[i].evaluate(
                at: clock,
                sources: src,
                normalizers: nil,
                rules: marketRules.pointee,
                tail: &tails[i],
                events: &events
            )
            return
        }
        // Each normalized source converts through its normalizing market's current aggregate.
        Slots<Double>.withScratch(count: src.count) { normalizers in
            let sourceParameters = markets[i].parameters.sources
            for j in 0..<src.count {
                normalizers[j] = sourceParameters[j].normalizeBy.flatMap { markets[$0].aggregate.price } ?? .nan
            }
            markets[i].evaluate(
                at: clock,
                sources: src,
                normalizers: normalizers,
                rules: marketRules.pointee,
                tail: &tails[i],
                events: &events
            )
        }
    }

    // MARK: - Prefetch (hints only: they never change a result)
    // Built with -DBREAKWATER_NO_PREFETCH they do nothing, for EngineBenchmark to measure
    // what they bring (docs/benchmarks.md).

    /// First stage, two quotes ahead: the hot lines of market `i`.
    func prefetchMarket(_ i: Int) {
        #if BREAKWATER_NO_PREFETCH
        return
        #endif
        guard i >= 0 && i < markets.count else { return }
        let base = UnsafeRawPointer(markets.address(i))
        var offset = 0
        while offset < layout.hotBytes {
            breakwater_prefetch(base + offset)
            offset += 64
        }
    }

    /// Second stage, one quote ahead (market `i`'s hot lines are arriving by now): its
    /// sources and the ends of the velocity queues, whose places are read from those hot
    /// lines. Split from the first stage so that fewer loads are in flight at once (a core
    /// tracks only about ten).
    func prefetchWindows(_ i: Int) {
        #if BREAKWATER_NO_PREFETCH
        return
        #endif
        guard i >= 0 && i < markets.count else { return }
        let first = UnsafeRawPointer(sources.address(Int(ranges[i].first)))
        let bytes = Int(ranges[i].count) * MemoryLayout<SourceState>.stride
        var offset = 0
        while offset < bytes {
            breakwater_prefetch(first + offset)
            offset += 64
        }
        let base = UnsafeRawPointer(markets.address(i))
        Self.prefetchEnds(queue: base + layout.highQueue, ring: base + layout.highRing)
        Self.prefetchEnds(queue: base + layout.lowQueue, ring: base + layout.lowRing)
    }

    /// The ring entries the next push of the velocity queue whose header is at `queue` and
    /// ring at `ring` reads and writes. Reads the header (only its integers, so nothing is
    /// retained): call it once the header is in cache.
    private static func prefetchEnds(queue: UnsafeRawPointer, ring: UnsafeRawPointer) {
        let slots = queue.assumingMemoryBound(to: MonotoneQueue.self).pointee.nextPushSlots
        let stride = MemoryLayout<MonotoneQueue.Entry>.stride
        breakwater_prefetch(ring + slots.newest * stride)
        breakwater_prefetch(ring + slots.next * stride)
    }
}
