/// The numbers aggregation reads on every update, copied out of `MarketParameters` so that
/// the hot path stays inside the market's own cache lines.
///
/// Fractions are fractions; durations are seconds.
struct AggregationRules: Sendable {
    // Doubles first, small fields last: no padding between them.
    let maxAgeSeconds: Double
    /// A fresh quote further than this from the median is an outlier (when `filtersOutliers`).
    let maxDeviation: Double
    /// Spread of fresh quotes ((max - min) / median) above which a market without an
    /// agreeing majority is in divergence: `maxDivergence`, else `maxDeviation`.
    let divergenceSpread: Double
    let defaultConfidence: Double
    /// Median bid-ask spread above which the market reports a wide spread; NaN when unset.
    let maxSpread: Double
    let minSources: Int
    let method: AggregationMethod
    /// True when `maxDeviation` is set: the outlier pre-filter and the divergence rule are on.
    let filtersOutliers: Bool

    init(_ p: MarketParameters) {
        method = p.aggregation.method
        minSources = p.aggregation.minSources
        maxAgeSeconds = p.aggregation.maxAgeSeconds
        filtersOutliers = p.aggregation.maxDeviation != nil
        maxDeviation = p.aggregation.maxDeviation ?? .infinity
        divergenceSpread = p.breaker.maxDivergence ?? p.aggregation.maxDeviation ?? .infinity
        defaultConfidence = p.aggregation.defaultConfidence
        maxSpread = p.breaker.maxSpread ?? .nan
    }
}
