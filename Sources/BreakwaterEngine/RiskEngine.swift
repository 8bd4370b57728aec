/// The pure risk engine: every market's sources, aggregate, volatility, margin and breaker.
///
/// Deterministic and clock-free: quotes arrive with their receive time, and the owner
/// advances the engine on a fixed cadence (`advance(to:)`) so that staleness, quorum loss,
/// halt expiry and recovery happen when time passes, not at the next quote. The clock only
/// moves forward. Events accumulate until `drainEvents()`.
public struct RiskEngine: Sendable {
    public internal(set) var markets: [MarketState]
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
        self.markets = parameters.map { MarketState(parameters: $0, start: start) }
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
        guard markets[q.market].sources.indices.contains(q.source) else { return .unknownSource }
        if let reason = check(q) {
            markets[q.market].sources[q.source].rejected += 1
            return reason
        }
        markets[q.market].sources[q.source].price = q.price
        markets[q.market].sources[q.source].confidence = q.confidence
        markets[q.market].sources[q.source].spread = q.spread
        markets[q.market].sources[q.source].quoteTime = q.time
        if markets[q.market].sources[q.source].lastError != nil { markets[q.market].sources[q.source].lastError = nil }
        markets[q.market].sources[q.source].accepted += 1
        evaluate(q.market)
        return nil
    }

    private func check(_ q: Quote) -> QuoteRejection? {
        guard markets[q.market].sources[q.source].enabled else { return .sourceDisabled }
        guard q.price.isFinite else { return .priceNotFinite }
        guard q.price > 0 else { return .priceNotPositive }
        if let c = q.confidence, !(c.isFinite && c >= 0) { return .confidenceInvalid }
        if let sp = q.spread, !(sp.isFinite && sp >= 0) { return .spreadInvalid }
        guard q.time.isFinite else { return .timeNotFinite }
        if q.time > clock + clockSkewSeconds { return .timeInFuture(aheadSeconds: q.time - clock) }
        let age = clock - q.time
        if age > markets[q.market].parameters.aggregation.maxAgeSeconds { return .tooOld(ageSeconds: age) }
        if let last = markets[q.market].sources[q.source].quoteTime, q.time < last { return .outOfOrder }
        return nil
    }

    /// Moves the clock to `t` (never backwards) and re-evaluates every market.
    public mutating func advance(to t: EpochSeconds) {
        if t.isFinite && t > clock { clock = t }
        for i in order { evaluate(i) }
    }

    mutating func evaluate(_ i: Int) {
        if markets[i].hasNormalizedSources {
            for j in markets[i].sources.indices {
                if let k = markets[i].parameters.sources[j].normalizeBy {
                    markets[i].normalizerPrices[j] = markets[k].aggregate.price
                }
            }
        }
        markets[i].evaluate(at: clock, events: &events)
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
        guard markets.indices.contains(market), markets[market].sources.indices.contains(source) else { return }
        if now.isFinite && now > clock { clock = now }
        markets[market].sources[source].lastError = message
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
