import Metrics

/// The poll metrics of one polled (market, source), recorded through swift-metrics:
/// `breakwater_feed_polls_total{market, source, result}` (counter, result `success` or
/// `failure`, both from start-up at 0), `breakwater_feed_consecutive_failures{market, source}`
/// (gauge, from start-up at 0) and `breakwater_feed_latency_seconds{market, source}` (gauge,
/// seconds taken by the last poll; absent until the first poll has finished).
struct FeedPollMetrics: Sendable {
    let successes: Counter
    let failures: Counter
    let consecutiveFailures: Gauge
    let labels: [(String, String)]
    let factory: any MetricsFactory

    init(market: String, source: String, factory: any MetricsFactory) {
        labels = [("market", market), ("source", source)]
        self.factory = factory
        successes = Counter(
            label: "breakwater_feed_polls_total",
            dimensions: labels + [("result", "success")],
            factory: factory
        )
        failures = Counter(
            label: "breakwater_feed_polls_total",
            dimensions: labels + [("result", "failure")],
            factory: factory
        )
        consecutiveFailures = Gauge(label: "breakwater_feed_consecutive_failures", dimensions: labels, factory: factory)
        consecutiveFailures.record(0)
    }

    /// One finished poll: `failed` or not, `inARow` failures since the last success, `latency` seconds.
    func record(failed: Bool, inARow: Int, latency: Double) {
        (failed ? failures : successes).increment()
        consecutiveFailures.record(inARow)
        // Made on the first poll (the registry hands back the same gauge afterwards).
        Gauge(label: "breakwater_feed_latency_seconds", dimensions: labels, factory: factory).record(latency)
    }
}
