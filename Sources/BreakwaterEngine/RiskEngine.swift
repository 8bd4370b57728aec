/// The pure risk engine: every market's sources, aggregate, volatility, margin and breaker.
///
/// Deterministic and clock-free: quotes arrive with their receive time, and the owner
/// advances the engine on a fixed cadence (`advance(to:)`) so that staleness, quorum loss,
/// halt expiry and recovery happen when time passes, not at the next quote. The clock only
/// moves forward. Events accumulate until `drainEvents()`.
public struct RiskEngine: Sendable {
    public internal(set) var markets: [MarketState]
    /// Every market's sources, market after market (`MarketState.firstSource` ..< + `sourceCount`).
    var sources: [SourceState]
    /// Last feed error per entry of `sources` (cold: read for snapshots and events only).
    var sourceErrors: [String?]
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
        var mark = Array(repeating: 0, count: parameters.count) // 0 new, 1 visiting, 2 done
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
        markets.reserveCapacity(parameters.count)
        for p in parameters {
            markets.append(MarketState(parameters: p, firstSource: first, start: start))
            first += p.sources.count
        }
        self.markets = markets
        self.sources = parameters.flatMap { $0.sources.map { SourceState(normalized: $0.normalizeBy != nil) } }
        self.sourceErrors = Array(repeating: nil, count: first)
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
        if now.isFinite && now > clock { clock = now }
        guard markets.indices.contains(q.market) else { return .unknownMarket }
        guard q.source >= 0 && q.source < markets[q.market].sourceCount else { return .unknownSource }
        let k = markets[q.market].firstSource + q.source
        if let reason = check(q, source: sources[k], maxAgeSeconds: markets[q.market].rules.maxAgeSeconds) {
            sources[k].rejectedCount &+= 1
            return reason
        }
        if sources[k].hasError { sourceErrors[k] = nil }
        sources[k].accept(q)
        evaluate(q.market)
        return nil
    }

    private func check(_ q: Quote, source: SourceState, maxAgeSeconds: Double) -> QuoteRejection? {
        guard source.enabled else { return .sourceDisabled }
        guard q.price.isFinite else { return .priceNotFinite }
        guard q.price > 0 else { return .priceNotPositive }
        if let c = q.confidence, !(c.isFinite && c >= 0) { return .confidenceInvalid }
        if let sp = q.spread, !(sp.isFinite && sp >= 0) { return .spreadInvalid }
        guard q.time.isFinite else { return .timeNotFinite }
        if q.time > clock + clockSkewSeconds { return .timeInFuture(aheadSeconds: q.time - clock) }
        let age = clock - q.time
        if age > maxAgeSeconds { return .tooOld(ageSeconds: age) }
        if q.time < source.rawTime { return .outOfOrder }
        return nil
    }

    /// Moves the clock to `t` (never backwards) and re-evaluates every market.
    public mutating func advance(to t: EpochSeconds) {
        if t.isFinite && t > clock { clock = t }
        for i in order { evaluate(i) }
    }

    /// Re-evaluates market `i` at the clock, over its slice of the source arrays.
    mutating func evaluate(_ i: Int) {
        let clock = self.clock
        markets.withUnsafeMutableBufferPointer { markets in
            sources.withUnsafeMutableBufferPointer { states in
                sourceErrors.withUnsafeMutableBufferPointer { errors in
                    let first = markets[i].firstSource, count = markets[i].sourceCount
                    let src = MarketSources(states: states.baseAddress! + first, errors: errors.baseAddress! + first, count: count)
                    guard markets[i].hasNormalizedSources else {
                        markets[i].evaluate(at: clock, sources: src, normalizers: nil, events: &events)
                        return
                    }
                    // Each normalized source converts through its normalizing market's current aggregate.
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { normalizers in
                        let sourceParameters = markets[i].parameters.sources
                        for j in 0..<count {
                            normalizers[j] = sourceParameters[j].normalizeBy.flatMap { markets[$0].aggregate.price } ?? .nan
                        }
                        markets[i].evaluate(at: clock, sources: src, normalizers: UnsafePointer(normalizers.baseAddress!),
                                            events: &events)
                    }
                }
            }
        }
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
        guard markets.indices.contains(market), source >= 0 && source < markets[market].sourceCount else { return }
        if now.isFinite && now > clock { clock = now }
        let k = markets[market].firstSource + source
        sourceErrors[k] = message
        sources[k].hasError = true
        evaluate(market)
    }

    mutating func advanceClock(_ now: EpochSeconds) {
        if now.isFinite && now > clock { clock = now }
    }

    mutating func reevaluate(_ i: Int) { evaluate(i) }

    mutating func appendOperatorEvent(market i: Int, action: String, by: String, message: String?) {
        let m = markets[i]
        events.append(EngineEvent(kind: .operatorAction, market: m.parameters.id, from: by, to: action,
                                  reasons: m.reasons, price: m.aggregate.price, time: clock, message: message))
    }
}
