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

/// What the engine remembers about one source of one market: only hot state, one cache
/// line (64 bytes). Its parameters are in `MarketParameters.sources` at the same index; its
/// last feed error, a string, lives beside it in `RiskEngine.sourceErrors` (cold).
///
/// Stored doubles use NaN for "none" so that no optional padding doubles the size; the
/// public accessors return optionals.
public struct SourceState: Sendable {
    var rawPrice: Double = .nan
    var rawConfidence: Double = .nan
    var rawSpread: Double = .nan
    var rawTime: Double = .nan
    var rawDeviation: Double = .nan
    var acceptedCount: UInt64 = 0
    var rejectedCount: UInt64 = 0
    public internal(set) var status: SourceStatus = .waiting
    /// Status before the last change (for transition events).
    public internal(set) var previousStatus: SourceStatus = .waiting
    public internal(set) var enabled = true
    /// True while the feed's last report was an error (cleared by the next accepted quote).
    var hasError = false
    /// True while that error is the engine's own failure to convert the quote (`normalizeBy`),
    /// which ends as soon as a conversion works again.
    var conversionFailed = false
    /// True when quotes are converted through another market (`normalizeBy`).
    let normalized: Bool
    /// Why the last refused quote was refused: 1 + its place in `QuoteRejection.codes`, 0 for none.
    var lastRejection: UInt8 = 0

    init(normalized: Bool) { self.normalized = normalized }

    /// Last accepted price, in the source's own quote currency (before normalization).
    public var price: Double? { rawPrice.isNaN ? nil : rawPrice }
    /// Confidence half-width of the last quote, price units, if the source gave one.
    public var confidence: Double? { rawConfidence.isNaN ? nil : rawConfidence }
    /// Relative bid-ask spread of the last quote (fraction), if known.
    public var spread: Double? { rawSpread.isNaN ? nil : rawSpread }
    /// The last accepted quote's time (seconds since the epoch).
    public var quoteTime: EpochSeconds? { rawTime.isNaN ? nil : rawTime }
    /// Relative deviation from the median of fresh quotes at the last evaluation (fraction,
    /// signed: positive when the source is above the median).
    public var deviation: Double? { rawDeviation.isNaN ? nil : rawDeviation }
    public var accepted: Int { Int(clamping: acceptedCount) }
    public var rejected: Int { Int(clamping: rejectedCount) }
    /// Code of the last refused quote's reason (`too_old`, `out_of_order`...), if any was refused.
    public var lastRejectionCode: String? { lastRejection == 0 ? nil : QuoteRejection.codes[Int(lastRejection) - 1] }

    /// Age of the last quote at `t`, seconds.
    public func age(at t: EpochSeconds) -> Double? { quoteTime.map { t - $0 } }

    /// Stores an accepted quote (already validated).
    mutating func accept(_ q: Quote) {
        rawPrice = q.price
        rawConfidence = q.confidence ?? .nan
        rawSpread = q.spread ?? .nan
        rawTime = q.time
        hasError = false
        acceptedCount &+= 1
    }
}
