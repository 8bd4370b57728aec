import BreakwaterEngine

/// Per-(market, source) poll statistics, updated by pollers, read by the server.
actor FeedStatisticsStore {
    private var entries: [String: FeedStatistics] = [:]
    private var order: [String] = []

    init(_ sources: [FeedSource]) {
        for s in sources {
            let key = Self.key(s.market, s.id)
            if entries[key] == nil { order.append(key) }
            entries[key] = FeedStatistics(market: s.market, source: s.id, kind: s.kind.rawValue)
        }
    }

    static func key(_ market: String, _ source: String) -> String { "\(market)\u{1F}\(source)" }

    func success(_ s: FeedSource, at: EpochSeconds, latency: Double) {
        update(s) {
            $0.successes += 1
            $0.consecutiveFailures = 0
            $0.lastLatencySeconds = latency
            $0.lastSuccessAt = at
        }
    }

    func failure(_ s: FeedSource, _ error: FeedError, at: EpochSeconds, latency: Double) {
        update(s) {
            $0.failures += 1
            $0.consecutiveFailures += 1
            $0.lastLatencySeconds = latency
            $0.lastFailureAt = at
            $0.lastError = error.message
            $0.lastErrorCode = error.code
        }
    }

    func scheduled(_ s: FeedSource, at: EpochSeconds) { update(s) { $0.nextPollAt = at } }

    func all() -> [FeedStatistics] { order.compactMap { entries[$0] } }

    private func update(_ s: FeedSource, _ body: (inout FeedStatistics) -> Void) {
        let key = Self.key(s.market, s.id)
        var e = entries[key] ?? FeedStatistics(market: s.market, source: s.id, kind: s.kind.rawValue)
        body(&e)
        if entries[key] == nil { order.append(key) }
        entries[key] = e
    }
}
