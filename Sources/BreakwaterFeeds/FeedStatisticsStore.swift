import BreakwaterConfig
import BreakwaterEngine
import Metrics

/// Per-(market, source) poll statistics, updated by pollers, read by the server (JSON), and
/// recorded as they change in `FeedPollMetrics` (Prometheus).
actor FeedStatisticsStore {
    private var entries: [String: FeedStatistics] = [:]
    private var order: [String] = []
    private var metrics: [String: FeedPollMetrics] = [:]
    private let factory: any MetricsFactory

    init(_ sources: [FeedSource], metrics factory: any MetricsFactory) {
        self.factory = factory
        for s in sources {
            let key = Self.key(s.market, s.id)
            if entries[key] == nil { order.append(key) }
            entries[key] = FeedStatistics(market: s.market, source: s.id, kind: s.kind.rawValue)
            metrics[key] = FeedPollMetrics(market: s.market, source: s.id, factory: factory)
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
        record(s, failed: false, latency: latency)
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
        record(s, failed: true, latency: latency)
    }

    func scheduled(_ s: FeedSource, at: EpochSeconds) { update(s) { $0.nextPollAt = at } }

    func all() -> [FeedStatistics] { order.compactMap { entries[$0] } }

    private func record(_ s: FeedSource, failed: Bool, latency: Double) {
        let key = Self.key(s.market, s.id)
        let m = metrics[key] ?? FeedPollMetrics(market: s.market, source: s.id, factory: factory)
        metrics[key] = m
        m.record(failed: failed, inARow: entries[key]?.consecutiveFailures ?? 0, latency: latency)
    }

    private func update(_ s: FeedSource, _ body: (inout FeedStatistics) -> Void) {
        let key = Self.key(s.market, s.id)
        var e = entries[key] ?? FeedStatistics(market: s.market, source: s.id, kind: s.kind.rawValue)
        body(&e)
        if entries[key] == nil { order.append(key) }
        entries[key] = e
    }
}
