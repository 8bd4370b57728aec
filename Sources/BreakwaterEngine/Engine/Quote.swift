/// Seconds since the Unix epoch (1970-01-01T00:00:00Z), fractional.
///
/// The engine never reads a clock: every time it sees is one of these, passed in.
public typealias EpochSeconds = Double

/// One price observation from one source for one market, as the engine ingests it.
///
/// Prices are in the market's quote currency before normalization (a `normalizeBy`
/// source quotes in the normalizing market's base, e.g. USDT, and the engine converts).
public struct Quote: Sendable, Equatable {
    /// Index of the market in the engine's market list.
    public var market: Int
    /// Index of the source within that market's source list.
    public var source: Int
    /// Prices the engine accepts, in any quote currency: 1e-12 (below the smallest memecoin
    /// price) to 1e15 (beyond any asset's), so sums over a window cannot overflow.
    public static let plausiblePrices: ClosedRange<Double> = 1e-12...1e15
    /// `plausiblePrices` for messages.
    static let plausiblePricesText = "1e-12 ... 1e15"

    /// Price, strictly positive and finite.
    public var price: Double
    /// Confidence half-width in price units (>= 0; > 0 in a market aggregated by `pyth`), if
    /// the source publishes one.
    public var confidence: Double?
    /// Bid-ask spread as a fraction of the mid (0.001 = 10 bp), if the source gives bid and ask.
    public var spread: Double?
    /// When the source says the price was observed.
    public var time: EpochSeconds

    public init(
        market: Int,
        source: Int,
        price: Double,
        confidence: Double? = nil,
        spread: Double? = nil,
        time: EpochSeconds
    ) {
        self.market = market
        self.source = source
        self.price = price
        self.confidence = confidence
        self.spread = spread
        self.time = time
    }
}

/// Why the engine refused a quote. Each has a stable machine-readable `code`.
public enum QuoteRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownMarket
    case unknownSource
    case sourceDisabled
    case priceNotFinite
    case priceNotPositive
    /// Positive but outside `Quote.plausiblePrices`: no asset trades there, and such values
    /// would overflow (or underflow to 0) in the time-weighted mean and the median.
    case priceOutOfRange
    case confidenceInvalid
    case spreadInvalid
    case timeNotFinite
    /// The quote's time is further ahead of the engine clock than the skew tolerance.
    case timeInFuture(aheadSeconds: Double)
    /// The quote is older than the market's `maxAge` already on arrival.
    case tooOld(ageSeconds: Double)
    /// The quote is older than the last one accepted from the same source.
    case outOfOrder

    /// Machine-readable reason, e.g. `too_old`.
    public var code: String { Self.codes[Int(codeIndex)] }

    /// Every code, in a fixed order: `codeIndex` is a place in it (a source keeps that one
    /// byte in its cache line instead of the string).
    public static let codes = [
        "unknown_market", "unknown_source", "source_disabled", "price_not_finite",
        "price_not_positive", "price_out_of_range", "confidence_invalid", "spread_invalid",
        "time_not_finite", "time_in_future", "too_old", "out_of_order",
    ]

    /// Place of this reason's code in `codes`.
    var codeIndex: UInt8 {
        switch self {
        case .unknownMarket: 0
        case .unknownSource: 1
        case .sourceDisabled: 2
        case .priceNotFinite: 3
        case .priceNotPositive: 4
        case .priceOutOfRange: 5
        case .confidenceInvalid: 6
        case .spreadInvalid: 7
        case .timeNotFinite: 8
        case .timeInFuture: 9
        case .tooOld: 10
        case .outOfOrder: 11
        }
    }

    public var description: String {
        switch self {
        case .unknownMarket: "unknown market"
        case .unknownSource: "source not configured for this market"
        case .sourceDisabled: "source is disabled"
        case .priceNotFinite: "price is not a finite number"
        case .priceNotPositive: "price must be greater than zero"
        case .priceOutOfRange: "price is outside \(Quote.plausiblePricesText)"
        case .confidenceInvalid: "confidence must be a finite number >= 0 (> 0 in a market aggregated by pyth)"
        case .spreadInvalid: "spread must be a finite fraction >= 0"
        case .timeNotFinite: "timestamp is not a finite number"
        case let .timeInFuture(ahead):
            "timestamp is \(formatSeconds(ahead)) ahead of the clock (beyond the skew tolerance)"
        case let .tooOld(age): "timestamp is \(formatSeconds(age)) old, not younger than the market's max age"
        case .outOfOrder: "timestamp is older than the source's previous quote"
        }
    }
}

func formatSeconds(_ s: Double) -> String {
    if !s.isFinite { return "\(s) s" }
    let rounded = (s * 1000).rounded() / 1000
    return "\(rounded) s"
}
