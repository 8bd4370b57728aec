/// The pure risk engine: every market's sources, aggregate, volatility, margin and breaker.
///
/// Deterministic and clock-free: quotes arrive with their receive time, and the owner
/// advances the engine on a fixed cadence (`advance(to:)`) so that staleness, quorum loss,
/// halt expiry and recovery happen when time passes, not at the next quote. The clock only
/// moves forward. Events accumulate until `drainEvents()`.
public struct RiskEngine: Sendable {
    /// Every market, in configuration order (cache-line aligned: see `LineAlignedArray`).
    public internal(set) var markets: LineAlignedArray<MarketState>
    /// Every market's sources, market after market; market i's are `sourceRanges[i]`.
    var sources: LineAlignedArray<SourceState>
    let sourceRanges: LineAlignedArray<SourceRange>
    /// Last feed error per entry of `sources` (cold: read for snapshots and events only).
    var sourceErrors: LineAlignedArray<String?>
    /// Per market: each side's quantile and, for filtered historical simulation, the
    /// standardized returns (nothing allocated for another distribution). Cold: written at
    /// volatility samples only.
    public internal(set) var tails: LineAlignedArray<TailQuantiles>
    /// Each distinct set of market rules once (markets configured alike share an entry).
    let rules: LineAlignedArray<MarketRules>
    /// Market id -> index in `markets`.
    public let marketIndex: [String: Int]
    /// Per market: source id -> index in that market's sources.
    public let sourceIndex: [[String: Int]]
    /// Evaluation order: a normalizing market before the markets it normalizes.
    let order: [Int]
    /// The latest time the engine has been advanced to (seconds since the epoch).
    public internal(set) var clock: EpochSeconds
    /// How far ahead of the clock a quote's timestamp may be, seconds.
    public let clockSkewSeconds: Double
    var events: [EngineEvent] = []
    /// What advancing the clock changed, per market, since `takeTickChanges()`.
    var tickChanges: TickChangeMarks
    /// Whether `advance(to:)` notes what it changed (for `takeTickChanges()`): off by default,
    /// since comparing every market before and after costs replay a third of its time.
    public var notesTickChanges = false
    /// Offsets inside `MarketState` for prefetching, measured once.
    let layout = MarketLayout()

    public enum SetupError: Error, Equatable, CustomStringConvertible {
        case duplicateMarket(String)
        case duplicateSource(market: String, source: String)
        case badNormalizer(market: String, source: String)
        case normalizationCycle(market: String)

        public var description: String {
            switch self {
            case let .duplicateMarket(m): "duplicate market id \(m)"
            case let .duplicateSource(m, s): "duplicate source id \(s) in market \(m)"
            case let .badNormalizer(m, s): "source \(s) of \(m) is normalized by a market that does not exist"
            case let .normalizationCycle(m): "normalizeBy forms a cycle through market \(m)"
            }
        }
    }

    public init(markets parameters: [MarketParameters], start: EpochSeconds, clockSkewSeconds: Double = 5) throws {
        var index: [String: Int] = [:]
        var sourceIndex: [[String: Int]] = []
        for (i, m) in parameters.enumerated() {
            guard index[m.id] == nil else { throw SetupError.duplicateMarket(m.id) }
            index[m.id] = i
            var sources: [String: Int] = [:]
            for (j, s) in m.sources.enumerated() {
                guard sources[s.id] == nil else { throw SetupError.duplicateSource(market: m.id, source: s.id) }
                sources[s.id] = j
                if let k = s.normalizeBy, !(0..<parameters.count).contains(k) || k == i {
                    throw SetupError.badNormalizer(market: m.id, source: s.id)
                }
            }
            sourceIndex.append(sources)
        }
        // Topological order over normalizeBy edges.
        var order: [Int] = []
        var mark = Array(repeating: 0, count: parameters.count)  // 0 new, 1 visiting, 2 done
        func visit(_ i: Int) throws {
            if mark[i] == 2 { return }
            if mark[i] == 1 { throw SetupError.normalizationCycle(market: parameters[i].id) }
            mark[i] = 1
            for s in parameters[i].sources { if let k = s.normalizeBy { try visit(k) } }
            mark[i] = 2
            order.append(i)
        }
        for i in parameters.indices { try visit(i) }
        var first = 0
        var markets: [MarketState] = []
        var ranges: [SourceRange] = []
        markets.reserveCapacity(parameters.count)
        var rules: [MarketRules] = []
        var rulesIndex: [MarketRules: Int32] = [:]
        for p in parameters {
            let r = MarketRules(p)
            let k =
                rulesIndex[r]
                ?? {
                    rules.append(r)
                    rulesIndex[r] = Int32(rules.count - 1)
                    return Int32(rules.count - 1)
                }()
            markets.append(MarketState(parameters: p, start: start, rulesIndex: k))
            ranges.append(SourceRange(first: Int32(first), count: Int32(p.sources.count)))
            first += p.sources.count
        }
        // A market converting through another warms while that one does: until then the
        // normalizing market's own sources may still be on their way, so the converted quotes
        // are not all in either. Normalizing markets come first in `order`, so chains carry over.
        for i in order {
            for s in parameters[i].sources {
                if let k = s.normalizeBy { markets[i].breaker.warm(until: markets[k].breaker.warmingUntil) }
            }
        }
        self.markets = LineAlignedArray(markets)
        self.sourceRanges = LineAlignedArray(ranges)
        self.rules = LineAlignedArray(rules)
        self.sources = LineAlignedArray(
            parameters.flatMap { $0.sources.map { SourceState(normalized: $0.normalizeBy != nil) } }
        )
        self.sourceErrors = LineAlignedArray(repeatElement(nil, count: first))
        self.tails = LineAlignedArray(parameters.map { TailQuantiles(parameters: $0.margin) })
        self.tickChanges = TickChangeMarks(markets: parameters.count)
        self.marketIndex = index
        self.sourceIndex = sourceIndex
        self.order = order
        self.clock = start
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// Finds a market and source by id.
    public func locate(market: String, source: String) -> (market: Int, source: Int)? {
        guard let m = marketIndex[market], let s = sourceIndex[m][source] else { return nil }
        return (m, s)
    }

    /// Validates and applies a quote received at `now`, then re-evaluates its market.
    /// Returns why the quote was refused, or nil when it was accepted.
    @discardableResult
    public mutating func ingest(_ q: Quote, at now: EpochSeconds) -> QuoteRejection? {
        advanceClock(now)
        let clock = self.clock
        let skew = clockSkewSeconds
        return withMemory { memory, events in
            // Ask for all of the market's memory at once, so its cache misses overlap
            // instead of following one another.
            memory.prefetchMarket(q.market)
            memory.prefetchWindows(q.market)
            return memory.ingest(q, clock: clock, skewSeconds: skew, events: &events)
        }
    }

    /// Applies `quotes` received together at `now`, in order, with exactly the results of
    /// calling `ingest(_:at:)` for each; returns the refused ones by index. While one quote
    /// is evaluated, the memory of the next two is fetched, so a batch spread over many
    /// markets does not wait on each market's state in turn (POST /v1/prices takes this path).
    public mutating func ingest(_ quotes: [Quote], at now: EpochSeconds) -> [(index: Int, reason: QuoteRejection)] {
        guard !quotes.isEmpty else { return [] }  // no quote, no call: the clock stays
        advanceClock(now)
        let clock = self.clock
        let skew = clockSkewSeconds
        return withMemory { memory, events in
            quotes.withUnsafeBufferPointer { batch in
                var refused: [(index: Int, reason: QuoteRejection)] = []
                let n = batch.count
                // Two stages: a market's own lines `marketAhead` quotes ahead, then the lines
                // whose places those lines hold `windowsAhead` quotes ahead.
                let marketAhead = 2
                let windowsAhead = 1
                for i in 0..<min(n, marketAhead) { memory.prefetchMarket(batch[i].market) }
                for i in 0..<min(n, windowsAhead) { memory.prefetchWindows(batch[i].market) }
                for i in 0..<n {
                    if i + marketAhead < n { memory.prefetchMarket(batch[i + marketAhead].market) }
                    if i + windowsAhead < n { memory.prefetchWindows(batch[i + windowsAhead].market) }
                    if let reason = memory.ingest(batch[i], clock: clock, skewSeconds: skew, events: &events) {
                        refused.append((i, reason))
                    }
                }
                return refused
            }
        }
    }

    /// Applies `quotes` stamped at the same instant (a recording with one timestamp for every
    /// source's price of that second): all are stored first, then each market they touch is
    /// evaluated once, so the first source stored is not judged an outlier against its peers'
    /// older prices. Returns the refused ones by index.
    public mutating func ingestSimultaneous(
        _ quotes: [Quote],
        at now: EpochSeconds
    ) -> [(index: Int, reason: QuoteRejection)] {
        guard !quotes.isEmpty else { return [] }
        advanceClock(now)
        let clock = self.clock
        let skew = clockSkewSeconds
        let order = self.order
        return withMemory { memory, events in
            var refused: [(index: Int, reason: QuoteRejection)] = []
            var touched = Set<Int>()
            for (i, q) in quotes.enumerated() {
                if let reason = memory.store(q, clock: clock, skewSeconds: skew) {
                    refused.append((i, reason))
                } else {
                    touched.insert(q.market)
                }
            }
            // Normalizing markets before the markets they convert.
            for i in order where touched.contains(i) { memory.evaluate(i, at: clock, events: &events) }
            return refused
        }
    }

    /// Moves the clock to `t` (never backwards) and re-evaluates every market, noting which
    /// ones it changed when `notesTickChanges` (see `takeTickChanges()`).
    public mutating func advance(to t: EpochSeconds) {
        advanceClock(t)
        let clock = self.clock
        let order = self.order
        guard notesTickChanges else {
            withMemory { memory, events in
                for i in order { memory.evaluate(i, at: clock, events: &events) }
            }
            return
        }
        var marks = tickChanges
        tickChanges = TickChangeMarks(markets: 0)
        withMemory { memory, events in
            for i in order { memory.evaluateNotingChanges(i, at: clock, events: &events, marks: &marks) }
        }
        tickChanges = marks
    }

    /// The markets that advancing the clock changed since the last call (see `TickChanges`;
    /// noted only while `notesTickChanges`), then nothing. Quotes, source errors and operator actions are not noted: their callers
    /// know which market they touched.
    public mutating func takeTickChanges() -> TickChanges { tickChanges.take() }

    /// Re-evaluates market `i` at the clock.
    mutating func evaluate(_ i: Int) {
        let clock = self.clock
        withMemory { memory, events in memory.evaluate(i, at: clock, events: &events) }
    }

    /// Runs `body` with the per-market arrays as pointers and the event list.
    private mutating func withMemory<R>(_ body: (EngineMemory, inout [EngineEvent]) -> R) -> R {
        markets.withElements { markets in
            sources.withElements { states in
                sourceErrors.withElements { errors in
                    tails.withElements { tails in
                        sourceRanges.withReadOnlyElements { ranges in
                            rules.withReadOnlyElements { rules in
                                body(
                                    EngineMemory(
                                        markets: markets,
                                        ranges: ranges,
                                        sources: states,
                                        errors: errors,
                                        tails: tails,
                                        rules: rules,
                                        layout: layout
                                    ),
                                    &events
                                )
                            }
                        }
                    }
                }
            }
        }
    }

    /// Index in the flat source arrays of source `j` of market `i`, if both exist.
    func sourceIndex(market i: Int, source j: Int) -> Int? {
        guard i >= 0 && i < sourceRanges.count, j >= 0 && j < Int(sourceRanges[i].count) else { return nil }
        return Int(sourceRanges[i].first) + j
    }

    /// Source `j` of market `i`, as the last evaluation left it.
    public func source(market i: Int, _ j: Int) -> SourceState {
        guard let k = sourceIndex(market: i, source: j) else { preconditionFailure("no source \(j) in market \(i)") }
        return sources[k]
    }

    /// The configured kind (`coinbase`, `push`, ...) of source `j` of market `i`, without
    /// copying the market's state.
    public func sourceKind(market i: Int, source j: Int) -> String? {
        guard sourceIndex(market: i, source: j) != nil else { return nil }
        return markets[i].setup.parameters.sources[j].kind
    }

    /// Returns and clears the events emitted since the last call, in time order.
    public mutating func drainEvents() -> [EngineEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    /// True when events are waiting to be drained.
    public var hasEvents: Bool { !events.isEmpty }

    /// Records a feed failure for a source; it becomes `error` once it has no fresh quote.
    public mutating func reportSourceError(market: Int, source: Int, message: String, at now: EpochSeconds) {
        guard let k = sourceIndex(market: market, source: source) else { return }
        advanceClock(now)
        sourceErrors[k] = message
        sources[k].hasError = true
        evaluate(market)
    }

    mutating func advanceClock(_ now: EpochSeconds) {
        if now.isFinite && now > clock { clock = now }
    }

    mutating func appendOperatorEvent(market i: Int, action: String, by: String, message: String?) {
        let m = markets[i]
        events.append(
            EngineEvent(
                kind: .operatorAction,
                market: m.parameters.id,
                from: by,
                to: action,
                reasons: m.reasons,
                price: m.aggregate.price,
                lastGoodPrice: m.lastGoodPrice,
                lastGoodPriceTime: m.lastGoodPriceTime,
                time: clock,
                message: message
            )
        )
    }
}
