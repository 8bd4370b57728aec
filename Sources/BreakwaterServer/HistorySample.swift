public import BreakwaterEngine

/// One sample of a market's recent history for the status page's charts (one per
/// `historyStepSeconds`, 360 kept per market). Prices in the quote currency, margins as
/// fractions of notional; `reference` is nil when the market has no band reference yet.
public struct HistorySample: Sendable, Equatable {
    /// Epoch seconds.
    public var time: EpochSeconds
    /// The aggregate price, nil when the market had none.
    public var price: Double?
    /// Published maintenance margin.
    public var maintenance: Double
    /// Maintenance margin the volatility asks for; above `maintenance` while the rise bound holds it back.
    public var target: Double
    /// The price band's reference; the band is `reference * (1 ± bandHalfWidth)`.
    public var reference: Double?
    /// Half-width of the band as a fraction of the reference.
    public var bandHalfWidth: Double
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
        self.price = price
        self.maintenance = maintenance
        self.target = target
        self.reference = reference
        self.bandHalfWidth = bandHalfWidth
        self.state = state
    }

    /// The band's lower and upper edges, nil without a reference.
    public var lower: Double? { reference.map { $0 * (1 - bandHalfWidth) } }
    public var upper: Double? { reference.map { $0 * (1 + bandHalfWidth) } }
}
