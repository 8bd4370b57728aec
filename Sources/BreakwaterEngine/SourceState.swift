/// A source's standing as the last evaluation saw it.
public enum SourceStatus: String, Sendable, Codable, CaseIterable {
    /// Fresh and part of the aggregate.
    case ok
    /// Its last quote is older than the market's max age.
    case stale
    /// Fresh but excluded: too far from the median of fresh quotes.
    case outlier
    /// Its feed is failing and it has no fresh quote.
    case error
    /// No quote yet.
    case waiting
    /// Taken out by an operator.
    case disabled
}

/// What the engine remembers about one source of one market (its parameters are in
/// `MarketState.parameters.sources` at the same index; this struct holds only hot state).
public struct SourceState: Sendable, Equatable {
    /// Last accepted price, in the source's own quote currency (before normalization).
    public internal(set) var price: Double?
    public internal(set) var confidence: Double?
    /// Relative bid-ask spread of the last quote, if known.
    public internal(set) var spread: Double?
    public internal(set) var quoteTime: EpochSeconds?
    public internal(set) var status: SourceStatus = .waiting
    /// Status before the last change (for transition events).
    public internal(set) var previousStatus: SourceStatus = .waiting
    /// Relative deviation from the median of fresh quotes at the last evaluation.
    public internal(set) var deviation: Double?
    /// Last error reported by the feed, cleared by the next accepted quote.
    public internal(set) var lastError: String?
    public internal(set) var enabled = true
    public internal(set) var accepted: Int = 0
    public internal(set) var rejected: Int = 0

    /// True when quotes are converted through another market (`normalizeBy`).
    let normalized: Bool

    init(parameters: SourceParameters) {
        normalized = parameters.normalizeBy != nil
    }

    /// Age of the last quote at `t`, seconds.
    public func age(at t: EpochSeconds) -> Double? { quoteTime.map { t - $0 } }
}
