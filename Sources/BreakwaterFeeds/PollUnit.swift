import BreakwaterConfig

/// What one poller polls: a single source, or several Pyth sources on the same base URL that
/// share one request (so the venue's rate limit is spent once per interval).
struct PollUnit: Sendable {
    var kind: SourceKind
    var members: [FeedSource]
    /// Seconds between request starts on success: the smallest member interval.
    var intervalSeconds: Double
    /// Whole-poll timeout, seconds: the largest member timeout.
    var timeoutSeconds: Double
    /// For a Pyth batch: the shared base URL.
    var batchBase: String?

    /// One unit per non-push source, except Pyth sources, grouped by base URL.
    static func plan(_ markets: [MarketConfig]) -> [PollUnit] {
        plan(sources: markets.flatMap { m in m.sources.map { FeedSource(market: m.id, config: $0) } })
    }

    /// Same, from sources already converted.
    static func plan(sources: [FeedSource]) -> [PollUnit] {
        var units: [PollUnit] = []
        var pyth: [String: Int] = [:]
        do {
            for s in sources where s.kind != .push {
                if s.kind == .pyth {
                    let base = s.base(PythAdapter.defaultBase)
                    if let i = pyth[base] {
                        units[i].members.append(s)
                        units[i].intervalSeconds = min(units[i].intervalSeconds, s.intervalSeconds)
                        units[i].timeoutSeconds = max(units[i].timeoutSeconds, s.timeoutSeconds)
                        continue
                    }
                    pyth[base] = units.count
                    units.append(
                        PollUnit(
                            kind: .pyth,
                            members: [s],
                            intervalSeconds: s.intervalSeconds,
                            timeoutSeconds: s.timeoutSeconds,
                            batchBase: base
                        )
                    )
                } else {
                    units.append(
                        PollUnit(
                            kind: s.kind,
                            members: [s],
                            intervalSeconds: s.intervalSeconds,
                            timeoutSeconds: s.timeoutSeconds,
                            batchBase: nil
                        )
                    )
                }
            }
        }
        return units
    }
}
