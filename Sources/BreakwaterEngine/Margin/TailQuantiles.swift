/// Each side's quantile of a loss, in standardized log returns, for one market: the
/// distribution's parametric quantile (the same for both sides), or with filtered historical
/// simulation the empirical quantiles of the market's own standardized returns once
/// `minHistorySamples` are held (the Student-t stands in until then), never below the normal
/// quantile at the coverage: a history of flat prices (every z near 0) must not let a side's
/// margin sink to the floor while its volatility rises (on the S&P 500 backtest in engine.md
/// this bound changes no exception).
///
/// Cold: kept per market outside `MarketState`, read and written at volatility samples only.
public struct TailQuantiles: Sendable, Equatable {
    /// The distribution's quantile at the coverage (unit variance).
    public let parametric: Double
    public let coverage: Double
    /// Returns needed before the history's quantiles take over (filtered historical).
    public let minHistorySamples: Int
    /// The normal quantile at the coverage: the least an empirical quantile counts for.
    public let normalQuantile: Double
    /// The trailing standardized returns (capacity 0 unless filtered historical).
    public private(set) var history: ReturnHistory

    public init(parameters p: MarginParameters) {
        parametric = Quantile.marginQuantile(
            coverage: p.coverage,
            distribution: p.distribution,
            nu: p.tailDegreesOfFreedom
        )
        coverage = p.coverage
        normalQuantile = Quantile.normal(p.coverage)
        let historical = p.distribution == .filteredHistorical
        minHistorySamples = historical ? max(1, p.minHistorySamples) : 0
        history = ReturnHistory(capacity: historical ? p.historySamples : 0)
    }

    /// Records one standardized return (kept only with filtered historical).
    public mutating func record(_ z: Double) {
        if history.capacity > 0 { history.append(z) }
    }

    /// True when the history's quantiles are in use.
    public var usesHistory: Bool { minHistorySamples > 0 && history.count >= minHistorySamples }

    /// Longs' and shorts' quantiles.
    public var sides: (long: Double, short: Double) {
        if usesHistory, let q = history.sideQuantiles(coverage: coverage) {
            return (max(q.long, normalQuantile), max(q.short, normalQuantile))
        }
        return (parametric, parametric)
    }
}
