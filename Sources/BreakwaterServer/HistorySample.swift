public import BreakwaterEngine

/// One sample of a market's recent history for the status page's charts (one per
/// `historyStepSeconds`, 360 kept per market). Prices in the quote currency, margins as
/// fractions of notional; `reference` is nil when the market has no band reference yet.
///
/// Kept small (40 bytes: 360 samples x 1,000 markets is 14 MB): time and prices as `Double`,
/// margins and the band's half-width as `Float` (7 significant digits, enough for a chart;
/// read back as the shortest decimal that `Float` prints, so 0.0123 reads 0.0123).
public struct HistorySample: Sendable, Equatable {
    /// Epoch seconds.
    public var time: EpochSeconds
    /// The aggregate price; NaN when the market had none.
    private var priceValue: Double
    /// The band's reference; NaN before the market has one.
    private var referenceValue: Double
    private var maintenanceValue: Float
    private var targetValue: Float
    private var bandValue: Float
    /// The breaker state at the sample.
    public var state: BreakerState

    public init(
        time: EpochSeconds,
        price: Double?,
        maintenance: Double,
        target: Double,
        reference: Double?,
        bandHalfWidth: Double,
        state: BreakerState
    ) {
        self.time = time
        self.priceValue = price ?? .nan
        self.referenceValue = reference ?? .nan
        self.maintenanceValue = Float(maintenance)
        self.targetValue = Float(target)
        self.bandValue = Float(bandHalfWidth)
        self.state = state
    }

    /// The aggregate price, nil when the market had none.
    public var price: Double? { priceValue.isNaN ? nil : priceValue }
    /// The band's reference; the band is `reference * (1 ± bandHalfWidth)`.
    public var reference: Double? { referenceValue.isNaN ? nil : referenceValue }
    /// Published maintenance margin.
    public var maintenance: Double { Self.decimal(maintenanceValue) }
    /// Maintenance margin the volatility asks for; above `maintenance` while the rise bound holds it back.
    public var target: Double { Self.decimal(targetValue) }
    /// Half-width of the band as a fraction of the reference.
    public var bandHalfWidth: Double { Self.decimal(bandValue) }

    /// The band's lower and upper edges, nil without a reference.
    public var lower: Double? { reference.map { $0 * (1 - bandHalfWidth) } }
    public var upper: Double? { reference.map { $0 * (1 + bandHalfWidth) } }

    /// `f` as the `Double` of the shortest decimal that reads back as `f` (0.01 rather than 0.009999999776).
    static func decimal(_ f: Float) -> Double {
        guard f.isFinite else { return Double(f) }
        return Double(f.description) ?? Double(f)
    }
}
