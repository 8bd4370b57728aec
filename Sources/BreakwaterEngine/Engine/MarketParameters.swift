/// How a market's sources are combined into one price.
public enum AggregationMethod: String, Sendable, CaseIterable, Codable {
    /// Median of the remaining quotes (even count: mean of the middle two).
    case median
    /// Pyth's confidence-weighted three-vote aggregation.
    case pyth
}

/// Parameters of aggregation. All fractions are fractions (0.02 = 2 %).
public struct AggregationParameters: Sendable, Equatable {
    public var method: AggregationMethod
    /// Minimum number of sources that must remain after outlier exclusion.
    public var minSources: Int
    /// A quote older than this (seconds) is stale.
    public var maxAgeSeconds: Double
    /// A source further than this fraction from the median of fresh quotes is an outlier.
    /// `nil` switches the outlier pre-filter and the divergence rule off.
    public var maxDeviation: Double?
    /// Confidence as a fraction of price for a source that gives neither confidence nor spread.
    public var defaultConfidence: Double

    public init(
        method: AggregationMethod = .median,
        minSources: Int = 2,
        maxAgeSeconds: Double = 30,
        maxDeviation: Double? = 0.02,
        defaultConfidence: Double = 0.0005
    ) {
        self.method = method
        self.minSources = minSources
        self.maxAgeSeconds = maxAgeSeconds
        self.maxDeviation = maxDeviation
        self.defaultConfidence = defaultConfidence
    }
}

/// The distribution whose quantile turns volatility into margin.
public enum TailDistribution: String, Sendable, CaseIterable, Codable {
    case normal
    /// Student-t scaled to unit variance: t_nu(p) x sqrt((nu - 2) / nu).
    case studentT = "student-t"
    /// Filtered historical simulation: each side's quantile from the market's own
    /// standardized returns over `historySamples` (the Student-t stands in until
    /// `minHistorySamples` are there).
    case filteredHistorical = "filtered-historical"
}

/// Parameters of volatility estimation and dynamic margin.
public struct MarginParameters: Sendable, Equatable {
    /// EWMA half-life in seconds; lambda = 2^(-sampleSeconds / halfLifeSeconds).
    public var halfLifeSeconds: Double
    /// Width of the sampling grid for log returns, seconds.
    public var sampleSeconds: Double
    /// Liquidation horizon the margin must cover, seconds.
    public var horizonSeconds: Double
    /// Coverage probability of the quantile (0.99 = 99 %).
    public var coverage: Double
    public var distribution: TailDistribution
    /// Degrees of freedom of the Student-t (> 2).
    public var tailDegreesOfFreedom: Double
    /// Filtered historical: standardized returns kept per market (the trailing window), >= 2.
    public var historySamples: Int
    /// Filtered historical: returns needed before the empirical quantile replaces the
    /// Student-t, in 2...historySamples.
    public var minHistorySamples: Int
    /// Annualized volatility (fraction, 0.6 = 60 %/yr) that seeds the estimator.
    public var initialVolatility: Double
    /// Lowest maintenance margin, fraction of notional.
    public var maintenanceFloor: Double
    /// maintenance / initial, in (0, 1].
    public var maintenanceRatio: Double
    /// Largest relative rise of the published margin per hour (0.5 = +50 %/h).
    public var maxIncreasePerHour: Double
    /// Largest relative fall of the published margin per hour (0.1 = -10 %/h), in [0, 1).
    public var maxDecreasePerHour: Double

    public init(
        halfLifeSeconds: Double = 3600,
        sampleSeconds: Double = 10,
        horizonSeconds: Double = 3600,
        coverage: Double = 0.99,
        distribution: TailDistribution = .studentT,
        tailDegreesOfFreedom: Double = 4,
        historySamples: Int = 1000,
        minHistorySamples: Int = 500,
        initialVolatility: Double = 0.6,
        maintenanceFloor: Double = 0.01,
        maintenanceRatio: Double = 0.5,
        maxIncreasePerHour: Double = 1.0,
        maxDecreasePerHour: Double = 0.1
    ) {
        self.halfLifeSeconds = halfLifeSeconds
        self.sampleSeconds = sampleSeconds
        self.horizonSeconds = horizonSeconds
        self.coverage = coverage
        self.distribution = distribution
        self.tailDegreesOfFreedom = tailDegreesOfFreedom
        self.historySamples = historySamples
        self.minHistorySamples = minHistorySamples
        self.initialVolatility = initialVolatility
        self.maintenanceFloor = maintenanceFloor
        self.maintenanceRatio = maintenanceRatio
        self.maxIncreasePerHour = maxIncreasePerHour
        self.maxDecreasePerHour = maxDecreasePerHour
    }
}

/// Velocity rule: a fast move halts the market.
public struct VelocityParameters: Sendable, Equatable {
    /// Largest relative change allowed within the window (0.05 = 5 %).
    public var move: Double
    public var windowSeconds: Double
    public var haltSeconds: Double

    public init(move: Double = 0.05, windowSeconds: Double = 60, haltSeconds: Double = 60) {
        self.move = move
        self.windowSeconds = windowSeconds
        self.haltSeconds = haltSeconds
    }
}

/// Parameters of the circuit breaker.
public struct BreakerParameters: Sendable, Equatable {
    /// Half-width of the price band around the reference (0.08 = +/- 8 %).
    public var band: Double
    /// The reference is the time-weighted mean aggregate over this window, seconds.
    public var referenceWindowSeconds: Double
    /// Time outside the band before a halt, seconds.
    public var limitSeconds: Double
    /// Length of a band halt, seconds.
    public var haltSeconds: Double
    public var velocity: VelocityParameters
    /// Spread of fresh quotes ((max - min) / median) above which a market without an
    /// agreeing majority is in divergence. Never below `maxDeviation`.
    public var maxDivergence: Double?
    /// Time the oracle must be healthy without interruption before it is trusted again, seconds.
    public var recoverySeconds: Double
    /// Median bid-ask spread (fraction) above which the market reports its spread as wide.
    public var maxSpread: Double?

    public init(
        band: Double = 0.08,
        referenceWindowSeconds: Double = 300,
        limitSeconds: Double = 15,
        haltSeconds: Double = 120,
        velocity: VelocityParameters = .init(),
        maxDivergence: Double? = nil,
        recoverySeconds: Double = 30,
        maxSpread: Double? = nil
    ) {
        self.band = band
        self.referenceWindowSeconds = referenceWindowSeconds
        self.limitSeconds = limitSeconds
        self.haltSeconds = haltSeconds
        self.velocity = velocity
        self.maxDivergence = maxDivergence
        self.recoverySeconds = recoverySeconds
        self.maxSpread = maxSpread
    }
}

/// One source of a market, as the engine needs it.
public struct SourceParameters: Sendable, Equatable {
    public var id: String
    /// Adapter kind from the config (`coinbase`, `pyth`, `push`, ...); informational to the engine.
    public var kind: String
    /// Index of the market whose aggregate converts this source's quotes (e.g. USDT-USD).
    public var normalizeBy: Int?

    public init(id: String, kind: String, normalizeBy: Int? = nil) {
        self.id = id
        self.kind = kind
        self.normalizeBy = normalizeBy
    }
}

/// Everything the engine needs to know about one market.
public struct MarketParameters: Sendable, Equatable {
    public var id: String
    public var sources: [SourceParameters]
    public var aggregation: AggregationParameters
    public var margin: MarginParameters
    public var breaker: BreakerParameters

    public init(
        id: String,
        sources: [SourceParameters],
        aggregation: AggregationParameters = .init(),
        margin: MarginParameters = .init(),
        breaker: BreakerParameters = .init()
    ) {
        self.id = id
        self.sources = sources
        self.aggregation = aggregation
        self.margin = margin
        self.breaker = breaker
    }
}
