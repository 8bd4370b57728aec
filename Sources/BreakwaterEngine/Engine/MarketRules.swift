/// The numbers every evaluation of a market reads and never writes: its aggregation rules and
/// its margin horizon. Markets configured alike share one copy (`RiskEngine.rules`, indexed by
/// `MarketState.rulesIndex`), so 10,000 such markets read one cache line between them instead
/// of one line each out of memory.
///
/// Equal when every field has the same bits (an unset `maxSpread` is NaN, and NaN != NaN).
struct MarketRules: Sendable, Hashable {
    let aggregation: AggregationRules
    /// Horizon the margin covers, seconds.
    let horizonSeconds: Double

    init(_ p: MarketParameters) {
        aggregation = AggregationRules(p)
        horizonSeconds = p.margin.horizonSeconds
    }

    /// Every field as bits, for equality and hashing.
    private var bits: [UInt64] {
        let a = aggregation
        return [a.maxAgeSeconds, a.maxDeviation, a.divergenceSpread, a.defaultConfidence, a.maxSpread, horizonSeconds]
            .map(\.bitPattern) + [
                UInt64(bitPattern: Int64(a.minSources)), UInt64(AggregationMethod.allCases.firstIndex(of: a.method)!),
                a.filtersOutliers ? 1 : 0,
            ]
    }

    static func == (l: MarketRules, r: MarketRules) -> Bool { l.bits == r.bits }
    func hash(into hasher: inout Hasher) { hasher.combine(bits) }
}
